package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.jdbc.MnemoMeta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each failure is a SQLException with a useful message and a SQLState, and leaves no lock behind. */
class ErrorsTest {
    private Connection c;
    private Mnemo db;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:errors;close-on-last=true;lock-timeout=1000");
        db = MnemoMeta.sessionOf((AvaticaConnection) c).database();
        db.createTable(TableDef.builder("users").attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .build());
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private static void assertState(ThrowingRunnable r, String state, String messagePart) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state)).hasMessageContaining(messagePart);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void syntaxError_is42000_withPosition() throws SQLException {
        try (Statement s = c.createStatement()) {
            assertState(() -> s.executeQuery("selec * from users"), "42000", "line 1, column 1");
            // prepareStatement goes through Calcite's connection, whose message keeps only the SQL text
            assertState(() -> c.prepareStatement("select * from users where"), "42000", "select * from users where");
        }
    }

    @Test
    void unknownTableOrColumn_is42S02or42S22() throws SQLException {
        try (Statement s = c.createStatement()) {
            assertState(() -> s.executeQuery("select * from nope"), "42S02", "Object 'nope' not found");
            assertState(() -> s.executeQuery("select colour from users"), "42S22", "Column 'colour' not found");
        }
    }

    @Test
    void typeMismatch_is42000() throws SQLException {
        try (Statement s = c.createStatement()) {
            assertState(() -> s.executeQuery("select * from users where id = date '2020-01-01'"), "42000",
                    "Cannot apply '='");
        }
    }

    @Test
    void constraintViolations_have23xxStates_andLeaveNoLocks() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into users values (1, 'a')");
            assertState(() -> s.executeUpdate("insert into users values (1, 'b')"), "23505", "duplicate key");
            assertState(() -> s.executeUpdate("insert into users values (null, 'b')"), "23502", "NULL");
            try (PreparedStatement p = c.prepareStatement("insert into users values (?, ?)")) {
                p.setInt(1, 1);
                p.setString(2, "c");
                assertState(p::executeUpdate, "23505", "duplicate key");
            }
            assertThat(rows(s.executeQuery("select name from users"))).containsExactly("a");
        }
        assertThat(db.systemInfo().heldLocks()).isEmpty();
    }

    @Test
    void lostConflict_inExplicitTransaction_is40001_andRollsBack() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:mnemo:mem:errors;close-on-last=true;lock-timeout=1000")) {
            c.setAutoCommit(false);
            other.setAutoCommit(false);
            try (Statement s = c.createStatement(); Statement o = other.createStatement()) {
                s.executeUpdate("insert into users values (1, 'older')");
                o.executeUpdate("insert into users values (2, 'younger')");
                assertState(() -> o.executeQuery("select name from users where id = 1"), "40001", "rolled back");
                c.commit();
                other.rollback();
                assertThat(rows(s.executeQuery("select id from users order by id"))).containsExactly("1");
            }
        }
        c.commit();
        assertThat(db.systemInfo().heldLocks()).isEmpty();
    }

    @Test
    void closedConnectionAndStatement_throw() throws SQLException {
        Connection x = DriverManager.getConnection("jdbc:mnemo:mem:errors;close-on-last=true;lock-timeout=1000");
        Statement s = x.createStatement();
        s.close();
        assertThatThrownBy(() -> s.executeQuery("select * from users")).isInstanceOf(SQLException.class);
        x.close();
        assertThatThrownBy(x::createStatement).isInstanceOf(SQLException.class);
    }

    @Test
    void failuresWhileRowsAreComputed_areSqlExceptionsWithTheirStandardState() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into users values (1, 'one')");
            assertThatThrownBy(() -> {
                var rs = s.executeQuery("select 1 / (id - id) from users");
                rs.next();
            }).isInstanceOfSatisfying(java.sql.SQLDataException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("22012")).hasMessageContaining("division by zero")
                    .hasRootCauseInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> {
                var rs = s.executeQuery("select cast(name as integer) from users");
                rs.next();
            }).isInstanceOfSatisfying(java.sql.SQLDataException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("22018")).hasMessageContaining("one");
            assertThat(rows(s.executeQuery("select count(*) from users"))).containsExactly("1");
        }
    }

    @Test
    void aParameterNotSet_is07001_andAnIndexOutOfRange_is07009() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select name from users where id = ? or id = ?")) {
            p.setInt(1, 1);
            assertState(p::executeQuery, "07001", "parameter 2 of 2 is not set");
            assertState(p::addBatch, "07001", "parameter 2 of 2 is not set");
            assertState(() -> p.setInt(3, 1), "07009", "parameter index 3 is out of range: the statement has 2");
            assertState(() -> p.setString(0, "x"), "07009", "parameter index 0");
            p.setInt(2, 2);
            assertThat(rows(p.executeQuery())).isEmpty();
        }
        try (PreparedStatement p = c.prepareStatement("insert into users values (?, ?)")) {
            p.setInt(1, 7);
            assertState(p::executeUpdate, "07001", "parameter 2 of 2 is not set");
            p.setString(2, "seven");
            p.addBatch();
            p.clearParameters();
            assertThat(p.executeBatch()).containsExactly(1); // the batch holds its own values
        }
    }
    /**
     * A statement whose constant fails (a cast of 'abc' to BOOLEAN) fails alike on every database of the JVM: the
     * second time the shared compiled code reports only a NoClassDefFoundError, which escaped raw (found by review).
     */
    @Test
    void aFailingConstant_isTheSameDataException_inASecondDatabaseOfTheJvm() throws SQLException {
        String sql = "insert into t values (1, 'abc" + System.nanoTime() + "')"; // a constant no test compiled yet
        for (int i = 0; i < 2; i++) {
            try (Connection other = DriverManager.getConnection("jdbc:mnemo:mem:constant" + i + "-" + System.nanoTime()
                    + ";close-on-last=true"); Statement s = other.createStatement()) {
                s.execute("create table t (id int primary key, v boolean)");
                assertThatThrownBy(() -> s.executeUpdate(sql)).isInstanceOfSatisfying(java.sql.SQLDataException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("22018")) // invalid character value for cast
                        .hasMessageContaining("Invalid character for cast: abc");
                assertThat(rows(s.executeQuery("select count(*) from t"))).containsExactly("0");
            }
        }
    }

    /**
     * A batch whose command fails is a BatchUpdateException with the failure's SQLState and the counts of the
     * commands before it, for a plain statement's batch (which let an unchecked exception escape, found by review)
     * and a prepared one's.
     */
    @Test
    void aFailingBatch_isABatchUpdateException_withTheCountsBeforeIt() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table u (id int primary key)");
            s.addBatch("insert into u values (1)");
            s.addBatch("insert into u values (1)");
            s.addBatch("insert into u values (2)");
            assertThatThrownBy(s::executeBatch).isInstanceOfSatisfying(java.sql.BatchUpdateException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("23505");
                assertThat(e.getLargeUpdateCounts()).containsExactly(1L);
            }).hasMessageContaining("duplicate key 1");
            assertThat(rows(s.executeQuery("select id from u"))).containsExactly("1"); // each command committed
            s.executeUpdate("insert into u values (2)");
        }
        c.setAutoCommit(false); // with autocommit off the rows before the failing one stay in the transaction
        try (PreparedStatement p = c.prepareStatement("update u set id = ? where id = ?")) {
            for (int[] ids : new int[][] {{5, 1}, {6, 6}, {2, 5}}) {
                p.setInt(1, ids[0]);
                p.setInt(2, ids[1]);
                p.addBatch();
            }
            // the third moves 5 onto 2, which is taken
            assertThatThrownBy(p::executeBatch).isInstanceOfSatisfying(java.sql.BatchUpdateException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("23505");
                assertThat(e.getLargeUpdateCounts()).containsExactly(1L, 0L);
            });
        }
        c.commit();
        try (Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select id from u order by id"))).containsExactly("2", "5");
        }
        c.setAutoCommit(true);
        // in autocommit a prepared batch is one transaction: it fails as a whole, and no execution stays counted
        try (PreparedStatement p = c.prepareStatement("insert into u values (?)")) {
            for (int id : new int[] {7, 8, 2, 9}) {
                p.setInt(1, id);
                p.addBatch();
            }
            assertThatThrownBy(p::executeBatch).isInstanceOfSatisfying(java.sql.BatchUpdateException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("23505");
                assertThat(e.getLargeUpdateCounts()).isEmpty();
            });
        }
        // a batch's commands may return no rows (JDBC): a query in a batch fails it, as executeUpdate would
        try (Statement s = c.createStatement(); PreparedStatement p = c.prepareStatement("select id from u")) {
            s.addBatch("insert into u values (10)");
            s.addBatch("select id from u");
            assertThatThrownBy(s::executeBatch).isInstanceOfSatisfying(java.sql.BatchUpdateException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("07003");
                assertThat(e.getLargeUpdateCounts()).containsExactly(1L);
            });
            p.addBatch();
            p.addBatch();
            assertThatThrownBy(p::executeBatch).isInstanceOfSatisfying(java.sql.BatchUpdateException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("07003"));
            assertThat(rows(s.executeQuery("select id from u order by id"))).containsExactly("2", "5", "10");
        }
    }

    /**
     * Mnemo checks the strings cast to TIME (22007 for '12:60:00', which Calcite read as 13:00:00), but leaves a cast
     * with a FORMAT to Calcite and fails only a cast that runs: a branch that never runs, or a filter already false,
     * does not fail (found by review).
     */
    @Test
    void timeStrings_areCheckedWhenTheyRun_formatsLeftToCalcite() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:mem:times" + System.nanoTime()
                + ";close-on-last=true"); Statement s = c.createStatement()) {
            s.execute("create table tm (id int primary key, txt varchar(20), t_at time)");
            s.executeUpdate("insert into tm values (1, '05:10', null), (2, '1:60:00', null)");
            assertThat(rows(s.executeQuery("select cast(txt as time format 'MI:HH24') from tm where id = 1")))
                    .containsExactly("10:05:00");
            assertThat(rows(s.executeQuery("select case when id < 0 then cast('25:00:00' as time) end from tm "
                    + "where id = 1"))).containsExactly("null");
            assertThat(rows(s.executeQuery("select count(*) from tm where 1 = 0 and t_at = cast('25:00:00' as time)")))
                    .containsExactly("0");
            assertThat(rows(s.executeQuery("select cast(txt as time) from tm where id = 1"))).containsExactly("05:10:00");
            for (String bad : new String[] {"select cast(txt as time) from tm where id = 2",
                "select cast('12:60:00' as time)", "select cast('24:00:00' as time) from tm"}) {
                assertThatThrownBy(() -> rows(s.executeQuery(bad))).as(bad)
                        .isInstanceOfSatisfying(java.sql.SQLDataException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("22007"))
                        .hasMessageContaining("Invalid TIME value");
            }
        }
    }
}
