package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed durability ({@link MnemoConfig#writeDelay}): a commit returns, and is visible, once it is in the stores;
 * the engine's log writer writes the queued records at least every {@code writeDelay}, a committer only when the
 * queue is past its bound. Crashes under a delay are in {@link WriteDelayCrashTest}.
 */
class WriteDelayTest {
    @TempDir
    Path dir;

    private Mnemo open(Duration delay) {
        Mnemo db = Mnemo.open(MnemoConfig.disc(dir).withWriteDelay(delay));
        if (!db.tables().contains("t")) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
        } else {
            db.waitForTables(List.of("t"), Duration.ofSeconds(30));
        }
        return db;
    }

    private static void put(Mnemo db, long k, Object v) {
        db.transaction(tx -> {
            tx.write(Tuple.of("t", k, v));
            return null;
        });
    }

    private static AtomicInteger countLogWrites(Mnemo db) {
        AtomicInteger writes = new AtomicInteger();
        db.db.checkpoints.beforeLogWrite = writes::incrementAndGet;
        return writes;
    }

    @Test
    void aCommit_returnsAndIsVisible_beforeItsRecordIsWritten_andAStopWritesIt() {
        try (Mnemo db = open(Duration.ofHours(1))) {
            AtomicInteger writes = countLogWrites(db);
            put(db, 1, "a");
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 2L, "b"));
                tx.write(Tuple.of("t", 3L, "c"));
                return null;
            });
            assertThat(writes.get()).as("no commit waited for its record to be written").isZero();
            assertThat((List<Tuple>) db.snapshot(tx -> tx.read("t", 3L))).as("a snapshot sees it at once")
                    .containsExactly(Tuple.of("t", 3L, "c"));
            assertThat((List<Tuple>) db.transaction(tx -> tx.read("t", 2L))).containsExactly(Tuple.of("t", 2L, "b"));
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, "a"));
        }
        try (Mnemo db = open(Duration.ZERO)) {
            assertThat(db.dirtyRead("t", 1L)).as("the close wrote the queued commits")
                    .containsExactly(Tuple.of("t", 1L, "a"));
            assertThat(db.dirtyRead("t", 3L)).containsExactly(Tuple.of("t", 3L, "c"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theLogWriter_writesQueuedCommitsWithinTheDelay_withoutAnyCommitter() throws Exception {
        try (Mnemo db = open(Duration.ofMillis(20))) {
            java.util.List<String> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
            db.db.checkpoints.beforeLogWrite = () -> writers.add(Thread.currentThread().getName());
            put(db, 1, "a");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writers.isEmpty()) {
                assertThat(System.nanoTime()).as("the log writer wrote the record").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(writers).containsExactly("mnemo-log-writer");
            while (db.db.checkpoints.hasUndurable()) { // the hook runs before the write: it may be under way
                assertThat(System.nanoTime()).as("the write ended").isLessThan(deadline);
                Thread.sleep(5);
            }
            Thread.sleep(200);
            assertThat(writers).as("an empty queue is not written").hasSize(1);
        }
    }

    @Test
    void aMegabyteQueued_wakesTheLogWriter_beforeTheDelayIsUp() throws Exception {
        try (Mnemo db = open(Duration.ofHours(1))) {
            java.util.Set<String> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
            db.db.checkpoints.beforeLogWrite = () -> writers.add(Thread.currentThread().getName());
            String big = "x".repeat(64 * 1024);
            for (int i = 0; i < 20; i++) { // 1.3 MB
                put(db, i, big + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writers.isEmpty()) {
                assertThat(System.nanoTime()).as("the log writer wrote the queue").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(writers).containsExactly("mnemo-log-writer");
        }
    }

    @Test
    void aCommitterWritesTheQueueItself_onceItIsPastItsBound() {
        try (Mnemo db = open(Duration.ofHours(1))) {
            db.db.checkpoints.writerPaused = true;
            java.util.Set<String> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
            db.db.checkpoints.beforeLogWrite = () -> writers.add(Thread.currentThread().getName());
            String big = "x".repeat(64 * 1024);
            // 20 MB of records, more than the queue may hold, with the log writer held back: the committers write
            for (int i = 0; i < 320; i++) {
                put(db, i, big + i);
            }
            assertThat(writers).as("committers wrote the queue past its bound").containsExactly(
                    Thread.currentThread().getName());
        }
        try (Mnemo db = open(Duration.ZERO)) {
            for (int i = 0; i < 320; i += 53) {
                assertThat((String) db.dirtyRead("t", (long) i).get(0).get(2)).endsWith("x" + i);
            }
        }
    }

    @Test
    void aDelayedWriteThatFails_stopsCommits_andItsCommitsAreLostAtTheNextOpen() throws Exception {
        try (Mnemo db = open(Duration.ofMillis(10))) {
            put(db, 1, "kept");
            // written for certain before the disk fills
            db.stop();
            db.start();
            db.waitForTables(List.of("t"), Duration.ofSeconds(30));
            AtomicInteger writes = countLogWrites(db);
            // the disk is full from here on: the log and Xodus both fail
            db.db.checkpoints.commitLog().failAfterBytes = 3;
            db.db.logWriter().failAfterBytes = 3;
            put(db, 2, "lost");
            assertThat(db.dirtyRead("t", 2L)).as("acknowledged, and visible until the write fails")
                    .containsExactly(Tuple.of("t", 2L, "lost"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Throwable refused = null;
            for (long attempt = 0; refused == null; attempt++) {
                assertThat(System.nanoTime()).as("the failed write stops commits").isLessThan(deadline);
                Thread.sleep(5);
                if (writes.get() > 0) {
                    long value = attempt; // a new value each time: a commit that changes nothing writes nothing
                    refused = catchThrowable(() -> put(db, 3, value));
                }
            }
            assertThat(refused).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("takes no more commits until it is stopped and started, or reopened");
            assertThat(db.dirtyRead("t", 2L)).as("not taken back: it was acknowledged and seen")
                    .containsExactly(Tuple.of("t", 2L, "lost"));
            assertThatThrownBy(db::syncLog).as("nothing more can be made durable").isInstanceOf(MnemoException.class)
                    .hasMessageContaining("could not be written");
            db.db.checkpoints.commitLog().failAfterBytes = -1;
            db.db.logWriter().failAfterBytes = -1;
            assertThatThrownBy(db::close).as("the close reports the lost commits, which nobody waited for")
                    .hasMessageContaining("are lost");
        }
        try (Mnemo db = open(Duration.ofMillis(10))) {
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, "kept"));
            assertThat(db.dirtyRead("t", 2L)).as("never written: lost, as the write delay allows").isEmpty();
            assertThat(db.dirtyRead("t", 3L)).isEmpty();
            put(db, 4, "after");
        }
        try (Mnemo db = open(Duration.ZERO)) {
            assertThat(db.dirtyRead("t", 4L)).containsExactly(Tuple.of("t", 4L, "after"));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentTransfers_underADelay_keepTheTotal_andEveryCommitSurvivesAClose() throws Exception {
        int accounts = 20;
        int threads = 8;
        int perThread = 400;
        try (Mnemo db = open(Duration.ofMillis(2))) {
            for (long a = 0; a < accounts; a++) {
                put(db, a, 1_000L);
            }
            List<Thread> workers = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sums = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        long total = db.snapshot(tx -> {
                            long s = 0;
                            for (long a = 0; a < accounts; a++) {
                                s += (Long) tx.read("t", a).get(0).get(2);
                            }
                            return s;
                        });
                        assertThat(total).isEqualTo(accounts * 1_000L);
                        sums.incrementAndGet();
                    }
                } catch (Throwable e) {
                    if (!(e instanceof OperationInterruptedException)) {
                        errors.add(e);
                    }
                }
            });
            reader.start();
            for (int w = 0; w < threads; w++) {
                int seed = w;
                Thread t = new Thread(() -> {
                    java.util.Random rnd = new java.util.Random(seed);
                    try {
                        for (int i = 0; i < perThread; i++) {
                            long from = rnd.nextInt(accounts);
                            long to = (from + 1 + rnd.nextInt(accounts - 1)) % accounts;
                            long amount = 1 + rnd.nextInt(10);
                            db.transaction(tx -> {
                                long f = (Long) tx.wread("t", from).get(0).get(2);
                                long g = (Long) tx.wread("t", to).get(0).get(2);
                                tx.write(Tuple.of("t", from, f - amount));
                                tx.write(Tuple.of("t", to, g + amount));
                                return null;
                            });
                            put(db, 1_000 + seed * perThread + i, (long) i); // one row per commit, to count
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                t.join();
            }
            reader.interrupt();
            reader.join();
            assertThat(errors).isEmpty();
            assertThat(sums.get()).isPositive();
        }
        try (Mnemo db = open(Duration.ZERO)) {
            long total = 0;
            for (long a = 0; a < accounts; a++) {
                total += (Long) db.dirtyRead("t", a).get(0).get(2);
            }
            assertThat(total).isEqualTo(accounts * 1_000L);
            for (int w = 0; w < threads; w++) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(db.dirtyRead("t", 1_000L + w * perThread + i)).as("writer %d row %d", w, i)
                            .containsExactly(Tuple.of("t", 1_000L + w * perThread + i, (long) i));
                }
            }
        }
    }

    @Test
    void syncLog_writesTheQueueOnTheCallersThread_underAnHourLongDelay() {
        try (Mnemo db = open(Duration.ofHours(1))) {
            db.db.checkpoints.writerPaused = true;
            java.util.List<String> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
            db.db.checkpoints.beforeLogWrite = () -> writers.add(Thread.currentThread().getName());
            put(db, 1, "a");
            put(db, 2, "b");
            assertThat(db.db.checkpoints.hasUndurable()).isTrue();
            db.syncLog();
            assertThat(writers).containsExactly(Thread.currentThread().getName());
            assertThat(db.db.checkpoints.hasUndurable()).isFalse();
            db.syncLog(); // nothing queued: only the fsync
            assertThat(writers).hasSize(1);
        }
        try (Mnemo db = Mnemo.inMemory()) {
            db.syncLog(); // nothing to sync in memory
            db.stop();
            assertThatThrownBy(db::syncLog).hasMessageContaining("not running");
        }
    }

    @Test
    void aCommitStraightIntoXodus_writesTheQueuedCommitsFirst() {
        try (Mnemo db = open(Duration.ofHours(1))) {
            db.createTable(TableDef.builder("d").attributes("k", "v").storage(StorageType.DISC_ONLY_COPIES).build());
            db.db.checkpoints.writerPaused = true;
            java.util.List<String> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
            db.db.checkpoints.beforeLogWrite = () -> writers.add(Thread.currentThread().getName());
            put(db, 1, "queued");
            assertThat(db.db.checkpoints.hasUndurable()).isTrue();
            db.transaction(tx -> {
                tx.write(Tuple.of("d", 1L, "direct"));
                return null;
            });
            assertThat(writers).as("the disc_only commit wrote the queue first").containsExactly(
                    Thread.currentThread().getName());
            assertThat(db.db.checkpoints.hasUndurable()).isFalse();
        }
    }

    @Test
    void aDelayOutsideOneMillisecondToADay_isRefused() {
        for (Duration bad : List.of(Duration.ofMillis(-1), Duration.ofNanos(1), Duration.ofDays(2))) {
            assertThatThrownBy(() -> MnemoConfig.disc(dir).withWriteDelay(bad)).as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("writeDelay must be zero or from 1 ms to 1 day");
        }
        assertThat(MnemoConfig.disc(dir).withWriteDelay(Duration.ofMillis(1)).writeDelay())
                .isEqualTo(Duration.ofMillis(1));
    }
}
