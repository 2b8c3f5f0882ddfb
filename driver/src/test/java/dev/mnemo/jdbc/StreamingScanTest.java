package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query's scan of a whole table or a key range streams: it reads its rows a chunk at a time in the query's
 * snapshot (autocommit) or a view of the table (explicit transaction), so the rows come in key order and whole
 * whatever commits in between, and a table larger than the heap is scanned in bounded memory (proved in a child JVM
 * with a heap smaller than the table).
 */
class StreamingScanTest {
    /** More than two chunks of {@code ScanSpec.CHUNK_ROWS} (4,096). */
    private static final int ROWS = 10_000;

    @TempDir
    Path dir;

    private static void load(Connection c, String storage, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id bigint primary key, k bigint, s varchar(500)) with (type = ordered_set, "
                    + "storage = " + storage + ")");
        }
        try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setLong(1, i);
                p.setLong(2, i % 7);
                p.setString(3, "row " + i);
                p.addBatch();
                if (i % 1000 == 999) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void aScanLongerThanAChunk_readsItsSnapshotWhole_whileAnotherConnectionChangesLaterRows(String storage)
            throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        try (Connection reader = DriverManager.getConnection(url); Connection writer = DriverManager.getConnection(url);
             Statement r = reader.createStatement(); Statement w = writer.createStatement()) {
            load(reader, storage, ROWS);
            try (ResultSet rs = r.executeQuery("select id, k, s from t")) {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    assertThat(rs.next()).isTrue();
                    ids.add(rs.getLong(1));
                }
                // commits after the query began, in the chunks not read yet: none of them may show
                w.executeUpdate("delete from t where id = " + (ROWS - 1));
                w.executeUpdate("update t set s = 'changed' where id >= 5000 and id < 5100");
                w.executeUpdate("insert into t values (" + ROWS + ", 0, 'late'), (-1, 0, 'early')");
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    assertThat(rs.getString(3)).as("row %d", rs.getLong(1)).isEqualTo("row " + rs.getLong(1));
                    assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1) % 7);
                }
                List<Long> expected = new ArrayList<>();
                for (long i = 0; i < ROWS; i++) {
                    expected.add(i);
                }
                assertThat(ids).isEqualTo(expected);
            }
            // a new query sees the commits
            try (ResultSet rs = r.executeQuery("select count(*), min(id), max(id), "
                    + "sum(case when s = 'changed' then 1 else 0 end) from t")) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                        .containsExactly((long) ROWS + 1, -1L, (long) ROWS, 100L);
            }
        }
    }

    @Test
    void aTableTruncatedWhileAScanReadsIt_failsTheScanWith40001_ratherThanEndingItEarly() throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        try (Connection reader = DriverManager.getConnection(url); Connection writer = DriverManager.getConnection(url);
             Statement r = reader.createStatement(); Statement w = writer.createStatement()) {
            load(reader, "disc_only_copies", ROWS);
            try (ResultSet rs = r.executeQuery("select id from t")) {
                assertThat(rs.next()).isTrue();
                w.execute("truncate table t");
                Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                });
                assertThat((Object) e).as("reading on after the truncate")
                        .isInstanceOf(java.sql.SQLTransactionRollbackException.class);
                assertThat(((SQLException) e).getSQLState()).isEqualTo("40001");
                assertThat(e.getMessage()).contains("cleared");
            }
        }
    }

    /**
     * A truncate between chunks fails the next chunk's read with 40001, so the rows that still come after it are
     * those of the chunk already read: as many as the fetch size.
     */
    @ParameterizedTest
    @ValueSource(strings = {"statement", "prepared", "default"})
    void aStatementsFetchSize_isTheNumberOfRowsReadPerChunk(String kind) throws Exception {
        boolean prepared = kind.equals("prepared");
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        try (Connection reader = DriverManager.getConnection(url); Connection writer = DriverManager.getConnection(url);
             Statement w = writer.createStatement()) {
            load(reader, "disc_only_copies", ROWS);
            Statement r = prepared ? reader.prepareStatement("select id from t") : reader.createStatement();
            if (!kind.equals("default")) {
                r.setFetchSize(25);
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.setFetchSize(-1))
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY024"));
            try (r; ResultSet rs = prepared ? ((PreparedStatement) r).executeQuery()
                    : r.executeQuery("select id from t")) {
                assertThat(rs.next()).isTrue();
                w.execute("truncate table t");
                int more = 0;
                Throwable e = null;
                try {
                    while (rs.next()) {
                        more++;
                    }
                } catch (SQLException failure) {
                    e = failure;
                }
                // the chunk's rows less the first and the last: the result set looks one row ahead, so handing out
                // the last needs the next chunk. Without a fetch size set (Avatica's default of 100 is not one) a
                // chunk is 4,096 rows.
                assertThat(more).as("rows after the first, from the chunk read before the truncate")
                        .isEqualTo(kind.equals("default") ? 4_094 : 23);
                assertThat((Object) e).isNotNull();
            }
        }
    }

    /**
     * With autocommit off a result set outlives the commits made while it is read (the driver reports
     * HOLD_CURSORS_OVER_COMMIT) and does not see the rows its own transaction writes meanwhile.
     */
    @Test
    void aResultSetReadWhileItsConnectionWritesAndCommits_readsEveryRowOnce() throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        try (Connection c = DriverManager.getConnection(url)) {
            load(c, "disc_only_copies", ROWS);
            c.setAutoCommit(false);
            long n = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from t");
                 PreparedStatement p = c.prepareStatement("insert into t values (?, 0, 'added')")) {
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(n);
                    p.setLong(1, ROWS + rs.getLong(1));
                    p.executeUpdate();
                    if (++n % 1_000 == 0) {
                        c.commit();
                    }
                }
            }
            c.commit();
            assertThat(n).isEqualTo(ROWS);
        }
    }

    /**
     * In an explicit transaction a scan streams from a view of its table: a read-write transaction holds a read lock
     * on the table while it is open (another's write is refused, 40001), a read-only one reads its snapshot. After
     * commit the result set goes on reading the table as it was, however others change it.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"read-write, disc_only_copies", "read-write, ram_copies",
            "read-only, disc_copies", "read-only, disc_only_copies"})
    void aScanInAnExplicitTransaction_streamsFromAViewOfItsTable_thatOutlivesTheCommit(String mode, String storage)
            throws Exception {
        boolean readOnly = mode.equals("read-only");
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true;lock-timeout=300";
        try (Connection reader = DriverManager.getConnection(url); Connection writer = DriverManager.getConnection(url);
             Statement w = writer.createStatement()) {
            load(reader, storage, ROWS);
            reader.setAutoCommit(false);
            reader.setReadOnly(readOnly);
            try (Statement r = reader.createStatement(); ResultSet rs = r.executeQuery("select id, s from t")) {
                for (int i = 0; i < 10; i++) {
                    assertThat(rs.next()).isTrue();
                }
                // a read-only transaction reads its own snapshot, and the scan another on its version
                assertThat(openSnapshots(reader)).isEqualTo(readOnly ? 2 : 1);
                if (readOnly) {
                    assertThat(w.executeUpdate("delete from t where id >= 5000")).isEqualTo(ROWS - 5_000);
                } else {
                    writer.setAutoCommit(false);
                    org.assertj.core.api.Assertions.assertThatThrownBy(
                                    () -> w.executeUpdate("delete from t where id >= 5000"))
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
                    writer.rollback();
                    writer.setAutoCommit(true);
                }
                reader.commit();
                w.executeUpdate("update t set s = 'changed' where id >= 20");
                w.executeUpdate("delete from t where id >= 3000");
                long n = 10;
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(n);
                    assertThat(rs.getString(2)).isEqualTo("row " + n);
                    n++;
                }
                assertThat(n).isEqualTo(ROWS);
            }
            assertThat(openSnapshots(reader)).isZero();
        }
    }

    /**
     * A table whose scan begins only after the query's transaction has ended (the second branch of a UNION ALL,
     * read after commit) is read from a snapshot of what is committed: no transaction is begun for it, so no lock
     * is left behind and the connection is not left inside a transaction.
     */
    @Test
    void aScanThatBeginsAfterItsTransactionEnded_readsASnapshot_andLeavesNoTransactionBehind() throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true;lock-timeout=300";
        try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url);
             Statement o = other.createStatement()) {
            load(c, "disc_copies", ROWS);
            try (Statement s = c.createStatement()) {
                s.execute("create table u (id bigint primary key, v int)");
                s.executeUpdate("insert into u values (1, 1), (2, 2)");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10);
                try (ResultSet rs = s.executeQuery("select id from t union all select id from u")) {
                    for (int i = 0; i < 5; i++) {
                        assertThat(rs.next()).isTrue();
                    }
                    c.commit();
                    c.setAutoCommit(true);
                    assertThat(o.executeUpdate("update u set v = 3 where id = 1")).isEqualTo(1);
                    long n = 5;
                    while (rs.next()) {
                        n++;
                    }
                    assertThat(n).isEqualTo(ROWS + 2);
                    assertThat(o.executeUpdate("update u set v = 4 where id = 2")).as("no lock left on u")
                            .isEqualTo(1);
                }
            }
            c.setReadOnly(true); // 25001 inside a transaction
            c.setReadOnly(false);
            assertThat(org.apache.calcite.jdbc.MnemoMeta.sessionOf(c.unwrap(
                    org.apache.calcite.avatica.AvaticaConnection.class)).inTransaction()).isFalse();
            assertThat(openSnapshots(c)).isZero();
        }
    }

    /** Rows the transaction has written to a table are in its queries' results: such a table is read directly. */
    @Test
    void aScanOfATableItsTransactionHasWritten_seesTheWrites() throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            load(c, "disc_copies", ROWS);
            s.execute("create table u (id bigint primary key, v varchar(20))");
            s.executeUpdate("insert into u values (1, 'one')");
            c.setAutoCommit(false);
            s.executeUpdate("update t set s = 'mine' where id = 9000");
            s.executeUpdate("delete from t where id < 5");
            s.executeUpdate("insert into t values (" + ROWS + ", 0, 'new')");
            try (ResultSet rs = s.executeQuery("select t.id, t.s, u.v from t, u where u.id = 1")) {
                long n = 5;
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(n);
                    assertThat(rs.getString(2)).isEqualTo(n == 9000 ? "mine" : n == ROWS ? "new" : "row " + n);
                    assertThat(rs.getString(3)).isEqualTo("one");
                    n++;
                }
                assertThat(n).isEqualTo(ROWS + 1);
            }
            c.rollback();
            try (ResultSet rs = s.executeQuery("select count(*), min(id) from t")) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getLong(1), rs.getLong(2))).containsExactly((long) ROWS, 0L);
            }
            c.commit();
            assertThat(openSnapshots(c)).isZero();
        }
    }

    @Test
    void aKeyRangeLongerThanAChunk_streamsInKeyOrder_andAClosedResultSetLeavesNoSnapshotOpen() throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        try (Connection c = DriverManager.getConnection(url)) {
            load(c, "disc_only_copies", ROWS);
            try (Statement s = c.createStatement();
                 ResultSet plan = s.executeQuery("explain plan for select id from t where id >= 100 and id < 9100 "
                         + "and k = 3")) {
                assertThat(plan.next()).isTrue();
                assertThat(plan.getString(1)).contains("range_walk([100, 9100))");
            }
            try (PreparedStatement p = c.prepareStatement("select id from t where id >= ? and id < ? and k = 3")) {
                p.setLong(1, 100);
                p.setLong(2, 9_100);
                try (ResultSet rs = p.executeQuery()) {
                    long expected = 101; // the first id >= 100 with id % 7 = 3
                    while (rs.next()) {
                        assertThat(rs.getLong(1)).isEqualTo(expected);
                        expected += 7;
                    }
                    assertThat(expected).isEqualTo(firstAtOrAbove(9_100));
                }
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(openSnapshots(c)).isEqualTo(1);
                }
                assertThat(openSnapshots(c)).isZero();
            }
        }
    }

    /** The first id at or above {@code n} with id % 7 = 3. */
    private static long firstAtOrAbove(long n) {
        long id = n - n % 7 + 3;
        return id >= n ? id : id + 7;
    }

    private static int openSnapshots(Connection c) throws SQLException {
        return org.apache.calcite.jdbc.MnemoMeta.sessionOf(c.unwrap(org.apache.calcite.avatica.AvaticaConnection.class))
                .database().systemInfo().openSnapshots();
    }

    /** Rows of about 500 bytes that the child loads: 50 MB of strings, more than its heap. */
    private static final int CHILD_ROWS = 100_000;

    @Test
    void aTableLargerThanTheHeap_isCountedGroupedAndReadWhole_inAChildJvmWithA48MbHeap() throws Exception {
        Path out = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx48m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), StreamingChild.class.getName(), dir.resolve("big").toString(),
                String.valueOf(CHILD_ROWS))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        String log = read(out);
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("count " + CHILD_ROWS + " bytes " + (long) CHILD_ROWS * StreamingChild.WIDTH)
                .contains("groups 7")
                .contains("read " + CHILD_ROWS + " rows in key order")
                .contains("read " + CHILD_ROWS + " rows in descending key order")
                .contains("read " + CHILD_ROWS + " rows in a read-write transaction")
                .contains("read " + CHILD_ROWS + " rows in a read-only transaction");
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
