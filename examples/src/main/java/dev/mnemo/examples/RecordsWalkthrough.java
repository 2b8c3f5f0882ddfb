package dev.mnemo.examples;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.SystemInfo;
import dev.mnemo.engine.TableInfo;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.TxOutcome;
import dev.mnemo.engine.records.Memento;
import dev.mnemo.engine.records.MigrationReport;
import dev.mnemo.engine.records.Migrations;
import dev.mnemo.engine.records.Page;
import dev.mnemo.engine.records.Step;
import dev.mnemo.engine.records.Table;
import dev.mnemo.engine.records.Where;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * The Mnesia lesson on Mnemo's typed records API ({@link Memento}): Java records are tables, queries name attributes,
 * and every read and write runs in a transaction. Each example stands alone on a fresh database directory:
 * users with created_at and sessions indexed by user, the blog (authors, posts indexed by author, comments as a bag),
 * the bank transfer that aborts with insufficient_funds, schema evolution with migrations, the persistent setup
 * (disc tables survive a restart, ram tables do not) and table_info / system_info.
 *
 * <p>Run with no argument to use fresh temporary directories (deleted at the end), or give a directory.
 */
public final class RecordsWalkthrough {
    /** Users get their id from a counter; the lesson's created_at is {@code createdAt}. */
    @Table(name = "users", storage = StorageType.DISC_COPIES, autoincrement = true)
    public record User(Long id, String name, String email, LocalDateTime createdAt) {
    }

    /** Sessions live in RAM only and are looked up by user through an index. */
    @Table(name = "sessions", index = "userId")
    public record Session(String sessionId, long userId, Map<String, String> data, LocalDateTime expiresAt) {
    }

    @Table(name = "authors", storage = StorageType.DISC_COPIES, autoincrement = true)
    public record Author(Long id, String name, String email, String bio) {
    }

    @Table(name = "posts", storage = StorageType.DISC_COPIES, index = "authorId", autoincrement = true)
    public record Post(Long id, String title, String content, long authorId, LocalDateTime publishedAt,
                       List<String> tags) {
    }

    /** A bag keyed by post: all comments of a post share its key. */
    @Table(name = "comments", type = TableType.BAG, storage = StorageType.DISC_COPIES)
    public record Comment(long postId, String authorName, String content, LocalDateTime createdAt) {
    }

    @Table(name = "accounts", storage = StorageType.DISC_COPIES)
    public record Account(String owner, long balance) {
    }

    /** The users table as first shipped, before the lesson's "active" column and email index. */
    @Table(name = "users", storage = StorageType.DISC_COPIES, autoincrement = true)
    public record UserV0(Long id, String name, String email, LocalDateTime createdAt) {
    }

    /** The users table after migration 1: {@code active} added (true for existing users), email indexed. */
    @Table(name = "users", storage = StorageType.DISC_COPIES, autoincrement = true, index = "email")
    public record UserV1(Long id, String name, String email, LocalDateTime createdAt, boolean active) {
    }

    /** The history of the users table, as the lesson's transform_table and add_table_index. */
    public static final Migrations USER_MIGRATIONS = Migrations.none()
            .version(1, Step.addAttribute("active", true), Step.addIndex("email"));

    private static final LocalDateTime JAN_1 = LocalDateTime.of(2024, 1, 1, 10, 0);

    private final PrintStream out;

