package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import jetbrains.exodus.log.LogUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of the storage under a disc database reach the JDBC caller with their standard SQLStates, and lose
 * nothing: a full disk is 53100, damaged or missing data files XX001 (the database refuses to open rather than
 * open empty), and once the cause is gone the database opens with every acknowledged row.
 */
class StorageFailuresTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
    }

    private void create(int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("create table t (id bigint primary key, v varchar)");
            for (int i = 0; i < rows; i++) {
                s.execute("insert into t values (" + i + ", 'row " + i + "')");
            }
        }
    }

    private List<String> rows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, v from t order by id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + ":" + (rs.getString(2).length() > 20 ? rs.getString(2).length()
                        : rs.getString(2)));
            }
        }
        return out;
    }

    private List<Path> dataFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("db"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".xd")).sorted().toList();
        }
    }

    private static SQLException refused(String url) {
        try (Connection ignored = DriverManager.getConnection(url)) {
            throw new AssertionError("the database opened");
        } catch (SQLException e) {
            return e;
        }
    }

    @Test
    void deletedDataFiles_refuseToOpenWithXX001_andTheDatabaseOpensOnceTheyAreBack() throws Exception {
        create(3);
        Path file = dataFiles().get(0);
        byte[] saved = Files.readAllBytes(file);
        Files.delete(file);

        SQLException e = refused(url());
        assertThat(e.getSQLState()).isEqualTo("XX001");
        assertThat(e.getMessage()).contains(dir.resolve("db").getFileName().toString())
                .contains("none of its data files");
        assertThat(dataFiles()).as("no empty database was started over the directory").isEmpty();

        Files.write(file, saved);
        assertThat(rows()).containsExactly("0:row 0", "1:row 1", "2:row 2");
    }

    @Test
    void aDamagedDataFile_refusesToOpenWithXX001_namingTheDamage() throws Exception {
        create(3);
        Path file = dataFiles().get(0);
        byte[] saved = Files.readAllBytes(file);
        byte[] damaged = saved.clone();
        for (int i = 64; i < damaged.length; i++) {
            damaged[i] ^= 0x5a;
        }
        Files.write(file, damaged);

        SQLException e = refused(url());
        assertThat(e.getSQLState()).isEqualTo("XX001");
        assertThat(e.getMessage()).contains("damaged");
        assertThat(e.getCause()).isInstanceOf(dev.mnemo.engine.DatabaseDamagedException.class);

        Files.write(file, saved);
        assertThat(rows()).containsExactly("0:row 0", "1:row 1", "2:row 2");
    }

    /**
     * Xodus's next data files are made links to {@code /dev/full}, whose writes fail with ENOSPC: commits go to the
     * commit log and succeed, the background checkpoints into Xodus fail, and so does the last one, when the last
     * connection closes the database. Once space is back, the database opens with every committed row (replayed
     * from the commit log).
     */
    @Test
    void aFullDiskAtTheLastCheckpoint_failsCloseWith53100_andLosesNothing() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full) && Files.isWritable(full), "needs Linux's /dev/full");
        create(1);
        Connection c = DriverManager.getConnection(url()); // Xodus checks its files' lengths when it opens them
        List<Path> links = new ArrayList<>();
        for (long k = 1; k <= 8; k++) { // Xodus's files are 8 MiB by default
            links.add(Files.createSymbolicLink(dir.resolve("db").resolve(LogUtil.getLogFilename(k * 8L << 20)),
                    full));
        }
        String big = "x".repeat(100_000);
        try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
            for (int i = 1; i <= 200; i++) {
                p.setLong(1, i);
                p.setString(2, big);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
        }
        assertThatThrownBy(c::close).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("53100");
            assertThat(e.getMessage()).contains("disk is full");
        });
        assertThat(c.isClosed()).isTrue();

        for (Path link : links) {
            Files.deleteIfExists(link); // Xodus deletes the file it could not write
        }
        List<String> rows = rows();
        assertThat(rows).hasSize(201).startsWith("0:row 0", "1:100000").endsWith("200:100000");
    }
}
