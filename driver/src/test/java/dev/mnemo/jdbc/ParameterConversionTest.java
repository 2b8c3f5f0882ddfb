package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A parameter set with another Java type than its column's is converted as JDBC drivers do (a numeric string for a
 * number, a number for a string, "true" for a BOOLEAN), on the direct path, Calcite's and in batches; one that
 * cannot be is SQLState 22018 naming the parameter, the value and the type, and nothing is written.
 */
class ParameterConversionTest {
    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:params;close-on-last=true");
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key, n bigint, name varchar(20), ok boolean)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void convertibleValues_areStoredAsTheirColumnsType() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?, ?)")) {
            p.setString(1, "1");
            p.setString(2, " 42 ");
            p.setInt(3, 12);
            p.setString(4, "TRUE");
            assertThat(p.executeUpdate()).isEqualTo(1);
            for (int i = 2; i <= 3; i++) {
                p.setInt(1, i);
                p.setString(2, String.valueOf(i * 10));
                p.setBigDecimal(3, new java.math.BigDecimal("1.50"));
                p.setString(4, "false");
                p.addBatch();
            }
            assertThat(p.executeBatch()).containsExactly(1, 1);
        }
        try (PreparedStatement q = c.prepareStatement("select id, n, name, ok from t where n >= ? order by id")) {
            q.setString(1, "25");
            assertThat(rows(q.executeQuery())).containsExactly("1|42|12|true", "3|30|1.50|false");
        }
        try (Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select id, n, name, ok from t where id = 1")))
                    .containsExactly("1|42|12|true");
        }
    }

    @Test
    void valuesThatCannotBeConverted_are22018_namingTheParameterAndType_andWriteNothing() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?, ?)")) {
            p.setInt(1, 1);
            p.setString(3, "x");
            p.setBoolean(4, true);
            assertFails(p, () -> p.setString(2, "abc"), "parameter 2: 'abc' is not a number to BIGINT");
            assertFails(p, () -> p.setString(2, "1.5"), "parameter 2: '1.5' is not an integer to BIGINT");
            p.setString(2, "99999999999999999999");
            assertThatThrownBy(p::executeUpdate).isInstanceOfSatisfying(SQLDataException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("22003"))
                    .hasMessageContaining("parameter 2: 99999999999999999999 is out of range for BIGINT");
            assertFails(p, () -> p.setDate(2, java.sql.Date.valueOf("2020-01-01")), "parameter 2: a value of type "
                    + "DATE cannot be converted to BIGINT");
            assertFails(p, () -> p.setTimestamp(2, new java.sql.Timestamp(0)), "TIMESTAMP cannot be converted");
            assertFails(p, () -> p.setBytes(2, new byte[] {1}), "VARBINARY cannot be converted to BIGINT");
            assertFails(p, () -> p.setObject(2, new Object()), "java.lang.Object cannot be converted to BIGINT");
            p.setLong(2, 5);
            assertFails(p, () -> p.setString(4, "maybe"), "parameter 4: 'maybe' is not TRUE or FALSE");
            assertFails(p, () -> p.setInt(4, 1), "parameter 4: a value of type java.lang.Integer cannot be "
                    + "converted to BOOLEAN");
        }
        try (PreparedStatement q = c.prepareStatement("select count(*) from t where id = ?")) {
            q.setString(1, "one");
            assertThatThrownBy(q::executeQuery).isInstanceOfSatisfying(SQLDataException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("22018")).hasMessageContaining("'one' is not a number");
        }
        try (Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select count(*) from t"))).containsExactly("0");
        }
    }

    private interface Setter {
        void set() throws SQLException;
    }

    private static void assertFails(PreparedStatement p, Setter set, String message) throws SQLException {
        set.set();
        assertThatThrownBy(p::executeUpdate).isInstanceOfSatisfying(SQLDataException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("22018")).hasMessageContaining(message);
        p.addBatch();
        assertThatThrownBy(p::executeBatch).isInstanceOf(SQLException.class).hasMessageContaining(message);
        p.clearBatch();
    }
}
