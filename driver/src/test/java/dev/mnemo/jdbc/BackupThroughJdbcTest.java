package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.RestoreMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code BACKUP TO 'file'} through JDBC, and the archive it writes restored through the engine. */
class BackupThroughJdbcTest {
    @TempDir
    Path dir;

    @Test
    void backupTo_writesAnArchive_thatRestoresTheTablesAsTheyWere() throws Exception {
        Path archive = dir.resolve("backups").resolve("shop.mnb");
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true");
             Statement s = c.createStatement()) {
            s.execute("create table items (id int primary key, name varchar(20), price decimal(8, 2))");
            s.executeUpdate("insert into items values (1, 'pen', 1.50), (2, 'ink', 12.25)");
            assertThat(s.execute("BACKUP TO '" + archive + "'")).isFalse();
            assertThat(s.getUpdateCount()).isZero();
            assertThat(archive).exists();
            s.executeUpdate("delete from items where id = 1");
            s.executeUpdate("update items set price = 99 where id = 2");
            try (PreparedStatement p = c.prepareStatement("backup to '" + dir.resolve("second.mnb") + "'")) {
                p.execute();
            }
            assertThat(dir.resolve("second.mnb")).exists();
            c.setReadOnly(true);
            s.execute("BACKUP TO '" + dir.resolve("read-only.mnb") + "'");
            assertThat(dir.resolve("read-only.mnb")).as("a backup only reads: a read-only connection may").exists();
            assertThatThrownBy(() -> s.execute("TRUNCATE TABLE items")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            c.setReadOnly(false);
            c.unwrap(Mnemo.class).restore(archive, RestoreMode.CLEAR_TABLES);
            assertThat(rows(s.executeQuery("select id, name, price from items order by id")))
                    .containsExactly("1|pen|1.50", "2|ink|12.25");
        }
    }

    @Test
    void aBackupRestoredIntoANewDatabase_hasItsViewsAndDeclaredTypesToo() throws Exception {
        Path archive = dir.resolve("with-view.mnb");
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true");
             Statement s = c.createStatement()) {
            s.execute("create table items (id int primary key, name varchar(20), price decimal(8, 2))");
            s.executeUpdate("insert into items values (1, 'pen', 1.50), (2, 'ink', 12.25)");
            s.execute("create view dear as select name from items where price > 10");
            s.execute("BACKUP TO '" + archive + "'");
        }
        try (Mnemo fresh = Mnemo.open(dir.resolve("copy"))) {
            fresh.restore(archive, RestoreMode.RECREATE_TABLES);
        }
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("copy") + ";close-on-last=true");
             Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select name from dear"))).containsExactly("ink");
            assertThatThrownBy(() -> s.executeUpdate("insert into items values (3, '" + "x".repeat(21) + "', 1)"))
                    .as("VARCHAR(20) kept").isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo("22001"));
        }
    }

    @Test
    void dumpTo_andLoadFrom_roundTripTheTables_asText() throws Exception {
        Path dump = dir.resolve("shop.txt");
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true");
             Statement s = c.createStatement()) {
            s.execute("create table items (id int primary key, name varchar(20), price decimal(8, 2), added date)");
            s.executeUpdate("insert into items values (1, 'pen', 1.50, date '2026-12-07'), (2, 'ink', 12.25, null)");
            c.setReadOnly(true);
            s.execute("DUMP TO '" + dump + "'");
            c.setReadOnly(false);
            assertThat(Files.readString(dump)).contains("{decimal, \"1.5\"}").contains("{date, \"2026-12-07\"}");
            s.executeUpdate("delete from items");
            c.setReadOnly(true);
            assertThatThrownBy(() -> s.execute("LOAD FROM '" + dump + "'")).as("a load writes")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            c.setReadOnly(false);
            s.execute("LOAD FROM '" + dump + "'");
            assertThat(rows(s.executeQuery("select id, name, price, added from items order by id")))
                    .containsExactly("1|pen|1.50|2026-12-07", "2|ink|12.25|null");
            assertThatThrownBy(() -> s.execute("LOAD FROM '" + dir.resolve("none.txt") + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("none.txt");
            assertThatThrownBy(() -> s.execute("LOAD FROM '" + dump + "' SOMETIMES"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"))
                    .hasMessageContaining("CLEAR, KEEP, RECREATE");
            s.execute("alter table items add column note varchar(10)");
            s.execute("LOAD FROM '" + dump + "' RECREATE");
            assertThat(rows(s.executeQuery("select * from items order by id"))).as("the dump's definition back")
                    .containsExactly("1|pen|1.50|2026-12-07", "2|ink|12.25|null");
        }
    }

    @Test
    void badBackupStatements_sayWhatWasExpected() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true");
             Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key)");
            assertThatThrownBy(() -> s.execute("BACKUP '" + dir.resolve("x") + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"))
                    .hasMessageContaining("expected TO");
            assertThatThrownBy(() -> s.execute("BACKUP TO somewhere"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"))
                    .hasMessageContaining("the backup's file as a 'string'");
            assertThatThrownBy(() -> s.execute("BACKUP TO 'x' NOW"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"));
            Path blocker = Files.writeString(dir.resolve("file"), "a file, not a directory");
            assertThatThrownBy(() -> s.execute("BACKUP TO '" + blocker.resolve("b.mnb") + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("58030"))
                    .hasMessageContaining(blocker.toString());
            assertThat(rows(s.executeQuery("select count(*) from t"))).as("still usable").containsExactly("0");
        }
    }
}
