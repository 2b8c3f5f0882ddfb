package dev.mnemo.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jetbrains.exodus.ByteIterable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** Raw Xodus 2.0.1: a get in its own read-only transaction (1 and 2 threads) and a put in its own transaction. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class XodusBench {

    @State(Scope.Benchmark)
    public static class Env {
        XodusFixture x;

        @Setup(Level.Trial)
        public void open() {
            x = XodusFixture.get();
        }

        long randomKey() {
            return ThreadLocalRandom.current().nextLong(x.users);
        }
    }

    private static ByteIterable get(Env e) {
        ByteIterable key = XodusFixture.key(e.randomKey());
        ByteIterable v = e.x.env.computeInReadonlyTransaction(txn -> e.x.store.get(txn, key));
        if (v == null) {
            throw new IllegalStateException("key not found");
        }
        return v;
    }

    @Benchmark
    @Threads(1)
    public ByteIterable get_1t(Env e) {
        return get(e);
    }

    @Benchmark
    @Threads(2)
    public ByteIterable get_2t(Env e) {
        return get(e);
    }

    /** Overwrites an existing key with its own value, so the store keeps its size. */
    @Benchmark
    @Threads(1)
    public boolean put_1t(Env e) {
        long id = e.randomKey();
        return e.x.env.computeInTransaction(txn -> e.x.store.put(txn, XodusFixture.key(id), XodusFixture.value(id)));
    }
}
