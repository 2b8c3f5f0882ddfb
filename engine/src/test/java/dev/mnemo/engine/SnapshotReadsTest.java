package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Snapshot reads: whole commits only, no locks, a fixed view for a read-only transaction, history dropped after. */
class SnapshotReadsTest {
    @TempDir
    Path dir;

    private static final int ACCOUNTS = 40;
    private static final long START = 1_000;
    private static final int OWNERS = 4;
    private static final MatchSpec ALL = MatchSpec.parse("[{'_',[],['$_']}]");

    /** accounts(id, balance, owner), owner indexed; ids 0..ACCOUNTS-1. */
    private Mnemo bank(StorageType s) {
        Mnemo db = Mnemo.open(dir);
        db.createTable(TableDef.builder("accounts").type(TableType.ORDERED_SET).attribute("id", AttrType.INTEGER)
                .attribute("balance", AttrType.INTEGER).attribute("owner", AttrType.INTEGER).index("owner")
                .storage(s).build());
        db.transaction(tx -> {
            for (int i = 0; i < ACCOUNTS; i++) {
                tx.write(Tuple.of("accounts", i, START, (long) (i % OWNERS)));
            }
            return null;
        });
        return db;
    }

    /** Sum and count of balances as one snapshot sees them, three ways: fold, index reads, select. */
    private static long[] totals(Tx tx) {
        long[] fold = tx.foldl("accounts", new long[2], (r, acc) -> {
            acc[0] += (Long) r.get(2);
            acc[1]++;
            return acc;
        });
        long[] byIndex = new long[2];
        for (long o = 0; o < OWNERS; o++) {
            for (Tuple r : tx.indexRead("accounts", o, "owner")) {
                byIndex[0] += (Long) r.get(2);
                byIndex[1]++;
            }
        }
        long[] bySelect = new long[2];
        for (Object r : tx.selectReverse("accounts", ALL)) {
            bySelect[0] += (Long) ((Tuple) r).get(2);
            bySelect[1]++;
        }
        assertThat(byIndex).as("index reads in the same snapshot").containsExactly(fold);
        assertThat(bySelect).as("a reverse select in the same snapshot").containsExactly(fold);
        return fold;
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void snapshots_seeEveryMultiKeyCommitWholeOrNotAtAll_whileWritersMoveMoneyAndKeys(StorageType s)
            throws Exception {
        try (Mnemo db = bank(s)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong commits = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long seed = 7 + w;
                writers.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    while (!stop.get()) {
                        db.transaction(tx -> {
                            List<Object> keys = tx.allKeys("accounts");
                            Object from = keys.get(rnd.nextInt(keys.size()));
                            Object to = keys.get(rnd.nextInt(keys.size()));
                            Tuple a = tx.wread("accounts", from).get(0);
                            if (rnd.nextInt(4) == 0) {
                                // move the account to a new key and owner: a delete and an insert in one commit
                                long newKey = (Long) tx.last("accounts").orElseThrow() + 1L;
                                tx.delete("accounts", from);
                                tx.write(Tuple.of("accounts", newKey, a.get(2), newKey % OWNERS));
                            } else if (!from.equals(to)) {
                                Tuple b = tx.wread("accounts", to).get(0);
                                long amount = 1 + rnd.nextInt(50);
                                tx.write(Tuple.of("accounts", from, (Long) a.get(2) - amount, a.get(3)));
                                tx.write(Tuple.of("accounts", to, (Long) b.get(2) + amount, b.get(3)));
                            }
                            return null;
                        });
                        commits.incrementAndGet();
                    }
                    return null;
                }));
            }
            long reads = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline || commits.get() < 100) {
                long[] seen = db.snapshot(SnapshotReadsTest::totals);
                assertThat(seen).as("sum and count after %d commits", commits.get())
                        .containsExactly(ACCOUNTS * START, ACCOUNTS);
                reads++;
            }
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(reads).isPositive();
            assertThat(db.snapshot(SnapshotReadsTest::totals)).containsExactly(ACCOUNTS * START, ACCOUNTS);
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void snapshot_answersAtOnceWithTheCommittedValue_whileAWriterHoldsItsLocks(StorageType s) throws Exception {
        try (Mnemo db = bank(s); Transaction writer = db.begin()) {
            writer.write(Tuple.of("accounts", 1L, 5L, 1L));
            writer.write(Tuple.of("accounts", 999L, 5L, 3L));
            writer.lockTable("accounts", LockKind.WRITE);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<long[]> read = pool.submit(() -> db.snapshot(tx -> new long[] {
                        (Long) tx.read("accounts", 1L).get(0).get(2), tx.read("accounts", 999L).size(),
                        tx.allKeys("accounts").size()}));
                assertThat(read.get(10, TimeUnit.SECONDS)).containsExactly(START, 0, ACCOUNTS);
            } finally {
                pool.shutdownNow();
            }
            writer.commit();
            assertThat(db.<List<Tuple>>snapshot(tx -> tx.read("accounts", 1L))).containsExactly(Tuple.of("accounts", 1L, 5L, 1L));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void readOnlyTransaction_keepsItsSnapshotWhileOthersUpdateDeleteAndInsert(StorageType s) {
        try (Mnemo db = bank(s)) {
            Transaction ro = db.beginReadOnly();
            assertThat(ro.read("accounts", 3L)).hasSize(1); // the snapshot is the one taken at begin
            db.transaction(tx -> {
                tx.write(Tuple.of("accounts", 3L, 1L, 2L));
                tx.delete("accounts", 4L);
                tx.write(Tuple.of("accounts", 500L, 7L, 0L));
                return null;
            });
            db.dirtyWrite(Tuple.of("accounts", 5L, 2L, 0L));
            assertThat(ro.read("accounts", 3L)).containsExactly(Tuple.of("accounts", 3L, START, 3L));
            assertThat(ro.read("accounts", 4L)).containsExactly(Tuple.of("accounts", 4L, START, 0L));
            assertThat(ro.read("accounts", 500L)).isEmpty();
            assertThat(ro.indexRead("accounts", 2L, "owner")).extracting(r -> r.get(1))
                    .containsExactly(2L, 6L, 10L, 14L, 18L, 22L, 26L, 30L, 34L, 38L);
            assertThat(ro.last("accounts")).contains(39L);
            assertThat(ro.next("accounts", 3L)).contains(4L);
            assertThat(ro.select("accounts", ALL, 3).results()).extracting(r -> ((Tuple) r).get(1))
                    .containsExactly(0L, 1L, 2L);
            assertThat(totals(ro)).containsExactly(ACCOUNTS * START, ACCOUNTS);
            ro.commit();
            assertThat(db.<List<Tuple>>snapshot(tx -> tx.read("accounts", 4L))).isEmpty();
            assertThat(db.snapshot(SnapshotReadsTest::totals)).containsExactly(ACCOUNTS * START - 2990, ACCOUNTS);
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void readView_ofAReadOnlyTransaction_readsItsVersion_andOutlivesIt(StorageType s) {
        try (Mnemo db = bank(s)) {
            Transaction ro = db.beginReadOnly();
            deleteAccount(db, 3L);
            Transaction view = ro.readView("accounts");
            ro.commit();
            deleteAccount(db, 4L);
            assertThat(view.read("accounts", 3L)).hasSize(1);
            assertThat(view.read("accounts", 4L)).hasSize(1);
            assertThat(totals(view)).containsExactly(ACCOUNTS * START, ACCOUNTS);
            assertThat(db.db.snapshots.openCount()).isEqualTo(1);
            view.rollback();
            assertThat(db.db.snapshots.openCount()).isZero();
            assertThat(db.db.table("accounts").history.size()).as("dropped with the last snapshot").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void readView_ofAReadWriteTransaction_locksTheTable_andReadsItAsTheTransactionDidAfterItCommits(StorageType s)
            throws Exception {
        try (Mnemo db = bank(s)) {
            Transaction rw = db.begin();
            Transaction view = rw.readView("accounts");
            assertThat(view).isNotNull();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<?> writer = other.submit(() -> deleteAccount(db, 5L));
                Thread.sleep(200);
                assertThat(writer.isDone()).as("a writer waits for the view's read lock").isFalse();
                rw.commit();
                writer.get(30, TimeUnit.SECONDS);
            } finally {
                other.shutdownNow();
            }
            assertThat(db.dirtyRead("accounts", 5L)).isEmpty();
            assertThat(view.read("accounts", 5L)).as("committed after the view was opened").hasSize(1);
            assertThat(totals(view)).containsExactly(ACCOUNTS * START, ACCOUNTS);
            view.rollback();

            Transaction writing = db.begin();
            writing.write(Tuple.of("accounts", 900L, 1L, 0L));
            assertThat(writing.readView("accounts")).as("no snapshot holds its own writes").isNull();
            writing.rollback();
            assertThat(db.db.snapshots.openCount()).isZero();
            try (Transaction ro = db.beginReadOnly()) {
                assertThatThrownBy(() -> ro.readView("nope")).isInstanceOf(NoSuchTableException.class);
            }
        }
    }

    private static Object deleteAccount(Mnemo db, long id) {
        return db.transaction(tx -> {
            tx.delete("accounts", id);
            return null;
        });
    }

    @Test
    void snapshot_refusesWritesAndWriteLocks_namingTheTable() {
        try (Mnemo db = bank(StorageType.RAM_COPIES)) {
            assertThatThrownBy(() -> db.snapshot(tx -> {
                tx.write(Tuple.of("accounts", 1L, 0L, 0L));
                return null;
            })).isInstanceOf(ReadOnlyTransactionException.class).hasMessageContaining("table accounts")
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> db.snapshot(tx -> tx.wread("accounts", 1L)))
                    .isInstanceOf(ReadOnlyTransactionException.class);
            try (Transaction ro = db.beginReadOnly()) {
                assertThatThrownBy(() -> ro.delete("accounts", 1L)).isInstanceOf(ReadOnlyTransactionException.class);
                assertThatThrownBy(() -> ro.lockTable("accounts", LockKind.WRITE))
                        .isInstanceOf(ReadOnlyTransactionException.class);
            }
            assertThat(db.dirtyRead("accounts", 1L)).containsExactly(Tuple.of("accounts", 1L, START, 1L));
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void history_isDroppedOnceNoSnapshotNeedsIt(StorageType s) {
        try (Mnemo db = bank(s)) {
            Table t = db.db.table("accounts");
            Transaction ro = db.beginReadOnly();
            for (long i = 0; i < 20; i++) {
                long k = i;
                db.transaction(tx -> {
                    tx.delete("accounts", k);
                    return null;
                });
            }
            assertThat(t.history.size()).as("kept for the open snapshot").isEqualTo(20);
            assertThat(ro.allKeys("accounts")).hasSize(ACCOUNTS);
            ro.commit(); // the last snapshot that needed it: closing it drops the history
            assertThat(db.db.snapshots.openCount()).isZero();
            assertThat(t.history.size()).isZero();
            db.dirtyWrite(Tuple.of("accounts", 100L, 1L, 0L));
            assertThat(t.history.size()).isZero();
            long[] stored = {0};
            t.store.scanWithDeleted(KeyRange.ALL, false, (k, recs) -> {
                stored[0]++;
                return true;
            });
            assertThat(stored[0]).as("deleted keys kept for the snapshot are gone").isEqualTo(ACCOUNTS - 20 + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void withNoSnapshotOpen_commitsRecordNoHistory_andDeletedKeysGoAtOnce(StorageType s) {
        try (Mnemo db = bank(s)) {
            Table t = db.db.table("accounts");
            for (long i = 0; i < 10; i++) {
                long k = i;
                db.transaction(tx -> {
                    tx.delete("accounts", k);
                    tx.write(Tuple.of("accounts", k + 100, START, 0L));
                    return null;
                });
            }
            assertThat(t.history.size()).as("nobody could read it").isZero();
            long[] stored = {0};
            t.store.scanWithDeleted(KeyRange.ALL, false, (k, recs) -> {
                stored[0]++;
                return true;
            });
            assertThat(stored[0]).as("no deleted key kept").isEqualTo(ACCOUNTS);
            Transaction ro = db.beginReadOnly();
            db.transaction(tx -> {
                tx.delete("accounts", 100L);
                return null;
            });
            assertThat(t.history.size()).as("kept for the open snapshot").isEqualTo(1);
            assertThat(ro.read("accounts", 100L)).hasSize(1);
            ro.commit();
            assertThat(t.history.size()).isZero();
            List<Object> keys = db.snapshot(tx -> tx.allKeys("accounts"));
            assertThat(keys).hasSize(ACCOUNTS - 1);
        }
    }
}
