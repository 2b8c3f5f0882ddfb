package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What JDBC clients and pools do to a connection: properties Mnemo does not know, read-only mode, isolation
 * levels, and how long an in-memory database lives.
 */
class ConnectionBehaviourTest {
    private static final AtomicInteger N = new AtomicInteger();

    @TempDir
    Path dir;

    private static String memUrl() {
        return "jdbc:mnemo:mem:behaviour" + N.incrementAndGet();
    }

    @Test
    void unknownProperties_areIgnoredWithAWarning_malformedKnownOnesFail() throws SQLException {
        Properties info = new Properties();
        info.setProperty("ApplicationName", "DBeaver");
        info.setProperty("user", "sa");
        try (Connection c = DriverManager.getConnection(memUrl() + ";colour=blue;close-on-last=true", info)) {
            assertThat(warnings(c)).hasSize(2).anySatisfy(w -> assertThat(w).contains("'applicationname'")
                    .contains("ignored")).anySatisfy(w -> assertThat(w).contains("'colour'"));
            assertThat(c.getWarnings().getSQLState()).isEqualTo("01000");
            c.clearWarnings();
            assertThat((Object) c.getWarnings()).isNull();
            assertThat(rows(c.createStatement().executeQuery("values 1"))).containsExactly("1");
        }
        for (String bad : List.of(";read-only=yes", ";create=1", ";close-on-last=", ";direct=off")) {
            assertThatThrownBy(() -> DriverManager.getConnection(memUrl() + bad))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY024"))
                    .hasMessageContaining("expected true or false");
        }
        for (String bad : List.of(";lock-timeout=0", ";lock-timeout=-5", ";lock-timeout=1s")) {
            assertThatThrownBy(() -> DriverManager.getConnection(memUrl() + bad))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY024"))
                    .hasMessageContaining("expected a positive number of milliseconds");
        }
        for (String bad : List.of(";write-delay=-5", ";write-delay=1s", ";write-delay=", ";write-delay=86400001",
                ";write-delay=9999999999999999")) {
            assertThatThrownBy(() -> DriverManager.getConnection(memUrl() + bad))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY024"))
                    .hasMessageContaining("write-delay").hasMessageContaining("expected 0 (every commit written");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(memUrl() + ";nokeyvalue"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
        try (Connection c = DriverManager.getConnection(memUrl() + ";close-on-last=true")) {
            assertThat((Object) c.getWarnings()).as("no warning without unknown properties").isNull();
        }
    }

    @Test
    void setReadOnly_refusesWrites_until_setReadOnlyFalse() throws SQLException {
        try (Connection c = DriverManager.getConnection(memUrl() + ";close-on-last=true");
             Statement s = c.createStatement()) {
            s.execute("create table kv (k int primary key, v varchar)");
            PreparedStatement insert = c.prepareStatement("insert into kv values (?, 'x')");
            c.setReadOnly(true);
            assertThat(c.isReadOnly()).isTrue();
            assertThat(c.getMetaData().isReadOnly()).isTrue();
            assertThatThrownBy(() -> s.executeUpdate("insert into kv values (1, 'a')")).satisfies(this::readOnly);
            insert.setInt(1, 2);
            assertThatThrownBy(insert::executeUpdate).as("prepared before").satisfies(this::readOnly);
            assertThatThrownBy(() -> s.executeUpdate("update kv set v = 'b' where k = 1")).satisfies(this::readOnly);
            assertThatThrownBy(() -> s.executeUpdate("delete from kv where k = 1")).satisfies(this::readOnly);
            assertThatThrownBy(() -> s.execute("create table other (a int primary key, b int)"))
                    .satisfies(this::readOnly);
            assertThat(rows(s.executeQuery("select count(*) from kv"))).containsExactly("0");
            c.setReadOnly(false);
            assertThat(c.isReadOnly()).isFalse();
            assertThat(insert.executeUpdate()).isOne();
            c.setAutoCommit(false);
            s.executeUpdate("insert into kv values (3, 'y')");
            assertThatThrownBy(() -> c.setReadOnly(true)).as("inside a transaction")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25001"));
            c.commit();
            c.setReadOnly(true);
            assertThat(c.isReadOnly()).isTrue();
        }
    }

    @Test
    void connectionOpenedReadOnly_staysReadOnly_withAWarning() throws SQLException {
        String url = "jdbc:mnemo:" + dir.resolve("db");
        try (Connection w = DriverManager.getConnection(url); Statement s = w.createStatement()) {
            s.execute("create table kv (k int primary key, v varchar)");
            try (Connection r = DriverManager.getConnection(url + ";read-only=true"); Statement rs = r.createStatement()) {
                r.setReadOnly(false);
                assertThat(r.isReadOnly()).isTrue();
                assertThat(warnings(r)).singleElement().asString().contains("stays read-only");
                assertThatThrownBy(() -> rs.executeUpdate("insert into kv values (1, 'a')")).satisfies(this::readOnly);
            }
        }
    }

    @Test
    void isolation_isAlwaysSerializable_weakerRequestsWarn_noneIsRefused() throws SQLException {
        try (Connection c = DriverManager.getConnection(memUrl() + ";close-on-last=true")) {
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            for (int level : new int[] {Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_READ_COMMITTED,
                    Connection.TRANSACTION_REPEATABLE_READ}) {
                c.clearWarnings();
                assertThat(c.getMetaData().supportsTransactionIsolationLevel(level)).isTrue();
                c.setTransactionIsolation(level);
                assertThat(c.getTransactionIsolation()).as("reported truthfully").isEqualTo(
                        Connection.TRANSACTION_SERIALIZABLE);
                assertThat(warnings(c)).singleElement().asString().contains("SERIALIZABLE");
            }
            c.clearWarnings();
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertThat((Object) c.getWarnings()).isNull();
            assertThat(c.getMetaData().supportsTransactionIsolationLevel(Connection.TRANSACTION_NONE)).isFalse();
            assertThatThrownBy(() -> c.setTransactionIsolation(Connection.TRANSACTION_NONE))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY024"));
            assertThatThrownBy(() -> c.setTransactionIsolation(3))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY024"));
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        }
    }

    @Test
    void inMemoryDatabase_outlivesItsLastConnection_unlessCloseOnLast() throws SQLException {
        String url = memUrl();
        try (Connection a = DriverManager.getConnection(url); Statement s = a.createStatement()) {
            s.execute("create table kv (k int primary key, v varchar)");
            try (Connection b = DriverManager.getConnection(url)) {
                b.createStatement().executeUpdate("insert into kv values (1, 'b')");
            }
        }
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(rows(c.createStatement().executeQuery("select * from kv"))).as("a pool that shrank to none")
                    .containsExactly("1|b");
        }
        String closing = memUrl() + ";close-on-last=true";
        try (Connection a = DriverManager.getConnection(closing)) {
            a.createStatement().execute("create table kv (k int primary key, v varchar)");
            try (Connection b = DriverManager.getConnection(closing)) {
                b.createStatement().executeUpdate("insert into kv values (1, 'b')");
            }
            assertThat(rows(a.createStatement().executeQuery("select * from kv"))).as("while one is open")
                    .containsExactly("1|b");
        }
        try (Connection c = DriverManager.getConnection(closing)) {
            assertThatThrownBy(() -> c.createStatement().executeQuery("select * from kv"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S02"));
        }
    }

    @Test
    void discDatabase_isClosedWithItsLastConnection_freeingTheDirectory() throws SQLException {
        String url = "jdbc:mnemo:" + dir.resolve("db");
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("create table kv (k int primary key, v varchar)");
        }
        // the directory lock is released: the engine can open it directly
        try (dev.mnemo.engine.Mnemo db = dev.mnemo.engine.Mnemo.open(dir.resolve("db"))) {
            assertThat(db.tables()).contains("kv");
        }
    }

    @Test
    void writeDelay_inTheUrl_opensTheEngineWithDelayedDurability_andCommitsSurviveTheClose() throws SQLException {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";write-delay=3600000";
        try (Connection c = DriverManager.getConnection(url)) {
            dev.mnemo.engine.Mnemo engine = EngineRegistry.acquire(MnemoUrl.parse(url, null));
            try {
                assertThat(engine.config().writeDelay()).isEqualTo(java.time.Duration.ofHours(1));
            } finally {
                EngineRegistry.release(MnemoUrl.parse(url, null));
            }
            c.createStatement().execute("create table kv (k int primary key, v varchar) with (storage = disc_copies)");
            c.createStatement().executeUpdate("insert into kv values (1, 'delayed')");
        }
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db") + ";write-delay=0")) {
            assertThat(rows(c.createStatement().executeQuery("select v from kv"))).containsExactly("delayed");
        }
    }

    @Test
    void engineSettings_thatTheOpenDatabaseDoesNotHave_areNamedInAWarning() throws SQLException {
        String url = "jdbc:mnemo:" + dir.resolve("db");
        try (Connection first = DriverManager.getConnection(url + ";write-delay=250;lock-timeout=3000;sync=true")) {
            assertThat((Object) first.getWarnings()).isNull();
            try (Connection same = DriverManager.getConnection(url + ";write-delay=250");
                 Connection plain = DriverManager.getConnection(url)) {
                assertThat((Object) same.getWarnings()).isNull();
                assertThat((Object) plain.getWarnings()).as("nothing asked for: no sync=false either").isNull();
            }
            try (Connection other = DriverManager.getConnection(url + ";write-delay=0;sync=false;lock-timeout=3000")) {
                assertThat(warnings(other)).hasSize(2)
                        .anySatisfy(w -> assertThat(w).contains("write-delay=0 was not applied")
                                .contains("with write-delay=250").contains("opened anew once every connection"))
                        .anySatisfy(w -> assertThat(w).contains("sync=false was not applied"));
            }
        }
        try (Connection mem = DriverManager.getConnection(memUrl() + ";write-delay=5;close-on-last=true")) {
            assertThat(warnings(mem)).singleElement().asString()
                    .contains("write-delay=5 has no effect on an in-memory database");
        }
    }

    @Test
    void checkpoint_writesWhatAWriteDelayHeldBack_toTheCommitLog() throws Exception {
        java.nio.file.Path db = dir.resolve("db");
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + db + ";write-delay=3600000")) {
            c.createStatement().execute("create table kv (k int primary key, v varchar) with (storage = disc_copies)");
            long before = logBytes(db);
            c.createStatement().executeUpdate("insert into kv values (1, '" + "x".repeat(1_000) + "')");
            assertThat(logBytes(db)).as("held back by the hour-long write delay").isEqualTo(before);
            assertThat(c.createStatement().executeUpdate("CHECKPOINT")).isZero();
            assertThat(logBytes(db)).as("written by CHECKPOINT").isGreaterThan(before + 1_000);
            c.createStatement().executeUpdate("insert into kv values (2, '" + "y".repeat(1_000) + "')");
            long after = logBytes(db);
            c.createStatement().execute("checkpoint sync;");
            assertThat(logBytes(db)).isGreaterThan(after + 1_000);
        }
    }

    /** The bytes of the commit log files in database directory {@code db}. */
    private static long logBytes(java.nio.file.Path db) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(db)) {
            long total = 0;
            for (java.nio.file.Path p : files.filter(p -> p.getFileName().toString().matches("mnemo-\\d+\\.log"))
                    .toList()) {
                total += java.nio.file.Files.size(p);
            }
            return total;
        }
    }

    private void readOnly(Throwable t) {
        assertThat(t).isInstanceOf(SQLException.class);
        assertThat(((SQLException) t).getSQLState()).isEqualTo("25006");
    }

    @Test
    void clientInfo_keepsTheStandardNames_warnsOfOthers_andRefusesOnAClosedConnection() throws SQLException {
        Connection c = DriverManager.getConnection(memUrl() + ";close-on-last=true");
        c.setClientInfo("ApplicationName", "DBeaver 25.2");
        c.setClientInfo("ClientUser", "ann");
        assertThat(c.getClientInfo("ApplicationName")).isEqualTo("DBeaver 25.2");
        assertThat(c.getClientInfo()).containsOnlyKeys("ApplicationName", "ClientUser");
        c.setClientInfo("ClientUser", null);
        assertThat(c.getClientInfo("ClientUser")).isNull();
        c.setClientInfo("Colour", "blue");
        assertThat(warnings(c)).singleElement().asString().contains("'Colour'").contains("ApplicationName");
        assertThat(c.getClientInfo("Colour")).isNull();
        assertThatThrownBy(() -> c.setClientInfo("ClientHostname", "h".repeat(256)))
                .isInstanceOfSatisfying(java.sql.SQLClientInfoException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("22001"));
        Properties replace = new Properties();
        replace.setProperty("ClientHostname", "box");
        c.setClientInfo(replace);
        assertThat(c.getClientInfo()).containsOnlyKeys("ClientHostname");
        assertThat(rows(c.getMetaData().getClientInfoProperties()))
                .anySatisfy(r -> assertThat(r).startsWith("ApplicationName|255"))
                .hasSize(3);
        c.close();
        assertThatThrownBy(() -> c.setClientInfo("ApplicationName", "x"))
                .isInstanceOfSatisfying(java.sql.SQLClientInfoException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("08003"));
        assertThatThrownBy(c::getClientInfo).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08003"));
    }

    private static List<String> warnings(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (SQLWarning w = c.getWarnings(); w != null; w = w.getNextWarning()) {
            out.add(w.getMessage());
        }
        return out;
    }
}
