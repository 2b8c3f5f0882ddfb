package dev.mnemo.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Durations in nanoseconds counted in buckets of one eighth of a power of two (so a percentile is within 12.5% of
 * the true value), lock-free: what commit latency percentiles are read from. Counts since the database opened.
 */
final class LatencyHistogram {
    private static final int SUB = 8;
    private final LongAdder[] buckets = new LongAdder[64 * SUB];
    private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();

    LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long v = Math.max(1, nanos);
        buckets[index(v)].increment();
        if (v > max.get()) {
            max.accumulateAndGet(v, Math::max);
        }
    }

    private static int index(long v) {
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = exp < 3 ? (int) (v & (SUB - 1)) : (int) ((v >>> (exp - 3)) & (SUB - 1));
        return exp * SUB + sub;
    }

    /** The upper end of bucket {@code i}, in nanoseconds. */
    private static long upper(int i) {
        int exp = i / SUB;
        int sub = i % SUB;
        if (exp < 3) {
            return exp == 0 ? 1 : Math.max(sub, 1L << exp);
        }
        return ((long) (SUB + sub + 1) << (exp - 3)) - 1;
    }

    long count() {
        long n = 0;
        for (LongAdder b : buckets) {
            n += b.sum();
        }
        return n;
    }

    /** The durations at quantiles {@code qs} (each 0..1), in microseconds; 0 with nothing counted. */
    double[] quantilesMicros(double... qs) {
        long[] counts = new long[buckets.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
            total += counts[i];
        }
        double[] out = new double[qs.length];
        if (total == 0) {
            return out;
        }
        for (int q = 0; q < qs.length; q++) {
            long rank = Math.max(1, (long) Math.ceil(qs[q] * total));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    out[q] = Math.min(upper(i), max.get()) / 1_000.0;
                    break;
                }
            }
        }
        return out;
    }

    double maxMicros() {
        return max.get() / 1_000.0;
    }
}
