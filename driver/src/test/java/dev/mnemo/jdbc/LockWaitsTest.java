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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions of several connections meet held locks by waiting: only a real deadlock rolls one back (the
 * youngest, SQLState 40001), and money moved between accounts by eight pooled connections is never lost or seen
 * half moved.
 */
class LockWaitsTest {
    private static final String URL = "jdbc:mnemo:mem:lockwaits;close-on-last=true";
    private static final int ACCOUNTS = 100;
    private static final long START = 1_000;
    private Connection setup;

    @BeforeEach
    void createAccounts() throws SQLException {
        setup = DriverManager.getConnection(URL);
        try (Statement s = setup.createStatement()) {
            s.execute("create table accounts (id int primary key, balance bigint)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < ACCOUNTS; i++) {
                values.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(START).append(")");
            }
            s.executeUpdate("insert into accounts values " + values);
        }
    }

    @AfterEach
    void close() throws SQLException {
        setup.close();
    }

    @Test
    void twoConnectionsLockingInOppositeOrders_oneIsRolledBackWith40001_theOtherCommits() throws Exception {
        try (Connection a = DriverManager.getConnection(URL); Connection b = DriverManager.getConnection(URL)) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            Statement sa = a.createStatement();
            Statement sb = b.createStatement();
            sa.executeUpdate("update accounts set balance = balance - 1 where id = 1"); // a is the older
            sb.executeUpdate("update accounts set balance = balance - 2 where id = 2");
            CompletableFuture<Integer> aWaits = CompletableFuture.supplyAsync(() -> {
                try {
                    return sa.executeUpdate("update accounts set balance = balance + 1 where id = 2");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(150);
            assertThat(aWaits).as("a waits for b's lock on account 2").isNotDone();
            assertThatThrownBy(() -> sb.executeUpdate("update accounts set balance = balance + 2 where id = 1"))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            b.rollback();
            assertThat(aWaits.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            a.commit();
            try (Statement s = setup.createStatement()) {
                assertThat(rows(s.executeQuery("select id, balance from accounts where id in (1, 2) order by id")))
                        .containsExactly("1|" + (START - 1), "2|" + (START + 1));
            }
        }
    }

    @Test
    void aYoungerTransactionMeetingAnOlderOnesLock_waitsAndCommits_withoutAnError() throws Exception {
        try (Connection a = DriverManager.getConnection(URL); Connection b = DriverManager.getConnection(URL)) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            Statement sa = a.createStatement();
            Statement sb = b.createStatement();
            sa.executeUpdate("update accounts set balance = balance - 5 where id = 3"); // a is the older
            sb.executeUpdate("update accounts set balance = balance - 7 where id = 4");
            // b, the younger, needs a's row: it waits (wait-die rolled it back with 40001 here)
            CompletableFuture<Integer> bWaits = CompletableFuture.supplyAsync(() -> {
                try {
                    return sb.executeUpdate("update accounts set balance = balance + 7 where id = 3");
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getSQLState() + " " + e.getMessage(), e);
                }
            });
            Thread.sleep(150);
            assertThat(bWaits).as("b waits for a's lock on account 3").isNotDone();
            a.commit();
            assertThat(bWaits.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            b.commit();
            try (Statement s = setup.createStatement()) {
                assertThat(rows(s.executeQuery("select id, balance from accounts where id in (3, 4) order by id")))
                        .containsExactly("3|" + (START + 2), "4|" + (START - 7));
            }
        }
    }

    @Test
    void eightConnectionsMovingMoney_andTwoSumming_neverLoseOrHalfSeeATransfer() throws Exception {
        int writers = 8;
        MoneyMovers movers = new MoneyMovers();
        AtomicBoolean stop = movers.stop;
        AtomicLong sums = new AtomicLong();
        List<String> wrongSums = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            fs.add(pool.submit(movers.writer(URL, "accounts", "accounts", ACCOUNTS, w)));
        }
        for (int s = 0; s < 2; s++) {
            fs.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    while (!stop.get()) {
                        try (ResultSet rs = st.executeQuery("select sum(balance) from accounts")) {
                            rs.next();
                            long sum = rs.getLong(1);
                            if (sum != ACCOUNTS * START) {
                                wrongSums.add(String.valueOf(sum));
                            }
                            c.commit();
                            sums.incrementAndGet();
                        } catch (SQLException e) {
                            java.io.StringWriter trace = new java.io.StringWriter();
                            e.printStackTrace(new java.io.PrintWriter(trace));
                            assertThat(e.getSQLState()).as(trace.toString()).isEqualTo("40001");
                            c.rollback();
                        }
                    }
                }
                return null;
            }));
        }
        movers.runFor(3_000, fs);
        pool.shutdown();
        assertThat(wrongSums).isEmpty();
        assertThat(movers.commits.get()).isPositive();
        assertThat(sums.get()).as("the summing readers are not starved").isPositive();
        try (Statement s = setup.createStatement()) {
            assertThat(rows(s.executeQuery("select sum(balance), count(*) from accounts")))
                    .containsExactly(ACCOUNTS * START + "|" + ACCOUNTS);
        }
        System.out.println(movers.summary(sums.get()));
    }

    /** Inserts {@code rows} rows from key {@code from} on {@code c} in one JDBC batch. */
    private static void insertBatch(Connection c, int from, int rows) throws SQLException {
        try (java.sql.PreparedStatement p = c.prepareStatement("insert into accounts values (?, ?)")) {
            for (int i = from; i < from + rows; i++) {
                p.setInt(1, i);
                p.setLong(2, 0);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    @Test
    void aBatchOfAThousandInserts_locksTheTable_aSmallerOneOnlyItsKeys() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Connection a = DriverManager.getConnection(URL); Connection b = DriverManager.getConnection(URL)) {
            a.setAutoCommit(false);
            insertBatch(a, 1_000, 999);
            // below the escalation threshold: another connection inserts another key at once
            insertBatch(b, 5_000, 1);
            a.commit();
            insertBatch(a, 10_000, 1_000);
            Future<?> blocked = other.submit(() -> {
                insertBatch(b, 20_000, 1);
                return null;
            });
            Thread.sleep(300);
            assertThat(blocked.isDone()).as("an insert of another key waits for the table lock").isFalse();
            a.commit();
            blocked.get(30, TimeUnit.SECONDS);
            try (Statement s = b.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from accounts")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(ACCOUNTS + 999 + 1 + 1_000 + 1);
            }
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aWaitLongerThanTheUrlsLockTimeout_isRolledBackWith40001_andTheHolderCommits() throws Exception {
        String url = "jdbc:mnemo:mem:locktimeout;close-on-last=true;lock-timeout=300";
        try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url)) {
            try (Statement s = a.createStatement()) {
                s.execute("create table t (id int primary key, v int)");
                s.executeUpdate("insert into t values (1, 0)");
            }
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().executeUpdate("update t set v = 1 where id = 1");
            assertThatThrownBy(() -> b.createStatement().executeUpdate("update t set v = 2 where id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"))
                    .hasMessageContaining("300");
            b.rollback();
            a.commit();
            assertThat(rows(b.createStatement().executeQuery("select v from t"))).containsExactly("1");
        }
    }
}
