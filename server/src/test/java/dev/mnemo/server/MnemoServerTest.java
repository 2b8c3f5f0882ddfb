package dev.mnemo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on a loopback port chosen at run time, an in-memory database the test's own JVM also uses (as an
 * application that starts the server does), and clients through {@code jdbc:mnemo:remote:}.
 */
class MnemoServerTest {
    private static final AtomicInteger N = new AtomicInteger();

    @TempDir
    Path dir;
    private String local;
    private Connection app;
    private MnemoServer server;

    @BeforeEach
    void start() throws Exception {
        local = "jdbc:mnemo:mem:served" + N.incrementAndGet();
        app = DriverManager.getConnection(local);
        try (Statement s = app.createStatement()) {
            s.execute("create table accounts (id int primary key, owner varchar(20), balance bigint)");
            s.executeUpdate("insert into accounts values (1, 'ann', 100), (2, 'bob', 50)");
        }
        server = builder().start();
    }

    private MnemoServer.Builder builder() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "ann: secret\nbob: MD5:" + md5("hunter2") + ", readers\n");
        return MnemoServer.builder(local).port(0).users(users).socketTimeout(Duration.ofSeconds(2))
                .idleTimeout(Duration.ofSeconds(30)).maxRequestBytes(64 * 1024);
    }

    private static String md5(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder b = new StringBuilder();
        for (byte x : d) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    @AfterEach
    void stop() throws SQLException {
        server.close();
        app.close();
    }

    private Connection client() throws SQLException {
        return DriverManager.getConnection(server.url() + ";user=ann;password=secret");
    }

    private static List<String> rows(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void aRemoteClient_runsDdlDmlJoinsAndPreparedStatements_onTheApplicationsLiveData() throws SQLException {
        assertThat(server.url()).startsWith("jdbc:mnemo:remote://127.0.0.1:").endsWith("/" + server.databaseName());
        try (Connection c = client(); Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select owner, balance from accounts order by id")))
                    .containsExactly("ann|100", "bob|50");
            s.execute("create table moves (id int primary key, account int, amount bigint)");
            assertThat(s.executeUpdate("insert into moves values (1, 1, -30), (2, 2, 30), (3, 1, 5)")).isEqualTo(3);
            try (PreparedStatement p = c.prepareStatement("update accounts set balance = balance + ? where id = ?")) {
                p.setLong(1, -25);
                p.setInt(2, 1);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement p = c.prepareStatement("select a.owner, sum(m.amount) from accounts a "
                    + "join moves m on m.account = a.id where a.balance > ? group by a.owner order by a.owner")) {
                p.setLong(1, 0);
                assertThat(rows(p.executeQuery())).containsExactly("ann|-25", "bob|30");
            }
        }
        try (Statement s = app.createStatement()) {
            assertThat(rows(s.executeQuery("select balance from accounts where id = 1"))).containsExactly("75");
            assertThat(rows(s.executeQuery("select count(*) from moves"))).containsExactly("3");
        }
    }

    @Test
    void metadata_overTheWire_describesTheServedTables() throws SQLException {
        try (Connection c = client()) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getDatabaseProductName()).isEqualTo("Mnemo");
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, "mnemo", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("accounts");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, "mnemo", "accounts", "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " "
                            + rs.getInt("COLUMN_SIZE"));
                }
            }
            assertThat(columns).containsExactly("id INTEGER 10", "owner VARCHAR 20", "balance BIGINT 19");
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = md.getPrimaryKeys(null, "mnemo", "accounts")) {
                while (rs.next()) {
                    keys.add(rs.getString("COLUMN_NAME"));
                }
            }
            assertThat(keys).containsExactly("id");
            assertThat(md.isReadOnly()).isFalse();
            assertThat(md.supportsTransactions()).isTrue();
            assertThat(md.getURL()).isEqualTo(server.url() + ";user=ann;password=***");
            assertThat(dev.mnemo.jdbc.MetadataCalls.failingNoArgumentMethods(md))
                    .as("DatabaseMetaData's no-argument methods over the wire").isEmpty();
        }
    }

    @Test
    void keysIndexesAndForeignKeys_overTheWire_areThoseEmbeddedMetadataGives() throws SQLException {
        try (Statement s = app.createStatement()) {
            s.execute("create table moves (id int primary key, account int not null references accounts (id), "
                    + "amount bigint)");
            s.execute("create index moves_amount on moves (amount)"); // the foreign key indexes account
        }
        DatabaseMetaData embedded = app.getMetaData();
        try (Connection c = client()) {
            DatabaseMetaData remote = c.getMetaData();
            assertThat(all(remote.getPrimaryKeys(null, "mnemo", "moves")))
                    .isEqualTo(all(embedded.getPrimaryKeys(null, "mnemo", "moves"))).hasSize(2);
            assertThat(all(remote.getIndexInfo(null, "mnemo", "moves", false, false)))
                    .isEqualTo(all(embedded.getIndexInfo(null, "mnemo", "moves", false, false))).hasSize(4);
            assertThat(all(remote.getIndexInfo(null, "mnemo", "moves", true, false)))
                    .isEqualTo(all(embedded.getIndexInfo(null, "mnemo", "moves", true, false))).hasSize(2);
            assertThat(all(remote.getImportedKeys(null, "mnemo", "moves")))
                    .isEqualTo(all(embedded.getImportedKeys(null, "mnemo", "moves"))).hasSize(2);
            assertThat(all(remote.getExportedKeys(null, null, "accounts")))
                    .isEqualTo(all(embedded.getExportedKeys(null, null, "accounts"))).hasSize(2);
            assertThat(all(remote.getCrossReference(null, "mnemo", "accounts", null, "mnemo", "moves")))
                    .isEqualTo(all(embedded.getCrossReference(null, "mnemo", "accounts", null, "mnemo", "moves")))
                    .hasSize(2);
            assertThat(all(remote.getPrimaryKeys("cat", "mnemo", "moves"))).as("header only").hasSize(1);
            assertThat(all(remote.getPrimaryKeys(null, "other", "moves"))).as("header only").hasSize(1);
        }
    }

    /** Every row, every column by label with its value and Java class. */
    private static List<String> all(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            java.sql.ResultSetMetaData md = rs.getMetaData();
            StringBuilder head = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                head.append(md.getColumnLabel(i)).append(' ');
            }
            out.add(head.toString());
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    b.append(v).append(v == null ? "" : ":" + v.getClass().getSimpleName()).append('|');
                }
                out.add(b.toString());
            }
        }
        return out; // the header line, then the rows
    }

    @Test
    void transactions_overTheWire_commitAndRollBackAsEmbedded() throws SQLException {
        try (Connection c = client(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("update accounts set balance = 0 where id = 1");
            assertThat(rows(s.executeQuery("select balance from accounts where id = 1"))).containsExactly("0");
            c.rollback();
            assertThat(rows(s.executeQuery("select balance from accounts where id = 1"))).containsExactly("100");
            s.executeUpdate("update accounts set balance = balance - 10 where id = 1");
            s.executeUpdate("update accounts set balance = balance + 10 where id = 2");
            try (Statement a = app.createStatement()) {
                assertThat(rows(a.executeQuery("select sum(balance) from accounts"))).containsExactly("150");
                assertThat(rows(a.executeQuery("select balance from accounts where id = 1")))
                        .as("uncommitted work is not seen").containsExactly("100");
            }
            c.commit();
        }
        try (Statement a = app.createStatement()) {
            assertThat(rows(a.executeQuery("select balance from accounts order by id"))).containsExactly("90", "60");
        }
    }

    @Test
    void errors_overTheWire_keepTheirSqlState() throws SQLException {
        try (Connection c = client(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("select * from no_such_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S02"))
                    .hasMessageContaining("no_such_table");
            assertThatThrownBy(() -> s.executeUpdate("insert into accounts values (1, 'dup', 0)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            assertThatThrownBy(() -> s.executeQuery("select balance / (id - id) from accounts"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            assertThatThrownBy(() -> s.executeUpdate("insert into accounts values (3, '" + "x".repeat(21) + "', 0)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22001"));
            assertThat(rows(s.executeQuery("select count(*) from accounts"))).as("still usable").containsExactly("2");
        }
    }

    @Test
    void backupTo_isRefusedToClients_sinceItWritesOnTheServersHost(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws SQLException {
        java.nio.file.Path file = tmp.resolve("b.mnb");
        try (Connection c = client(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("BACKUP TO '" + file + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining("mnemo backup");
            assertThatThrownBy(() -> s.execute("dump to '" + file + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            assertThatThrownBy(() -> s.execute("LOAD FROM '/etc/passwd'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            assertThatThrownBy(() -> c.prepareStatement("  /* x */ backup to '" + file + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            s.addBatch("BACKUP TO '" + file + "'");
            // (Avatica's remote client reports a failed statement batch as a runtime exception, whatever failed)
            assertThatThrownBy(s::executeBatch).hasMessageContaining("BACKUP TO, DUMP TO and LOAD FROM are not allowed");
            assertThat(rows(s.executeQuery("select count(*) from accounts"))).as("still usable").containsExactly("2");
        }
        assertThat(file).doesNotExist();
        try (Statement a = app.createStatement()) {
            a.execute("BACKUP TO '" + file + "'");
        }
        assertThat(file).as("the server's own (embedded) connections may").exists();
    }

    /** Creates {@code table (id int primary key, v bigint)} in the application's connection, rows (i, v(i)). */
    private void fill(String table, int rows, java.util.function.IntToLongFunction v) throws SQLException {
        try (Statement a = app.createStatement()) {
            a.execute("create table " + table + " (id int primary key, v bigint)");
        }
        try (PreparedStatement p = app.prepareStatement("insert into " + table + " values (?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setInt(1, i);
                p.setLong(2, v.applyAsLong(i));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    @Test
    void aLargeResult_isFetchedInFrames() throws SQLException {
        fill("big", 20_000, i -> i * 2L);
        try (Connection c = DriverManager.getConnection(server.url() + ";user=ann;password=secret;fetch-size=500");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, v from big")) {
            long n = 0;
            long sum = 0;
            while (rs.next()) {
                n++;
                sum += rs.getLong(2);
            }
            assertThat(n).isEqualTo(20_000);
            assertThat(sum).isEqualTo(2L * (20_000L * 19_999 / 2));
        }
    }

    @Test
    void wrongOrMissingCredentials_andAnotherDatabase_areRefused_whileOthersWork() throws Exception {
        try (Connection other = client()) {
            assertThatThrownBy(() -> DriverManager.getConnection(server.url() + ";user=ann;password=wrong"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"))
                    .hasMessageContaining("'ann'").hasMessageNotContaining("wrong");
            assertThatThrownBy(() -> DriverManager.getConnection(server.url()))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
            String elsewhere = server.url().replace("/" + server.databaseName(), "/other");
            assertThatThrownBy(() -> DriverManager.getConnection(elsewhere + ";user=ann;password=secret"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08004"))
                    .hasMessageContaining("'other'");
            try (Connection md5 = DriverManager.getConnection(server.url() + ";user=bob;password=hunter2")) {
                assertThat(rows(md5.createStatement().executeQuery("select count(*) from accounts")))
                        .containsExactly("2");
            }
            assertThat(rows(other.createStatement().executeQuery("select count(*) from accounts")))
                    .containsExactly("2");
        }
    }

    @Test
    void anUnauthenticatedOrOversizeRequest_isRefusedOverRawHttp() throws Exception {
        assertThat(post(new byte[10], null)).startsWith("HTTP/1.1 401");
        String auth = java.util.Base64.getEncoder().encodeToString("ann:secret".getBytes(StandardCharsets.UTF_8));
        assertThat(post(new byte[100 * 1024], auth)).startsWith("HTTP/1.1 413");
        assertThat(post(new byte[100 * 1024], null)).as("refused before authentication").startsWith("HTTP/1.1 413");
        java.io.ByteArrayOutputStream serialized = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(serialized)) {
            o.writeObject(new java.util.HashMap<>(java.util.Map.of("k", "v")));
        }
        assertThat(post(serialized.toByteArray(), auth)).as("a Java-serialised body is not a protobuf request")
                .startsWith("HTTP/1.1 500");
        try (Connection c = client()) {
            assertThat(rows(c.createStatement().executeQuery("select count(*) from accounts"))).containsExactly("2");
        }
    }

    /** The status line of a raw POST of {@code body}. */
    private String post(byte[] body, String basicAuth) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + (basicAuth == null ? "" : "Authorization: Basic " + basicAuth + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException e) {
                // the server may answer and close before reading the body
            }
            byte[] head = new byte[12];
            int n = s.getInputStream().readNBytes(head, 0, head.length);
            return new String(head, 0, n, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aSilentClient_isDropped_whileOthersAreServed() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", server.port())) {
            silent.setSoTimeout(15_000);
            try (Connection c = client()) {
                assertThat(rows(c.createStatement().executeQuery("select count(*) from accounts")))
                        .containsExactly("2");
            }
            InputStream in = silent.getInputStream();
            long t0 = System.nanoTime();
            assertThat(in.read()).as("the server closes a socket that sends nothing").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(14));
        }
    }

    @Test
    void aKilledClientProcess_leavesNothingCommitted_andItsLocksFreeAfterTheIdleTimeout() throws Exception {
        server.close();
        server = builder().idleTimeout(Duration.ofMillis(500)).start();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), KilledClient.class.getName(),
                server.url() + ";user=ann;password=secret").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(9);
        assertThat(out).contains("written");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection c = DriverManager.getConnection(local + ";lock-timeout=200"); Statement s = c.createStatement()) {
            while (true) {
                try {
                    s.executeUpdate("update accounts set balance = balance + 1 where id = 2");
                    break;
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).isEqualTo("40001");
                    assertThat(System.nanoTime()).as("locks released after the idle timeout").isLessThan(deadline);
                }
            }
            assertThat(rows(s.executeQuery("select id, balance from accounts order by id")))
                    .containsExactly("1|100", "2|51");
        }
    }

    @Test
    void close_rollsBackClientsOpenTransactions_andLeavesTheApplicationsDatabaseOpen() throws Exception {
        Connection c = client();
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("update accounts set balance = 0 where id = 2");
        int port = server.port();
        server.close();
        try (Statement s = app.createStatement()) {
            assertThat(rows(s.executeQuery("select balance from accounts where id = 2"))).containsExactly("50");
            s.executeUpdate("update accounts set balance = 51 where id = 2");
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mnemo:remote://127.0.0.1:" + port
                + ";user=ann;password=secret"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
        server = builder().start(); // for stop()
    }

    @Test
    void twoClientsLockingInOppositeOrders_oneGets40001_theOtherCommits() throws Exception {
        try (Connection a = client(); Connection b = client()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().executeUpdate("update accounts set balance = balance - 1 where id = 1");
            b.createStatement().executeUpdate("update accounts set balance = balance - 1 where id = 2");
            java.util.concurrent.CompletableFuture<String> first = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> attempt(a, "update accounts set balance = balance + 1 where id = 2"));
            String second = attempt(b, "update accounts set balance = balance + 1 where id = 1");
            List<String> outcomes = List.of(first.get(30, java.util.concurrent.TimeUnit.SECONDS), second);
            assertThat(outcomes).containsExactlyInAnyOrder("committed", "40001");
        }
        try (Statement s = app.createStatement()) {
            assertThat(rows(s.executeQuery("select sum(balance) from accounts"))).containsExactly("150");
        }
    }

    /** Runs {@code sql} and commits: "committed", or the SQLState of the failure (after a rollback). */
    private static String attempt(Connection c, String sql) {
        try {
            c.createStatement().executeUpdate(sql);
            c.commit();
            return "committed";
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the state is what is asserted
            }
            return e.getSQLState();
        }
    }

    @Test
    void withAKeystore_theServerSpeaksHttps_andAClientTrustingItConnects() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mnemo", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        server.close();
        server = builder().tls(keystore, "changeit").start();
        assertThat(server.url()).endsWith(";ssl=true");
        String credentials = ";user=ann;password=secret";
        try (Connection c = DriverManager.getConnection(server.url() + credentials + ";truststore=" + keystore
                + ";truststore_password=changeit")) {
            assertThat(rows(c.createStatement().executeQuery("select count(*) from accounts"))).containsExactly("2");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(server.url() + credentials))
                .as("a certificate the client does not trust").isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(server.url().replace(";ssl=true", "") + credentials))
                .as("plain HTTP to an HTTPS port: a bounded retry, not an endless one")
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("add ;ssl=true");
    }

    @Test
    void aClientBusyWithOneStatement_outlivesTheIdleTimeout_itsTransactionIntact() throws Exception {
        server.close();
        server = builder().idleTimeout(Duration.ofMillis(600)).start();
        try (Connection c = client(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 6; i++) { // 2.4 s of work, each request on the statement alone
                s.executeUpdate("insert into accounts values (" + (10 + i) + ", 'n', 1)");
                Thread.sleep(400);
            }
            c.commit();
        }
        try (Statement s = app.createStatement()) {
            assertThat(rows(s.executeQuery("select count(*) from accounts"))).containsExactly("8");
        }
    }

    @Test
    void anOpenResultSet_andItsConnection_outliveTheIdleTimeout_whileTheClientWorksOnAnother() throws Exception {
        server.close();
        server = builder().idleTimeout(Duration.ofMillis(600)).start();
        try (Connection c = DriverManager.getConnection(server.url() + ";user=ann;password=secret;fetch-size=1");
             Statement outer = c.createStatement(); Statement inner = c.createStatement();
             ResultSet rs = outer.executeQuery("select id from accounts order by id")) {
            assertThat(rs.next()).isTrue();
            for (int i = 0; i < 5; i++) { // 2 s of other work on the connection, none on the outer statement
                assertThat(rows(inner.executeQuery("select count(*) from accounts"))).containsExactly("2");
                Thread.sleep(400);
            }
            assertThat(rs.next()).as("the outer result set is still there").isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void connectionsPastTheLimit_areRefusedWith08004_andAClosedOneMakesRoom() throws Exception {
        server.close();
        server = builder().maxConnections(2).start();
        Connection a = client();
        try (Connection b = client()) {
            assertThatThrownBy(this::client).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("08004")).hasMessageContaining("2 client connections");
            a.close();
            try (Connection c = client()) {
                assertThat(rows(c.createStatement().executeQuery("select count(*) from accounts")))
                        .containsExactly("2");
            }
        }
    }

    @Test
    void close_letsARequestInFlightFinish() throws Exception {
        fill("wide", 2000, i -> i % 97);
        server.close();
        server = builder().drainTimeout(Duration.ofSeconds(60)).start();
        Connection c = client();
        java.util.concurrent.CompletableFuture<Long> slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                // the whole count comes in the first frame: nothing is asked of the server after the answer
                ResultSet rs = c.createStatement().executeQuery(
                        "select count(*) from wide a, wide b where a.v + b.v = 150");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isPositive();
                return System.nanoTime();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(slow).as("the query is still running when the server is closed").isNotDone();
        long closing = System.nanoTime();
        server.close();
        assertThat(slow.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("it finished, after close began")
                .isGreaterThan(closing);
        server = builder().start(); // for stop()
    }

    @Test
    void aDigestServer_takesDigestClients_andRefusesWrongPasswords() throws Exception {
        server.close();
        server = builder().digest(true).start();
        assertThat(server.url()).endsWith(";auth=digest");
        try (Connection c = client()) {
            assertThat(rows(c.createStatement().executeQuery("select count(*) from accounts"))).containsExactly("2");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(server.url() + ";user=ann;password=wrong"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
        String basic = server.url().replace(";auth=digest", "") + ";user=ann;password=secret";
        assertThatThrownBy(() -> DriverManager.getConnection(basic)).as("a BASIC client of a DIGEST server")
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
    }

    @Test
    void aClientTricklingItsRequest_isCutOff_whileOthersAreServed() throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString("ann:secret".getBytes(StandardCharsets.UTF_8));
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.setSoTimeout(15_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 4000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            String answer = null;
            try {
                for (int i = 0; i < 60 && answer == null; i++) { // a byte every 200 ms: 5 bytes a second
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                    if (slow.getInputStream().available() > 0) {
                        answer = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    }
                    if (i == 5) {
                        try (Connection c = client()) {
                            assertThat(rows(c.createStatement().executeQuery("select count(*) from accounts")))
                                    .containsExactly("2");
                        }
                    }
                }
            } catch (java.io.IOException closed) {
                answer = "closed";
            }
            assertThat(answer).as("the server answers 408 or closes").isIn("HTTP/1.1 408", "closed");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aServerThatCannotBind_leavesNoThreadsBehind() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            long before = jettyThreads();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> builder().port(busy.getLocalPort()).start()).isInstanceOf(RuntimeException.class);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (jettyThreads() > before && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(jettyThreads()).isEqualTo(before);
        }
        try (Statement s = app.createStatement()) {
            assertThat(rows(s.executeQuery("select count(*) from accounts"))).as("the database is still open")
                    .containsExactly("2");
        }
    }

    private static long jettyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive()
                && (t.getName().contains("qtp") || t.getName().contains("HouseKeeper"))).count();
    }

    @Test
    void aServerWithoutUsers_refusesToStart_andBadSettingsAreNamed() throws Exception {
        assertThatThrownBy(() -> MnemoServer.builder(local).port(0).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("users file");
        assertThatThrownBy(() -> MnemoServer.builder(local).users(dir.resolve("none")).port(0).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a readable file");
        assertThatThrownBy(() -> MnemoServer.builder(local).port(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        Path users = Files.writeString(dir.resolve("u"), "ann: secret\n");
        assertThatThrownBy(() -> MnemoServer.builder("jdbc:mnemo:remote://h:1").users(users).port(0).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote://h:1");
    }
}
