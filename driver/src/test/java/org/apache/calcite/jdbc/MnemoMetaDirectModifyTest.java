package org.apache.calcite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.AvaticaConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UPDATE and DELETE of a single key run by MnemoMeta's direct path do exactly what Calcite's path does: two
 * databases seeded alike, one connection each (the second with {@code direct=false}), the same statement on both,
 * then the same update count or error and the same table contents. Each comparison checks which path ran.
 */
class MnemoMetaDirectModifyTest {
    private static final AtomicInteger N = new AtomicInteger();

    interface Binder extends TableContents.Binder {
    }

    private Connection direct;
    private Connection calcite;
    private String directUrl;

    @BeforeEach
    void setUp() throws SQLException {
        int n = N.incrementAndGet();
        // a conflicting writer gives up after a second (the default is 60 s)
        directUrl = "jdbc:mnemo:mem:modify-direct" + n + ";close-on-last=true;lock-timeout=1000";
        direct = DriverManager.getConnection(directUrl);
        calcite = DriverManager.getConnection("jdbc:mnemo:mem:modify-calcite" + n + ";direct=false;close-on-last=true");
        for (Connection c : List.of(direct, calcite)) {
            seed(c);
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        direct.close();
        calcite.close();
    }

    private static void seed(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table users (id bigint primary key, name varchar(20) not null, age bigint)");
            s.execute("create table alltypes (id bigint primary key, d double, n decimal(12,3), s varchar(20), "
                    + "b boolean, bin varbinary(8), dt date, t time, ts timestamp, "
                    + "tz timestamp with local time zone, a any)");
            s.execute("create table lines (o bigint, l int, qty int, primary key (o, l))");
            s.executeUpdate("insert into users values (1, 'one', 21), (2, 'two', 22), (3, 'three', 23)");
            s.executeUpdate("insert into alltypes (id) values (1), (2)");
            s.executeUpdate("insert into lines values (1, 1, 11), (1, 2, 12), (2, 1, 21)");
        }
        Mnemo db = MnemoMeta.sessionOf((AvaticaConnection) c).database();
        db.createTable(TableDef.builder("tags").attribute("id", AttrType.INTEGER).attribute("tag", AttrType.STRING)
                .type(TableType.BAG).build());
        db.transaction(tx -> {
            for (String t : List.of("x", "y", "z")) {
                tx.write(Tuple.of("tags", 1, t));
            }
            tx.write(Tuple.of("tags", 2, "x"));
            return null;
        });
    }

    private static long directExecutions(Connection c) {
        return TableContents.directExecutions(c);
    }

    /**
     * Runs the prepared statement on both databases; asserts equal outcomes and table contents afterwards, and
     * whether the direct path ran. Returns the outcome.
     */
    private String same(String sql, Binder binder, boolean viaDirect) throws SQLException {
        String got = TableContents.sameOutcome(direct, calcite, sql, binder, viaDirect);
        for (String table : List.of("users", "alltypes", "lines", "tags")) {
            assertThat(contents(direct, table)).as(table + " after " + sql).isEqualTo(contents(calcite, table));
        }
        return got;
    }

    private String same(String sql, Binder binder) throws SQLException {
        return same(sql, binder, true);
    }

    private static String execute(Connection c, String sql, Binder binder) throws SQLException {
        return TableContents.execute(c, sql, binder);
    }

    /** A table's rows (read with Calcite's path, never the direct one). */
    private static List<String> contents(Connection c, String table) throws SQLException {
        return TableContents.of(c, table);
    }

    // ---------------------------------------------------------------- UPDATE

