package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Mnemo#metrics} and its JMX bean: counters, commit latency percentiles, table sizes. */
@Timeout(120)
class MetricsTest {
    @TempDir
    Path dir;

    private static void put(Mnemo db, long k, long v) {
        db.transaction(tx -> {
            tx.write(Tuple.of("t", k, v));
            return null;
        });
    }

    @Test
    void commitsAbortsLockWaitsDeadlocksAndTimeouts_areCounted() throws Exception {
        try (Mnemo db = Mnemo.open(MnemoConfig.inMemory().withLockTimeout(Duration.ofMillis(300)))) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            put(db, 1, 1);
            put(db, 2, 2);
            assertThatThrownBy(() -> db.transaction(tx -> {
                tx.write(Tuple.of("t", 3L, 3L));
                throw new IllegalStateException("fails");
            }));
            Metrics m = db.metrics();
            assertThat(m.commits()).isEqualTo(2);
            assertThat(m.aborts()).isEqualTo(1);
            assertThat(m.tableSizes()).containsEntry("t", 2L);

            // two explicit transactions locking in opposite orders: a deadlock, its youngest rolled back
            Transaction a = db.begin();
            Transaction b = db.begin();
            a.write(Tuple.of("t", 1L, 10L));
            b.write(Tuple.of("t", 2L, 20L));
            CountDownLatch bWaits = new CountDownLatch(1);
            CompletableFuture<Void> bSide = CompletableFuture.runAsync(() -> {
                bWaits.countDown();
                b.read("t", 1L, LockKind.WRITE);
            });
            assertThat(bWaits.await(10, TimeUnit.SECONDS)).isTrue();
            while (db.metrics().lockWaits() == 0) {
                Thread.sleep(5);
            }
            // a, the older, meets b's lock: a cycle, whose youngest (b) is rolled back; then a gets the lock
            assertThat(a.read("t", 2L, LockKind.WRITE)).hasSize(1);
            Throwable bFailure = bSide.handle((v, e) -> e).get(10, TimeUnit.SECONDS);
            a.rollback();
            b.rollback();
            Metrics after = db.metrics();
            assertThat(after.deadlocks()).isEqualTo(1);
            assertThat(after.lockWaits()).isGreaterThanOrEqualTo(1);
            assertThat(after.aborts()).as("the victim, and a's rollback").isEqualTo(3);
            assertThat(bFailure).hasRootCauseInstanceOf(TransactionConflictException.class);

            // a wait past the lock timeout
            Transaction holder = db.begin();
            holder.write(Tuple.of("t", 1L, 11L));
            Transaction waiter = db.begin();
            assertThatThrownBy(() -> waiter.read("t", 1L, LockKind.WRITE)).isInstanceOf(TransactionConflictException.class);
            holder.commit();
            Metrics last = db.metrics();
            assertThat(last.lockTimeouts()).isEqualTo(1);
            assertThat(last.commits()).as("the explicit one counted too").isEqualTo(3);
            assertThat(last.aborts()).isEqualTo(4);
            db.dirtyWrite(Tuple.of("t", 9L, 9L));
            assertThat(db.metrics().dirtyWrites()).isEqualTo(1);
        }
    }

    @Test
    void aTransactionFunctionReRunAfterADeadlock_isCountedAsARestart() throws Exception {
        try (Mnemo db = Mnemo.inMemory()) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            put(db, 1, 0);
            put(db, 2, 0);
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            Runnable[] sides = new Runnable[2];
            for (int i = 0; i < 2; i++) {
                long first = i + 1;
                long second = 2 - i;
                sides[i] = () -> db.transaction(tx -> {
                    boolean firstRun = runs.incrementAndGet() <= 2;
                    tx.write(Tuple.of("t", first, 1L));
                    if (firstRun) {
                        bothHoldOne.countDown();
                        bothHoldOne.await(10, TimeUnit.SECONDS);
                    }
                    tx.write(Tuple.of("t", second, 1L)); // opposite orders: one of the two is re-run
                    return null;
                });
            }
            CompletableFuture<Void> a = CompletableFuture.runAsync(sides[0]);
            CompletableFuture<Void> b = CompletableFuture.runAsync(sides[1]);
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
            Metrics m = db.metrics();
            assertThat(m.restarts()).isGreaterThanOrEqualTo(1);
            assertThat(m.deadlocks()).isGreaterThanOrEqualTo(1);
            assertThat(m.commits()).isEqualTo(4); // the two puts and the two transactions
        }
    }

    @Test
    void commitLatencyPercentiles_comeFromEveryCommit_inOrder() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            for (long i = 0; i < 500; i++) {
                put(db, i, i);
            }
            Metrics m = db.metrics();
            assertThat(m.commitsTimed()).isEqualTo(500);
            assertThat(m.commitMicrosP50()).isPositive();
            assertThat(m.commitMicrosP50()).isLessThanOrEqualTo(m.commitMicrosP90());
            assertThat(m.commitMicrosP90()).isLessThanOrEqualTo(m.commitMicrosP99());
            assertThat(m.commitMicrosP99()).isLessThanOrEqualTo(m.commitMicrosP999());
            assertThat(m.commitMicrosP999()).isLessThanOrEqualTo(m.commitMicrosMax());
            assertThat(m.logCacheHitRate()).isBetween(0.0, 1.0);
            assertThat(m.tableSizes()).containsEntry("t", 500L);
        }
        try (Mnemo mem = Mnemo.inMemory()) {
            assertThat(mem.metrics().logCacheHitRate()).isNaN();
            assertThat(mem.metrics().commitMicrosP50()).as("nothing committed yet").isZero();
        }
    }

    @Test
    void theLatencyHistogram_placesEachDurationWithinAnEighth() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 1_000; v++) {
            h.record(v * 1_000); // 1..1000 µs, evenly
        }
        double[] q = h.quantilesMicros(0.5, 0.99);
        assertThat(q[0]).isBetween(500.0, 500 * 1.125);
        assertThat(q[1]).isBetween(990.0, 1_000.0);
        assertThat(h.maxMicros()).isEqualTo(1_000.0);
        assertThat(h.count()).isEqualTo(1_000);
    }

    @Test
    void theJmxBean_isThereWhileTheDatabaseIsOpen_withTheSameFigures() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name;
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            put(db, 1, 1);
            name = new ObjectName("dev.mnemo:type=Database,name=" + ObjectName.quote(dir.toRealPath().toString()));
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(server.getAttribute(name, "Commits")).isEqualTo(1L);
            assertThat(server.getAttribute(name, "Running")).isEqualTo(true);
            TabularData sizes = (TabularData) server.getAttribute(name, "TableSizes");
            assertThat(sizes.size()).isEqualTo(1);
            assertThat((Double) server.getAttribute(name, "CommitMicrosP99")).isPositive();
        }
        assertThat(server.isRegistered(name)).as("unregistered at close").isFalse();
    }
}
