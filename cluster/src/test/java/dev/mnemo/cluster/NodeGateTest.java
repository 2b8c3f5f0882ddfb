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

    /** A follower, whose apply thread the writer (the leader) does not wait for, with tables kv and other. */
    private static MnemoNode follower(TestCluster c, String leader) {
        MnemoNode f = c.node(List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader)).findFirst()
                .orElseThrow());
        for (String t : List.of("kv", "other")) {
            f.createTable(TableDef.builder(t).attributes("k", "v").build(), Copies.disc("n1", "n2", "n3"));
        }
        for (MnemoNode n : c.nodes()) {
            n.waitForTables(List.of("kv", "other"), Duration.ofSeconds(10));
        }
        f.transaction(tx -> {
            tx.write("kv", Tuple.of("kv", "a", 0L));
            tx.write("kv", Tuple.of("kv", "b", 0L));
            return null;
        });
        f.linearizableRead(tx -> null);
        return f;
    }

    /**
     * Holds {@code node}'s apply thread, once, after the next entry's rows reach its copies and before its versions
     * are published, until {@link Hold#close} or {@code seconds}.
     */
    private static final class Hold implements AutoCloseable {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final Mnemo base;

        Hold(MnemoNode node, int seconds) throws ReflectiveOperationException {
            this.base = engineOf(node);
            AtomicBoolean armed = new AtomicBoolean(true);
            EngineHooks.beforeDurableWait(base, () -> {
                if (armed.compareAndSet(true, false)) {
                    held.countDown();
                    try {
                        release.await(seconds, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(10, TimeUnit.SECONDS)).as("the apply thread held").isTrue();
        }

        @Override
        public void close() {
            release.countDown();
            EngineHooks.beforeDurableWait(base, null);
        }
    }

    @Test
    void aReadOnlyTransaction_thatSawHalfOfAnEntryBeingApplied_failsItsCommit() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String leader = c.awaitLeader();
            MnemoNode f = follower(c, leader);
            Transaction t = Mnemo.attached(f.name()).orElseThrow().begin();
            assertThat(t.read("kv", "b")).containsExactly(Tuple.of("kv", "b", 0L));
            try (Hold hold = new Hold(f, 20)) {
                c.node(leader).transaction(tx -> {
                    tx.write("kv", Tuple.of("kv", "a", 1L));
                    tx.write("kv", Tuple.of("kv", "b", 1L));
                    return null;
                });
                hold.awaitHeld();
                assertThat(t.read("kv", "a")).containsExactly(Tuple.of("kv", "a", 1L)); // a from after, b from before
                new Thread(() -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    hold.release.countDown();
                }).start();
                assertThatThrownBy(t::commit).isInstanceOf(TransactionConflictException.class);
            }
        }
    }

    @Test
    void aReadOnlyCommit_doesNotWaitForAnEntryBeingAppliedToAnotherTable() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String leader = c.awaitLeader();
            MnemoNode f = follower(c, leader);
            Transaction t = Mnemo.attached(f.name()).orElseThrow().begin();
            assertThat(t.read("kv", "a")).containsExactly(Tuple.of("kv", "a", 0L));
            // the apply thread spends 7 s on an entry that writes only table 'other' (as a long load would)
            try (Hold hold = new Hold(f, 7)) {
                c.node(leader).transaction(tx -> {
                    tx.write("other", Tuple.of("other", "x", 1L));
                    return null;
                });
                hold.awaitHeld();
                // it read only kv, which that entry does not write: nothing of it can be half seen, so the commit
                // neither waits for it (past the 5 s request timeout, then refused) nor conflicts
                t.commit();
            }
        }
    }

    @Test
    void aCopyReloadedHere_whileTransactionsRun_failsTheirNextReadAndTheirCommit_ratherThanMixStates()
            throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String leader = c.awaitLeader();
            MnemoNode f = follower(c, leader);
            Mnemo view = Mnemo.attached(f.name()).orElseThrow();
            c.node(leader).createTable(TableDef.builder("late").attributes("k", "v").build(), Copies.disc(leader));
            Transaction snapshot = view.beginReadOnly(); // an autocommit query's snapshot, read in chunks
            Transaction writer = view.begin();
            assertThat(snapshot.read("kv", "a")).hasSize(1);
            writer.write("kv", Tuple.of("kv", "a", 9L));
            // a copy of another table is loaded here: this node's copies were replaced under both
            c.node(leader).addTableCopy("late", f.name(), dev.mnemo.engine.StorageType.DISC_COPIES);
            f.waitForTables(List.of("late"), Duration.ofSeconds(20));
            assertThatThrownBy(() -> snapshot.read("kv", "b")).isInstanceOf(TransactionConflictException.class)
                    .hasMessageContaining("reloaded");
            assertThatThrownBy(writer::commit).isInstanceOf(TransactionConflictException.class);
            snapshot.rollback();
            assertThat(f.dirtyRead("kv", "a")).containsExactly(Tuple.of("kv", "a", 0L));
            // begun now, in the new generation, both work
            view.transaction(tx -> {
                tx.write("kv", Tuple.of("kv", "a", 10L));
                return null;
            });
            List<Tuple> now = view.snapshot(tx -> tx.read("kv", "a"));
            assertThat(now).containsExactly(Tuple.of("kv", "a", 10L));
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
