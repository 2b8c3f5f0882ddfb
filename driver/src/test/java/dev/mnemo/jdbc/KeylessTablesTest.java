package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table created in SQL without a PRIMARY KEY (set or ordered_set) is a multiset of rows, as in every SQL database:
 * duplicates and NULLs anywhere, exact counts for UPDATE and DELETE of identical rows, on every storage type,
 * through restarts, transactions and concurrent writers; its hidden row id never shows.
 */
class KeylessTablesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void duplicatesAndNulls_areKept_updatedAndDeletedWithExactCounts(String storage) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table t (a int, b varchar(10)) with (storage = " + storage + ")");
            assertThat(s.executeUpdate("insert into t values (1, 'x'), (1, 'x'), (1, 'y'), (2, null), (null, null), "
                    + "(null, null)")).isEqualTo(6);
            assertThat(rows(s.executeQuery("select * from t order by a nulls first, b nulls first")))
                    .containsExactly("null|null", "null|null", "1|x", "1|x", "1|y", "2|null");
            assertThat(s.executeUpdate("update t set b = 'z' where b = 'x'")).isEqualTo(2);
            assertThat(s.executeUpdate("delete from t where a is null")).isEqualTo(2);
            assertThat(rows(s.executeQuery("select a, b from t order by a, b nulls first")))
                    .containsExactly("1|y", "1|z", "1|z", "2|null");
            assertThat(s.executeUpdate("delete from t where b = 'z'")).isEqualTo(2);
            assertThat(rows(s.executeQuery("select count(*), count(distinct a) from t"))).containsExactly("2|2");
        }
    }

    @Test
    void anIndexedColumn_findsTheRowsToChange_amongManyOfOneValue() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table log (level varchar(5), msg varchar(20))");
            s.execute("create index log_level on log (level)");
            try (PreparedStatement p = c.prepareStatement("insert into log values (?, ?)")) {
                for (int i = 0; i < 3_000; i++) {
                    p.setString(1, i % 3 == 0 ? "WARN" : "INFO");
                    p.setString(2, "m" + (i % 10));
                    p.addBatch();
                }
                p.executeBatch();
            }
            assertThat(s.executeUpdate("update log set msg = 'seen' where level = 'WARN' and msg = 'm3'"))
                    .isEqualTo(100);
            assertThat(s.executeUpdate("delete from log where level = 'INFO' and msg = 'm4'")).isEqualTo(200);
            assertThat(rows(s.executeQuery("select level, msg, count(*) from log where msg in ('seen', 'm3', 'm4') "
                    + "group by level, msg order by level, msg")))
                    .containsExactly("INFO|m3|200", "WARN|m4|100", "WARN|seen|100");
            assertThat(rows(s.executeQuery("select count(*) from log"))).containsExactly("2800");
        }
    }

    @Test
    void rows_surviveARestart_andNewRowsNeverTakeTheirIds() throws SQLException {
        String url = "jdbc:mnemo:" + dir;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table t (a int, b varchar(10))");
            s.executeUpdate("insert into t values (1, 'x'), (1, 'x'), (2, 'y')");
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("insert into t values (1, 'x'), (3, 'z')")).isEqualTo(2);
            assertThat(rows(s.executeQuery("select a, b, count(*) from t group by a, b order by a")))
                    .containsExactly("1|x|3", "2|y|1", "3|z|1");
            assertThat(s.executeUpdate("delete from t where a = 1")).isEqualTo(3);
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select a, b from t order by a"))).containsExactly("2|y", "3|z");
        }
    }

    @Test
    void rowsTheEngineApiWroteWithIdsAheadOfTheCounter_areNeverOverwritten() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table t (a int, b varchar(5))");
            s.executeUpdate("insert into t values (1, 'sql')");
            dev.mnemo.engine.Mnemo db = org.apache.calcite.jdbc.MnemoMeta.sessionOf(
                    c.unwrap(org.apache.calcite.avatica.AvaticaConnection.class)).database();
            db.dirtyWrite("t", dev.mnemo.engine.value.Tuple.of("t", 2L, 2L, "api"));
            db.dirtyWrite("t", dev.mnemo.engine.value.Tuple.of("t", 3L, 3L, "api"));
            assertThat(s.executeUpdate("insert into t values (4, 'sql'), (5, 'sql')")).isEqualTo(2);
            assertThat(rows(s.executeQuery("select a, b from t order by a")))
                    .containsExactly("1|sql", "2|api", "3|api", "4|sql", "5|sql");
        }
    }

    @Test
    void foreignKeyActions_rewriteTheRowsOfAChildWithoutPrimaryKey() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table p (id int primary key)");
            s.executeUpdate("insert into p values (1), (2), (3)");
            s.execute("create table c (pid int references p on update cascade on delete set null, v int)");
            s.execute("create table d (pid int references p on delete cascade, v int)");
            s.executeUpdate("insert into c values (1, 1), (1, 1), (2, 2)");
            s.executeUpdate("insert into d values (3, 1), (3, 1), (2, 2)");
            assertThat(s.executeUpdate("update p set id = 10 where id = 1")).isEqualTo(1);
            assertThat(s.executeUpdate("delete from p where id = 2")).isEqualTo(1);
            assertThat(s.executeUpdate("delete from p where id = 3")).isEqualTo(1);
            assertThat(rows(s.executeQuery("select pid, v from c order by v"))).containsExactly("10|1", "10|1",
                    "null|2");
            assertThat(rows(s.executeQuery("select count(*) from d"))).containsExactly("0");
        }
    }

    @Test
    void aRolledBackTransaction_leavesTheRowsAsTheyWere() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table t (a int, b int)");
            s.executeUpdate("insert into t values (1, 1), (1, 1), (2, 2)");
            c.setAutoCommit(false);
            assertThat(s.executeUpdate("delete from t where a = 1")).isEqualTo(2);
            assertThat(s.executeUpdate("insert into t values (5, 5), (5, 5)")).isEqualTo(2);
            assertThat(s.executeUpdate("update t set b = 9 where a = 5")).isEqualTo(2);
            assertThat(rows(s.executeQuery("select a, b from t order by a"))).containsExactly("2|2", "5|9", "5|9");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(rows(s.executeQuery("select a, b from t order by a"))).containsExactly("1|1", "1|1", "2|2");
        }
    }

    @Test
    void concurrentInserters_eachRowIsKept() throws Exception {
        String url = "jdbc:mnemo:" + dir;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table hits (page varchar(10), n int)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url);
                         PreparedStatement p = c.prepareStatement("insert into hits values ('home', 1)")) {
                        for (int i = 0; i < 250; i++) {
                            p.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select count(*), sum(n) from hits"))).containsExactly("1000|1000");
        }
    }

    @Test
    void theRowIdNeverShows_andNoPrimaryKeyIsReported() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table t (a int, b int)");
            s.executeUpdate("insert into t values (1, 2)");
            try (ResultSet rs = s.executeQuery("select * from t")) {
                assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
            }
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getColumns(null, null, "t", null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("IS_NULLABLE"));
                }
            }
            assertThat(columns).containsExactly("a YES", "b YES");
            try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, null, "t")) {
                assertThat(rs.next()).isFalse();
            }
            assertThat(rows(s.executeQuery("select count(*) from information_schema.table_constraints "
                    + "where table_name = 't'"))).containsExactly("0");
            assertThatThrownBy(() -> s.executeQuery("select \"$rowid\" from t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S22"));
            assertThatThrownBy(() -> s.execute("create table u (\"$rowid\" int)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("reserved"));
            assertThatThrownBy(() -> s.execute("alter table t add column \"$rowid\" int"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void whatNeedsAPrimaryKey_isRefusedNamingTheTable() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table t (a int, b int)");
            s.executeUpdate("insert into t values (1, 2)");
            assertThatThrownBy(() -> s.execute("merge into t using (values (1, 5)) v(a, b) on t.a = v.a "
                    + "when matched then update set b = v.b when not matched then insert values (v.a, v.b)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("0A000");
                        assertThat(e.getMessage()).contains("table t").contains("no PRIMARY KEY");
                    });
            assertThatThrownBy(() -> s.execute("create table child (id int primary key, ta int references t)"))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getMessage()).contains("table t has no PRIMARY KEY"));
            assertThatThrownBy(() -> s.execute("create table w (n int generated always as identity, v int)"))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getMessage()).contains("whole primary key"));
            s.execute("alter table t drop column b");
            assertThatThrownBy(() -> s.execute("alter table t drop column a"))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getMessage()).contains("only column"));
            assertThat(rows(s.executeQuery("select * from t"))).containsExactly("1");
        }
    }

    /**
     * Random INSERT, UPDATE and DELETE statements over few distinct values (so that identical rows are common), the
     * same in Mnemo and H2, each followed by a comparison of the whole table; with and without an index.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomWrites_leaveTheSameRowsAsH2(boolean indexed) throws SQLException {
        long seed = Long.getLong("mnemo.seed", 20261206L);
        Random rnd = new Random(seed);
        try (Connection mnemo = DriverManager.getConnection("jdbc:mnemo:" + dir);
             Connection h2 = DriverManager.getConnection("jdbc:h2:mem:keyless" + System.nanoTime());
             Statement m = mnemo.createStatement(); Statement h = h2.createStatement()) {
            for (Statement s : List.of(m, h)) {
                s.execute("create table t (a int, b int, c varchar(3))");
                if (indexed) {
                    s.execute("create index t_b on t (b)");
                }
            }
            for (int i = 0; i < 300; i++) {
                String sql = statement(rnd);
                assertThat(m.executeUpdate(sql)).as("seed %d, count of %s", seed, sql).isEqualTo(h.executeUpdate(sql));
                String all = "select a, b, c from t order by a nulls first, b nulls first, c nulls first";
                assertThat(rows(m.executeQuery(all))).as("seed %d, after %s", seed, sql)
                        .isEqualTo(rows(h.executeQuery(all)));
            }
        }
    }

    private static String statement(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0, 1 -> {
                StringBuilder b = new StringBuilder("insert into t values ");
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? ", " : "").append('(').append(value(rnd)).append(", ").append(value(rnd))
                            .append(", ").append(rnd.nextInt(4) == 0 ? "null" : "'" + (char) ('p' + rnd.nextInt(3))
                                    + "'").append(')');
                }
                yield b.toString();
            }
            case 2 -> "update t set a = " + value(rnd) + " where b = " + rnd.nextInt(4);
            case 3 -> "update t set b = b + 1 where a " + (rnd.nextBoolean() ? "is null" : "= " + rnd.nextInt(4));
            default -> "delete from t where " + (rnd.nextBoolean() ? "a = " + rnd.nextInt(4)
                    : "b = " + rnd.nextInt(4) + " and c is not null");
        };
    }

    private static String value(Random rnd) {
        return rnd.nextInt(5) == 0 ? "null" : Integer.toString(rnd.nextInt(4));
    }
}
