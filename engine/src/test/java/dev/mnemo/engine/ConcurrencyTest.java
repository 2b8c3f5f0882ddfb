package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Serializability under contention: the Mnesia lesson's bank transfer, write skew, and opposite lock orders. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    private static final int ACCOUNTS = 20;
    private static final long START = 1_000;

    private Mnemo bank(StorageType s) {
        Mnemo db = Mnemo.open(dir);
        db.createTable(TableDef.builder("accounts").attribute("id", AttrType.INTEGER)
                .attribute("balance", AttrType.INTEGER).storage(s).build());
        db.transaction(tx -> {
            for (int i = 0; i < ACCOUNTS; i++) {
                tx.write(Tuple.of("accounts", i, START));
            }
            return null;
        });
        return db;
    }

    static long balance(Tx tx, int id) {
        return (Long) tx.wread("accounts", id).get(0).get(2);
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void bankTransfers_fromManyThreads_keepTotalAndLoseNoUpdate(StorageType s) throws Exception {
        try (Mnemo db = bank(s)) {
            int threads = 4;
            int perThread = 750;
            AtomicInteger done = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 42 + t;
                fs.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < perThread; i++) {
                        int from = rnd.nextInt(ACCOUNTS);
                        int to = (from + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long amount = 1 + rnd.nextInt(300);
                        TxOutcome<Object> out = db.tryTransaction(tx -> {
                            long a = balance(tx, from);
                            if (a < amount) {
                                throw tx.abort("insufficient_funds");
                            }
                            long b = balance(tx, to);
                            tx.write(Tuple.of("accounts", from, a - amount));
                            tx.write(Tuple.of("accounts", to, b + amount));
                            return null;
                        });
                        (out.isAtomic() ? done : refused).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long total = db.transaction(tx -> tx.foldl("accounts", 0L, (r, acc) -> acc + (Long) r.get(2)));
            assertThat(total).isEqualTo(ACCOUNTS * START);
            assertThat(done.get() + refused.get()).isEqualTo(threads * perThread);
            assertThat(done.get()).isGreaterThan(threads * perThread / 2);
            assertThat(db.dirtySelect("accounts", dev.mnemo.engine.match.MatchSpec.parse(
                    "[{{accounts,'_','$1'},[{'<','$1',0}],['$_']}]"))).isEmpty();
            assertThat(db.systemInfo().heldLocks()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void counterIncrements_inTransactions_loseNoUpdate(StorageType s) throws Exception {
        try (Mnemo db = bank(s)) {
            int threads = 4;
            int per = 400;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < per; i++) {
                        db.transaction(tx -> {
                            long v = (Long) tx.read("accounts", 0).get(0).get(2);
                            tx.write(Tuple.of("accounts", 0, v + 1));
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(db.dirtyRead("accounts", 0).get(0).get(2)).isEqualTo(START + threads * per);
        }
    }

    /**
     * Write skew: each transaction reads both on-call doctors and takes one off call if the other is on call.
     * Run concurrently, serializable isolation must leave at least one on call.
     */
    @ParameterizedTest
    @EnumSource(StorageType.class)
    void writeSkew_isPrevented(StorageType s) throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("oncall").attributes("doctor", "on").storage(s).build());
            for (int round = 0; round < 50; round++) {
                db.dirtyWrite(Tuple.of("oncall", "alice", true));
                db.dirtyWrite(Tuple.of("oncall", "bob", true));
                CyclicBarrier bothRead = new CyclicBarrier(2);
                Thread a = new Thread(() -> goOffCall(db, "alice", "bob", bothRead));
                Thread b = new Thread(() -> goOffCall(db, "bob", "alice", bothRead));
                a.start();
                b.start();
                a.join();
                b.join();
                long onCall = db.dirtySelect("oncall", dev.mnemo.engine.match.MatchSpec.parse(
                        "[{{oncall,'$1',true},[],['$1']}]")).size();
                assertThat(onCall).as("round " + round).isEqualTo(1);
            }
        }
    }

    private static void goOffCall(Mnemo db, String me, String other, CyclicBarrier bothRead) {
        boolean[] first = {true};
        db.transaction(tx -> {
            boolean meOn = (Boolean) tx.read("oncall", me).get(0).get(2);
            boolean otherOn = (Boolean) tx.read("oncall", other).get(0).get(2);
            if (first[0]) {
                first[0] = false;
                try {
                    bothRead.await(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the other transaction restarted before reaching the barrier: fine
                }
            }
            if (meOn && otherOn) {
                tx.write(Tuple.of("oncall", me, false));
            }
            return null;
        });
    }

    /** Two groups of threads lock the same records in opposite orders; wait-die restarts resolve every deadlock. */
    @ParameterizedTest
    @EnumSource(StorageType.class)
    void oppositeLockOrders_completeThroughRestarts(StorageType s) throws Exception {
        try (Mnemo db = bank(s)) {
            int threads = 4;
            int per = 300;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean forward = t % 2 == 0;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < per; i++) {
                        db.transaction(tx -> {
                            int first = forward ? 1 : 2;
                            int second = forward ? 2 : 1;
                            long x = balance(tx, first);
                            Thread.onSpinWait();
                            long y = balance(tx, second);
                            long one = first == 1 ? x : y;
                            long two = first == 1 ? y : x;
                            tx.write(Tuple.of("accounts", 1, one + 1));
                            tx.write(Tuple.of("accounts", 2, two - 1));
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Tuple a = db.dirtyRead("accounts", 1).get(0);
            Tuple b = db.dirtyRead("accounts", 2).get(0);
            assertThat((Long) a.get(2) + (Long) b.get(2)).isEqualTo(2 * START);
            assertThat((Long) a.get(2)).isEqualTo(START + threads * per);
            assertThat(db.systemInfo().transactionCommits()).isGreaterThanOrEqualTo(threads * per + 1);
        }
    }
}
