package dev.mnemo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.EngineHooks;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.Transaction;
import dev.mnemo.engine.TransactionConflictException;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's SQL gate at the edges: a read-only check racing an apply, a table dropped under a commit, a node closed. */
class NodeGateTest {
    @TempDir
    Path dir;

    private static Mnemo engineOf(MnemoNode n) throws ReflectiveOperationException {
        var f = MnemoNode.class.getDeclaredField("engine");
        f.setAccessible(true);
        return (Mnemo) f.get(n);
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aReadOnlyTransaction_thatSawHalfOfAnEntryBeingApplied_failsItsCommit() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String leader = c.awaitLeader();
            // the reader is a follower, whose apply thread the writer (the leader) does not wait for
            MnemoNode n1 = c.node(List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader)).findFirst()
                    .orElseThrow());
            n1.createTable(TableDef.builder("kv").attributes("k", "v").build(), Copies.disc("n1", "n2", "n3"));
            for (MnemoNode n : c.nodes()) {
                n.waitForTables(List.of("kv"), Duration.ofSeconds(10));
            }
            n1.transaction(tx -> {
                tx.write("kv", Tuple.of("kv", "a", 0L));
                tx.write("kv", Tuple.of("kv", "b", 0L));
                return null;
            });
            n1.linearizableRead(tx -> null);
            Mnemo view = Mnemo.attached(n1.name()).orElseThrow();
            Mnemo base = engineOf(n1);
            Transaction t = view.begin();
            assertThat(t.read("kv", "b")).containsExactly(Tuple.of("kv", "b", 0L));
            // n1's apply thread is held after the next entry's rows reach its copy, before its versions are published
            AtomicBoolean armed = new AtomicBoolean(true);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            EngineHooks.beforeDurableWait(base, () -> {
                if (armed.compareAndSet(true, false)) {
                    held.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            try {
                c.node(leader).transaction(tx -> {
                    tx.write("kv", Tuple.of("kv", "a", 1L));
                    tx.write("kv", Tuple.of("kv", "b", 1L));
                    return null;
                });
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(t.read("kv", "a")).containsExactly(Tuple.of("kv", "a", 1L)); // a from after, b from before
                new Thread(() -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    release.countDown();
                }).start();
                assertThatThrownBy(t::commit).isInstanceOf(TransactionConflictException.class);
            } finally {
                release.countDown();
                EngineHooks.beforeDurableWait(base, null);
            }
        }
    }

    @Test
    void aReadOnlyCommit_doesNotWaitForAnEntryBeingAppliedToAnotherTable() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String leader = c.awaitLeader();
            MnemoNode n1 = c.node(List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader)).findFirst()
                    .orElseThrow());
            n1.createTable(TableDef.builder("kv").attributes("k", "v").build(), Copies.disc("n1", "n2", "n3"));
            n1.createTable(TableDef.builder("other").attributes("k", "v").build(), Copies.disc("n1", "n2", "n3"));
            for (MnemoNode n : c.nodes()) {
                n.waitForTables(List.of("kv", "other"), Duration.ofSeconds(10));
            }
            n1.transaction(tx -> {
                tx.write("kv", Tuple.of("kv", "a", 0L));
                return null;
            });
            n1.linearizableRead(tx -> null);
            Mnemo view = Mnemo.attached(n1.name()).orElseThrow();
            Mnemo base = engineOf(n1);
            Transaction t = view.begin();
            assertThat(t.read("kv", "a")).containsExactly(Tuple.of("kv", "a", 0L));
            AtomicBoolean armed = new AtomicBoolean(true);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // n1's apply thread spends 7 s on an entry that writes only table 'other' (as a long LOAD would)
            EngineHooks.beforeDurableWait(base, () -> {
                if (armed.compareAndSet(true, false)) {
                    held.countDown();
                    try {
                        release.await(7, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            try {
                c.node(leader).transaction(tx -> {
                    tx.write("other", Tuple.of("other", "x", 1L));
                    return null;
                });
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                // it read only kv, which that entry does not write: nothing of it can be half seen, so the commit
                // neither waits for it (past the 5 s request timeout, then refused) nor conflicts
                t.commit();
            } finally {
                release.countDown();
                EngineHooks.beforeDurableWait(base, null);
            }
        }
    }

    @Test
    void aCommitWhoseTableWasDropped_is40001_andAClosedNodesConnections_say08003() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            try (Connection a = DriverManager.getConnection(c.node("n1").jdbcUrl());
                 Connection b = DriverManager.getConnection(c.node("n2").jdbcUrl());
                 Connection x = DriverManager.getConnection(c.node("n3").jdbcUrl())) {
                exec(a, "CREATE TABLE kv (k VARCHAR(10) PRIMARY KEY, v INT)");
                exec(a, "INSERT INTO kv VALUES ('x', 1)");
                c.node("n2").linearizableRead(tx -> null);
                a.setAutoCommit(false);
                exec(a, "UPDATE kv SET v = 2 WHERE k = 'x'");
                exec(b, "DROP TABLE kv");
                c.node("n1").linearizableRead(tx -> null);
                assertThatThrownBy(a::commit).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("40001"));
                a.rollback();
                c.kill("n3");
                assertThatThrownBy(() -> exec(x, "SELECT * FROM kv")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("08003"));
                assertThatThrownBy(() -> exec(x, "CREATE TABLE t (k INT PRIMARY KEY)")).isInstanceOf(
                        SQLException.class);
            }
        }
    }
}
