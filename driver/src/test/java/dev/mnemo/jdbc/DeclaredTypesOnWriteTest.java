package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Declared lengths and integer widths are enforced on write, as H2 and the SQL standard do: a VARCHAR(n) or CHAR(n)
 * value of more than n characters and a VARBINARY(n) of more than n bytes are 22001, an INTEGER, SMALLINT or TINYINT
 * out of its range 22003, through INSERT, UPDATE and prepared batches, naming the table and column, and nothing is
 * written.
 */
class DeclaredTypesOnWriteTest {
    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:declared-" + System.nanoTime());
        try (Statement s = c.createStatement()) {
            s.execute("create table d (id int primary key, name varchar(5), code char(3), small smallint, "
                    + "tiny tinyint, bin varbinary(4), big bigint, note varchar)");
            s.execute("insert into d values (1, 'abcde', 'xyz', 32767, -128, x'01020304', 9223372036854775807, "
                    + "'no limit')");
        }
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws SQLException {
        c.close();
    }

    private String rowOne() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from d order by id")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                for (int i = 1; i <= 8; i++) {
                    sb.append(rs.getString(i)).append(i < 8 ? "|" : ";");
                }
            }
            return sb.toString();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "insert into d (id, name) values (2, 'abcdef'); 22001; column name: a value of 6 characters is too long for VARCHAR(5)",
        "insert into d (id, code) values (2, 'abcd'); 22001; column code: a value of 4 characters is too long for CHAR(3)",
        "insert into d (id, bin) values (2, x'0102030405'); 22001; column bin: a value of 5 bytes is too long for VARBINARY(4)",
        "insert into d (id) values (2147483648); 22003; column id: value 2147483648 is out of range for INTEGER",
        "insert into d (id, small) values (2, 32768); 22003; column small: value 32768 is out of range for SMALLINT (-32768 to 32767)",
        "insert into d (id, tiny) values (2, -129); 22003; column tiny: value -129 is out of range for TINYINT (-128 to 127)",
        "update d set name = 'toolong' where id = 1; 22001; column name: a value of 7 characters",
        "update d set small = small + 1; 22003; column small: value 32768",
    })
    void valuesBeyondTheDeclaration_areRefused_andNothingIsWritten(String sql, String state, String message)
            throws SQLException {
        String before = rowOne();
        try (Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate(sql)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("table d, " + message)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(state));
        }
        assertThat(rowOne()).isEqualTo(before);
    }

    @Test
    void valuesWithinTheDeclaration_areWritten_countingCharactersNotUtf16Units() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into d (id, name, code, tiny, bin) values (?, ?, ?, ?, ?)")) {
            p.setInt(1, 2);
            p.setString(2, "ab\uD83D\uDE00cd"); // five characters, six UTF-16 units
            p.setString(3, "é€");
            p.setInt(4, 127);
            p.setBytes(5, new byte[] {0, 0, 0, 0});
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
        try (Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("update d set note = '" + "x".repeat(10_000) + "' where id = 2")).isEqualTo(1);
            assertThat(s.executeUpdate("delete from d where id = 2")).isEqualTo(1);
        }
    }

    @Test
    void aPreparedBatchWithOneRowTooLong_writesNoneOfIt() throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("insert into d (id, name) values (?, ?)")) {
            for (int i = 10; i < 20; i++) {
                p.setInt(1, i);
                p.setString(2, i == 15 ? "sixsix" : "ok" + i);
                p.addBatch();
            }
            assertThatThrownBy(p::executeBatch).isInstanceOf(SQLException.class)
                    .hasMessageContaining("column name: a value of 6 characters");
        }
        c.rollback();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from d")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void anUpdate_checksTheColumnsItSets_notThoseARowAlreadyHeld() throws SQLException {
        // a row written before its column was declared narrower: only ALTER-free way here is the engine API
        dev.mnemo.engine.Mnemo db = org.apache.calcite.jdbc.MnemoMeta.sessionOf(
                (org.apache.calcite.avatica.AvaticaConnection) c).database();
        db.dirtyWrite("d", dev.mnemo.engine.value.Tuple.of("d", 9L, "much too long", null, 70_000L, null, null,
                null, null));
        try (Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("update d set note = 'touched' where id = 9")).isEqualTo(1);
            assertThat(s.executeUpdate("delete from d where id = 9")).isEqualTo(1);
        }
    }

    /**
     * A REAL holds a float's range (22003 beyond it, nothing written); a TIME(p) or TIMESTAMP(p) keeps p fraction
     * digits, cut rather than rounded (so 23:59:59.9 never becomes the next day), on INSERT, UPDATE and prepared
     * parameters alike, before 1970 as after.
     */
    @Test
    void realRange_andFractionDigitsOfTimes_areKeptAsDeclared() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table tt (id int primary key, f real, ts timestamp(1), tm time(0))");
            assertThatThrownBy(() -> s.execute("insert into tt (id, f) values (1, 1e300)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22003");
                        assertThat(e.getMessage()).contains("column f").contains("out of range for REAL");
                    });
            assertThat(s.executeUpdate("insert into tt (id, f) values (2, -3.4e38)")).isEqualTo(1);
            s.execute("insert into tt values (3, 0.5, timestamp '1969-12-31 23:59:59.987', time '23:59:59.9')");
            try (PreparedStatement p = c.prepareStatement("insert into tt (id, ts) values (?, ?)")) {
                p.setInt(1, 4);
                p.setTimestamp(2, java.sql.Timestamp.valueOf("2024-02-29 23:59:59.999"));
                p.executeUpdate();
            }
            s.execute("update tt set ts = timestamp '2001-01-01 00:00:00.555', tm = time '12:00:00.5' where id = 2");
            try (ResultSet rs = s.executeQuery("select id, ts, tm from tt order by id")) {
                StringBuilder b = new StringBuilder();
                while (rs.next()) {
                    b.append(rs.getInt(1)).append('|').append(rs.getString(2)).append('|').append(rs.getString(3))
                            .append(';');
                }
                assertThat(b.toString()).isEqualTo("2|2001-01-01 00:00:00.5|12:00:00;"
                        + "3|1969-12-31 23:59:59.9|23:59:59;4|2024-02-29 23:59:59.9|null;");
            }
            try (ResultSet rs = s.executeQuery("select count(*) from tt where id = 1")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the refused row").isZero();
            }
        }
    }

    /**
     * Rows that hold more fraction digits than their TIME(p)/TIMESTAMP(p) column keeps (written before the cut was
     * made, or through the engine API) are matched as they are stored: an UPDATE or DELETE finds and changes exactly
     * the row its WHERE names (cutting the stored row's values first made it miss, or hit another row).
     */
    @Test
    void rowsHoldingMoreFractionDigits_areUpdatedAndDeletedAsStored() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table b (k int, ts timestamp(0)) with (type = 'bag')");
            s.execute("create table p (ts timestamp(0) primary key, v varchar)");
        }
        dev.mnemo.engine.Mnemo db = org.apache.calcite.jdbc.MnemoMeta.sessionOf(
                (org.apache.calcite.avatica.AvaticaConnection) c).database();
        java.time.LocalDateTime half = java.time.LocalDateTime.of(2024, 1, 1, 12, 0, 0, 500_000_000);
        db.dirtyWrite(dev.mnemo.engine.value.Tuple.of("b", 1L, half));
        db.dirtyWrite(dev.mnemo.engine.value.Tuple.of("p", half.withNano(0), "zero"));
        db.dirtyWrite(dev.mnemo.engine.value.Tuple.of("p", half, "half"));
        try (Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("update b set k = 2")).isEqualTo(1);
            assertThat(rows(s, "select k from b")).isEqualTo("2;");
            assertThat(s.executeUpdate("update p set v = 'HALF' where v = 'half'")).isEqualTo(1);
            assertThat(rows(s, "select v from p order by ts")).isEqualTo("zero;HALF;");
            assertThat(s.executeUpdate("delete from p where v = 'HALF'")).isEqualTo(1);
            assertThat(s.executeUpdate("delete from b where k = 2")).isEqualTo(1);
            assertThat(rows(s, "select v from p") + rows(s, "select k from b")).isEqualTo("zero;");
        }
    }

    private static String rows(Statement s, String sql) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                b.append(rs.getString(1)).append(';');
            }
        }
        return b.toString();
    }
}