    @Test
    void updateByKey_sameCountsAndContents() throws SQLException {
        String sql = "update users set name = ? where id = ?";
        assertThat(same(sql, p -> {
            p.setString(1, "uno");
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        assertThat(same(sql, p -> {
            p.setString(1, "nobody");
            p.setLong(2, 99);
        })).isEqualTo("count 0");
        assertThat(same(sql, p -> {
            p.setString(1, "nobody");
            p.setNull(2, Types.BIGINT);
        })).isEqualTo("count 0");
        assertThat(same("update users set age = 5, name = 'cinq' where id = ?", p -> p.setInt(1, 2)))
                .isEqualTo("count 1");
        assertThat(same("update users set age = ? where id = 3", p -> p.setInt(1, 33))).isEqualTo("count 1");
        assertThat(same("update users set age = null where id = ?", p -> p.setInt(1, 3))).isEqualTo("count 1");
        assertThat(same("update users set age = ? where id = ?", p -> {
            p.setNull(1, Types.INTEGER);
            p.setInt(2, 2);
        })).isEqualTo("count 1");
        // the same values again: matched, so counted, as Calcite counts
        assertThat(same("update users set age = 5, name = 'cinq' where id = ?", p -> p.setInt(1, 2)))
                .isEqualTo("count 1");
    }

    @Test
    void updateErrors_sameStates() throws SQLException {
        assertThat(same("update users set name = ? where id = ?", p -> {
            p.setNull(1, Types.VARCHAR);
            p.setInt(2, 1);
        })).startsWith("error 23502");
        assertThat(same("update users set id = ? where id = ?", p -> {
            p.setInt(1, 2);
            p.setInt(2, 1);
        })).startsWith("error 23505");
        assertThat(same("update users set id = ? where id = ?", p -> {
            p.setInt(1, 10);
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        assertThat(same("update users set name = ? where id = ?", p -> {
            p.setString(1, "x");
            p.setBigDecimal(2, new BigDecimal("2.5"));
        })).startsWith("error 22000");
        assertThat(same("update users set id = ? where id = ?", p -> {
            p.setNull(1, Types.BIGINT);
            p.setInt(2, 2);
        })).startsWith("error 23502");
    }

    @Test
    void setParameters_convertedByCalciteGoThroughIt() throws SQLException {
        String sql = "update users set age = ? where id = ?";
        same(sql, p -> {
            p.setInt(1, 40);
            p.setInt(2, 1);
        });
        same(sql, p -> {
            p.setShort(1, (short) 41);
            p.setInt(2, 1);
        });
        // values Calcite's generated code converts (truncates, parses): its path, with its result
        for (Binder converted : List.<Binder>of(p -> p.setDouble(1, 7.5), p -> p.setBigDecimal(1, new BigDecimal("8")),
                p -> p.setFloat(1, 2.5f))) {
            same(sql, p -> {
                converted.bind(p);
                p.setInt(2, 2);
            }, false);
        }
        // a string for a number, a number for a string: converted for the parameter's type before either path, so
        // the direct path takes them as it takes a setInt or a setString
        same(sql, p -> {
            p.setString(1, " 9 ");
            p.setInt(2, 2);
        });
        same("update users set name = ? where id = ?", p -> {
            p.setInt(1, 12);
            p.setInt(2, 3);
        });
    }

    @Test
    void everyColumnType_updatedAlike() throws SQLException {
        record Set(String column, Binder value) {
        }
        List<Set> sets = List.of(
                new Set("d", p -> p.setDouble(1, -2.25)),
                new Set("n", p -> p.setBigDecimal(1, new BigDecimal("12.345"))),
                new Set("s", p -> p.setString(1, "héllo ☃")),
                new Set("b", p -> p.setBoolean(1, true)),
                new Set("bin", p -> p.setBytes(1, new byte[] {0, 1, (byte) 0xfe})),
                new Set("dt", p -> p.setDate(1, java.sql.Date.valueOf("2024-02-29"))),
                new Set("t", p -> p.setTime(1, java.sql.Time.valueOf("13:14:15"))),
                new Set("ts", p -> p.setTimestamp(1, java.sql.Timestamp.valueOf("1969-07-20 20:17:40.123"))),
                new Set("tz", p -> p.setTimestamp(1, new java.sql.Timestamp(1_000_000_000_250L))),
                new Set("a", p -> p.setString(1, "any value")));
        for (Set set : sets) {
            assertThat(same("update alltypes set " + set.column() + " = ? where id = ?", p -> {
                set.value().bind(p);
                p.setInt(2, 1);
            })).as(set.column()).isEqualTo("count 1");
            assertThat(same("update alltypes set " + set.column() + " = ? where id = ?", p -> {
                p.setNull(1, Types.OTHER);
                p.setInt(2, 2);
            })).as(set.column()).isEqualTo("count 1");
        }
        assertThat(same("update alltypes set d = 1.5, n = 2.5, s = 'lit', b = false where id = ?",
                p -> p.setInt(1, 2))).isEqualTo("count 1");
    }

    @Test
    void columnPlusOrMinusAValue_computedAsCalcitesCodeDoes() throws SQLException {
        assertThat(same("update users set age = age + ? where id = ?", p -> {
            p.setInt(1, 5);
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        assertThat(same("update users set age = age - ? where id = ?", p -> {
            p.setLong(1, 100);
            p.setInt(2, 2);
        })).isEqualTo("count 1");
        assertThat(same("update users set age = ? - age where id = ?", p -> {
            p.setInt(1, 7);
            p.setInt(2, 3);
        })).isEqualTo("count 1");
        assertThat(same("update users set age = 1 + age, name = ? where id = ?", p -> {
            p.setString(1, "both");
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        assertThat(same("update users set age = age + ? where id = ?", p -> {
            p.setInt(1, 1);
            p.setInt(2, 42);
        })).isEqualTo("count 0");
        // NULL in, NULL out
        assertThat(same("update users set age = age + ? where id = ?", p -> {
            p.setNull(1, Types.BIGINT);
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        assertThat(same("update users set age = age + 1 where id = ?", p -> p.setInt(1, 1))).isEqualTo("count 1");
        // a double column; and a value Calcite's code would convert goes through it
        assertThat(same("update alltypes set d = ? where id = ?", p -> {
            p.setDouble(1, 10.5);
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        assertThat(same("update alltypes set d = d - ? where id = ?", p -> {
            p.setDouble(1, 0.25);
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        same("update users set age = age + ? where id = ?", p -> {
            p.setDouble(1, 2.5);
            p.setInt(2, 2);
        }, false);
    }

    @Test
    void columnPlusAValue_thatOverflows_takesCalcitesPath() throws SQLException {
        same("update users set age = ? where id = ?", p -> {
            p.setLong(1, Long.MAX_VALUE - 1);
            p.setInt(2, 1);
        });
        String sql = "update users set age = age + ? where id = ?";
        assertThat(same(sql, p -> {
            p.setInt(1, 1);
            p.setInt(2, 1);
        })).isEqualTo("count 1");
        // Long.MAX_VALUE + 1: the direct path declines before writing anything, Calcite's code decides
        long before = directExecutions(direct);
        String got = execute(direct, sql, p -> {
            p.setInt(1, 1);
            p.setInt(2, 1);
        });
        String want = execute(calcite, sql, p -> {
            p.setInt(1, 1);
            p.setInt(2, 1);
        });
        assertThat(got).isEqualTo(want);
        assertThat(directExecutions(direct)).isEqualTo(before);
        assertThat(contents(direct, "users")).isEqualTo(contents(calcite, "users"));
    }

    @Test
    void compositeKey_updateAndDelete() throws SQLException {
        assertThat(same("update lines set qty = ? where o = ? and l = ?", p -> {
            p.setInt(1, 99);
            p.setInt(2, 1);
            p.setInt(3, 2);
        })).isEqualTo("count 1");
        assertThat(same("delete from lines where o = 1 and l = ?", p -> p.setInt(1, 1))).isEqualTo("count 1");
    }

    // ---------------------------------------------------------------- DELETE

    @Test
    void deleteByKey_sameCountsAndContents() throws SQLException {
        String sql = "delete from users where id = ?";
        assertThat(same(sql, p -> p.setInt(1, 2))).isEqualTo("count 1");
        assertThat(same(sql, p -> p.setInt(1, 2))).isEqualTo("count 0");
        assertThat(same(sql, p -> p.setNull(1, Types.BIGINT))).isEqualTo("count 0");
        assertThat(same(sql, p -> p.setString(1, "one"))).startsWith("error 22018: parameter 1: 'one' is not a "
                + "number to BIGINT");
        // a bag: every record of the key
        assertThat(same("delete from tags where id = ?", p -> p.setInt(1, 1))).isEqualTo("count 3");
    }

    @Test
    void otherModifications_takeCalcitesPath() throws SQLException {
        same("update users set age = age * 2 where id = ?", p -> p.setInt(1, 1), false);
        same("update users set age = age + id where id = ?", p -> p.setInt(1, 1), false);
        same("update users set name = ? where id = ? and age > 3", p -> {
            p.setString(1, "x");
            p.setInt(2, 1);
        }, false);
        same("delete from users where id in (?, ?)", p -> {
            p.setInt(1, 1);
            p.setInt(2, 2);
        }, false);
        same("delete from users where age = ?", p -> p.setInt(1, 23), false);
        same("merge into users u using (values (5, 'five')) v (id, name) on u.id = v.id "
                + "when matched then update set name = v.name when not matched then insert (id, name) values (v.id, v.name)",
                p -> { }, false);
    }

    // ---------------------------------------------------------------- statements, modes, transactions

    @Test
    void plainStatementAndBatch_runDirectly() throws SQLException {
        for (Connection c : List.of(direct, calcite)) {
            long before = directExecutions(c);
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("update users set name = 'plain' where id = 1")).isEqualTo(1);
                assertThat(s.executeUpdate("delete from users where id = 42")).isZero();
            }
            try (PreparedStatement p = c.prepareStatement("update users set age = ? where id = ?")) {
                for (int id = 1; id <= 4; id++) {
                    p.setInt(1, 100 + id);
                    p.setInt(2, id);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).containsExactly(1, 1, 1, 0);
            }
            assertThat(directExecutions(c) - before).isEqualTo(c == direct ? 6 : 0);
        }
        assertThat(contents(direct, "users")).isEqualTo(contents(calcite, "users"));
    }

    @Test
    void readOnlyConnection_refusesAsBefore() throws SQLException {
        try (Connection ro = DriverManager.getConnection(directUrl + ";read-only=true");
             PreparedStatement p = ro.prepareStatement("update users set name = ? where id = ?")) {
            p.setString(1, "x");
            p.setInt(2, 1);
            assertThatThrownBy(p::executeUpdate).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25006"));
        }
    }

    /**
     * A statement prepared without planning (SimpleStatements) is planned by Calcite when first needed, against the
     * table as it is then: it behaves as the statement prepared after the change.
     */
    @Test
    void tableChangedAfterPrepare_goesThroughCalcite_asIfPreparedAgain() throws SQLException {
        String sql = "update users set name = ? where id = ?";
        try (PreparedStatement d = direct.prepareStatement(sql)) {
            for (Connection conn : List.of(direct, calcite)) {
                try (Statement s = conn.createStatement()) {
                    s.execute("alter table users add column extra varchar(5)");
                }
            }
            PreparedStatement c = calcite.prepareStatement(sql);
            long before = directExecutions(direct);
            for (PreparedStatement p : List.of(d, c)) {
                p.setString(1, "changed");
                p.setInt(2, 1);
            }
            assertThat(String.valueOf(outcome(d))).isEqualTo(String.valueOf(outcome(c))).isEqualTo("1");
            c.close();
            assertThat(directExecutions(direct)).isEqualTo(before);
            assertThat(contents(direct, "users")).isEqualTo(contents(calcite, "users"));
        }
    }

    private static Object outcome(PreparedStatement p) {
        try {
            return p.executeUpdate();
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    @Test
    void explicitTransaction_writeIsItsOwnUntilCommit_andHoldsTheLock() throws SQLException {
        Mnemo db = MnemoMeta.sessionOf((AvaticaConnection) direct).database();
        direct.setAutoCommit(false);
        try (Connection other = DriverManager.getConnection(directUrl);
             PreparedStatement p = direct.prepareStatement("update users set name = ? where id = ?")) {
            p.setString(1, "mine");
            p.setInt(2, 1);
            long before = directExecutions(direct);
            assertThat(p.executeUpdate()).isEqualTo(1);
            assertThat(directExecutions(direct) - before).isEqualTo(1);
            assertThat(contents(direct, "users")).anyMatch(r -> r.contains("mine"));
            // (a locked read of key 1 on this thread would wait for this thread: read what is committed)
            assertThat(db.dirtyRead("users", 1)).singleElement().hasToString("{\"users\", 1, \"one\", 21}");
            other.setAutoCommit(false);
            try (Statement o = other.createStatement()) {
                // a writer of the same key waits for the lock, then gives up (lock-timeout) and is rolled back
                assertThatThrownBy(() -> o.executeUpdate("update users set name = 'theirs' where id = 1"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("40001"));
                other.rollback();
            }
            direct.rollback();
            assertThat(contents(other, "users")).noneMatch(r -> r.contains("mine"));
            other.commit();
            assertThat(p.executeUpdate()).isEqualTo(1);
            direct.commit();
            assertThat(contents(other, "users")).anyMatch(r -> r.contains("mine"));
        }
    }

    @Test
    void modificationThenRead_inAutocommit_seesTheCommittedChange() throws SQLException {
        long before = directExecutions(direct); // the setup's plain INSERTs ran directly too
        try (PreparedStatement u = direct.prepareStatement("update users set name = ? where id = ?");
             PreparedStatement r = direct.prepareStatement("select name from users where id = ?")) {
            for (int i = 0; i < 20; i++) {
                u.setString(1, "v" + i);
                u.setInt(2, 3);
                assertThat(u.executeUpdate()).isEqualTo(1);
                r.setInt(1, 3);
                try (ResultSet rs = r.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("v" + i);
                }
            }
        }
        assertThat(directExecutions(direct) - before).isEqualTo(40);
    }
}
