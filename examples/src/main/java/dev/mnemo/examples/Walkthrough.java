package dev.mnemo.examples;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.TxOutcome;
import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Mnesia lesson, step by step, on Mnemo's engine API: users and sessions with an index, dirty operations,
 * match_object and select, the blog (authors, posts indexed by author, comments as a bag), the bank transfer that
 * aborts on insufficient funds, persistence across a restart, and table_info / system_info.
 *
 * <p>Run with no argument to use a fresh temporary directory (deleted at the end), or give a directory.
 */
public final class Walkthrough {
    private final PrintStream out;

    Walkthrough(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("mnemo-walkthrough");
        try {
            new Walkthrough(System.out).run(dir);
        } finally {
            if (args.length == 0) {
                deleteTree(dir);
            }
        }
    }

    void run(Path dir) {
        try (Mnemo db = Mnemo.open(dir)) {
            usersAndSessions(db);
            blog(db);
            bank(db);
            info(db);
        }
        out.println("-- restart: reopening " + dir.getFileName());
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("users", "posts", "accounts"), Duration.ofSeconds(10));
            out.println("after restart users: " + db.dirtyAllKeys("users"));
            out.println("after restart sessions (ram_copies): " + db.tableInfo("sessions").size() + " rows");
            out.println("after restart balances: " + db.dirtyRead("accounts", "alice") + " "
                    + db.dirtyRead("accounts", "bob"));
        }
    }

    private void usersAndSessions(Mnemo db) {
        db.createTable(TableDef.builder("users").attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .attribute("email", AttrType.STRING).attribute("created_at", AttrType.DATETIME)
                .storage(StorageType.DISC_COPIES).build());
        db.createTable(TableDef.builder("sessions").attributes("session_id", "user_id", "data", "expires_at")
                .index("user_id").build());
        db.transaction(tx -> {
            tx.write(Tuple.of("users", 1, "Alice", "alice@example.com", LocalDateTime.of(2024, 1, 1, 10, 0)));
            tx.write(Tuple.of("users", 2, "Bob", "bob@example.com", LocalDateTime.of(2024, 1, 1, 11, 0)));
            return null;
        });
        out.println("read users 1: " + db.transaction(tx -> tx.read("users", 1)));
        out.println("read users 999: " + db.transaction(tx -> tx.read("users", 999)));
        db.transaction(tx -> {
            tx.write(Tuple.of("users", 1, "Alice Smith", "alice.smith@example.com",
                    LocalDateTime.of(2024, 1, 1, 10, 0)));
            tx.delete("users", 2);
            return null;
        });
        db.dirtyWrite(Tuple.of("users", 3, "Charlie", "charlie@example.com", LocalDateTime.of(2024, 1, 1, 12, 0)));
        out.println("dirty_read users 3: " + db.dirtyRead("users", 3));
        db.transaction(tx -> {
            tx.write(Tuple.of("sessions", "sess_1", 1, Map.of("theme", "dark"), LocalDateTime.of(2024, 1, 2, 10, 0)));
            tx.write(Tuple.of("sessions", "sess_2", 1, Map.of("theme", "light"), LocalDateTime.of(2024, 1, 2, 11, 0)));
            tx.write(Tuple.of("sessions", "sess_3", 2, Map.of("theme", "auto"), LocalDateTime.of(2024, 1, 2, 12, 0)));
            return null;
        });
        out.println("index_read sessions user_id=1: " + db.transaction(tx -> tx.indexRead("sessions", 1, "user_id"))
                .stream().map(t -> t.get(1)).toList());
        out.println("match_object email=charlie: " + db.transaction(tx -> tx.matchObject("users",
                Match.pattern("users", Match.ANY, Match.ANY, "charlie@example.com", Match.ANY))));
        MatchSpec startsWithA = MatchSpec.parse(
                "[{{users,'$1','$2','$3','$4'},[{'=:=',{hd,'$2'},$A}],['$$']}]");
        out.println("select names starting with A: " + db.transaction(tx -> tx.select("users", startsWithA)));
    }

    private void blog(Mnemo db) {
        db.createTable(TableDef.builder("authors").attributes("id", "name", "email", "bio")
                .storage(StorageType.DISC_COPIES).build());
        db.createTable(TableDef.builder("posts").attributes("id", "title", "content", "author_id", "published_at",
                "tags").index("author_id").storage(StorageType.DISC_COPIES).build());
        db.createTable(TableDef.builder("comments").attributes("id", "post_id", "author_name", "content",
                "created_at").index("post_id").type(TableType.BAG).storage(StorageType.DISC_COPIES).build());
        db.transaction(tx -> {
            tx.write(Tuple.of("authors", 1, "Jane Doe", "jane@example.com", "Tech writer"));
            tx.write(Tuple.of("posts", 10, "Getting Started with Mnesia", "Mnesia is a powerful database...", 1,
                    LocalDateTime.of(2024, 1, 1, 15, 0), List.of("elixir", "database")));
            tx.write(Tuple.of("posts", 11, "Transactions", "...", 1, LocalDateTime.of(2024, 1, 2, 9, 0), List.of()));
            tx.write(Tuple.of("comments", 100, 10, "Bob Reader", "Great post!", LocalDateTime.of(2024, 1, 1, 15, 30)));
            tx.write(Tuple.of("comments", 100, 10, "Bob Reader", "Still great.", LocalDateTime.of(2024, 1, 3, 8, 0)));
            return null;
        });
        out.println("posts by author 1: " + db.transaction(tx -> tx.indexRead("posts", 1, "author_id"))
                .stream().map(t -> t.get(2)).toList());
        out.println("comments for post 10: " + db.transaction(tx -> tx.indexRead("comments", 10, "post_id"))
                .stream().map(t -> t.get(4)).toList());
    }

    private void bank(Mnemo db) {
        db.createTable(TableDef.builder("accounts").attribute("owner", AttrType.STRING)
                .attribute("balance", AttrType.INTEGER).storage(StorageType.DISC_COPIES).build());
        db.transaction(tx -> {
            tx.write(Tuple.of("accounts", "alice", 100));
            tx.write(Tuple.of("accounts", "bob", 50));
            return null;
        });
        out.println("transfer 30 alice->bob: " + transfer(db, "alice", "bob", 30));
        out.println("transfer 500 alice->bob: " + transfer(db, "alice", "bob", 500));
        out.println("balances: " + db.dirtyRead("accounts", "alice") + " " + db.dirtyRead("accounts", "bob"));
    }

    static TxOutcome<Object> transfer(Mnemo db, String from, String to, long amount) {
        return db.tryTransaction(tx -> {
            long a = (Long) tx.wread("accounts", from).get(0).get(2);
            if (a < amount) {
                throw tx.abort("insufficient_funds");
            }
            long b = (Long) tx.wread("accounts", to).get(0).get(2);
            tx.write(Tuple.of("accounts", from, a - amount));
            tx.write(Tuple.of("accounts", to, b + amount));
            return "ok";
        });
    }

    private void info(Mnemo db) {
        out.println("table_info users: " + db.tableInfo("users").asMap());
        var s = db.systemInfo();
        out.println("system_info: tables=" + s.tables() + " is_running=" + s.isRunning() + " commits="
                + s.transactionCommits() + " failures=" + s.transactionFailures());
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
