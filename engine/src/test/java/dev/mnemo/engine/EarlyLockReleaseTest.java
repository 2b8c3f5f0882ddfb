package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit releases its locks once it is in the stores, before its log record is written: a writer waiting for one
 * of its keys goes on meanwhile, while the commit itself returns, and becomes visible to snapshots, only once the
 * record is durable. The log write is held back by a test hook of the checkpoints.
 */
class EarlyLockReleaseTest {
    @TempDir
    Path dir;

    private Mnemo open() {
        Mnemo db = Mnemo.open(dir);
        if (!db.tables().contains("t")) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
        } else {
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
        }
        return db;
    }

    private static void add(Mnemo db, long k, long amount) {
        db.transaction(tx -> {
            List<Tuple> now = tx.wread("t", k);
            long v = now.isEmpty() ? 0 : (Long) now.get(0).get(2);
            tx.write(Tuple.of("t", k, v + amount));
            return null;
        });
    }

    private static Long snapshotValue(Mnemo db, long k) {
        return db.snapshot(tx -> {
            List<Tuple> now = tx.read("t", k);
            return now.isEmpty() ? null : (Long) now.get(0).get(2);
        });
    }

    @Test
    void aWriterWaitingForAKey_goesOnWhileItsCommitIsWritten_whichNoSnapshotSeesUntilItIsDurable() throws Exception {
        try (Mnemo db = open()) {
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> first = heldBackAdd(db, writing, release, () -> {
            });
            CompletableFuture<Void> second;
            try {
                second = heldBack(db, writing, first);
            } finally {
                release.countDown();
            }
            db.db.checkpoints.beforeLogWrite = null;
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            assertThat(snapshotValue(db, 1)).isEqualTo(30L);
        }
        try (Mnemo db = open()) {
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, 30L));
        }
    }

    /**
     * While the first commit's record is held back: a second writer of its key goes on, no snapshot sees the first
     * commit, and it has not returned. Returns the second writer's commit.
     */
    private static CompletableFuture<Void> heldBack(Mnemo db, CountDownLatch writing, CompletableFuture<Void> first)
            throws Exception {
        assertThat(writing.await(30, TimeUnit.SECONDS)).as("the first commit's record is being written").isTrue();
        // the second writer reads the key under a write lock: it is given the lock, and the first one's value
        CountDownLatch secondRead = new CountDownLatch(1);
        long[] seen = new long[1];
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> db.transaction(tx -> {
            seen[0] = (Long) tx.wread("t", 1L).get(0).get(2);
            secondRead.countDown();
            tx.write(Tuple.of("t", 1L, seen[0] * 2));
            return null;
        }));
        assertThat(secondRead.await(30, TimeUnit.SECONDS)).as("the second writer got the lock").isTrue();
        assertThat(seen[0]).as("it read the first commit's value").isEqualTo(15L);
        assertThat(first).as("the first commit has not returned: its record is not durable").isNotDone();
        assertThat(snapshotValue(db, 1)).as("a snapshot reads the last durable commit").isEqualTo(10L);
        return second;
    }

    @Test
    void aCommitThatCannotBeWritten_isTakenBack_andSoIsTheOneThatReadIt_andTheDatabaseTakesNoMore() throws Exception {
        try (Mnemo db = open()) {
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> first = heldBackAdd(db, writing, release, () -> {
                // the disk is full from here on: the log and Xodus both fail
                db.db.checkpoints.commitLog().failAfterBytes = 3;
                db.db.logWriter().failAfterBytes = 3;
            });
            assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
            CountDownLatch secondRead = new CountDownLatch(1);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> db.transaction(tx -> {
                tx.write(Tuple.of("t", 1L, (Long) tx.wread("t", 1L).get(0).get(2) + 100));
                secondRead.countDown();
                return null;
            }));
            assertThat(secondRead.await(30, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            Throwable firstFailure = catchThrowable(() -> first.get(30, TimeUnit.SECONDS));
            Throwable secondFailure = catchThrowable(() -> second.get(30, TimeUnit.SECONDS));
            assertThat(chain(firstFailure)).contains("No space left on device").contains("could not be written");
            assertThat(chain(secondFailure)).as("the commit that read the first one's value fails too")
                    .contains("could not be written");
            assertThat(db.dirtyRead("t", 1L)).as("both were taken back").containsExactly(Tuple.of("t", 1L, 10L));
            assertThat(snapshotValue(db, 1)).isEqualTo(10L);
            db.db.checkpoints.beforeLogWrite = null;
            db.db.checkpoints.commitLog().failAfterBytes = -1;
            db.db.logWriter().failAfterBytes = -1;
            Throwable later = catchThrowable(() -> add(db, 2, 1));
            assertThat(later).as("no commit is taken until the database is reopened").isInstanceOf(MnemoException.class)
                    .hasMessageContaining("takes no more commits until it is stopped and started, or reopened");
        }
        try (Mnemo db = open()) {
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, 10L));
            add(db, 2, 1);
        }
        try (Mnemo db = open()) {
            assertThat(db.dirtyRead("t", 2L)).containsExactly(Tuple.of("t", 2L, 1L));
        }
    }

    /**
     * Commits 10 to key 1, then starts a commit that adds 5 to it, whose log write is held back until {@code release}
     * (then runs {@code then}).
     */
    private static CompletableFuture<Void> heldBackAdd(Mnemo db, CountDownLatch writing, CountDownLatch release,
                                                      Runnable then) {
        add(db, 1, 10);
        holdBackLogWrite(db, writing, release, then);
        return CompletableFuture.runAsync(() -> add(db, 1, 5));
    }

    /** Holds the next log write back until {@code release}; counts {@code writing} down when it starts. */
    private static void holdBackLogWrite(Mnemo db, CountDownLatch writing, CountDownLatch release, Runnable then) {
        db.db.checkpoints.beforeLogWrite = () -> {
            writing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            then.run();
        };
    }

    @Test
    void aScanInALockingTransaction_readsACommitThatReleasedItsLocksBeforeItsRecordWasWritten() throws Exception {
        try (Mnemo db = open()) {
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> first = heldBackAdd(db, writing, release, () -> {
            });
            CompletableFuture<Long> scanned;
            try (Transaction x = db.begin()) {
                try {
                    assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(x.read("t", 1L)).as("a key read under a lock").containsExactly(Tuple.of("t", 1L, 15L));
                    // the view of a table this transaction holds a read lock on must agree with its key reads
                    scanned = CompletableFuture.supplyAsync(() -> (Long) x.readView("t").read("t", 1L).get(0).get(2));
                    Thread.sleep(200);
                    assertThat(scanned).as("the view waits until the first commit is durable").isNotDone();
                } finally {
                    release.countDown();
                }
                assertThat(scanned.get(30, TimeUnit.SECONDS)).isEqualTo(15L);
                x.commit();
            }
            db.db.checkpoints.beforeLogWrite = null;
            first.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailedWrite_takesBackTheRamCopiesPartOfACommit_andACommitQueuedBehindIt_andAStartAfterAStopWorks()
            throws Exception {
        try (Mnemo db = open()) {
            db.createTable(TableDef.builder("r").attributes("k", "v").storage(StorageType.RAM_COPIES).build());
            db.transaction(tx -> {
                tx.write(Tuple.of("r", 1L, 10L));
                tx.write(Tuple.of("t", 1L, 10L));
                return null;
            });
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            holdBackLogWrite(db, writing, release, () -> {
                db.db.checkpoints.commitLog().failAfterBytes = 3;
                db.db.logWriter().failAfterBytes = 3;
            });
            CompletableFuture<Void> mixed = CompletableFuture.runAsync(() -> db.transaction(tx -> {
                tx.write(Tuple.of("r", 1L, 15L));
                tx.write(Tuple.of("t", 1L, 15L));
                return null;
            }));
            CompletableFuture<Void> ramOnly;
            try {
                assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
                // a ram_copies commit of another key: nothing to write, but it waits behind the first one
                ramOnly = CompletableFuture.runAsync(() -> db.transaction(tx -> {
                    tx.write(Tuple.of("r", 2L, 99L));
                    return null;
                }));
                waitUntil(() -> db.dirtyRead("r", 2L).size() == 1);
                assertThat(ramOnly).as("it waits for the commit before it").isNotDone();
            } finally {
                release.countDown();
            }
            assertThat(catchThrowable(() -> mixed.get(30, TimeUnit.SECONDS))).isNotNull();
            assertThat(chain(catchThrowable(() -> ramOnly.get(30, TimeUnit.SECONDS)))).contains("could not be written");
            assertThat(db.dirtyRead("r", 1L)).as("the ram part taken back").containsExactly(Tuple.of("r", 1L, 10L));
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, 10L));
            assertThat(db.dirtyRead("r", 2L)).as("the commit behind it taken back").isEmpty();
            db.db.checkpoints.beforeLogWrite = null;
            db.db.checkpoints.commitLog().failAfterBytes = -1;
            db.db.logWriter().failAfterBytes = -1;
            db.stop();
            db.start();
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            add(db, 2, 7);
            assertThat(db.dirtyRead("t", 2L)).as("a stop and start clear the failure").containsExactly(
                    Tuple.of("t", 2L, 7L));
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, 10L));
        }
    }

    @Test
    void aCommitWhoseWriteFailsAtAStop_failsForItsCommitter_evenAfterTheNextStart() throws Exception {
        try (Mnemo db = open()) {
            add(db, 1, 10);
            CountDownLatch applied = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            db.db.beforeDurableWait = () -> {
                applied.countDown();
                try {
                    go.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            CompletableFuture<Void> late = CompletableFuture.runAsync(() -> add(db, 1, 5));
            try {
                assertThat(applied.await(30, TimeUnit.SECONDS)).isTrue();
                db.db.beforeDurableWait = null;
                // the disk fills; the stop writes the queued commit, which fails, and the database starts again
                db.db.checkpoints.commitLog().failAfterBytes = 3;
                db.db.logWriter().failAfterBytes = 3;
                catchThrowable(db::stop);
                db.db.logWriter().failAfterBytes = -1;
                db.start();
            } finally {
                go.countDown();
            }
            assertThat(chain(catchThrowable(() -> late.get(30, TimeUnit.SECONDS))))
                    .as("its committer is told it failed").contains("could not be written");
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, 10L));
            // the new run's reads do not wait for, or fail with, the commits of the run before
            List<Tuple> read = db.transaction(tx -> tx.read("t", 1L));
            assertThat(read).containsExactly(Tuple.of("t", 1L, 10L));
            try (Transaction x = db.begin()) {
                assertThat(x.readView("t").read("t", 1L)).containsExactly(Tuple.of("t", 1L, 10L));
                x.commit();
            }
            add(db, 2, 3);
        }
        try (Mnemo db = open()) {
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, 10L));
            assertThat(db.dirtyRead("t", 2L)).containsExactly(Tuple.of("t", 2L, 3L));
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
