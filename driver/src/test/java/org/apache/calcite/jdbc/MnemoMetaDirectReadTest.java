package org.apache.calcite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.AvaticaConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prepared single-key reads answered by MnemoMeta's direct path give exactly what Calcite's path gives (a second
 * connection to the same database with {@code direct=false}): the same values, JDBC types, errors and
 * transaction behaviour. Every comparison also checks which path ran, so a silent fallback fails the test.
 */
class MnemoMetaDirectReadTest {
    private static final AtomicInteger N = new AtomicInteger();

    /** Binds a statement's parameters. */
    interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }

    private static final Binder NONE = p -> { };

    private String url;
    private Connection direct;
    private Connection calcite;
    private Mnemo db;

    @BeforeEach
    void setUp() throws SQLException {
        // a conflicting writer gives up after a second (the default is 60 s)
        url = "jdbc:mnemo:mem:direct" + N.incrementAndGet() + ";close-on-last=true;lock-timeout=1000";
        open(url);
    }

    private void open(String u) throws SQLException {
        url = u;
        direct = DriverManager.getConnection(u);
        calcite = DriverManager.getConnection(u + ";direct=false");
        db = MnemoMeta.sessionOf((AvaticaConnection) direct).database();
        ddl("create table users (id bigint primary key, name varchar(20), email varchar(40), age int)");
        db.transaction(tx -> {
            for (int i = 1; i <= 50; i++) {
                tx.write(Tuple.of("users", i, "n" + i, "e" + i + "@x", 20 + i));
            }
            return null;
        });
    }

    @AfterEach
    void tearDown() throws SQLException {
        direct.close();
        calcite.close();
    }

    private void ddl(String sql) throws SQLException {
        try (Statement s = direct.createStatement()) {
            s.execute(sql);
        }
    }

    private void write(Tuple record) {
        db.transaction(tx -> {
            tx.write(record);
            return null;
        });
    }

    private static long directExecutions(Connection c) {
        return MnemoMeta.directExecutions((AvaticaConnection) c);
    }

    /**
     * Runs {@code sql} bound by {@code binder} on both connections and asserts that the outcomes (column types,
     * values as getObject and getString, or the error) are equal and that only the direct connection took the direct
     * path, if {@code viaDirect}. Returns the outcome.
     */
    private List<String> same(String sql, Binder binder, boolean viaDirect) throws SQLException {
        long before = directExecutions(direct);
        long calciteBefore = directExecutions(calcite);
        List<String> got = outcome(direct, sql, binder);
        List<String> want = outcome(calcite, sql, binder);
        assertThat(got).as(sql).isEqualTo(want);
        assertThat(directExecutions(direct) - before).as("direct path ran for " + sql).isEqualTo(viaDirect ? 1 : 0);
        assertThat(directExecutions(calcite)).isEqualTo(calciteBefore);
        return got;
    }

    private List<String> same(String sql, Binder binder) throws SQLException {
        return same(sql, binder, true);
    }

    private static List<String> outcome(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            binder.bind(p);
            return outcome(p);
        }
    }

    private static List<String> outcome(PreparedStatement p) {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            StringBuilder head = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                head.append(md.getColumnLabel(i)).append(':').append(md.getColumnType(i)).append(':')
                        .append(md.getColumnTypeName(i)).append(':').append(md.getColumnClassName(i)).append(' ');
            }
            out.add(head.toString());
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(describe(rs.getObject(i))).append(" / ").append(rs.getString(i)).append(" | ");
                }
                out.add(row.toString());
            }
        } catch (SQLException e) {
            out.add("error " + e.getSQLState() + ": " + e.getMessage());
        }
        return out;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "null";
        }
        String text = o instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(o);
        return o.getClass().getSimpleName() + ":" + text;
    }

    // ---------------------------------------------------------------- every column type

    private void everyTypeTable() throws SQLException {
        ddl("create table alltypes (id bigint primary key, d double, n decimal(12,3), s varchar(20), b boolean, "
                + "bin varbinary(8), dt date, t time, ts timestamp, tz timestamp with local time zone, a any)");
        db.createTable(TableDef.builder("nested").attribute("id", AttrType.INTEGER).attribute("tup", AttrType.TUPLE)
                .attribute("lst", AttrType.LIST).attribute("map", AttrType.MAP).attribute("untyped", AttrType.ANY)
                .build());
        db.transaction(tx -> {
            tx.write(Tuple.of("alltypes", 1, 1.5, new BigDecimal("12.345"), "héllo ☃", true,
                    Binary.of(new byte[] {0, 1, (byte) 0xfe}), LocalDate.of(2024, 2, 29),
                    LocalTime.of(13, 14, 15, 678_000_000), LocalDateTime.of(1969, 7, 20, 20, 17, 40, 123_000_000),
                    Instant.parse("2001-09-09T01:46:40.250Z"), Tuple.of(1, "x")));
            tx.write(Tuple.of("alltypes", 2, null, null, null, null, null, null, null, null, null, null));
            tx.write(Tuple.of("alltypes", 3, -0.0, new BigDecimal("-1"), "", false, Binary.of(new byte[0]),
                    LocalDate.of(1, 1, 1), LocalTime.MIDNIGHT, LocalDateTime.of(2100, 12, 31, 23, 59, 59),
                    Instant.EPOCH, "any string"));
            tx.write(Tuple.of("nested", 1, Tuple.of(1, "a"), List.of(1, 2), Map.of("k", 1L), 42));
            tx.write(Tuple.of("nested", 2, null, null, null, null));
            return null;
        });
    }

    @Test
    void everyColumnType_sameRowsAndTypes_throughBothPaths() throws SQLException {
        everyTypeTable();
        for (int id = 1; id <= 4; id++) {
            int k = id;
            List<String> rows = same("select * from alltypes where id = ?", p -> p.setInt(1, k));
            assertThat(rows).hasSize(k == 4 ? 1 : 2);
            for (String column : List.of("id", "d", "n", "s", "b", "bin", "dt", "t", "ts", "tz", "a")) {
                same("select " + column + " from alltypes where id = ?", p -> p.setInt(1, k));
            }
            same("select tz, s, id, bin from alltypes where id = ?", p -> p.setLong(1, k));
            // every column, reordered: Calcite plans this as a calc above the converter
            same("select a, tz, ts, t, dt, bin, b, s, n, d, id from alltypes where id = ?", p -> p.setLong(1, k));
            same("select * from nested where id = ?", p -> p.setInt(1, k));
            for (String column : List.of("tup", "lst", "map", "untyped")) {
                same("select " + column + " from nested where id = ?", p -> p.setInt(1, k));
            }
        }
        assertThat(same("select s, b, dt from alltypes where id = ?", p -> p.setInt(1, 1)).get(1))
                .contains("String:héllo ☃", "Boolean:true", "Date:2024-02-29");
    }

    @Test
    void keysOfEveryType_areFoundByParameterAndLiteral() throws SQLException {
        record Key(String sqlType, Object engineValue, Binder bind, String literal, boolean literalIsKeyLookup) {
            Key(String sqlType, Object engineValue, Binder bind, String literal) {
                this(sqlType, engineValue, bind, literal, true);
            }
        }
        List<Key> keys = List.of(
                new Key("double", 2.5, p -> p.setDouble(1, 2.5), "2.5e0"),
                new Key("decimal(10,2)", new BigDecimal("7.25"), p -> p.setBigDecimal(1, new BigDecimal("7.25")),
                        "7.25"),
                new Key("varchar(10)", "kéy", p -> p.setString(1, "kéy"), "'kéy'"),
                // Calcite simplifies k = true to k, which is no key lookup
                new Key("boolean", true, p -> p.setBoolean(1, true), "true", false),
                new Key("varbinary(4)", Binary.of(new byte[] {1, 2}), p -> p.setBytes(1, new byte[] {1, 2}), null),
                new Key("date", LocalDate.of(2020, 1, 31), p -> p.setDate(1, java.sql.Date.valueOf("2020-01-31")),
                        "date '2020-01-31'"),
                new Key("time", LocalTime.of(8, 30, 1), p -> p.setTime(1, java.sql.Time.valueOf("08:30:01")),
                        "time '08:30:01'"),
                new Key("timestamp", LocalDateTime.of(2020, 1, 31, 8, 30, 1),
                        p -> p.setTimestamp(1, java.sql.Timestamp.valueOf("2020-01-31 08:30:01")),
                        "timestamp '2020-01-31 08:30:01'"),
                new Key("timestamp with local time zone", Instant.parse("2020-01-31T08:30:01Z"),
                        p -> p.setTimestamp(1, new java.sql.Timestamp(Instant.parse("2020-01-31T08:30:01Z")
                                .toEpochMilli())), null));
        int i = 0;
        for (Key key : keys) {
            String table = "k" + i++;
            ddl("create table " + table + " (k " + key.sqlType() + " primary key, v varchar(10))");
            write(Tuple.of(table, key.engineValue(), "found"));
            List<String> rows = same("select v, k from " + table + " where k = ?", key.bind());
            assertThat(rows).as(key.sqlType()).hasSize(2);
            assertThat(rows.get(1)).as(key.sqlType()).startsWith("String:found");
            if (key.literal() != null) {
                same("select v from " + table + " where k = " + key.literal(), NONE, key.literalIsKeyLookup());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void everyStorageType_readsDirectly(StorageType storage, @TempDir Path dir) throws SQLException {
        tearDown();
        open("jdbc:mnemo:" + dir);
        db.createTable(TableDef.builder("stored").attribute("id", AttrType.INTEGER).attribute("v", AttrType.STRING)
                .storage(storage).build());
        write(Tuple.of("stored", 5, "five"));
        assertThat(same("select v from stored where id = ?", p -> p.setInt(1, 5))).hasSize(2);
        assertThat(same("select v from stored where id = ?", p -> p.setInt(1, 6))).hasSize(1);
    }

    @Test
    void compositeKey_andBag_andMaxRows_sameRows() throws SQLException {
        ddl("create table lines (o bigint, l int, qty int, primary key (o, l)) with (type = ordered_set)");
        db.createTable(TableDef.builder("tags").attribute("id", AttrType.INTEGER).attribute("tag", AttrType.STRING)
                .type(TableType.BAG).build());
        db.transaction(tx -> {
            tx.write(Tuple.of("lines", Tuple.of(1, 2), 12));
            for (String t : List.of("c", "a", "b")) {
                tx.write(Tuple.of("tags", 1, t));
            }
            return null;
        });
        assertThat(same("select qty from lines where o = ? and l = ?", p -> {
            p.setInt(1, 1);
            p.setInt(2, 2);
        })).hasSize(2);
        same("select * from lines where l = ? and o = 1", p -> p.setInt(1, 2));
        assertThat(same("select tag from tags where id = ?", p -> p.setInt(1, 1))).hasSize(4);
        assertThat(same("select tag, id from tags where id = ?", p -> p.setInt(1, 1))).hasSize(4);
        // a plain statement's max rows is part of its signature: the direct path stops there too
        for (Connection c : List.of(direct, calcite)) {
            long before = directExecutions(c);
            try (Statement s = c.createStatement()) {
                s.setMaxRows(2);
                try (ResultSet rs = s.executeQuery("select tag from tags where id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.next()).isFalse();
                }
            }
            assertThat(directExecutions(c) - before).isEqualTo(c == direct ? 1 : 0);
        }
    }

    // ---------------------------------------------------------------- parameters

    @Test
    void bigintKeyParameters_convertAsCalciteDoes() throws SQLException {
        String sql = "select name from users where id = ?";
        String seven = "String:n7 / n7 | ";
        assertThat(same(sql, p -> p.setInt(1, 7))).contains(seven);
        assertThat(same(sql, p -> p.setLong(1, 7L))).contains(seven);
        assertThat(same(sql, p -> p.setShort(1, (short) 7))).contains(seven);
        assertThat(same(sql, p -> p.setBigDecimal(1, new BigDecimal("7")))).contains(seven);
        assertThat(same(sql, p -> p.setBigDecimal(1, new BigDecimal("7.000")))).contains(seven);
        assertThat(same(sql, p -> p.setDouble(1, 7.0))).contains(seven);
        assertThat(same(sql, p -> p.setObject(1, 7))).contains(seven);
        // not an exact integer: never some other key's row
        for (Binder fraction : List.<Binder>of(p -> p.setBigDecimal(1, new BigDecimal("7.5")),
                p -> p.setDouble(1, 7.5), p -> p.setFloat(1, 7.5f), p -> p.setDouble(1, 7.000001))) {
            assertThat(same(sql, fraction)).noneMatch(r -> r.contains("n7"));
        }
        assertThat(same(sql, p -> p.setBigDecimal(1, new BigDecimal("1e30")))).noneMatch(r -> r.startsWith("String"));
        assertThat(same(sql, p -> p.setNull(1, Types.BIGINT))).hasSize(1);
        assertThat(same(sql, p -> p.setObject(1, null))).hasSize(1);
        assertThat(same(sql, p -> p.setLong(1, 4711L))).hasSize(1);
        // types Calcite's path rejects fail the same way
        same(sql, p -> p.setString(1, "7"));
        same(sql, p -> p.setString(1, "seven"));
        same(sql, p -> p.setBoolean(1, true));
        same(sql, p -> p.setBytes(1, new byte[] {7}));
    }

    @Test
    void unboundParameter_failsAsBefore() throws SQLException {
        List<String> rows = same("select name from users where id = ?", NONE, false);
        assertThat(rows).singleElement().asString().startsWith("error");
    }

    @Test
    void plainStatementWithLiteralKey_readsDirectly() throws SQLException {
        for (Connection c : List.of(direct, calcite)) {
            long before = directExecutions(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select age, name from users where id = 3")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(23);
                assertThat(rs.getString(2)).isEqualTo("n3");
                assertThat(rs.next()).isFalse();
            }
            assertThat(directExecutions(c) - before).isEqualTo(c == direct ? 1 : 0);
        }
    }

    @Test
    void otherPlans_takeCalcitesPath() throws SQLException {
        Binder two = p -> {
            p.setInt(1, 3);
            p.setInt(2, 4);
        };
        same("select name from users where id = ? and age > 0", p -> p.setInt(1, 3), false);
        same("select name from users where id = ? or id = ?", two, false);
        same("select name from users where id in (?, ?)", two, false);
        same("select count(*) from users where id = ?", p -> p.setInt(1, 3), false);
        same("select upper(name) from users where id = ?", p -> p.setInt(1, 3), false);
        same("select name from users where id = ? order by name", p -> p.setInt(1, 3), false);
        same("select name from users where id = ? limit 1", p -> p.setInt(1, 3), false);
        same("select name from users where email = ?", p -> p.setString(1, "e3@x"), false);
        same("select name from users where id = cast(? as integer)", p -> p.setInt(1, 3), false);
        same("select u.name from users u join users v on u.id = v.id where u.id = ?", p -> p.setInt(1, 3), false);
        same("explain plan for select name from users where id = ?", p -> p.setInt(1, 3), false);
    }

    // ---------------------------------------------------------------- transactions

    @Test
    void explicitTransaction_readTakesReadLock_conflictingWriterGets40001() throws SQLException {
        direct.setAutoCommit(false);
        try (PreparedStatement p = direct.prepareStatement("select name from users where id = ?");
             Connection writer = DriverManager.getConnection(url); Statement w = writer.createStatement()) {
            p.setInt(1, 7);
            long before = directExecutions(direct);
            assertThat(outcome(p)).contains("String:n7 / n7 | ");
            assertThat(directExecutions(direct) - before).isEqualTo(1);
            writer.setAutoCommit(false);
            // the writer waits for the reader's lock, then gives up (lock-timeout) and is rolled back rather than
            // overwrite a row the reader's open transaction has read
            assertThatThrownBy(() -> w.executeUpdate("update users set name = 'w' where id = 7"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            writer.rollback();
            // a key the reader did not read is free
            assertThat(w.executeUpdate("update users set name = 'w' where id = 8")).isEqualTo(1);
            writer.commit();
            direct.commit();
            assertThat(w.executeUpdate("update users set name = 'w' where id = 7")).isEqualTo(1);
            writer.commit();
        }
    }

    @Test
    void explicitTransaction_readLockMakesAnOlderWriterWait_onBothPaths() throws Exception {
        for (Connection reader : List.of(direct, calcite)) {
            try (Connection writer = DriverManager.getConnection(url);
                 PreparedStatement p = reader.prepareStatement("select name from users where id = ?")) {
                writer.setAutoCommit(false);
                try (Statement w = writer.createStatement()) {
                    w.executeQuery("select count(*) from users where id = 1").close(); // the writer is older
                }
                reader.setAutoCommit(false);
                p.setInt(1, 7);
                long before = directExecutions(reader);
                assertThat(outcome(p)).contains("String:n7 / n7 | ");
                assertThat(directExecutions(reader) - before).isEqualTo(reader == direct ? 1 : 0);
                var update = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (Statement w = writer.createStatement()) {
                        int n = w.executeUpdate("update users set name = 'w' where id = 7");
                        writer.commit();
                        return n;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(300);
                assertThat(update).as("the older writer waits for the reader's lock").isNotDone();
                reader.commit();
                assertThat(update.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
                reader.setAutoCommit(true);
                assertThat(outcome(p)).contains("String:w / w | ");
                try (Statement w = writer.createStatement()) {
                    w.executeUpdate("update users set name = 'n7' where id = 7");
                    writer.commit();
                }
            }
        }
    }

    @Test
    void explicitTransaction_seesItsOwnWrites_autocommitSeesOnlyCommitted() throws SQLException {
        direct.setAutoCommit(false);
        try (Statement s = direct.createStatement()) {
            s.executeUpdate("update users set name = 'mine' where id = 8");
        }
        Binder eight = p -> p.setInt(1, 8);
        String sql = "select name from users where id = ?";
        long before = directExecutions(direct);
        assertThat(outcome(direct, sql, eight)).contains("String:mine / mine | ");
        assertThat(directExecutions(direct) - before).isEqualTo(1);
        try (Connection other = DriverManager.getConnection(url)) {
            before = directExecutions(other);
            assertThat(outcome(other, sql, eight)).contains("String:n8 / n8 | ");
            assertThat(directExecutions(other) - before).isEqualTo(1);
            // (Calcite's path would wait here for the writer's lock, which this thread holds: it is not asked)
            direct.rollback();
            direct.setAutoCommit(true);
            assertThat(outcome(direct, sql, eight)).contains("String:n8 / n8 | ");
            // an engine transaction's uncommitted write is not seen either
            var t = db.begin();
            t.subTransaction(tx -> {
                tx.write(Tuple.of("users", 8, "uncommitted", "e", 1));
                return null;
            });
            assertThat(outcome(other, sql, eight)).contains("String:n8 / n8 | ");
            t.commit();
            assertThat(same(sql, eight)).contains("String:uncommitted / uncommitted | ");
        }
    }

    @Test
    void insideAnEngineTransactionOnThisThread_readsThroughIt() throws SQLException {
        for (Connection c : List.of(direct, calcite)) {
            long before = directExecutions(c);
            assertThat(readInsideAbortedTransaction(c)).contains("String:engine / engine | ");
            assertThat(directExecutions(c) - before).isEqualTo(c == direct ? 1 : 0);
        }
        assertThat(same("select name from users where id = ?", p -> p.setInt(1, 9))).contains("String:n9 / n9 | ");
    }

    /** In an engine transaction on this thread: writes key 9, reads it through SQL, aborts with the rows read. */
    private List<String> readInsideAbortedTransaction(Connection c) {
        var result = db.tryTransaction(tx -> {
            tx.write(Tuple.of("users", 9, "engine", "e", 1));
            throw tx.abort(outcome(c, "select name from users where id = ?", p -> p.setInt(1, 9)));
        });
        @SuppressWarnings("unchecked")
        List<String> rows = (List<String>) ((dev.mnemo.engine.TxOutcome.Aborted<Object>) result).reason();
        return rows;
    }

    // ---------------------------------------------------------------- schema changes, modes

    @Test
    void tableDroppedAndRecreatedWithAnotherShape_afterPrepare_behavesAsCalcitesPath() throws SQLException {
        String sql = "select name, age from users where id = ?";
        try (PreparedStatement d = direct.prepareStatement(sql); PreparedStatement c = calcite.prepareStatement(sql)) {
            d.setInt(1, 5);
            c.setInt(1, 5);
            long before = directExecutions(direct);
            assertThat(outcome(d)).isEqualTo(outcome(c)).contains("String:n5 / n5 | Integer:25 / 25 | ");
            assertThat(directExecutions(direct) - before).isEqualTo(1);

            ddl("alter table users add column extra varchar(5)");
            assertThat(outcome(d)).isEqualTo(outcome(c));

            ddl("drop table users");
            List<String> gone = outcome(d);
            assertThat(gone).isEqualTo(outcome(c)).singleElement().asString().startsWith("error 42S02");

            ddl("create table users (id bigint primary key, age varchar(5), name bigint)");
            write(Tuple.of("users", 5, "old", 55));
            assertThat(outcome(d)).isEqualTo(outcome(c));
            assertThat(directExecutions(direct) - before).as("no direct read of a changed table").isEqualTo(1);
        }
        // prepared afresh, the new shape reads directly again
        assertThat(same("select name, age from users where id = ?", p -> p.setInt(1, 5)))
                .contains("Long:55 / 55 | String:old / old | ");
    }

    @Test
    void directProperty_isTrueOrFalse() {
        assertThatThrownBy(() -> DriverManager.getConnection(url + ";direct=sometimes"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY024"));
    }

    @Test
    void readOnlyConnection_readsDirectly() throws SQLException {
        try (Connection ro = DriverManager.getConnection(url + ";read-only=true")) {
            long before = directExecutions(ro);
            assertThat(outcome(ro, "select email from users where id = ?", p -> p.setInt(1, 4)))
                    .contains("String:e4@x / e4@x | ");
            assertThat(directExecutions(ro) - before).isEqualTo(1);
        }
    }

    @Test
    void statementOfClosedConnection_behavesAsBefore() throws SQLException {
        String sql = "select name from users where id = ?";
        PreparedStatement d = direct.prepareStatement(sql);
        PreparedStatement c = calcite.prepareStatement(sql);
        d.setInt(1, 1);
        c.setInt(1, 1);
        try (Connection keepOpen = DriverManager.getConnection(url)) {
            direct.close();
            calcite.close();
            // Avatica does not check the connection of a prepared statement: both paths still read
            assertThat(outcome(d)).isEqualTo(outcome(c));
        }
        // the in-memory database is gone with its last connection
        assertThat(outcome(d)).isEqualTo(outcome(c)).singleElement().asString().startsWith("error");
    }
}
