package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table and system events ({@link Mnemo#subscribe}, {@link Mnemo#subscribeSystem}): told once a commit is visible,
 * in commit order, never for rolled-back or failed work, without ever holding a commit up.
 */
@Timeout(120)
class EventsTest {
    @TempDir
    Path dir;

    private static final long WAIT_SECONDS = 30;

    private static Mnemo withTable(Mnemo db, String name, TableType type, StorageType storage) {
        db.createTable(TableDef.builder(name).attributes("k", "v").type(type).storage(storage).build());
        return db;
    }

    private static void put(Mnemo db, String table, Object k, Object v) {
        db.transaction(tx -> {
            tx.write(Tuple.of(table, k, v));
            return null;
        });
    }

    /** The next {@code n} events, failing if they do not come. */
    private static <E> List<E> take(BlockingQueue<E> q, int n) throws InterruptedException {
        List<E> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            E e = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d (got %s)", i + 1, n, out).isNotNull();
            out.add(e);
        }
        return out;
    }

    @Test
    void aCommitIsTold_afterItIsDurableAndVisible_andRolledBackWorkNever() throws Exception {
        try (Mnemo db = withTable(Mnemo.open(dir), "t", TableType.SET, StorageType.DISC_COPIES)) {
            BlockingQueue<TableEvent> events = new LinkedBlockingQueue<>();
            List<List<Tuple>> seenBySnapshot = new java.util.concurrent.CopyOnWriteArrayList<>();
            db.subscribe("t", EventDetail.SIMPLE, e -> {
                if (e instanceof TableEvent.Write w) {
                    // given on a thread of the engine's, once the commit is visible: a snapshot sees it
                    seenBySnapshot.add(db.snapshot(tx -> tx.read("t", w.record().get(1))));
                }
                events.add(e);
            });
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 1L, "a"));
                tx.write(Tuple.of("t", 2L, "b"));
                return null;
            });
            assertThat(db.tryTransaction(tx -> {
                tx.write(Tuple.of("t", 3L, "rolled back"));
                throw tx.abort("no");
            })).isInstanceOf(TxOutcome.Aborted.class);
            assertThatThrownBy(() -> db.transaction(tx -> {
                tx.write(Tuple.of("t", 4L, "failed"));
                throw new IllegalStateException("the application failed");
            })).isInstanceOf(IllegalStateException.class);
            Transaction explicit = db.begin();
            explicit.write(Tuple.of("t", 5L, "rolled back explicitly"));
            explicit.rollback();
            db.dirtyWrite(Tuple.of("t", 6L, "dirty"));
            List<TableEvent> got = new ArrayList<>(take(events, 3));
            // (the listener has read keys 1, 2 and 6 by now: deleted only after that)
            db.transaction(tx -> {
                tx.delete("t", 1L);
                return null;
            });
            got.addAll(take(events, 1));
            assertThat(got).hasSize(4);
            TableEvent.Write w1 = (TableEvent.Write) got.get(0);
            TableEvent.Write w2 = (TableEvent.Write) got.get(1);
            assertThat(w1.record()).isEqualTo(Tuple.of("t", 1L, "a"));
            assertThat(w2.record()).isEqualTo(Tuple.of("t", 2L, "b"));
            assertThat(w1.transaction()).as("one transaction, one id").isEqualTo(w2.transaction()).isPositive();
            assertThat(w1.old()).as("a simple subscription is not told the old records").isNull();
            assertThat(got.get(2)).isEqualTo(new TableEvent.Write("t", Tuple.of("t", 6L, "dirty"), null, 0));
            TableEvent.Delete d = (TableEvent.Delete) got.get(3);
            assertThat(d.key()).isEqualTo(1L);
            assertThat(d.transaction()).isPositive().isNotEqualTo(w1.transaction());
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("nothing of the rolled-back work").isNull();
            assertThat(seenBySnapshot).containsExactly(List.of(Tuple.of("t", 1L, "a")), List.of(Tuple.of("t", 2L, "b")),
                    List.of(Tuple.of("t", 6L, "dirty")));
        }
    }

    @Test
    void aDetailedSubscription_isToldTheRecordsBefore_andABagKeysRecordsOneByOne() throws Exception {
        try (Mnemo db = withTable(Mnemo.inMemory(), "b", TableType.BAG, StorageType.RAM_COPIES)) {
            withTable(db, "d", TableType.DUPLICATE_BAG, StorageType.RAM_COPIES);
            BlockingQueue<TableEvent> bag = new LinkedBlockingQueue<>();
            BlockingQueue<TableEvent> dup = new LinkedBlockingQueue<>();
            db.subscribe("b", EventDetail.DETAILED, bag::add);
            db.subscribe("d", EventDetail.DETAILED, dup::add);
            Tuple a = Tuple.of("b", 1L, "a");
            Tuple b = Tuple.of("b", 1L, "b");
            Tuple c = Tuple.of("b", 1L, "c");
            db.transaction(tx -> {
                tx.write(a);
                tx.write(b);
                return null;
            });
            db.transaction(tx -> {
                tx.deleteObject(a);
                tx.write(c);
                return null;
            });
            db.transaction(tx -> {
                tx.delete("b", 1L);
                return null;
            });
            List<TableEvent> got = take(bag, 5);
            long t1 = ((TableEvent.Write) got.get(0)).transaction();
            long t2 = ((TableEvent.DeleteObject) got.get(2)).transaction();
            long t3 = ((TableEvent.Delete) got.get(4)).transaction();
            assertThat(got).containsExactly(
                    new TableEvent.Write("b", a, List.of(), t1),
                    new TableEvent.Write("b", b, List.of(), t1),
                    new TableEvent.DeleteObject("b", a, List.of(a, b), t2),
                    new TableEvent.Write("b", c, List.of(a, b), t2),
                    new TableEvent.Delete("b", 1L, List.of(b, c), t3));
            Tuple x = Tuple.of("d", 1L, "x");
            put(db, "d", 1L, "x");
            put(db, "d", 1L, "x");
            List<TableEvent> twice = take(dup, 2);
            assertThat(twice.get(1)).as("a duplicate_bag's second copy is a write of its own")
                    .isEqualTo(new TableEvent.Write("d", x, List.of(x), ((TableEvent.Write) twice.get(1)).transaction()));
        }
    }

    @Test
    void concurrentCommitters_areToldInCommitOrder_eachTransactionWholeAndApart() throws Exception {
        int threads = 8;
        int perThread = 300;
        int keys = 20;
        try (Mnemo db = withTable(Mnemo.open(dir), "c", TableType.SET, StorageType.DISC_COPIES)) {
            for (long k = 0; k < keys; k++) {
                put(db, "c", k, 0L);
            }
            BlockingQueue<TableEvent> events = new LinkedBlockingQueue<>();
            db.subscribe("c", EventDetail.DETAILED, events::add);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long k1 = ThreadLocalRandom.current().nextLong(keys);
                        long k2 = (k1 + 1 + ThreadLocalRandom.current().nextLong(keys - 1)) % keys;
                        db.transaction(tx -> {
                            for (long k : new long[] {k1, k2}) {
                                long v = (Long) tx.wread("c", k).get(0).get(2);
                                tx.write(Tuple.of("c", k, v + 1));
                            }
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT_SECONDS * 3, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<TableEvent> got = take(events, threads * perThread * 2);
            Map<Object, Long> last = new HashMap<>();
            Map<Long, Integer> perTransaction = new HashMap<>();
            long previousTransaction = -1;
            for (TableEvent e : got) {
                TableEvent.Write w = (TableEvent.Write) e;
                Object k = w.record().get(1);
                long v = (Long) w.record().get(2);
                long before = last.getOrDefault(k, 0L);
                assertThat(v).as("key %s counts up one commit at a time, in commit order", k).isEqualTo(before + 1);
                assertThat(w.old()).containsExactly(Tuple.of("c", k, before));
                last.put(k, v);
                if (w.transaction() != previousTransaction) {
                    assertThat(perTransaction).as("transaction %d's events come together", w.transaction())
                            .doesNotContainKey(w.transaction());
                }
                perTransaction.merge(w.transaction(), 1, Integer::sum);
                previousTransaction = w.transaction();
            }
            assertThat(perTransaction).hasSize(threads * perThread);
            assertThat(perTransaction.values()).containsOnly(2);
            for (long k = 0; k < keys; k++) {
                assertThat(db.dirtyRead("c", k).get(0).get(2)).isEqualTo(last.getOrDefault(k, 0L));
            }
            assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aSlowSubscriber_neverHoldsUpACommit_andIsToldHowManyEventsItLost() throws Exception {
        try (Mnemo db = withTable(Mnemo.inMemory(), "t", TableType.SET, StorageType.RAM_COPIES)) {
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            BlockingQueue<TableEvent> slow = new LinkedBlockingQueue<>();
            BlockingQueue<SystemEvent> system = new LinkedBlockingQueue<>();
            db.subscribeSystem(system::add);
            Subscription s = db.subscribe("t", EventDetail.SIMPLE, 10, e -> {
                slow.add(e);
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            BlockingQueue<TableEvent> fast = new LinkedBlockingQueue<>();
            db.subscribe("t", EventDetail.SIMPLE, fast::add);
            put(db, "t", 0L, "first");
            assertThat(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            for (long k = 1; k < 100; k++) {
                put(db, "t", k, "v"); // returns at once though the listener is stuck (the test's timeout says so)
            }
            assertThat(system.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(
                    new SystemEvent.Overload("subscription to table t (simple)"));
            release.countDown();
            List<TableEvent> got = take(slow, 1 + 10 + 1);
            assertThat(got.get(0)).isEqualTo(new TableEvent.Write("t", Tuple.of("t", 0L, "first"), null,
                    ((TableEvent.Write) got.get(0)).transaction()));
            for (int i = 1; i <= 10; i++) {
                assertThat(((TableEvent.Write) got.get(i)).record().get(1)).as("queued while it was stuck").isEqualTo((long) i);
            }
            assertThat(got.get(11)).isEqualTo(new TableEvent.Lost("t", 89));
            put(db, "t", 100L, "after");
            assertThat(((TableEvent.Write) take(slow, 1).get(0)).record().get(1)).as("complete again after it caught up")
                    .isEqualTo(100L);
            assertThat(s.lost()).isEqualTo(89);
            assertThat(take(fast, 101)).as("another subscriber that kept up lost nothing")
                    .allMatch(e -> e instanceof TableEvent.Write);
        }
    }

    @Test
    void aCommitTakenBackAfterAFailedWrite_isNeverTold_andTheOnesBeforeItAre() throws Exception {
        try (Mnemo db = withTable(Mnemo.open(dir), "t", TableType.SET, StorageType.DISC_COPIES)) {
            BlockingQueue<TableEvent> events = new LinkedBlockingQueue<>();
            db.subscribe("t", EventDetail.SIMPLE, events::add);
            put(db, "t", 1L, "kept");
            assertThat(take(events, 1)).extracting(e -> ((TableEvent.Write) e).record().get(2)).containsExactly("kept");
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            db.db.checkpoints.beforeLogWrite = () -> {
                writing.countDown();
                try {
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                db.db.checkpoints.commitLog().failAfterBytes = 3; // the disk is full from here on
                db.db.logWriter().failAfterBytes = 3;
            };
            CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> put(db, "t", 2L, "taken back"));
            assertThat(writing.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            db.db.events.release(); // what any other committer does meanwhile
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("not told before its record is written").isNull();
            release.countDown();
            assertThat(catchThrowable(() -> failing.get(WAIT_SECONDS, TimeUnit.SECONDS))).hasStackTraceContaining(
                    "could not be written");
            db.db.checkpoints.beforeLogWrite = null;
            db.db.checkpoints.commitLog().failAfterBytes = -1;
            db.db.logWriter().failAfterBytes = -1;
            assertThat(db.dirtyRead("t", 2L)).isEmpty();
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("never told").isNull();
            db.stop();
            db.start();
            db.waitForTables(List.of("t"), Duration.ofSeconds(WAIT_SECONDS));
            put(db, "t", 3L, "after a restart");
            assertThat(take(events, 1)).as("the commits after it are told, and it is not")
                    .extracting(e -> ((TableEvent.Write) e).record().get(1)).containsExactly(3L);
        }
    }

    @Test
    void schemaChanges_reachSystemSubscribers_andTheTablesOwn_inOrderWithItsCommits() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            BlockingQueue<SystemEvent> system = new LinkedBlockingQueue<>();
            db.subscribeSystem(system::add);
            withTable(db, "t", TableType.SET, StorageType.DISC_COPIES);
            BlockingQueue<TableEvent> table = new LinkedBlockingQueue<>();
            Subscription s = db.subscribe("t", EventDetail.SIMPLE, table::add);
            put(db, "t", 1L, "a");
            db.clearTable("t");
            put(db, "t", 2L, "b");
            db.addTableIndex("t", "v");
            db.transformTable("t", r -> Tuple.of("t", r.get(1), r.get(2), "new"), List.of("k", "v", "w"));
            db.deleteTable("t");
            List<TableEvent> got = take(table, 5);
            assertThat(got.get(0)).isInstanceOf(TableEvent.Write.class);
            assertThat(got.get(1)).isEqualTo(new TableEvent.Cleared("t"));
            assertThat(((TableEvent.Write) got.get(2)).record()).isEqualTo(Tuple.of("t", 2L, "b"));
            assertThat(got.get(3)).isInstanceOfSatisfying(TableEvent.Redefined.class,
                    r -> assertThat(r.def().attributes()).containsExactly("k", "v", "w"));
            assertThat(got.get(4)).isEqualTo(new TableEvent.Deleted("t"));
            assertThat(s.isOpen()).as("the table's deletion ends its subscription").isFalse();
            List<SystemEvent> sys = take(system, 5);
            assertThat(sys.get(0)).isInstanceOfSatisfying(SystemEvent.TableCreated.class,
                    c -> assertThat(c.table()).isEqualTo("t"));
            assertThat(sys.subList(1, 4)).extracting(e -> ((SystemEvent.TableChanged) e).operation())
                    .containsExactly("clear_table", "add_table_index", "transform_table");
            assertThat(((SystemEvent.TableChanged) sys.get(2)).def().indexes()).containsExactly("v");
            assertThat(sys.get(4)).isEqualTo(new SystemEvent.TableDeleted("t"));
            db.stop();
            db.start();
            List<SystemEvent> lifecycle = take(system, 2);
            assertThat(lifecycle.get(0)).isInstanceOf(SystemEvent.Stopped.class);
            assertThat(lifecycle.get(1)).isInstanceOf(SystemEvent.Started.class);
        }
    }

    @Test
    void aSubscriptionIsToldOnlyWhatCommitsAfterIt_andNothingOnceClosed() throws Exception {
        try (Mnemo db = withTable(Mnemo.inMemory(), "t", TableType.SET, StorageType.RAM_COPIES)) {
            put(db, "t", 1L, "before");
            BlockingQueue<TableEvent> events = new LinkedBlockingQueue<>();
            Subscription s = db.subscribe("t", EventDetail.SIMPLE, events::add);
            put(db, "t", 2L, "after");
            assertThat(take(events, 1)).extracting(e -> ((TableEvent.Write) e).record().get(1)).containsExactly(2L);
            s.close();
            s.close();
            assertThat(s.isOpen()).isFalse();
            put(db, "t", 3L, "closed");
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aListenerThatThrows_isGivenTheEventsQueuedMeanwhileAllTheSame() throws Exception {
        try (Mnemo db = withTable(Mnemo.inMemory(), "t", TableType.SET, StorageType.RAM_COPIES)) {
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            db.subscribe("t", EventDetail.SIMPLE, e -> {
                events.add(e);
                int n = calls.incrementAndGet();
                if (n == 1) {
                    first.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    throw new AssertionError("a listener's assertion"); // an Error, not an exception
                }
                if (n == 2) {
                    throw new IllegalStateException("a listener's bug");
                }
            });
            put(db, "t", 1L, "a");
            assertThat(first.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            put(db, "t", 2L, "b"); // queued behind the one being delivered
            put(db, "t", 3L, "c");
            go.countDown();
            assertThat(take(events, 3)).extracting(e -> ((TableEvent.Write) e).record().get(1))
                    .containsExactly(1L, 2L, 3L);
        }
    }

    /** Makes the next commit's log write fail (a full disk) and returns once its committer has failed. */
    private static void failNextWrite(Mnemo db, Runnable commit) throws Exception {
        db.db.checkpoints.beforeLogWrite = () -> {
            db.db.checkpoints.commitLog().failAfterBytes = 3;
            db.db.logWriter().failAfterBytes = 3;
        };
        CompletableFuture<Void> failing = CompletableFuture.runAsync(commit);
        assertThat(catchThrowable(() -> failing.get(WAIT_SECONDS, TimeUnit.SECONDS)))
                .hasStackTraceContaining("could not be written");
        db.db.checkpoints.beforeLogWrite = null;
        db.db.checkpoints.commitLog().failAfterBytes = -1;
        db.db.logWriter().failAfterBytes = -1;
    }

    @Test
    void afterACommitWasTakenBack_andTheDatabaseRestarted_systemEventsComeWithoutWaitingForACommit()
            throws Exception {
        try (Mnemo db = withTable(Mnemo.open(dir), "t", TableType.SET, StorageType.DISC_COPIES)) {
            put(db, "t", 1L, "kept");
            failNextWrite(db, () -> put(db, "t", 2L, "taken back"));
            BlockingQueue<SystemEvent> system = new LinkedBlockingQueue<>();
            db.subscribeSystem(system::add);
            db.stop();
            db.start();
            db.createTable(TableDef.builder("u").attributes("k", "v").build());
            List<SystemEvent> got = take(system, 3);
            assertThat(got.get(0)).isInstanceOf(SystemEvent.Stopped.class);
            assertThat(got.get(1)).isInstanceOf(SystemEvent.Started.class);
            assertThat(got.get(2)).isInstanceOfSatisfying(SystemEvent.TableCreated.class,
                    c -> assertThat(c.table()).isEqualTo("u"));
        }
    }

    @Test
    void aCommitterOfTheRunBeforeARestart_whoseCommitFailed_leavesTheNewRunsEventsAlone() throws Exception {
        try (Mnemo db = withTable(Mnemo.open(dir), "t", TableType.SET, StorageType.DISC_COPIES)) {
            withTable(db, "u", TableType.SET, StorageType.DISC_COPIES);
            CountDownLatch oldWaiting = new CountDownLatch(1);
            CountDownLatch oldGo = new CountDownLatch(1);
            CountDownLatch newWaiting = new CountDownLatch(1);
            CountDownLatch newGo = new CountDownLatch(1);
            db.db.beforeDurableWait = () -> {
                try {
                    if (Thread.currentThread().getName().equals("old-run")) {
                        oldWaiting.countDown();
                        oldGo.await();
                    } else if (Thread.currentThread().getName().equals("new-run")) {
                        newWaiting.countDown();
                        newGo.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            CompletableFuture<Throwable> old = new CompletableFuture<>();
            new Thread(() -> old.complete(catchThrowable(() -> put(db, "u", 5L, "old run"))), "old-run").start();
            assertThat(oldWaiting.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            failNextWrite(db, () -> put(db, "u", 2L, "taken back")); // its write takes the old run's commit with it
            db.stop();
            db.start();
            db.waitForTables(List.of("t", "u"), Duration.ofSeconds(WAIT_SECONDS));
            BlockingQueue<TableEvent> events = new LinkedBlockingQueue<>();
            db.subscribe("t", EventDetail.SIMPLE, events::add);
            CompletableFuture<Throwable> neu = new CompletableFuture<>();
            new Thread(() -> neu.complete(catchThrowable(() -> put(db, "t", 7L, "new run"))), "new-run").start();
            assertThat(newWaiting.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            oldGo.countDown();
            assertThat(old.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the old run's commit failed")
                    .hasStackTraceContaining("could not be written");
            newGo.countDown();
            assertThat(neu.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the new run's commit succeeded").isNull();
            assertThat(take(events, 1)).extracting(e -> ((TableEvent.Write) e).record().get(1)).containsExactly(7L);
        }
    }

    @Test
    void badSubscriptions_areRefusedWithWhatWasWrong() {
        Mnemo db = withTable(Mnemo.inMemory(), "t", TableType.SET, StorageType.RAM_COPIES);
        try {
            assertThatThrownBy(() -> db.subscribe("nope", EventDetail.SIMPLE, e -> { }))
                    .isInstanceOf(NoSuchTableException.class).hasMessageContaining("nope").hasMessageContaining("[t]");
            assertThatThrownBy(() -> db.subscribe("t", EventDetail.SIMPLE, 0, e -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1").hasMessageContaining("0");
            assertThatThrownBy(() -> db.subscribe("t", EventDetail.SIMPLE, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("listener");
            assertThatThrownBy(() -> db.subscribe("t", null, e -> { }))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("detail");
            assertThatThrownBy(() -> db.subscribeSystem(-5, e -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        } finally {
            db.close();
        }
        assertThatThrownBy(() -> db.subscribeSystem(e -> { })).isInstanceOf(MnemoException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closingTheDatabase_endsItsSubscriptions_afterTellingThemItStopped() throws Exception {
        Mnemo db = withTable(Mnemo.open(MnemoConfig.disc(dir).withWriteDelay(Duration.ofHours(1))), "t",
                TableType.SET, StorageType.DISC_COPIES);
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Subscription table = db.subscribe("t", EventDetail.SIMPLE, events::add);
        Subscription system = db.subscribeSystem(events::add);
        put(db, "t", 1L, "a");
        assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("under a write delay, told once visible")
                .isInstanceOf(TableEvent.Write.class);
        db.close();
        assertThat(events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SystemEvent.Stopped.class);
        assertThat(table.isOpen()).isFalse();
        assertThat(system.isOpen()).isFalse();
    }

    /** A review's interleaving: the old run's committer checks the failure, then waits for the lock across a restart. */
    @Test
    void aCommitterThatSawItsRunsFailure_andGetsTheCommitLockAfterARestart_leavesTheNewRunsEventsAlone() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("u").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            CountDownLatch oldWaiting = new CountDownLatch(1);
            CountDownLatch oldGo = new CountDownLatch(1);
            Thread test = Thread.currentThread();
            CompletableFuture<Throwable> old = new CompletableFuture<>();
            db.db.beforeDurableWait = () -> {
                try {
                    if (Thread.currentThread().getName().equals("old-run")) {
                        oldWaiting.countDown();
                        oldGo.await();
                    } else if (Thread.currentThread() == test && db.db.commitLock.isHeldByCurrentThread()) {
                        db.db.commitLock.unlock(); // C takes it now
                        old.get(30, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            };
            Thread c = new Thread(() -> old.complete(catchThrowable(() -> put(db, "u", 5L, "old run"))), "old-run");
            c.start();
            assertThat(oldWaiting.await(30, TimeUnit.SECONDS)).isTrue();
            db.db.checkpoints.beforeLogWrite = () -> {
                db.db.checkpoints.commitLog().failAfterBytes = 3;
                db.db.logWriter().failAfterBytes = 3;
            };
            CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> put(db, "u", 2L, "taken back"));
            assertThat(catchThrowable(() -> failing.get(30, TimeUnit.SECONDS))).hasStackTraceContaining("could not be written");
            db.db.checkpoints.beforeLogWrite = null;
            db.db.checkpoints.commitLog().failAfterBytes = -1;
            db.db.logWriter().failAfterBytes = -1;

            db.db.commitLock.lock();
            oldGo.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!db.db.commitLock.hasQueuedThread(c) && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(db.db.commitLock.hasQueuedThread(c)).as("C checked failure()!=null and waits for the lock").isTrue();
            db.stop();
            db.start();
            db.waitForTables(List.of("t", "u"), Duration.ofSeconds(30));
            BlockingQueue<TableEvent> events = new LinkedBlockingQueue<>();
            db.subscribe("t", EventDetail.SIMPLE, events::add);
            put(db, "t", 7L, "new run"); // applies under the (reentrant) lock; its hook lets C in
            assertThat(old.get(30, TimeUnit.SECONDS)).as("old run's commit failed").isNotNull();
            assertThat(db.<List<Tuple>>transaction(tx -> tx.read("t", 7L))).as("the new commit is there").hasSize(1);
            TableEvent e = events.poll(3, TimeUnit.SECONDS);
            assertThat(e).as("the new run's event").isNotNull();
        }
    }
}
