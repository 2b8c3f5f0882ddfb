package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ResultSet.getObject(column, Class)} (JDBC 4.1, what Hibernate 6 and jOOQ read through) gives each column
 * as the asked type: the Java types of its getters, java.time for dates and times, null for SQL NULL, by index and
 * by label; a type the value cannot be is 22018.
 */
class TypedGettersTest {
    private Connection c;
    private Statement s;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:typed-getters-" + System.nanoTime());
        s = c.createStatement();
        s.execute("create table g (id int primary key, n bigint, sm smallint, d date, t time(3), ts timestamp, "
                + "v varchar(5), r real, dc decimal(5,2), b boolean, bin varbinary(3))");
        s.execute("insert into g values (1, 5, 7, date '2024-02-29', time '12:34:56.789', "
                + "timestamp '2024-02-29 23:59:59.987', 'x', 0.1, 1.25, true, x'0102')");
        s.execute("insert into g (id) values (2)");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void eachColumn_readsAsTheAskedType() throws SQLException {
        try (ResultSet rs = s.executeQuery("select * from g where id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, Integer.class)).isEqualTo(1);
            assertThat(rs.getObject(1, Long.class)).isEqualTo(1L);
            assertThat(rs.getObject(2, Long.class)).isEqualTo(5L);
            assertThat(rs.getObject(2, BigInteger.class)).isEqualTo(BigInteger.valueOf(5));
            assertThat(rs.getObject(2, String.class)).isEqualTo("5");
            assertThat(rs.getObject(3, Short.class)).isEqualTo((short) 7);
            assertThat(rs.getObject(3, Byte.class)).isEqualTo((byte) 7);
            assertThat(rs.getObject(4, LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
            assertThat(rs.getObject(4, java.sql.Date.class)).isEqualTo(java.sql.Date.valueOf("2024-02-29"));
            assertThat(rs.getObject(5, LocalTime.class)).isEqualTo(LocalTime.of(12, 34, 56, 789_000_000));
            assertThat(rs.getObject(6, LocalDateTime.class))
                    .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 987_000_000));
            assertThat(rs.getObject(6, java.sql.Timestamp.class))
                    .isEqualTo(java.sql.Timestamp.valueOf("2024-02-29 23:59:59.987"));
            assertThat(rs.getObject(6, java.time.Instant.class)).isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59,
                    987_000_000).atZone(ZoneId.systemDefault()).toInstant());
            assertThat(rs.getObject(7, String.class)).isEqualTo("x");
            assertThat(rs.getObject(8, Float.class)).isEqualTo(0.1f);
            assertThat(rs.getObject(8, BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
            assertThat(rs.getObject(9, BigDecimal.class)).isEqualTo(new BigDecimal("1.25"));
            assertThat(rs.getObject(9, Double.class)).isEqualTo(1.25);
            assertThat(rs.getObject(10, Boolean.class)).isTrue();
            assertThat(rs.getObject(11, byte[].class)).containsExactly(1, 2);
            assertThat(rs.getObject(7, Object.class)).isEqualTo("x");
            assertThat(rs.getObject("ts", LocalDateTime.class)).as("by label")
                    .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 987_000_000));
            assertThatThrownBy(() -> rs.getObject(7, java.util.UUID.class)).isInstanceOfSatisfying(
                    SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22018"));
            assertThatThrownBy(() -> rs.getObject(7, Integer.class)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void sqlNull_isNullForEveryType() throws SQLException {
        try (ResultSet rs = s.executeQuery("select * from g where id = 2")) {
            assertThat(rs.next()).isTrue();
            Class<?>[] types = {Long.class, Short.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
                String.class, Float.class, BigDecimal.class, Boolean.class, byte[].class};
            for (int i = 2; i <= 11; i++) {
                assertThat(rs.getObject(i, types[i - 2])).as("column " + i).isNull();
                assertThat(rs.wasNull()).isTrue();
            }
        }
    }
}
