package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import dev.mnemo.engine.value.Tuple;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jetbrains.exodus.env.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Timeout(60)
/** Races between schema changes, transactions, caches and lock queues that once went wrong, kept as regressions. */
class SchemaAndLockRacesTest {
    @TempDir
    Path dir;

    /** A nested tryTransaction that aborts reports Aborted, yet the outer transaction commits its writes. */
    @Test
    void nestedTryTransaction_aborting_rollsBackOnlyItsOwnWrites() {
        try (Mnemo db = Mnemo.inMemory()) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            Object outcome = db.transaction(tx -> db.tryTransaction(inner -> {
                inner.write(Tuple.of("t", 1, "ghost"));
                throw inner.abort("no");
            }));
            assertThat(outcome).isInstanceOf(TxOutcome.Aborted.class);
            assertThat(db.dirtyRead("t", 1)).as("writes of the aborted inner transaction").isEmpty();
        }
    }

    /**
     * Validation happens before the record lock; a transform_table that wins the lock in between changes the
     * arity, and the older transaction then commits a record of the old shape into the new table.
     */
    @Test
    void write_waitingBehindTransform_isCheckedAgainstTheNewShape() throws Exception {
        try (Mnemo db = Mnemo.inMemory()) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 1, "a"));
                return null;
            });
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch olderStarted = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Database d = db.db;
            try {
                // the older transaction: gets its age first, then waits
                Future<?> older = pool.submit(() -> db.transaction(tx -> {
                    olderStarted.countDown();
                    go.await();
                    tx.write(Tuple.of("t", 2, "old-shape")); // validated against {k, v}, then waits for the lock
                    return null;
                }));
                olderStarted.await();
                d.commitLock.lock(); // hold the schema op after it took the table write lock
                Future<?> transform;
                try {
                    transform = pool.submit(() -> db.transformTable("t",
                            r -> Tuple.of("t", r.get(1), r.get(2), "new"), List.of("k", "v", "w")));
                    while (!d.commitLock.hasQueuedThreads()) {
                        Thread.sleep(1);
                    }
                    go.countDown();
                    while (d.locks.waitingCount() == 0) { // the older txn validated and now waits for the lock
                        Thread.sleep(1);
                    }
                } finally {
                    d.commitLock.unlock();
                }
                transform.get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> older.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BadRecordException.class)
                        .hasMessageContaining("expected 4");
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.tableInfo("t").attributes()).containsExactly("k", "v", "w");
            for (Object k : db.dirtyAllKeys("t")) {
                for (Tuple r : db.dirtyRead("t", k)) {
                    assertThat(r.size()).as("record %s fits {t, k, v, w}", r).isEqualTo(4);
                }
            }
        }
    }

    /** Same window for index reads: the def check passes, del_table_index wins, the index read then NPEs. */
    @Test
    void indexRead_waitingBehindDelTableIndex_failsWithClearError() throws Exception {
        try (Mnemo db = Mnemo.inMemory()) {
            db.createTable(TableDef.builder("t").attributes("k", "v").index("v").build());
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 1, "a"));
                return null;
            });
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch olderStarted = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Database d = db.db;
            Future<?> older;
            try {
                older = pool.submit(() -> db.transaction(tx -> {
                    olderStarted.countDown();
                    go.await();
                    return tx.indexRead("t", "a", "v");
                }));
                olderStarted.await();
                d.commitLock.lock();
                Future<?> del;
                try {
                    del = pool.submit(() -> db.delTableIndex("t", "v"));
                    while (!d.commitLock.hasQueuedThreads()) {
                        Thread.sleep(1);
                    }
                    go.countDown();
                    while (d.locks.waitingCount() == 0) {
                        Thread.sleep(1);
                    }
                } finally {
                    d.commitLock.unlock();
                }
                del.get(10, TimeUnit.SECONDS);
                Future<?> f = older;
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SchemaException.class)
                        .hasMessageContaining("not indexed");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * disc_only cache: a dirty read whose load started before clear_table's commit finishes after
     * publishClear's invalidateAll (Caffeine does not discard in-flight loads), so the cleared row stays cached;
     * a later write of the same record is then seen as a no-op and never reaches disc.
     */
    @Test
    void discOnlyCache_loadInFlightDuringClearTable_doesNotResurrectRows() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_ONLY_COPIES).build());
            Tuple rec = Tuple.of("t", 1, "a");
            db.dirtyWrite(rec);
            Table t = db.db.table("t");
            XodusStore store = (XodusStore) t.store;
            Field cf = XodusStore.class.getDeclaredField("cache");
            cf.setAccessible(true);
            @SuppressWarnings("unchecked")
            Cache<Object, List<Tuple>> cache = (Cache<Object, List<Tuple>>) cf.get(store);
            Field ef = XodusStore.class.getDeclaredField("env");
            ef.setAccessible(true);
            Environment env = (Environment) ef.get(store);
            cache.invalidateAll(); // key 1 not cached: the next dirty read loads it

            CountDownLatch snapshotTaken = new CountDownLatch(1);
            CountDownLatch cleared = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                // exactly what XodusStore.get does, with a pause after the read-only Xodus transaction began
                Future<List<Tuple>> reader = pool.submit(() -> cache.get(1L, k ->
                        env.computeInReadonlyTransaction(xt -> {
                            snapshotTaken.countDown();
                            try {
                                cleared.await();
                            } catch (InterruptedException e) {
                                throw new RuntimeException(e);
                            }
                            return store.load(xt, k);
                        })));
                snapshotTaken.await();
                db.clearTable("t");
                cleared.countDown();
                reader.get(10, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            db.transaction(tx -> {
                tx.write(rec); // same record as the stale cache entry: commit sees old.equals(neu) and skips it
                return null;
            });
            db.stop();
            db.start();
            assertThat(db.dirtyRead("t", 1)).as("committed write after clear_table").containsExactly(rec);
        }
    }

    /**
     * Writer starvation: new read locks are granted while an older writer waits (no check of waiting requests,
     * unlike Mnesia's lock queue), so overlapping short readers keep an older wread waiting until lock timeout.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void olderWriter_behindStreamOfYoungerReaders_isNotStarved() throws Exception {
        try (Mnemo db = Mnemo.open(MnemoConfig.inMemory().withLockTimeout(java.time.Duration.ofSeconds(3)))) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 1, 0));
                return null;
            });
            int readers = 4;
            ExecutorService pool = Executors.newFixedThreadPool(readers);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            try {
                for (int i = 0; i < readers; i++) {
                    int delay = i * 3;
                    pool.submit(() -> {
                        Thread.sleep(delay);
                        while (!stop.get()) {
                            db.transaction(tx -> {
                                tx.read("t", 1);
                                Thread.sleep(12);
                                return null;
                            });
                        }
                        return null;
                    });
                }
                Thread.sleep(100);
                long t0 = System.nanoTime();
                // the writer restarts (with its age) until older than every reader, then waits for the lock
                assertThatCode(() -> db.transaction(tx -> {
                    tx.write(Tuple.of("t", 1, 1));
                    return null;
                })).as("writer after %d ms", (System.nanoTime() - t0) / 1_000_000).doesNotThrowAnyException();
            } finally {
                stop.set(true);
                pool.shutdown();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