    RecordsWalkthrough(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0], "records") : Files.createTempDirectory("mnemo-records");
        try {
            new RecordsWalkthrough(System.out).run(root);
        } finally {
            if (args.length == 0) {
                Walkthrough.deleteTree(root);
            }
        }
    }

    void run(Path root) {
        onFreshDatabase(root.resolve("users"), this::usersAndSessions);
        onFreshDatabase(root.resolve("blog"), this::blog);
        onFreshDatabase(root.resolve("bank"), this::bank);
        migrations(root.resolve("migrations"));
        persistence(root.resolve("persistence"));
        onFreshDatabase(root.resolve("info"), this::info);
    }

    private static void onFreshDatabase(Path dir, java.util.function.Consumer<Memento> example) {
        try (Mnemo db = Mnemo.open(dir)) {
            example.accept(new Memento(db));
        }
    }

    /** Users (keys from a counter) and sessions indexed by user: write, read, update, delete, index and select. */
    void usersAndSessions(Memento m) {
        m.openTable(User.class);
        m.openTable(Session.class);
        List<User> created = m.transactionOrThrow(q -> List.of(
                q.write(new User(null, "Alice", "alice@example.com", JAN_1)),
                q.write(new User(null, "Bob", "bob@example.com", JAN_1.plusHours(1)))));
        out.println("created users: " + created);
        out.println("read user 1: " + m.transactionOrThrow(q -> q.read(User.class, 1L)));
        out.println("read user 999: " + m.transactionOrThrow(q -> q.read(User.class, 999L)));
        m.transactionOrThrow(q -> {
            User alice = q.read(User.class, 1L).orElseThrow();
            q.write(new User(alice.id(), "Alice Smith", "alice.smith@example.com", alice.createdAt()));
            q.delete(User.class, 2L);
            return null;
        });
        User charlie = m.transactionOrThrow(q -> q.write(new User(null, "Charlie", "charlie@example.com",
                JAN_1.plusHours(2))));
        out.println("charlie got id " + charlie.id() + " (2 is never reused)");
        m.transactionOrThrow(q -> {
            q.write(new Session("sess_1", 1, Map.of("theme", "dark"), JAN_1.plusDays(1)));
            q.write(new Session("sess_2", 1, Map.of("theme", "light"), JAN_1.plusDays(1).plusHours(1)));
            q.write(new Session("sess_3", charlie.id(), Map.of("theme", "auto"), JAN_1.plusDays(1).plusHours(2)));
            return null;
        });
        List<Session> alices = m.transactionOrThrow(q -> q.indexRead(Session.class, "userId", 1L));
        out.println("sessions of user 1: " + alices.stream().map(Session::sessionId).toList());
        List<User> byEmail = m.transactionOrThrow(q -> q.match(User.class, Map.of("email", "charlie@example.com")));
        out.println("match email=charlie@example.com: " + byEmail.stream().map(User::name).toList());
        List<User> early = m.transactionOrThrow(q -> q.select(User.class,
                Where.and(Where.lt("createdAt", JAN_1.plusHours(1)), Where.ne("name", "Bob"))));
        out.println("select created before 11:00: " + early.stream().map(User::name).toList());
        out.println("outside a transaction: " + outsideTransaction(m));
        out.println("dirty read user 3: " + m.dirty().read(User.class, 3L).map(User::name).orElse("none"));
    }

    private static String outsideTransaction(Memento m) {
        try {
            m.query().read(User.class, 1L);
            return "allowed";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** The blog: authors, posts indexed by author, comments as a bag under their post's key, pages of posts. */
    void blog(Memento m) {
        m.openTable(Author.class);
        m.openTable(Post.class);
        m.openTable(Comment.class);
        long jane = m.transactionOrThrow(q -> q.write(new Author(null, "Jane Doe", "jane@example.com", "Tech writer"))
                .id());
        long post = m.transactionOrThrow(q -> {
            Post first = q.write(new Post(null, "Getting Started with Mnesia", "Mnesia is a powerful database...",
                    jane, JAN_1.plusHours(5), List.of("elixir", "database")));
            q.write(new Post(null, "Transactions", "...", jane, JAN_1.plusDays(1), List.of()));
            q.write(new Post(null, "Indexes", "...", jane, JAN_1.plusDays(2), List.of("database")));
            return first.id();
        });
        m.transactionOrThrow(q -> {
            q.write(new Comment(post, "Bob Reader", "Great post!", JAN_1.plusHours(5).plusMinutes(30)));
            q.write(new Comment(post, "Bob Reader", "Still great.", JAN_1.plusDays(2)));
            return null;
        });
        List<Post> byJane = m.transactionOrThrow(q -> q.indexRead(Post.class, "authorId", jane));
        out.println("posts by author " + jane + ": " + byJane.stream().map(Post::title).toList());
        List<Comment> comments = m.transactionOrThrow(q -> q.readAll(Comment.class, post,
                dev.mnemo.engine.LockKind.READ));
        out.println("comments on post " + post + ": " + comments.stream().map(Comment::content).toList());
        Page<Post> page = m.transactionOrThrow(q -> q.select(Post.class, Where.all(), 2));
        out.println("first page: " + page.items().stream().map(Post::title).toList());
        m.transactionOrThrow(q -> q.write(new Post(null, "Bags", "...", jane, JAN_1.plusDays(3), List.of())));
        Page<Post> next = m.transactionOrThrow(q -> q.resume(page));
        out.println("next page, resumed after a write: " + next.items().stream().map(Post::title).toList());
    }

    /** The bank transfer: atomic when funds suffice, aborted with the reason otherwise, and nothing half-done. */
    void bank(Memento m) {
        m.openTable(Account.class);
        m.transactionOrThrow(q -> {
            q.write(new Account("alice", 100));
            q.write(new Account("bob", 50));
            return null;
        });
        out.println("transfer 30 alice->bob: " + transfer(m, "alice", "bob", 30));
        out.println("transfer 500 alice->bob: " + transfer(m, "alice", "bob", 500));
        out.println("balances: " + m.transactionOrThrow(q -> q.all(Account.class)));
    }

    static TxOutcome<String> transfer(Memento m, String from, String to, long amount) {
        return m.transaction(q -> {
            Account a = q.read(Account.class, from, dev.mnemo.engine.LockKind.WRITE).orElseThrow();
            Account b = q.read(Account.class, to, dev.mnemo.engine.LockKind.WRITE).orElseThrow();
            if (a.balance() < amount) {
                throw q.abort("insufficient_funds");
            }
            q.write(new Account(from, a.balance() - amount));
            q.write(new Account(to, b.balance() + amount));
            return "ok";
        });
    }

    /** Schema evolution: the users table as first shipped, then opened by code that knows migration 1. */
    void migrations(Path dir) {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            out.println("v0 opened: " + m.openTable(UserV0.class));
            m.transactionOrThrow(q -> {
                q.write(new UserV0(null, "Alice", "alice@example.com", JAN_1));
                q.write(new UserV0(null, "Bob", "bob@example.com", JAN_1.plusHours(1)));
                return null;
            });
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            MigrationReport report = m.openTable(UserV1.class, USER_MIGRATIONS);
            out.println("v1 opened: from version " + report.fromVersion() + " to " + report.toVersion() + ", ran "
                    + report.applied());
            out.println("users now: " + m.transactionOrThrow(q -> q.all(UserV1.class)));
            out.println("by email (index): " + m.transactionOrThrow(q -> q.indexRead(UserV1.class, "email",
                    "bob@example.com")).stream().map(UserV1::name).toList());
            out.println("opened again: migrated=" + m.openTable(UserV1.class, USER_MIGRATIONS).migrated());
        }
    }

    /** The persistent setup: disc_copies tables come back after a restart, ram_copies tables come back empty. */
    void persistence(Path dir) {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.openTable(User.class);
            m.openTable(Session.class);
            m.transactionOrThrow(q -> {
                q.write(new User(null, "Alice", "alice@example.com", JAN_1));
                q.write(new Session("sess_1", 1, Map.of(), JAN_1.plusDays(1)));
                return null;
            });
        }
        out.println("-- restart");
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.openTable(User.class);
            m.openTable(Session.class);
            m.waitForTables(Duration.ofSeconds(10), User.class, Session.class);
            out.println("after restart users: " + m.transactionOrThrow(q -> q.all(User.class)));
            out.println("after restart sessions (ram_copies): " + m.transactionOrThrow(q -> q.all(Session.class)));
            User bob = m.transactionOrThrow(q -> q.write(new User(null, "Bob", "bob@example.com", JAN_1)));
            out.println("next id after restart: " + bob.id());
        }
    }

    /** Mnesia's table_info and system_info. */
    void info(Memento m) {
        m.openTable(User.class);
        m.transactionOrThrow(q -> q.write(new User(null, "Alice", "alice@example.com", JAN_1)));
        TableInfo users = m.tableInfo(User.class);
        out.println("table_info users: attributes=" + users.attributes() + " storage_type="
                + users.storageType().mnesiaName() + " size=" + users.size() + " type=" + users.type().mnesiaName());
        SystemInfo s = m.engine().systemInfo();
        out.println("system_info: tables=" + s.tables() + " is_running=" + s.isRunning() + " commits="
                + s.transactionCommits() + " failures=" + s.transactionFailures());
    }
}
