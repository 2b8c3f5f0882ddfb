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
}
