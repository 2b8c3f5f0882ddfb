package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scenarios a review of the SQL/JDBC layer found wrong; each asserts the correct SQL behaviour. */
class SqlReviewRegressionTest {
    private static final AtomicInteger N = new AtomicInteger();
    private String url;
    private Connection c;
    private Statement s;

    @BeforeEach
    void setUp() throws SQLException {
        url = "jdbc:mnemo:mem:review" + N.incrementAndGet() + ";close-on-last=true;lock-timeout=1000";
        c = DriverManager.getConnection(url);
        s = c.createStatement();
        s.execute("create table t (id bigint primary key, v varchar)");
        s.executeUpdate("insert into t values (1, 'one'), (2, 'two'), (3, 'three')");
    }

    @AfterEach
    void tearDown() throws SQLException {
        s.close();
        c.close();
    }

    // 1. After a lost wait-die conflict (40001) in explicit mode, the session silently begins a NEW transaction:
    //    the statements before the conflict are gone, later ones commit, and commit() reports success.
    @Test
    void explicitTransaction_afterConflict_doesNotSilentlyContinueInAFreshTransaction() throws SQLException {
        try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url);
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.executeUpdate("update t set v = 'A' where id = 1");        // A: older, write-locks key 1
            sb.executeUpdate("insert into t values (10, 'b-before')");    // B: younger
            assertThatThrownBy(() -> sb.executeUpdate("update t set v = 'B' where id = 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            // the app carries on (e.g. logs and continues a batch) and commits: this must not half-commit
            boolean laterFailed = false;
            try {
                sb.executeUpdate("insert into t values (20, 'b-after')");
                b.commit();
            } catch (SQLException expected) {
                laterFailed = true;
                b.rollback();
            }
            a.commit();
            List<String> left = rows(s.executeQuery("select id from t where id in (10, 20) order by id"));
            // either the transaction is all there, or none of it is; and the app must be told
            assertThat(left).as("half of B's transaction committed").isEmpty(); // actual: ["20"]
            assertThat(laterFailed).as("statement/commit after a 40001 must fail until rollback").isTrue();
        }
    }

    // 2. In explicit mode a failing statement leaves its partial writes in the transaction: commit persists them.
    @Test
    void explicitTransaction_failedMultiRowInsert_leavesNoPartialRows() throws SQLException {
        c.setAutoCommit(false);
        assertThatThrownBy(() -> s.executeUpdate("insert into t values (5, 'five'), (1, 'dup')"))
                .isInstanceOf(SQLException.class);
        c.commit();
        assertThat(rows(s.executeQuery("select id from t where id = 5"))).isEmpty();
    }

    // 3. key = ? OR key = ? with equal values: two key lookups, duplicate rows, and wrong DML counts.
    @Test
    void keyOrOfParameters_withEqualValues_returnsRowOnce() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select v from t where id = ? or id = ?")) {
            p.setLong(1, 2);
            p.setLong(2, 2);
            assertThat(rows(p.executeQuery())).containsExactly("two");
        }
        try (PreparedStatement p = c.prepareStatement("delete from t where id = ? or id = ?")) {
            p.setLong(1, 2);
            p.setLong(2, 2);
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
    }

    // 4. Autocommit UPDATE reads its rows in one engine transaction and writes in another: lost updates.
    @Test
    void autocommitUpdate_isAtomicReadModifyWrite() throws Exception {
        s.execute("create table counter (id bigint primary key, n bigint)");
        s.executeUpdate("insert into counter values (1, 0)");
        int threads = 4;
        int perThread = 100;
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try (Connection x = DriverManager.getConnection(url); Statement sx = x.createStatement()) {
                    for (int i = 0; i < perThread; i++) {
                        sx.executeUpdate("update counter set n = n + 1 where id = 1");
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertThat(errors).isEmpty();
        assertThat(rows(s.executeQuery("select n from counter"))).containsExactly(String.valueOf(threads * perThread));
    }

    // 5. Pushdown strips CASTs around a ?-parameter: the key lookup uses the uncast value.
    @Test
    void keyEqualsCastParameter_appliesTheCast() throws SQLException {
        s.execute("create table ch (k varchar primary key, v varchar)");
        s.execute("create table d (k double primary key, v double)");
        s.executeUpdate("insert into ch values ('ab', 'ab')");
        s.executeUpdate("insert into d values (2.5e0, 2.5e0)");
        for (String col : new String[] {"v", "k"}) { // v: Calcite evaluates (right); k: pushed down
            try (PreparedStatement p = c.prepareStatement("select k from ch where " + col + " = cast(? as varchar(2))")) {
                p.setString(1, "abxyz");
                assertThat(rows(p.executeQuery())).as(col).containsExactly("ab");
            }
            try (PreparedStatement p = c.prepareStatement("select k from d where " + col + " = cast(? as bigint)")) {
                p.setDouble(1, 2.5);
                assertThat(rows(p.executeQuery())).as(col).isEmpty(); // CAST(2.5 AS BIGINT) = 2 <> 2.5
            }
        }
    }

    // 6. Range walk on a VARCHAR key compares by code point (engine) while SQL compares by UTF-16 unit:
    //    the range conjunct stays in the filter, but rows the engine excludes are lost.
    @Test
    void stringKeyRange_withSupplementaryCharacters_matchesSqlOrder() throws SQLException {
        s.execute("create table st (k varchar primary key, v varchar)");
        try (PreparedStatement p = c.prepareStatement("insert into st values (?, ?)")) {
            for (String x : new String[] {"a", "\uD83D\uDE00", "\uFFFF"}) {
                p.setString(1, x);
                p.setString(2, x);
                p.executeUpdate();
            }
        }
        List<String> byValue;
        try (PreparedStatement p = c.prepareStatement("select k from st where v < ? order by k")) {
            p.setString(1, "\uFFFD");
            byValue = rows(p.executeQuery());
        }
        try (PreparedStatement p = c.prepareStatement("select k from st where k < ? order by k")) {
            p.setString(1, "\uFFFD");
            assertThat(rows(p.executeQuery())).isEqualTo(byValue);
        }
    }

    // 7. MERGE ignores its ON condition and matches by the key of the INSERT values.
    @Test
    void merge_onNonKeyColumn_isRefusedNotMisapplied() throws SQLException {
        s.execute("create table m (id bigint primary key, name varchar, note varchar)");
        s.executeUpdate("insert into m values (1, 'x', 'old')");
        assertThatThrownBy(() -> s.executeUpdate("merge into m using (values (100, 'x', 'new')) as src(id, name, note) "
                + "on m.name = src.name when matched then update set note = src.note "
                + "when not matched then insert (id, name, note) values (src.id, src.name, src.note)"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"))
                .hasMessageContaining("primary key");
        assertThat(rows(s.executeQuery("select id, name, note from m order by id"))).containsExactly("1|x|old");
    }

    // 8. Non-Latin-1 string literals cannot be used at all (Calcite's default charset ISO-8859-1).
    @Test
    void nonLatin1StringLiteral_isAccepted() throws SQLException {
        assertThat(s.executeUpdate("insert into t values (50, '日本')")).isEqualTo(1);
        assertThat(rows(s.executeQuery("select v from t where id = 50"))).containsExactly("日本");
    }
}
