package dev.mnemo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalkthroughTest {
    @TempDir
    Path dir;

    @Test
    void walkthrough_printsTheLessonsResults() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new Walkthrough(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(dir);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("read users 1: [{\"users\", 1, \"Alice\", \"alice@example.com\", 2024-01-01T10:00}]")
                .contains("read users 999: []")
                .contains("dirty_read users 3: [{\"users\", 3, \"Charlie\"")
                .contains("index_read sessions user_id=1: [sess_1, sess_2]")
                .contains("select names starting with A: [[1, Alice Smith, alice.smith@example.com, 2024-01-01T10:00]]")
                .contains("posts by author 1: [Getting Started with Mnesia, Transactions]")
                .contains("comments for post 10: [Great post!, Still great.]")
                .contains("transfer 30 alice->bob: {atomic, ok}")
                .contains("transfer 500 alice->bob: {aborted, insufficient_funds}")
                .contains("balances: [{\"accounts\", \"alice\", 70}] [{\"accounts\", \"bob\", 80}]")
                .contains("storage_type=disc_copies").contains("commits=13 failures=1")
                .contains("after restart users: [1, 3]")
                .contains("after restart sessions (ram_copies): 0 rows")
                .contains("after restart balances: [{\"accounts\", \"alice\", 70}] [{\"accounts\", \"bob\", 80}]");
    }
}
