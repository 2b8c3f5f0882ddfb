package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BLOB and CLOB columns through JDBC streams: values larger than a Xodus log file go in through
 * {@code setBinaryStream}, {@code setCharacterStream}, {@code setBlob}, {@code setClob} and {@code setObject} and
 * come back through {@code getBinaryStream}, {@code getCharacterStream}, {@code getBlob} and {@code getClob} on every
 * storage type, across reopen and an UPDATE of another column; lengths over the limit, short streams and keys over
 * the disc key limit are errors with their SQLState.
 */
class LargeValuesJdbcTest {
    @TempDir
    Path dir;

    private static final int BODY = 20 << 20;
    private static final int TEXT = 9 << 20;

    private String url() {
        return "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
    }

    private static byte[] body(long seed) {
        byte[] b = new byte[BODY];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String text(long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(TEXT);
        while (sb.length() < TEXT) {
            sb.append(r.nextInt(50) == 0 ? 'ß' : (char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static byte[] digest(InputStream in) throws IOException {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String readAll(Reader in) throws IOException {
        try (in) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        }
    }

    private static byte[] digest(byte[] b) throws IOException {
        return digest(new ByteArrayInputStream(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void blobsAndClobsOverALogFile_goInAsStreams_andComeBackAsStreams_acrossReopen(String storage) throws Exception {
        try (Connection c = DriverManager.getConnection(url())) {
            try (Statement s = c.createStatement()) {
                s.execute("create table docs (id bigint primary key, body blob, txt clob, title varchar(20)) "
                        + "with (storage = " + storage + ")");
            }
            try (PreparedStatement p = c.prepareStatement("insert into docs values (?, ?, ?, ?)")) {
                p.setLong(1, 1);
                p.setBinaryStream(2, new ByteArrayInputStream(body(1)), (long) BODY);
                p.setCharacterStream(3, new StringReader(text(2)));
                p.setString(4, "first");
                assertThat(p.executeUpdate()).isEqualTo(1);
                p.setLong(1, 2);
                p.setBlob(2, new ByteArrayInputStream(body(3)));
                p.setClob(3, new StringReader(text(4)), TEXT);
                p.setString(4, "second");
                assertThat(p.executeUpdate()).isEqualTo(1);
                p.setLong(1, 3);
                p.setObject(2, new javax.sql.rowset.serial.SerialBlob(new byte[] {0, 1, 2}));
                p.setObject(3, new StringReader("tiny"));
                p.setString(4, "third");
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("update docs set title = 'renamed' where id = 1")).isEqualTo(1);
            }
            checkContents(c);
        }
        if (storage.equals("ram_copies")) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url())) {
            checkContents(c);
        }
    }

    private static void checkContents(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, body, txt, title from docs order by id")) {
            assertThat(rs.next()).isTrue();
            assertThat(digest(rs.getBinaryStream(2))).isEqualTo(digest(body(1)));
            assertThat(readAll(rs.getCharacterStream("txt"))).isEqualTo(text(2));
            assertThat(rs.getString("title")).isEqualTo("renamed");
            assertThat(rs.next()).isTrue();
            Blob blob = rs.getBlob("body");
            assertThat(blob.length()).isEqualTo(BODY);
            assertThat(digest(blob.getBinaryStream())).isEqualTo(digest(body(3)));
            Clob clob = rs.getClob(3);
            assertThat(clob.length()).isEqualTo(TEXT);
            assertThat(clob.getSubString(1, 100)).isEqualTo(text(4).substring(0, 100));
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes(2)).containsExactly(0, 1, 2);
            assertThat(rs.getString(3)).isEqualTo("tiny");
            assertThat(rs.next()).isFalse();
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select body, txt from docs where id = 4")) {
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void nullStreams_areSqlNull_andNullColumns_areNullStreams() throws Exception {
        try (Connection c = DriverManager.getConnection(url())) {
            try (Statement s = c.createStatement()) {
                s.execute("create table docs (id bigint primary key, body blob, txt clob)");
            }
            try (PreparedStatement p = c.prepareStatement("insert into docs values (1, ?, ?)")) {
                p.setBinaryStream(1, null);
                p.setCharacterStream(2, null, 10);
                p.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select body, txt from docs")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBinaryStream(1)).isNull();
                assertThat(rs.getBlob(1)).isNull();
                assertThat(rs.getCharacterStream(2)).isNull();
                assertThat(rs.getClob("txt")).isNull();
            }
        }
    }

    @Test
    void lengthsOverTheLimit_shortStreams_andOverlongDiscKeys_areErrorsWithTheirSqlState() throws Exception {
        try (Connection c = DriverManager.getConnection(url())) {
            try (Statement s = c.createStatement()) {
                s.execute("create table docs (id bigint primary key, body blob, txt clob)");
                s.execute("create table named (name varchar primary key, n bigint) with (storage = disc_copies)");
            }
            InputStream unreadable = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("a length over the limit is refused before the stream is read");
                }
            };
            try (PreparedStatement p = c.prepareStatement("insert into docs values (1, ?, ?)")) {
                assertThatThrownBy(() -> p.setBinaryStream(1, unreadable, (256L << 20) + 1))
                        .isInstanceOf(SQLDataException.class).hasMessageContaining("parameter 1")
                        .hasMessageContaining("268435457 bytes").hasMessageContaining("256 MiB")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22001"));
                assertThatThrownBy(() -> p.setCharacterStream(2, new StringReader("12345"), 10))
                        .isInstanceOf(SQLDataException.class)
                        .hasMessageContaining("the stream ended after 5 of the 10 characters")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22000"));
                assertThatThrownBy(() -> p.setBlob(1, new ByteArrayInputStream(new byte[3]), -2))
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22023"));
            }
            try (PreparedStatement p = c.prepareStatement("insert into named values (?, 1)")) {
                p.setCharacterStream(1, new StringReader("n".repeat(70_000)));
                assertThatThrownBy(p::executeUpdate).isInstanceOf(SQLException.class)
                        .hasMessageContaining("table named").hasMessageContaining("64 KiB")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22001"));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from named")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }
}
