package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interrupts of threads that use the database (an executor's cancel(true), a request timeout) fail at most their
 * own transaction: the database keeps writing, and every acknowledged commit is there after a restart.
 */
class InterruptSafetyTest {
    @TempDir
    Path dir;

    private static void create(Mnemo db, StorageType storage) {
        db.createTable(TableDef.builder("t").attribute("id", AttrType.INTEGER).attribute("v", AttrType.ANY)
                .storage(storage).index("v").build());
    }

    @ParameterizedTest
    @EnumSource(value = StorageType.class, names = {"DISC_COPIES", "DISC_ONLY_COPIES"})
    void interruptsHittingCommits_neverStopTheDatabase_andLoseNoAcknowledgedCommit(StorageType storage)
            throws Exception {
        storm(storage, MnemoConfig.disc(dir));
    }

    @Test
    void withSyncOnEveryCommit_interruptsHittingTheSync_neverStopTheDatabase() throws Exception {
        // sync=true: every commit is forced to disc, so most interrupts land in (or just before) a sync
        storm(StorageType.DISC_COPIES, MnemoConfig.disc(dir).withSync(true));
    }

    private void storm(StorageType storage, MnemoConfig config) throws Exception {
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong next = new AtomicLong();
        AtomicLong interruptedFailures = new AtomicLong();
        try (Mnemo db = Mnemo.open(config)) {
            create(db, storage);
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    long id = next.incrementAndGet();
                    try {
                        db.transaction(tx -> {
                            tx.write(Tuple.of("t", id, "v" + id % 7));
                            return null;
                        });
                        acknowledged.add(id);
                    } catch (OperationInterruptedException e) {
                        interruptedFailures.incrementAndGet();
                    }
                    Thread.interrupted(); // carry on, as a pooled thread does after its task was cancelled
                }
            });
            writer.start();
            // interrupts land at any moment: before a transaction, inside a commit's disc write, between them
            long until = System.nanoTime() + 1_500_000_000L;
            int interrupts = 0;
            while (System.nanoTime() < until) {
                writer.interrupt();
                interrupts++;
                Thread.sleep(0, 200_000);
            }
            stop.set(true);
            writer.join(10_000);
            assertThat(writer.isAlive()).isFalse();
            assertThat(interrupts).isGreaterThan(100);
            assertThat(acknowledged).isNotEmpty();
            // another thread writes as before
            db.transaction(tx -> {
                tx.write(Tuple.of("t", -1L, "after"));
                return null;
            });
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(java.util.List.of("t"), java.time.Duration.ofSeconds(60));
            for (long id : acknowledged) {
                assertThat(db.dirtyRead("t", id)).as("acknowledged id %d", id).hasSize(1);
            }
            assertThat(db.dirtyRead("t", -1L)).containsExactly(Tuple.of("t", -1L, "after"));
        }
    }

    @Test
    void onAnInterruptedThread_aTransactionDoesNotRun_andTheFlagStaysSet() {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, StorageType.DISC_COPIES);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.write(Tuple.of("t", 1L, "x"));
                    return null;
                })).isInstanceOf(OperationInterruptedException.class).hasMessageContaining("interrupted");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(db.dirtyRead("t", 1L)).isEmpty();
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 1L, "x"));
                return null;
            });
            assertThat(db.dirtyRead("t", 1L)).hasSize(1);
        }
    }

    @Test
    void aThreadInterruptedWhileItsCommitIsWritten_getsItsCommit_andItsInterruptBack() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, StorageType.DISC_ONLY_COPIES);
            // a commit big enough to be under way when the interrupt comes, and to fill a log file (8 MB), which
            // Xodus then forces to disc through its FileChannel: the moment an interrupt closed the log before
            Thread self = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                self.interrupt();
            });
            interrupter.start();
            try {
                db.transaction(tx -> {
                    for (long i = 0; i < 50_000; i++) {
                        tx.write(Tuple.of("t", i, "v".repeat(200) + i));
                    }
                    return null;
                });
            } catch (OperationInterruptedException e) {
                // the interrupt came before the commit: nothing was written, which the checks below allow for
            }
            interrupter.join();
            boolean flag = Thread.interrupted();
            assertThat(flag).isTrue();
            long stored = db.tableInfo("t").size();
            assertThat(stored).isIn(0L, 50_000L);
            db.transaction(tx -> {
                tx.write(Tuple.of("t", -1L, "after"));
                return null;
            });
            assertThat(db.tableInfo("t").size()).isEqualTo(stored + 1);
        }
    }
}
