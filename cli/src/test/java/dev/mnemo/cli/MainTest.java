package dev.mnemo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code mnemo} command line, run in-process (sql, info, check, help) and as a process (server). */
class MainTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path database() throws SQLException {
        Path db = dir.resolve("shop");
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + db); Statement s = c.createStatement()) {
            s.execute("create table users (id int primary key, name varchar(40), city varchar(40)) "
                    + "with (storage = disc_copies)");
            s.execute("create index users_city on users (city)");
            s.execute("create table events (id bigint primary key, what varchar) with (type = ordered_set, "
                    + "storage = disc_only_copies)");
            s.executeUpdate("insert into users values (1, 'ann', 'oslo'), (2, 'bob', 'rome'), (3, 'cy', 'oslo')");
            s.executeUpdate("insert into events values (10, 'login')");
        }
        return db;
    }

    @Test
    void help_describesEveryCommand() {
        Run top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("sql", "server", "info", "check", "backup", "restore", "dump", "load");
        for (String command : List.of("sql", "server", "info", "check", "backup", "restore", "dump", "load")) {
            Run r = run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: mnemo " + command);
        }
        Run bad = run("frobnicate");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("Unmatched argument", "frobnicate");
    }

    @Test
    void info_listsTablesWithTypeStorageRowsAttributesAndIndexes() throws SQLException {
        Path db = database();
        Run r = run("info", db.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 tables");
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).startsWith("users").contains("set", "disc_copies",
                " 3 ", "id:integer", "name:string", "city"))
                .anySatisfy(l -> assertThat(l).startsWith("events").contains("ordered_set", "disc_only_copies", " 1 "));
    }

    @Test
    void check_ofASoundDatabase_exitsZero_andOfNoDatabase_two() throws SQLException {
        Path db = database();
        Run ok = run("check", db.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("4 records checked, no problems");
        Run none = run("check", dir.resolve("nothing").toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("no Mnemo database in");
        assertThat(dir.resolve("nothing")).doesNotExist();
    }

    @Test
    void backup_thenRestore_intoANewDirectory_givesTheSameTables() throws Exception {
        Path db = database();
        Path archive = dir.resolve("b").resolve("db.mnb");
        Run b = run("backup", db.toString(), archive.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("4 records of 2 tables backed up to").contains("backup of users: 3 of 3 records, done");
        Path copy = dir.resolve("copy");
        Run r = run("restore", copy.toString(), archive.toString(), "--mode", "recreate");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("4 records of 2 tables restored from");
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + copy); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select count(*) from users), (select count(*) from events) "
                     + "from (values 1)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(3);
            assertThat(rs.getLong(2)).isEqualTo(1);
        }
        Run only = run("backup", db.toString(), dir.resolve("users.mnb").toString(), "--tables", "users");
        assertThat(only.out()).contains("3 records of 1 tables");
    }

    @Test
    void dump_thenLoad_intoANewDirectory_givesTheSameTables_andABadLineIsNamed() throws Exception {
        Path db = database();
        Path text = dir.resolve("db.txt");
        Run d = run("dump", db.toString(), text.toString());
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(d.out()).contains("4 records of 2 tables dumped to");
        assertThat(Files.readString(text)).contains("{\"users\", 2, \"bob\", \"rome\"}.");
        Path copy = dir.resolve("copy");
        Run l = run("load", copy.toString(), text.toString());
        assertThat(l.code()).as(l.err()).isZero();
        assertThat(l.out()).contains("4 records of 2 tables loaded from");
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + copy); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select name from users where city = 'rome'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("bob");
        }
        Files.writeString(text, Files.readString(text).replace("\"rome\"}", "\"rome\"]"));
        Run bad = run("load", copy.toString(), text.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("line ").contains("column").contains("expected");
        Path fresh = dir.resolve("fresh");
        Run refused = run("load", fresh.toString(), text.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(fresh).as("a refused load into a new directory leaves no database there").doesNotExist();
    }

    @Test
    void restore_ofADamagedArchive_orWithABadMode_exitsTwo_sayingWhy() throws Exception {
        Path db = database();
        Path archive = dir.resolve("db.mnb");
        assertThat(run("backup", db.toString(), archive.toString()).code()).isZero();
        Run mode = run("restore", dir.resolve("x").toString(), archive.toString(), "--mode", "merge");
        assertThat(mode.code()).isEqualTo(2);
        assertThat(mode.err()).contains("--mode must be clear, keep or recreate, not merge");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length - 3] ^= 1;
        Files.write(archive, bytes);
        Run damaged = run("restore", db.toString(), archive.toString());
        assertThat(damaged.code()).isEqualTo(2);
        assertThat(damaged.err()).contains("cannot restore from").contains("checksum");
        Run missing = run("restore", db.toString(), dir.resolve("none.mnb").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no backup archive at");
    }

    @Test
    void sql_runsAFileOfStatements_againstADirectory() throws Exception {
        Path db = database();
        Path script = Files.writeString(dir.resolve("script.sql"),
                "insert into users values (4, 'dee', 'lima');\ncreate table notes (id int primary key, body varchar);\n"
                        + "insert into notes values (1, 'from sqlline');\n");
        Run r = run("sql", db.toString(), "-f", script.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select count(*) from users), body from notes")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(4);
            assertThat(rs.getString(2)).isEqualTo("from sqlline");
        }
    }

    @Test
    void server_servesUntilSigterm_thenReleasesTheDirectory() throws Exception {
        Path db = database();
        Path users = Files.writeString(dir.resolve("users"), "ann: secret\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "server", "--dir", db.toString(),
                "--users", users.toString(), "--port", "0").redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern serving = Pattern.compile("at (jdbc:mnemo:remote://\\S+)");
            String url = null;
            StringBuilder seen = new StringBuilder();
            for (String line; url == null && (line = log.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = serving.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertThat(url).as(seen.toString()).isNotNull();
            assertThat(seen.toString()).as("no password in the log").doesNotContain("secret");
            Connection c = DriverManager.getConnection(url + ";user=ann;password=secret");
            Statement s = c.createStatement();
            try (ResultSet rs = s.executeQuery("select count(*) from users")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
            c.setAutoCommit(false);
            s.executeUpdate("delete from users where id = 1"); // open when the server stops: rolled back
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
            assertThat(p.exitValue()).as("its exit code after SIGTERM").isNotEqualTo(2);
            // the client's connection is gone with the server; closing it cannot reach it
            org.assertj.core.api.Assertions.assertThatThrownBy(c::close).isInstanceOf(SQLException.class);
        } finally {
            p.destroyForcibly();
        }
        Run info = run("info", db.toString());
        assertThat(info.code()).as("the directory is free again: " + info.err()).isZero();
        assertThat(info.out().lines()).anySatisfy(l -> assertThat(l).startsWith("users").contains(" 3 "));
    }
}
