package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A catalogue of bad inputs, each as a client would send it: every one fails with a {@link SQLException} of the
 * JDBC subclass its SQLState's class calls for, with the standard SQLState, and leaves the connection usable and the
 * database unchanged (the same rows, the same tables) for the sanity query that follows it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueTest {
    @TempDir
    static Path dir;
    private Connection c;
    private Statement s;

    private interface Action {
        void run(Connection c, Statement s) throws Exception;
    }

    private record Case(String name, String state, Action action) {
        @Override
        public String toString() {
            return state + " " + name;
        }
    }

    @BeforeAll
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true;lock-timeout=2000");
        s = c.createStatement();
        s.execute("create table t (id int primary key, name varchar(10) not null, small smallint, tiny tinyint, "
                + "price decimal(5,2), flag boolean, born date, at_time timestamp, data varbinary(4), note text)");
        s.execute("create table child (id int primary key, t_id int references t (id))");
        s.execute("create table bag (k int primary key, v int) with (type = bag)");
        s.executeUpdate("insert into t (id, name, small, tiny, price, flag) values (1, 'one', 1, 1, 1.50, true), "
                + "(2, 'two', 2, 2, 2.50, false)");
        s.executeUpdate("insert into child values (10, 1)");
    }

    @AfterAll
    void close() throws SQLException {
        c.close();
    }

    private static Case q(String state, String sql) {
        return new Case(sql, state, (c, s) -> {
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
        });
    }

    private static Case u(String state, String sql) {
        return new Case(sql, state, (c, s) -> s.executeUpdate(sql));
    }

    private static Case ddl(String state, String sql) {
        return new Case(sql, state, (c, s) -> s.execute(sql));
    }

    private static Case p(String state, String name, String sql, Binder bind) {
        return new Case(name + ": " + sql, state, (c, s) -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                bind.bind(p);
                if (p.execute()) {
                    try (ResultSet rs = p.getResultSet()) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                }
            }
        });
    }

    private static Case x(String state, String name, Action action) {
        return new Case(name, state, action);
    }

    private interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }

    Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        // syntax and names (42)
        all.add(q("42000", "selec id from t"));
        all.add(q("42000", "select id from t where"));
        all.add(q("42000", "select id, from t"));
        all.add(q("42000", "select (id from t"));
        all.add(q("42000", "select 'unterminated from t"));
        all.add(q("42000", "select id from t order"));
        all.add(q("42000", "select * from t limit -1"));
        all.add(q("42S02", "select * from nope"));
        all.add(q("42S02", "select * from mnemo.nope"));
        all.add(q("42S02", "select * from t join nope on t.id = nope.id"));
        all.add(q("42S22", "select nope from t"));
        all.add(q("42S22", "select t.nope from t"));
        all.add(q("42S22", "select id from t where nope = 1"));
        all.add(q("42S22", "select id from t order by nope"));
        all.add(q("42000", "select id, count(*) from t"));
        all.add(q("22018", "select sum(name) from t"));
        all.add(q("42000", "select * from t where id = 'a' and 1"));
        all.add(q("42000", "select nofunction(id) from t"));
        all.add(q("42S22", "select id from t group by nope2"));
        all.add(q("42000", "select id from t union select id, name from t"));
        all.add(u("42S02", "insert into nope values (1)"));
        all.add(u("42S22", "insert into t (id, nope) values (3, 1)"));
        all.add(u("42000", "insert into t (id, name) values (3)"));
        all.add(u("42S22", "update t set nope = 1"));
        all.add(u("42S02", "delete from nope"));
        all.add(u("42000", "update t set id ="));
        // data (22)
        all.add(q("22012", "select 1 / (id - id) from t"));
        all.add(q("22012", "select 1 / 0 from t"));
        all.add(q("22012", "select mod(id, 0) from t"));
        all.add(q("22003", "select 9223372036854775807 + id from t"));
        all.add(q("22003", "select cast(id as bigint) * 9223372036854775807 from t"));
        all.add(q("22018", "select cast(name as integer) from t"));
        all.add(q("22018", "select cast('x' as double) from t"));
        all.add(u("22018", "insert into t (id, name) values (cast('abc' as integer), 'x')"));
        all.add(u("22018", "insert into t (id, name) select cast('abc' as integer), 'x' from t"));
        all.add(q("22003", "select cast('99999999999' as integer) from t"));
        all.add(q("22018", "select cast('maybe' as boolean) from t"));
        all.add(q("22008", "select cast('2024-02-30' as date) from t"));
        all.add(q("22007", "select cast('2024-01-01 25:61:00' as timestamp) from t"));
        all.add(q("22007", "select cast('2024-01-0' || id || ' 25:61:00' as timestamp) from t"));
        all.add(q("22007", "select cast('25:99:99' as time) from t"));
        all.add(q("22007", "select cast('12:60:00' as time) from t")); // folded while converting: was 13:00:00
        all.add(q("2201B", "select id from t where name similar to '(Invalid DATE value'")); // no SQLState before
        all.add(q("2201B", "select id from t where name similar to '[' || name"));
        all.add(q("22007", "select cast(id || ':60:00' as time) from t")); // Calcite alone read 1:60 as 2:00
        all.add(q("22007", "select cast(name as time) from t"));
        all.add(u("22007", "insert into t (id, name, note) select id + 10, 'x', cast(cast(id || ':99' as time) as "
                + "varchar) from t"));
        all.add(u("22001", "insert into t (id, name) values (3, 'eleven chars')"));
        all.add(u("22001", "update t set name = 'much too long' where id = 1"));
        all.add(u("22003", "insert into t (id, name, small) values (3, 'x', 40000)"));
        all.add(u("22003", "insert into t (id, name, tiny) values (3, 'x', 128)"));
        all.add(u("22003", "insert into t (id, name) values (2147483648, 'x')"));
        all.add(u("22003", "insert into t (id, name, price) values (3, 'x', 1000.00)"));
        all.add(u("22003", "update t set small = small + 40000"));
        all.add(u("22001", "insert into t (id, name, data) values (3, 'x', x'0102030405')"));
        all.add(u("22018", "insert into t (id, name, small) values (3, 'x', cast('abc' as smallint))"));
        // constraints (23)
        all.add(u("23505", "insert into t (id, name) values (1, 'again')"));
        all.add(u("23505", "update t set id = 2 where id = 1"));
        all.add(u("23502", "insert into t (id, name) values (3, null)"));
        all.add(u("23502", "insert into t (id) values (3)"));
        all.add(u("23502", "update t set name = null where id = 1"));
        all.add(u("23503", "insert into child values (11, 99)"));
        all.add(u("23503", "delete from t where id = 1"));
        all.add(u("23503", "update child set t_id = 99"));
        all.add(u("23505", "insert into t (id, name) values (5, 'a'), (5, 'b')"));
        // parameters (07, 22)
        all.add(p("07001", "a parameter not set", "select * from t where id = ? or id = ?", ps -> ps.setInt(1, 1)));
        all.add(p("07009", "a parameter index 0", "select * from t where id = ?", ps -> ps.setInt(0, 1)));
        all.add(p("07009", "a parameter index 2 of 1", "select * from t where id = ?", ps -> ps.setInt(2, 1)));
        all.add(p("07009", "setNull past the end", "select * from t where id = ?", ps -> ps.setNull(3, 4)));
        all.add(p("22018", "setString 'abc' for an INTEGER", "select * from t where id = ?",
                ps -> ps.setString(1, "abc")));
        all.add(p("22018", "setDate for an INTEGER", "insert into t (id, name) values (?, 'x')",
                ps -> ps.setDate(1, java.sql.Date.valueOf("2020-01-01"))));
        all.add(p("22018", "setBytes for an INTEGER", "insert into t (id, name) values (?, 'x')",
                ps -> ps.setBytes(1, new byte[] {1})));
        all.add(p("22018", "setObject(new Object()) for an INTEGER", "insert into t (id, name) values (?, 'x')",
                ps -> ps.setObject(1, new Object())));
        all.add(p("22018", "setInt for a BOOLEAN", "insert into t (id, name, flag) values (3, 'x', ?)",
                ps -> ps.setInt(1, 1)));
        all.add(p("22018", "setString 'maybe' for a BOOLEAN", "insert into t (id, name, flag) values (3, 'x', ?)",
                ps -> ps.setString(1, "maybe")));
        all.add(p("22001", "a string too long", "insert into t (id, name) values (3, ?)",
                ps -> ps.setString(1, "x".repeat(11))));
        all.add(p("22001", "a stream too long", "insert into t (id, name, data) values (3, 'x', ?)",
                ps -> ps.setBinaryStream(1, new ByteArrayInputStream(new byte[5]))));
        all.add(p("22003", "a SMALLINT out of range", "insert into t (id, name, small) values (3, 'x', ?)",
                ps -> ps.setInt(1, 70_000)));
        all.add(p("23505", "a duplicate key", "insert into t (id, name) values (?, 'x')", ps -> ps.setInt(1, 2)));
        all.add(p("23502", "a null for NOT NULL", "insert into t (id, name) values (3, ?)",
                ps -> ps.setNull(1, java.sql.Types.VARCHAR)));
        all.add(p("22000", "a stream shorter than its length", "insert into t (id, name, data) values (3, 'x', ?)",
                ps -> ps.setBinaryStream(1, new ByteArrayInputStream(new byte[2]), 3)));
        // statement kinds, cursors, closed objects
        all.add(x("07005", "executeQuery of an INSERT", (c, s) -> s.executeQuery("insert into t (id, name) "
                + "values (3, 'x')")));
        all.add(x("07005", "executeQuery of DDL", (c, s) -> s.executeQuery("create table never (a int)")));
        all.add(x("07003", "executeUpdate of a SELECT", (c, s) -> s.executeUpdate("select * from t")));
        all.add(x("07005", "prepared executeQuery of a DELETE", (c, s) -> {
            try (PreparedStatement p = c.prepareStatement("delete from t")) {
                p.executeQuery();
            }
        }));
        all.add(x("07003", "prepared executeUpdate of a SELECT", (c, s) -> {
            try (PreparedStatement p = c.prepareStatement("select * from t")) {
                p.executeUpdate();
            }
        }));
        all.add(x("24000", "a getter before next()", (c, s) -> {
            try (ResultSet rs = s.executeQuery("select id from t")) {
                rs.getInt(1);
            }
        }));
        all.add(x("24000", "a getter after the last row", (c, s) -> {
            try (ResultSet rs = s.executeQuery("select id from t where id = 1")) {
                rs.next();
                rs.next();
                rs.getString(1);
            }
        }));
        all.add(x("07009", "column index 0", (c, s) -> {
            try (ResultSet rs = s.executeQuery("select id from t")) {
                rs.next();
                rs.getString(0);
            }
        }));
        all.add(x("07009", "column index past the end", (c, s) -> {
            try (ResultSet rs = s.executeQuery("select id from t")) {
                rs.next();
                rs.getObject(99);
            }
        }));
        all.add(x("42S22", "findColumn of an unknown label", (c, s) -> {
            try (ResultSet rs = s.executeQuery("select id from t")) {
                rs.findColumn("nope");
            }
        }));
        all.add(x("42S22", "getString of an unknown label", (c, s) -> {
            try (ResultSet rs = s.executeQuery("select id from t")) {
                rs.next();
                rs.getString("nope");
            }
        }));
        all.add(x("42S22", "getTimestamp with a calendar, of an unknown label", (c, s) -> {
            try (ResultSet rs = s.executeQuery("select id from t")) {
                rs.next();
                rs.getTimestamp("nope", java.util.Calendar.getInstance());
            }
        }));
        all.add(x("24000", "a closed result set", (c, s) -> {
            ResultSet rs = s.executeQuery("select id from t");
            rs.close();
            rs.next();
        }));
        all.add(x("HY010", "a closed statement", (c, s) -> {
            Statement closed = c.createStatement();
            closed.close();
            closed.executeQuery("select 1");
        }));
        all.add(x("HY010", "a closed prepared statement", (c, s) -> {
            PreparedStatement closed = c.prepareStatement("select id from t where id = ?");
            closed.close();
            closed.setInt(1, 1);
        }));
        all.add(x("08003", "a closed connection", (c, s) -> {
            Connection other = DriverManager.getConnection("jdbc:mnemo:mem:catalogue");
            other.close();
            other.createStatement();
        }));
        all.add(x("08003", "commit on a closed connection", (c, s) -> {
            Connection other = DriverManager.getConnection("jdbc:mnemo:mem:catalogue");
            other.close();
            other.commit();
        }));
        // transactions and modes
        all.add(x("25000", "a savepoint in autocommit", (c, s) -> c.setSavepoint()));
        all.add(x("3B001", "rollback to a savepoint of an ended transaction", (c, s) -> {
            c.setAutoCommit(false);
            try {
                java.sql.Savepoint sp = c.setSavepoint("a");
                c.rollback();
                c.rollback(sp);
            } finally {
                c.setAutoCommit(true);
            }
        }));
        all.add(x("25006", "a write on a read-only connection", (c, s) -> {
            c.setReadOnly(true);
            try {
                s.executeUpdate("insert into t (id, name) values (3, 'x')");
            } finally {
                c.setReadOnly(false);
            }
        }));
        all.add(x("25006", "DDL on a read-only connection", (c, s) -> {
            c.setReadOnly(true);
            try {
                s.execute("create table never (a int, b int)");
            } finally {
                c.setReadOnly(false);
            }
        }));
        all.add(x("25001", "setReadOnly inside a transaction", (c, s) -> {
            c.setAutoCommit(false);
            try {
                s.executeUpdate("update t set small = small where id = 1");
                c.setReadOnly(true);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }));
        all.add(x("HY024", "a negative fetch size", (c, s) -> s.setFetchSize(-1)));
        all.add(x("HY024", "an unknown result set type", (c, s) -> c.createStatement(12345,
                ResultSet.CONCUR_READ_ONLY)));
        all.add(x("HY024", "a negative network timeout", (c, s) -> c.setNetworkTimeout(Runnable::run, -1)));
        all.add(x("HY009", "abort without an executor", (c, s) -> c.abort(null)));
        all.add(x("08001", "a URL whose directory is a file", (c, s) -> {
            Path file = Files.createTempFile("mnemo", ".file");
            try {
                DriverManager.getConnection("jdbc:mnemo:" + file);
            } finally {
                Files.deleteIfExists(file);
            }
        }));
        all.add(x("HY024", "an unknown URL property value", (c, s) -> DriverManager.getConnection(
                "jdbc:mnemo:mem:x;lock-timeout=soon")));
        // DDL
        all.add(ddl("42000", "create table"));
        all.add(ddl("42000", "create table x (a nosuchtype)"));
        all.add(ddl("42000", "create table x (a int, a int)"));
        all.add(ddl("42000", "create table x (id int, year int)"));
        all.add(ddl("42000", "create table \" \" (a int)"));
        all.add(ddl("42S01", "create table t (a int)"));
        all.add(ddl("42S02", "drop table nope"));
        all.add(ddl("42S12", "drop index nope"));
        all.add(ddl("42S22", "create index i on t (nope)"));
        all.add(ddl("42S22", "create table x (a int, primary key (b))"));
        all.add(ddl("42000", "create table x (a int) with (type = heap)"));
        all.add(ddl("42000", "alter table t drop column id"));
        all.add(ddl("42S22", "alter table t drop column nope"));
        all.add(ddl("42S21", "alter table t add column name int"));
        all.add(ddl("42000", "create view v as select * from t where id = ?"));
        all.add(ddl("42S22", "create view v as select nope from t"));
        all.add(ddl("2BP01", "drop table t"));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadInput_failsWithItsStandardState_andLeavesTheDatabaseAsItWas(Case bad) throws Exception {
        List<String> before = fingerprint();
        Throwable e = catchThrowable(() -> bad.action().run(c, s));
        assertThat(e).as(bad.name()).isInstanceOf(SQLException.class);
        SQLException sql = (SQLException) e;
        assertThat(sql.getSQLState()).as(bad.name() + ": " + sql.getMessage()).isEqualTo(bad.state());
        String cls = bad.state().substring(0, 2);
        Class<?> expected = switch (cls) {
            case "42" -> java.sql.SQLSyntaxErrorException.class;
            case "22" -> java.sql.SQLDataException.class;
            case "23" -> java.sql.SQLIntegrityConstraintViolationException.class;
            case "40" -> java.sql.SQLTransactionRollbackException.class;
            case "08" -> bad.state().equals("08001") ? SQLException.class
                    : java.sql.SQLNonTransientConnectionException.class;
            default -> SQLException.class;
        };
        assertThat(e).as(bad.name()).isInstanceOf(expected);
        assertThat(fingerprint()).as("the database after " + bad.name()).isEqualTo(before);
    }

    /** The rows of every table and the list of tables: what no failed statement may change. */
    private List<String> fingerprint() throws SQLException {
        List<String> out = new ArrayList<>(rows(s.executeQuery("select * from t order by id")));
        out.addAll(rows(s.executeQuery("select * from child order by id")));
        out.addAll(rows(s.executeQuery("select count(*) from bag")));
        try (ResultSet rs = c.getMetaData().getTables(null, "mnemo", "%", null)) {
            while (rs.next()) {
                out.add("table " + rs.getString("TABLE_NAME"));
            }
        }
        assertThat(c.getAutoCommit()).isTrue();
        return out;
    }
}
