package dev.mnemo.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The machine's own scaling from 1 to 2 threads: work that shares nothing (each thread its own small map and
 * random sequence), so that the 2-thread rows of the engine table can be read against what the cores give at all.
 * On a shared virtual machine two vCPUs are not always two cores' worth.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MachineBench {

    /** One thread's private state. */
    @State(Scope.Thread)
    public static class Own {
        final Map<Long, Long> counts = new HashMap<>();
        long x = System.nanoTime();
    }

    /** 1,000 steps of a random sequence counted into a 4,096-entry map: a few microseconds of CPU and cache. */
    private static long work(Own o) {
        long x = o.x;
        for (int i = 0; i < 1_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            o.counts.merge(x & 4095, 1L, Long::sum);
        }
        o.x = x;
        return x;
    }

    @Benchmark
    @Threads(1)
    public long independentWork_1t(Own o) {
        return work(o);
    }

    @Benchmark
    @Threads(2)
    public long independentWork_2t(Own o) {
        return work(o);
    }
}
