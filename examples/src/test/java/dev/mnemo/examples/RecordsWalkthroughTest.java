package dev.mnemo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.records.Memento;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example of the typed walkthrough on its own database, with the output it must print. */
class RecordsWalkthroughTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final RecordsWalkthrough walkthrough =
            new RecordsWalkthrough(new PrintStream(buf, true, StandardCharsets.UTF_8));

    private String output() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    private String onDatabase(BiConsumer<RecordsWalkthrough, Memento> example) {
        try (Mnemo db = Mnemo.open(dir)) {
            example.accept(walkthrough, new Memento(db));
        }
        return output();
    }

    @Test
    void usersAndSessions_crudIndexMatchAndSelect() {
        assertThat(onDatabase(RecordsWalkthrough::usersAndSessions).lines()).containsExactly(
                "created users: [User[id=1, name=Alice, email=alice@example.com, createdAt=2024-01-01T10:00], "
                        + "User[id=2, name=Bob, email=bob@example.com, createdAt=2024-01-01T11:00]]",
                "read user 1: Optional[User[id=1, name=Alice, email=alice@example.com, createdAt=2024-01-01T10:00]]",
                "read user 999: Optional.empty",
                "charlie got id 3 (2 is never reused)",
                "sessions of user 1: [sess_1, sess_2]",
                "match email=charlie@example.com: [Charlie]",
                "select created before 11:00: [Alice Smith]",
                "outside a transaction: NotInTransactionException",
                "dirty read user 3: Charlie");
    }

    @Test
    void blog_postsByAuthorCommentsAsBagAndResumedPages() {
        assertThat(onDatabase(RecordsWalkthrough::blog).lines()).containsExactly(
                "posts by author 1: [Getting Started with Mnesia, Transactions, Indexes]",
                "comments on post 1: [Great post!, Still great.]",
                "first page: [Getting Started with Mnesia, Transactions]",
                "next page, resumed after a write: [Indexes, Bags]");
    }

    @Test
    void bank_transferAbortsWithInsufficientFunds_andKeepsBalances() {
        assertThat(onDatabase(RecordsWalkthrough::bank).lines()).containsExactly(
                "transfer 30 alice->bob: {atomic, ok}",
                "transfer 500 alice->bob: {aborted, insufficient_funds}",
                "balances: [Account[owner=alice, balance=70], Account[owner=bob, balance=80]]");
    }

    @Test
    void migrations_addActiveAndIndexEmail_once() {
        walkthrough.migrations(dir);
        assertThat(output().lines()).containsExactly(
                "v0 opened: MigrationReport[table=users, fromVersion=0, toVersion=0, created=true, applied=[]]",
                "v1 opened: from version 0 to 1, ran [version 1: add attribute active = true, "
                        + "version 1: add index email]",
                "users now: [UserV1[id=1, name=Alice, email=alice@example.com, createdAt=2024-01-01T10:00, "
                        + "active=true], UserV1[id=2, name=Bob, email=bob@example.com, createdAt=2024-01-01T11:00, "
                        + "active=true]]",
                "by email (index): [Bob]",
                "opened again: migrated=false");
    }

    @Test
    void persistence_discTablesSurviveRestart_ramTablesComeBackEmpty() {
        walkthrough.persistence(dir);
        assertThat(output().lines()).containsExactly(
                "-- restart",
                "after restart users: [User[id=1, name=Alice, email=alice@example.com, createdAt=2024-01-01T10:00]]",
                "after restart sessions (ram_copies): []",
                "next id after restart: 2");
    }

    @Test
    void info_printsTableInfoAndSystemInfo() {
        assertThat(onDatabase(RecordsWalkthrough::info).lines()).containsExactly(
                "table_info users: attributes=[id, name, email, createdAt] storage_type=disc_copies size=1 type=set",
                "system_info: tables=[mnemo_sequences, users] is_running=true commits=1 failures=0");
    }

    @Test
    void run_goesThroughEveryExample() {
        walkthrough.run(dir);
        assertThat(output()).contains("transfer 500 alice->bob: {aborted, insufficient_funds}")
                .contains("next id after restart: 2").contains("opened again: migrated=false")
                .contains("system_info: tables=");
    }
}
