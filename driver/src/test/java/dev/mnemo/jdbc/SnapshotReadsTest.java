package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autocommit SELECTs and read-only transactions read a snapshot: they answer at once from committed data while
 * writers hold locks, see each transfer whole (also across the tables of one statement), and never make a writer
 * wait or fail; the writes of autocommit UPDATEs still read under locks, so none is lost.
 */
class SnapshotReadsTest {
    private static final int ACCOUNTS = 50;
    private static final long START = 1_000;

    @TempDir
    java.nio.file.Path dir;
    private String url;
    private Connection setup;

    @BeforeEach
    void createBank() throws SQLException {
        url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        setup = DriverManager.getConnection(url);
        try (Statement s = setup.createStatement()) {
            for (String table : List.of("checking", "savings")) {
                s.execute("create table " + table + " (id int primary key, balance bigint, owner varchar(20))");
                StringBuilder values = new StringBuilder();
                for (int i = 0; i < ACCOUNTS; i++) {
                    values.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(START)
                            .append(", 'o").append(i % 5).append("')");
                }
                s.executeUpdate("insert into " + table + " values " + values);
            }
        }
    }

    @AfterEach
    void close() throws SQLException {
        setup.close();
    }

    private static <T> T within10s(Callable<T> read) throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            return one.submit(read).get(10, TimeUnit.SECONDS);
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void autocommitSelects_answerAtOnceWithCommittedData_whileAnotherConnectionHoldsWriteLocks() throws Exception {
        try (Connection writer = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url);
             Statement w = writer.createStatement(); Statement r = reader.createStatement()) {
            writer.setAutoCommit(false);
            w.executeUpdate("insert into checking values (5000, 7, 'new')");
            w.executeUpdate("update checking set balance = 1 where id = 1");
            w.executeUpdate("delete from checking where id = 2");
            List<String> seen = within10s(() -> List.of(
                    String.join(",", rows(r.executeQuery("select count(*) from checking where id = 5000"))),
                    String.join(",", rows(r.executeQuery("select balance from checking where id = 1"))),
                    String.join(",", rows(r.executeQuery("select count(*), sum(balance) from checking"))),
                    String.join(",", rows(r.executeQuery("select count(*) from checking where owner = 'o2'")))));
            assertThat(seen).containsExactly("0", String.valueOf(START), ACCOUNTS + "|" + ACCOUNTS * START,
                    String.valueOf(ACCOUNTS / 5));
            writer.commit();
            assertThat(rows(r.executeQuery("select count(*), sum(balance) from checking")))
                    .containsExactly(ACCOUNTS + "|" + (ACCOUNTS * START - START + 1 - START + 7));
        }
    }

    @Test
    @Timeout(60) // the writer's UPDATE of every row must not wait for the open read-only transaction
    void aReadOnlyTransaction_readsOneSnapshotUntilItEnds_andRefusesWrites() throws Exception {
        try (Connection ro = DriverManager.getConnection(url); Statement r = ro.createStatement();
             Statement other = setup.createStatement()) {
            ro.setReadOnly(true);
            ro.setAutoCommit(false);
            String before = "select sum(c.balance), count(*) from checking c join savings s on c.id = s.id";
            assertThat(rows(r.executeQuery(before))).containsExactly(ACCOUNTS * START + "|" + ACCOUNTS);
            other.executeUpdate("update checking set balance = balance + 100");
            other.executeUpdate("delete from savings where id < 10");
            assertThat(rows(r.executeQuery(before))).as("the same snapshot").containsExactly(
                    ACCOUNTS * START + "|" + ACCOUNTS);
            assertThat(rows(r.executeQuery("select balance from checking where id = 3")))
                    .containsExactly(String.valueOf(START));
            assertThatThrownBy(() -> r.executeUpdate("update checking set balance = 0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            ro.commit();
            assertThat(rows(r.executeQuery(before))).containsExactly(
                    (ACCOUNTS - 10) * (START + 100) + "|" + (ACCOUNTS - 10));
        }
    }

    @Test
    void eightWritersMovingMoneyBetweenTables_summingReadersSeeEveryTransferWhole_andNeverFail() throws Exception {
        int writers = 8;
        MoneyMovers movers = new MoneyMovers();
        AtomicBoolean stop = movers.stop;
        AtomicLong sums = new AtomicLong();
        List<String> wrong = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            fs.add(pool.submit(movers.writer(url, "checking", "savings", ACCOUNTS, w)));
        }
        // one reader in autocommit (a statement's two scans share a snapshot), one in a read-only transaction
        for (boolean readOnly : new boolean[] {false, true}) {
            fs.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                    if (readOnly) {
                        c.setReadOnly(true);
                        c.setAutoCommit(false);
                    }
                    while (!stop.get()) {
                        try (ResultSet rs = st.executeQuery("select (select sum(balance) from checking) + "
                                + "(select sum(balance) from savings)")) {
                            rs.next();
                            long sum = rs.getLong(1);
                            if (sum != 2 * ACCOUNTS * START) {
                                wrong.add(sum + (readOnly ? " read-only" : " autocommit"));
                            }
                        }
                        if (readOnly) {
                            c.commit();
                        }
                        sums.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        movers.runFor(3_000, fs);
        pool.shutdown();
        assertThat(wrong).isEmpty();
        assertThat(movers.commits.get()).isPositive();
        assertThat(sums.get()).as("the summing readers are not starved").isPositive();
        try (Statement s = setup.createStatement()) {
            assertThat(rows(s.executeQuery("select (select sum(balance) from checking) + "
                    + "(select sum(balance) from savings)"))).containsExactly(String.valueOf(2 * ACCOUNTS * START));
        }
        System.out.println(movers.summary(sums.get()));
    }

    private static int openSnapshots(Connection c) throws SQLException {
        return org.apache.calcite.jdbc.MnemoMeta.sessionOf(c.unwrap(org.apache.calcite.avatica.AvaticaConnection.class))
                .database().systemInfo().openSnapshots();
    }

    @Test
    void aQueryReadInPart_keepsItsSnapshotOnlyUntilItsResultSetOrStatementIsClosed() throws Exception {
        String many = "select c.id, s.id from checking c, savings s"; // 2,500 rows: more than a first frame
        try (Statement st = setup.createStatement()) {
            ResultSet rs = st.executeQuery(many);
            assertThat(rs.next()).isTrue();
            assertThat(openSnapshots(setup)).as("while its rows are being read").isEqualTo(1);
            rs.close();
            assertThat(openSnapshots(setup)).as("after the result set is closed").isZero();
            ResultSet again = st.executeQuery(many);
            assertThat(again.next()).isTrue();
        }
        assertThat(openSnapshots(setup)).as("after the statement is closed").isZero();
        try (Statement st = setup.createStatement(); ResultSet rs = st.executeQuery("select count(*) from checking")) {
            rs.next();
            assertThat(rs.next()).isFalse();
            assertThat(openSnapshots(setup)).as("after the last row was read").isZero();
        }
    }

    @Test
    void aQueryReadInPart_keepsItsOwnSnapshot_whileTheConnectionRunsOtherStatements() throws Exception {
        // the second branch of the UNION ALL is read only after the 2,500 rows of the first
        String query = "select c.id * 0 from checking c, savings s union all select sum(balance) from savings";
        try (Statement st = setup.createStatement(); Statement other = setup.createStatement();
             Connection writer = DriverManager.getConnection(url); Statement w = writer.createStatement()) {
            ResultSet rs = st.executeQuery(query);
            assertThat(rs.next()).isTrue();
            w.executeUpdate("update savings set balance = balance + 1");
            assertThat(rows(other.executeQuery("select sum(balance) from savings")))
                    .containsExactly(String.valueOf(ACCOUNTS * START + ACCOUNTS));
            other.executeUpdate("update checking set balance = balance + 0 where id = 1");
            long last = -1;
            int n = 1;
            while (rs.next()) {
                last = rs.getLong(1);
                n++;
            }
            assertThat(n).isEqualTo(ACCOUNTS * ACCOUNTS + 1);
            assertThat(last).as("the sum as of the query's own snapshot").isEqualTo(ACCOUNTS * START);
            rs.close();
        }
        assertThat(openSnapshots(setup)).isZero();
    }

    @Test
    void autocommitUpdates_fromFourConnections_readUnderLocks_andLoseNoIncrement() throws Exception {
        int threads = 4;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                    for (int i = 0; i < each; i++) {
                        // by key, and by a non-key column (a scan inside the UPDATE's transaction)
                        st.executeUpdate("update checking set balance = balance + 1 where id = 7");
                        st.executeUpdate("update savings set balance = balance + 1 where owner = 'o3'");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        try (Statement s = setup.createStatement()) {
            assertThat(rows(s.executeQuery("select balance from checking where id = 7")))
                    .containsExactly(String.valueOf(START + threads * each));
            assertThat(rows(s.executeQuery("select min(balance), max(balance) from savings where owner = 'o3'")))
                    .containsExactly((START + threads * each) + "|" + (START + threads * each));
        }
    }
}
