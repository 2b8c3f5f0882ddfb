package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplicitTransactionTest {
    @TempDir
    Path dir;

    private Mnemo open() {
        Mnemo db = Mnemo.open(dir);
        db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).index("v").build());
        return db;
    }

    @Test
    void commit_makesWritesDurableAndVisible() {
        try (Mnemo db = open()) {
            Transaction tx = db.begin();
            tx.write(Tuple.of("t", 1, "a"));
            assertThat(tx.read("t", 1)).hasSize(1);
            assertThat(db.dirtyRead("t", 1)).isEmpty();
            tx.commit();
            assertThat(tx.isActive()).isFalse();
            assertThat(db.dirtyIndexRead("t", "a", "v")).hasSize(1);
            assertThat(db.systemInfo().heldLocks()).isEmpty();
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.dirtyRead("t", 1)).containsExactly(Tuple.of("t", 1, "a"));
        }
    }

    @Test
    void rollbackAndClose_leaveNoTraceAndNoLocks() {
        try (Mnemo db = open()) {
            Transaction tx = db.begin();
            tx.write(Tuple.of("t", 1, "a"));
            tx.rollback();
            tx.rollback();
            assertThat(db.dirtyRead("t", 1)).isEmpty();
            try (Transaction other = db.begin()) {
                other.write(Tuple.of("t", 2, "b"));
            }
            assertThat(db.dirtyRead("t", 2)).isEmpty();
            assertThat(db.systemInfo().heldLocks()).isEmpty();
            assertThat(db.systemInfo().transactionFailures()).isEqualTo(2);
            assertThatThrownBy(() -> tx.read("t", 1)).isInstanceOf(NotInTransactionException.class);
            assertThatThrownBy(tx::commit).isInstanceOf(NotInTransactionException.class);
        }
    }

    @Test
    void aConflict_waits_andADeadlock_rollsBackOnlyTheYoungest_whileTheOlderCommits() throws Exception {
        try (Mnemo db = open()) {
            Transaction older = db.begin();
            Transaction younger = db.begin();
            older.write(Tuple.of("t", 1, "old"));
            younger.write(Tuple.of("t", 9, "young"));
            // the older one now needs key 9: it waits for the younger (no error, as wait-die gave)
            java.util.concurrent.CompletableFuture<Void> olderWaits = java.util.concurrent.CompletableFuture.runAsync(
                    () -> older.write(Tuple.of("t", 9, "old")));
            Thread.sleep(100);
            assertThat(olderWaits).isNotDone();
            // the younger one needs key 1: the two wait for each other; the younger is rolled back
            assertThatThrownBy(() -> younger.read("t", 1)).isInstanceOf(TransactionConflictException.class)
                    .hasMessageContaining("deadlock").hasMessageContaining("rolled back");
            assertThat(younger.isActive()).isFalse();
            olderWaits.get(10, java.util.concurrent.TimeUnit.SECONDS);
            older.commit();
            assertThat(db.dirtyRead("t", 1)).containsExactly(Tuple.of("t", 1, "old"));
            assertThat(db.dirtyRead("t", 9)).containsExactly(Tuple.of("t", 9, "old"));
            assertThat(db.systemInfo().heldLocks()).isEmpty();
        }
    }

    @Test
    void anExplicitTransactionInterruptedWhileWaitingForALock_isRolledBack_andLetsItsLocksGo() throws Exception {
        try (Mnemo db = open()) {
            Transaction holder = db.begin();
            holder.write(Tuple.of("t", 1, "held"));
            Transaction waiter = db.begin();
            waiter.write(Tuple.of("t", 2, "mine"));
            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    waiter.read("t", 1);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            Thread.sleep(100);
            t.interrupt();
            t.join(10_000);
            assertThat(failure.get()).isInstanceOf(OperationInterruptedException.class)
                    .hasMessageContaining("rolled back");
            assertThat(waiter.isActive()).isFalse();
            // its lock on key 2 is gone: another transaction writes it at once
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 2, "other"));
                return null;
            });
            holder.commit();
            assertThat(db.dirtyRead("t", 2)).containsExactly(Tuple.of("t", 2, "other"));
        }
    }

    @Test
    void aLockWaitPastTheLockTimeout_rollsTheWaiterBack() {
        try (Mnemo db = Mnemo.open(MnemoConfig.inMemory().withLockTimeout(java.time.Duration.ofMillis(200)))) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            Transaction holder = db.begin();
            holder.write(Tuple.of("t", 1, "held"));
            Transaction waiter = db.begin();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> waiter.read("t", 1)).isInstanceOf(TransactionConflictException.class)
                    .hasMessageContaining("lock wait timeout").hasMessageContaining("rolled back");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(150_000_000L);
            assertThat(waiter.isActive()).isFalse();
            holder.commit();
            assertThat(db.dirtyRead("t", 1)).containsExactly(Tuple.of("t", 1, "held"));
        }
    }

    @Test
    void explicitAndFunctionTransactions_shareLocks() throws Exception {
        try (Mnemo db = open()) {
            Transaction tx = db.begin();
            tx.write(Tuple.of("t", 1, "explicit"));
            Thread younger = new Thread(() -> db.transaction(fn -> {
                fn.write(Tuple.of("t", 1, "function"));
                return null;
            }));
            younger.start();
            Thread.sleep(100);
            assertThat(db.dirtyRead("t", 1)).isEmpty();
            tx.commit();
            younger.join(10_000);
            assertThat(younger.isAlive()).isFalse();
            assertThat(db.dirtyRead("t", 1)).containsExactly(Tuple.of("t", 1, "function"));
        }
    }

    @Test
    void queriesInExplicitTransaction_seeOwnWrites() {
        try (Mnemo db = open()) {
            db.dirtyWrite(Tuple.of("t", 1, "a"));
            try (Transaction tx = db.begin()) {
                tx.write(Tuple.of("t", 2, "a"));
                tx.delete("t", 1);
                assertThat(tx.indexRead("t", "a", "v")).containsExactly(Tuple.of("t", 2, "a"));
                assertThat(tx.allKeys("t")).isEqualTo(List.of(2L));
                tx.commit();
            }
            assertThat(db.dirtyAllKeys("t")).containsExactly(2L);
        }
    }
}
