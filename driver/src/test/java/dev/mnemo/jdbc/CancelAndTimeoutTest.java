package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.Mnemo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Statement.setQueryTimeout} and {@code Statement.cancel()} stop a running statement (a scan, a join, a sort,
 * a window, DML, a lock wait) with SQLState 57014, leaving nothing of it behind and its connection usable; an
 * aborted connection stops its statements and closes. Each statement here would run for hours if it were not
 * stopped: the bound on how long a test waits only keeps a broken build from hanging.
 */
class CancelAndTimeoutTest {
    private static final String URL = "jdbc:mnemo:mem:cancel;close-on-last=true";
    /** A join of eight copies of a 100-row table: 10^16 rows. */
    private static final String ENDLESS = "select count(*) from t a, t b, t c, t d, t e, t f, t g, t h";
    private Connection c;
    private ExecutorService other;

    @BeforeEach
    void createTable() throws SQLException {
        c = DriverManager.getConnection(URL);
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key, v int)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                values.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(i % 10).append(")");
            }
            s.executeUpdate("insert into t values " + values);
            s.execute("create table big (id bigint primary key, v int)");
        }
        other = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() throws SQLException {
        other.shutdownNow();
        c.close();
    }

    private static Mnemo engine(Connection c) throws SQLException {
        return org.apache.calcite.jdbc.MnemoMeta.sessionOf(c.unwrap(org.apache.calcite.avatica.AvaticaConnection.class))
                .database();
    }

    @ParameterizedTest
    @ValueSource(strings = {ENDLESS,
            "select a.id from t a, t b, t c, t d, t e order by a.v + b.v * c.v - d.v + e.v limit 5",
            "select count(*) from t a, t b, t c, t d, t e where a.v + b.v = c.v + d.v + e.v",
            "select sum(a.v) over (order by a.v, b.v rows between unbounded preceding and current row) from t a, t b, "
                    + "t c, t d, t e",
            "select a.v, count(distinct b.id * c.id + d.id) from t a, t b, t c, t d, t e group by a.v"})
    void aQueryPastItsTimeout_failsWithSqlTimeoutException57014_andTheStatementRunsAgain(String sql)
            throws Exception {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            assertThat(s.getQueryTimeout()).isEqualTo(1);
            Future<?> run = other.submit(() -> {
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
                return null;
            });
            assertStopped(run, SQLTimeoutException.class, "query timeout of 1 s");
            assertThat(rows(s.executeQuery("select count(*) from t"))).containsExactly("100");
        }
    }

    @Test
    void aPreparedStatementPastItsTimeout_isStoppedToo_andItsParametersStaySet() throws Exception {
        try (PreparedStatement p = c.prepareStatement(ENDLESS + " where a.v <> ?")) {
            p.setInt(1, -1);
            p.setQueryTimeout(1);
            assertStopped(other.submit(() -> rows(p.executeQuery())), SQLTimeoutException.class, "query timeout");
            p.setQueryTimeout(0);
            try (PreparedStatement q = c.prepareStatement("select count(*) from t where v <> ?")) {
                q.setInt(1, 3);
                assertThat(rows(q.executeQuery())).containsExactly("90");
            }
        }
    }

    @Test
    void cancelFromAnotherThread_stopsARunningQuery_andTheStatementRunsAgain() throws Exception {
        try (Statement s = c.createStatement()) {
            Future<?> run = other.submit(() -> rows(s.executeQuery(ENDLESS)));
            cancelUntilDone(s, run);
            assertStopped(run, SQLException.class, "statement canceled");
            assertThat(rows(s.executeQuery("select count(*) from t"))).containsExactly("100");
        }
    }

    /**
     * A join of 45 tables takes seconds to plan (join ordering, mostly): cancel and the query timeout stop the
     * planning itself, not the execution after it (the message says where it stopped), and the statement is not
     * planned a second time by a fallback path.
     */
    @Test
    void aJoinOfManyTablesStillPlanning_isStoppedByCancelAndByItsTimeout() throws Exception {
        StringBuilder from = new StringBuilder("t j0");
        StringBuilder where = new StringBuilder("1 = 1");
        try (Statement s = c.createStatement()) {
            for (int i = 1; i < 45; i++) {
                s.execute("create table j" + i + " (id int primary key, a int, b int)");
                s.executeUpdate("insert into j" + i + " values (1, 1, 1), (2, 2, 1)");
                from.append(", j").append(i);
                where.append(" and ").append(i == 1 ? "j0.v" : "j" + (i - 1) + ".a").append(" = j").append(i)
                        .append(".b");
            }
        }
        String join = "select count(*) from " + from + " where " + where;
        try (Statement s = c.createStatement()) {
            Future<?> run = other.submit(() -> rows(s.executeQuery(join)));
            cancelUntilDone(s, run);
            assertStopped(run, SQLException.class, "statement canceled");
            assertThatThrownBy(() -> run.get()).cause().hasMessageContaining("(while planning)");
            s.setQueryTimeout(1);
            Future<?> timed = other.submit(() -> rows(s.executeQuery(join.replace("1 = 1", "2 = 2"))));
            assertStopped(timed, SQLTimeoutException.class, "query timeout of 1 s");
            assertThatThrownBy(() -> timed.get()).cause().hasMessageContaining("(while planning)");
            s.setQueryTimeout(0);
            assertThat(rows(s.executeQuery("select count(*) from j44"))).containsExactly("2");
        }
    }

    @Test
    void aCanceledInsertSelect_writesNothing_andReleasesItsLocks() throws Exception {
        try (Statement s = c.createStatement()) {
            Future<?> run = other.submit(() -> s.executeUpdate("insert into big select a.id * 1000000 + b.id * 10000 "
                    + "+ c.id * 100 + d.id, a.v from t a, t b, t c, t d"));
            cancelUntilDone(s, run);
            assertStopped(run, SQLException.class, "statement canceled");
            assertThat(rows(s.executeQuery("select count(*) from big"))).containsExactly("0");
            assertThat(engine(c).systemInfo().heldLocks()).isEmpty();
        }
    }

    @Test
    void inAnExplicitTransaction_aStatementStoppedByItsTimeout_undoesOnlyItsOwnWrites() throws Exception {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into big values (1, 1)");
            s.setQueryTimeout(1);
            assertStopped(other.submit(() -> s.executeUpdate("update big set v = v + 1 where id in (select a.id "
                    + "from t a, t b, t c, t d, t e where a.v + b.v + c.v + d.v + e.v < 0) or id = 1")),
                    SQLTimeoutException.class, "query timeout");
            s.setQueryTimeout(0);
            assertThat(rows(s.executeQuery("select v from big"))).containsExactly("1");
            c.commit();
        }
        try (Connection d = DriverManager.getConnection(URL); Statement s = d.createStatement()) {
            assertThat(rows(s.executeQuery("select id, v from big"))).containsExactly("1|1");
        }
    }

    @Test
    void aStatementWaitingForALock_isCanceled_andItsTransactionGoesOn() throws Exception {
        try (Connection holder = DriverManager.getConnection(URL); Statement h = holder.createStatement();
             Statement s = c.createStatement()) {
            holder.setAutoCommit(false);
            h.executeUpdate("update t set v = -1 where id = 1");
            c.setAutoCommit(false);
            s.executeUpdate("insert into big values (7, 7)");
            Future<?> waiting = other.submit(() -> s.executeUpdate("update t set v = -2 where id = 1"));
            cancelUntilDone(s, waiting);
            assertStopped(waiting, SQLException.class, "statement canceled");
            assertThat(rows(s.executeQuery("select count(*) from big"))).containsExactly("1");
            holder.commit();
            c.commit();
            c.setAutoCommit(true);
            assertThat(rows(s.executeQuery("select id from big"))).containsExactly("7");
            assertThat(rows(s.executeQuery("select v from t where id = 1"))).containsExactly("-1");
            assertThat(engine(c).systemInfo().heldLocks()).isEmpty();
        }
    }

    @Test
    void abort_stopsTheRunningStatement_closesTheConnection_andRollsBackItsTransaction() throws Exception {
        Connection doomed = DriverManager.getConnection(URL);
        doomed.setAutoCommit(false);
        Statement s = doomed.createStatement();
        s.executeUpdate("insert into big values (5, 5)");
        Future<?> run = other.submit(() -> rows(s.executeQuery(ENDLESS)));
        assertThatThrownBy(() -> doomed.abort(null))
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY009"));
        Thread.sleep(100);
        doomed.abort(other);
        assertThat(doomed.isClosed()).isTrue();
        assertThatThrownBy(doomed::createStatement).isInstanceOfSatisfying(
                java.sql.SQLNonTransientConnectionException.class, e -> assertThat(e.getSQLState()).isEqualTo("08003"));
        assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SQLException.class);
        doomed.abort(other); // a second abort does nothing
        try (Statement check = c.createStatement()) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!engine(c).systemInfo().heldLocks().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(engine(c).systemInfo().heldLocks()).as("the aborted transaction's locks").isEmpty();
            assertThat(rows(check.executeQuery("select count(*) from big"))).containsExactly("0");
        }
    }

    @Test
    void aNegativeNetworkTimeout_isHY024_andAPositiveOneIsKept() throws Exception {
        assertThatThrownBy(() -> c.setNetworkTimeout(other, -1))
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HY024"));
        c.setNetworkTimeout(other, 5_000);
        assertThat(c.getNetworkTimeout()).isEqualTo(5_000);
        try (Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.setQueryTimeout(-1)).isInstanceOf(SQLException.class);
        }
    }

    /** Cancels {@code s} until {@code run} ends: a cancel that comes before the execution begins does not stop it. */
    private static void cancelUntilDone(Statement s, Future<?> run) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!run.isDone() && System.nanoTime() < until) {
            Thread.sleep(50);
            s.cancel();
        }
    }

    private static void assertStopped(Future<?> run, Class<? extends SQLException> type, String message) {
        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .cause().isInstanceOf(type).hasMessageContaining(message)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
    }
}
