package dev.mnemo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.StorageType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's JDBC URL: replicated tables as local ones, SQL writes through the cluster, DDL with copy lists. */
class SqlOverClusterTest {
    @TempDir
    Path dir;

    private static Connection connect(MnemoNode n) throws SQLException {
        return DriverManager.getConnection(n.jdbcUrl());
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
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

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Waits until {@code n} has applied everything committed so far (a linearizable read's barrier). */
    private static void caughtUp(MnemoNode n) {
        n.linearizableRead(tx -> null);
    }

    @Test
    void createTableThroughSql_takesMnesiasCopyLists_andEveryNodesUrlSeesTheRowsOfTheOthers() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            try (Connection c1 = connect(c.node("n1")); Connection c2 = connect(c.node("n2"));
                 Connection c3 = connect(c.node("n3"))) {
                exec(c1, "CREATE TABLE account (id INT PRIMARY KEY, owner VARCHAR(20), balance BIGINT) "
                        + "WITH (disc_copies = 'n1,n2', ram_copies = 'n3')");
                exec(c1, "CREATE TABLE owner (name VARCHAR(20) PRIMARY KEY, city VARCHAR(20))");
                assertThat(c.node("n2").tableCopies("account"))
                        .isEqualTo(new Copies(List.of("n3"), List.of("n1", "n2"), List.of()));
                // without copy lists: a copy on every node, of the storage the options say (disc by default)
                caughtUp(c.node("n3"));
                assertThat(c.node("n3").tableCopies("owner")).isEqualTo(Copies.disc("n1", "n2", "n3"));
                for (MnemoNode n : c.nodes()) {
                    n.waitForTables(List.of("account", "owner"), Duration.ofSeconds(10));
                }
                assertThat(c.node("n3").tableDef("account").storage()).isEqualTo(StorageType.RAM_COPIES);
                assertThat(c.node("n3").tableDef("account").userProperties()).doesNotContainKeys("disc_copies",
                        "ram_copies");

                try (PreparedStatement p = c2.prepareStatement("INSERT INTO account VALUES (?, ?, ?)")) {
                    for (int i = 1; i <= 6; i++) {
                        p.setInt(1, i);
                        p.setString(2, i % 2 == 0 ? "ann" : "bob");
                        p.setLong(3, 100L * i);
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                exec(c3, "INSERT INTO owner VALUES ('ann', 'Oslo'), ('bob', 'Rome')");
                exec(c1, "UPDATE account SET balance = balance + 1 WHERE id = 6");
                exec(c2, "DELETE FROM account WHERE id = 5");
                String query = "SELECT o.city, COUNT(*), SUM(a.balance) FROM account a JOIN owner o ON a.owner = o.name"
                        + " GROUP BY o.city ORDER BY o.city";
                for (MnemoNode n : c.nodes()) {
                    caughtUp(n);
                    try (Connection conn = connect(n)) {
                        assertThat(rows(conn, query)).as(n.name()).containsExactly("Oslo|3|1201", "Rome|2|400");
                        assertThat(rows(conn, "EXPLAIN PLAN FOR SELECT owner FROM account WHERE id = 4"))
                                .as(n.name()).anyMatch(l -> l.contains("key_lookup[[4]]"));
                        assertThat(rows(conn, "SELECT owner FROM account WHERE id = 4")).containsExactly("ann");
                    }
                }
                // identity columns: the key counter is a replicated table too, so keys from two nodes never clash
                exec(c1, "CREATE TABLE ev (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what VARCHAR(10))");
                exec(c1, "INSERT INTO ev (what) VALUES ('a'), ('b')");
                caughtUp(c.node("n2"));
                exec(c2, "INSERT INTO ev (what) VALUES ('c')");
                exec(c1, "INSERT INTO ev (what) VALUES ('d')");
                caughtUp(c.node("n3"));
                assertThat(rows(c3, "SELECT id, what FROM ev ORDER BY id")).containsExactly("1|a", "2|b", "3|c",
                        "4|d");
                exec(c3, "DROP TABLE owner");
                for (MnemoNode n : c.nodes()) {
                    caughtUp(n);
                    assertThat(n.tables()).as(n.name()).doesNotContain("owner").contains("account", "ev");
                }
                assertThatThrownBy(() -> rows(c1, "SELECT * FROM owner")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("42S02"));
            }
        }
    }

    @Test
    void sqlWritersOnEveryNode_atOnce_loseNoUpdate_andKeepTheBankTotal() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            int accounts = 8;
            try (Connection c1 = connect(c.node("n1"))) {
                exec(c1, "CREATE TABLE acct (id INT PRIMARY KEY, balance BIGINT)");
                exec(c1, "CREATE TABLE hits (id INT PRIMARY KEY, n BIGINT)");
                exec(c1, "INSERT INTO hits VALUES (1, 0)");
                for (int i = 0; i < accounts; i++) {
                    exec(c1, "INSERT INTO acct VALUES (" + i + ", 1000)");
                }
            }
            for (MnemoNode n : c.nodes()) {
                n.waitForTables(List.of("acct", "hits"), Duration.ofSeconds(10));
            }
            int increments = 15;
            int transfers = 10;
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Integer>> done = new ArrayList<>();
            for (MnemoNode n : c.nodes()) {
                for (int w = 0; w < 2; w++) {
                    done.add(pool.submit(() -> {
                        int failedCommits = 0;
                        try (Connection conn = connect(n)) {
                            for (int i = 0; i < increments; i++) {
                                // autocommit: a statement whose commit conflicts is re-run, so none is lost
                                exec(conn, "UPDATE hits SET n = n + 1 WHERE id = 1");
                            }
                            conn.setAutoCommit(false);
                            for (int i = 0; i < transfers; ) {
                                int from = ThreadLocalRandom.current().nextInt(accounts);
                                int to = (from + 1 + ThreadLocalRandom.current().nextInt(accounts - 1)) % accounts;
                                long amount = 1 + ThreadLocalRandom.current().nextInt(50);
                                try {
                                    long balance = Long.parseLong(rows(conn, "SELECT balance FROM acct WHERE id = "
                                            + from).get(0));
                                    if (balance >= amount) {
                                        exec(conn, "UPDATE acct SET balance = " + (balance - amount) + " WHERE id = "
                                                + from);
                                        exec(conn, "UPDATE acct SET balance = balance + " + amount + " WHERE id = "
                                                + to);
                                    }
                                    conn.commit();
                                    i++;
                                } catch (SQLException e) {
                                    // an explicit transaction cannot be re-run for us: its commit says 40001
                                    assertThat(e.getSQLState()).as(e.toString()).isEqualTo("40001");
                                    failedCommits++;
                                    conn.rollback();
                                }
                            }
                        }
                        return failedCommits;
                    }));
                }
            }
            pool.shutdown();
            int failed = 0;
            for (Future<Integer> f : done) {
                failed += f.get(3, TimeUnit.MINUTES);
            }
            List<String> expected = null;
            for (MnemoNode n : c.nodes()) {
                caughtUp(n);
                try (Connection conn = connect(n)) {
                    assertThat(rows(conn, "SELECT n FROM hits")).as(n.name())
                            .containsExactly(String.valueOf(c.nodes().size() * 2 * increments));
                    assertThat(rows(conn, "SELECT SUM(balance), COUNT(*) FROM acct"))
                            .as("%s, after %d commits refused with 40001", n.name(), failed)
                            .containsExactly((accounts * 1000) + "|" + accounts);
                    List<String> all = rows(conn, "SELECT id, balance FROM acct ORDER BY id");
                    if (expected == null) {
                        expected = all;
                    }
                    assertThat(all).as(n.name() + " against the first node").isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void anExplicitTransactionWhoseReadWasOverwritten_failsItsCommitWith40001_andLeavesNothing() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            try (Connection a = connect(c.node("n1")); Connection b = connect(c.node("n2"))) {
                exec(a, "CREATE TABLE kv (k VARCHAR(10) PRIMARY KEY, v INT)");
                exec(a, "INSERT INTO kv VALUES ('x', 1), ('y', 1)");
                caughtUp(c.node("n2"));
                a.setAutoCommit(false);
                b.setAutoCommit(false);
                assertThat(rows(a, "SELECT v FROM kv WHERE k = 'x'")).containsExactly("1");
                assertThat(rows(b, "SELECT v FROM kv WHERE k = 'x'")).containsExactly("1");
                exec(a, "UPDATE kv SET v = 2 WHERE k = 'x'");
                exec(b, "UPDATE kv SET v = 3 WHERE k = 'x'");
                exec(b, "UPDATE kv SET v = 3 WHERE k = 'y'");
                a.commit();
                assertThatThrownBy(b::commit).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("40001"));
                b.rollback();
                // b's transaction is gone whole: neither of its writes is anywhere
                for (MnemoNode n : c.nodes()) {
                    caughtUp(n);
                    try (Connection conn = connect(n)) {
                        assertThat(rows(conn, "SELECT k, v FROM kv ORDER BY k")).as(n.name())
                                .containsExactly("x|2", "y|1");
                    }
                }
                // a read-only transaction that read a row overwritten before it ended fails too: what it read was
                // not one state
                b.setAutoCommit(true);
                a.setAutoCommit(false);
                assertThat(rows(a, "SELECT v FROM kv WHERE k = 'x'")).containsExactly("2");
                exec(b, "UPDATE kv SET v = 5 WHERE k = 'x'");
                caughtUp(c.node("n1"));
                assertThatThrownBy(a::commit).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            }
        }
    }

    @Test
    void aNodeCutOff_refusesSqlWritesWith08006_stillReadsItsCopy_andWritesAgainOnceHealed() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String leader = c.awaitLeader();
            String cut = List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
            try (Connection l = connect(c.node(leader)); Connection x = connect(c.node(cut))) {
                exec(l, "CREATE TABLE kv (k VARCHAR(10) PRIMARY KEY, v INT)");
                exec(x, "INSERT INTO kv VALUES ('before', 1)");
                try (Partition p = Partition.cut(c, Set.of(cut))) {
                    c.awaitContact(cut, true);
                    assertThatThrownBy(() -> exec(x, "INSERT INTO kv VALUES ('minority', 2)"))
                            .isInstanceOfSatisfying(SQLException.class, e -> {
                                assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("08006");
                                assertThat(e.getMessage()).contains("majority").contains(cut);
                            });
                    exec(l, "INSERT INTO kv VALUES ('majority', 3)");
                    assertThat(rows(x, "SELECT k FROM kv ORDER BY k")).containsExactly("before");
                }
                c.awaitContact(cut, false);
                exec(x, "INSERT INTO kv VALUES ('healed', 4)");
                assertThat(rows(x, "SELECT k FROM kv ORDER BY k")).containsExactly("before", "healed", "majority");
            }
        }
    }

    @Test
    void badInput_isRefusedWithAClearSqlError() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            try (Connection c1 = connect(c.node("n1")); Connection c2 = connect(c.node("n2"))) {
                assertThatThrownBy(() -> exec(c1, "CREATE TABLE t (k INT PRIMARY KEY) WITH (disc_copies = 'n1,n9')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"))
                        .hasMessageContaining("n9");
                assertThatThrownBy(() -> exec(c1, "CREATE TABLE t (k INT PRIMARY KEY) WITH (disc_copies = 'n1,,n2')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("node names separated by commas");
                assertThatThrownBy(() -> exec(c1, "CREATE TABLE t (k INT PRIMARY KEY) WITH (storage = 'ram_copies',"
                        + " disc_copies = 'n1')")).isInstanceOf(SQLException.class).hasMessageContaining("not both");
                exec(c1, "CREATE TABLE here (k INT PRIMARY KEY, v INT) WITH (disc_copies = 'n1')");
                exec(c1, "INSERT INTO here VALUES (1, 1)");
                caughtUp(c.node("n2"));
                // n2 has no copy: its SQL view has no such table
                assertThatThrownBy(() -> rows(c2, "SELECT * FROM here")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("42S02"));
                // schema changes the cluster does not replicate are refused, not made on one node only
                assertThatThrownBy(() -> exec(c1, "CREATE INDEX here_v ON here (v)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"))
                        .hasMessageContaining("not replicated");
                assertThat(rows(c1, "SELECT k, v FROM here")).containsExactly("1|1");
                // a backup would hold the node's copies against the log it must apply
                assertThatThrownBy(() -> exec(c1, "BACKUP TO '" + dir.resolve("b.bak") + "'"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            }
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mnemo:node:n7"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
                    .hasMessageContaining("n7");
            try (Connection plain = DriverManager.getConnection("jdbc:mnemo:mem:sql-over-cluster-plain")) {
                assertThatThrownBy(() -> exec(plain, "CREATE TABLE t (k INT PRIMARY KEY) WITH (disc_copies = 'n1')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("jdbc:mnemo:node:");
            }
        }
        // a closed node is no longer reachable through its URL
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mnemo:node:n1"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
    }
}
