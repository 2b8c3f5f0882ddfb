package dev.mnemo.engine;

import java.util.function.Supplier;

/**
 * Each thread's cancellation check (see {@link Mnemo#cancellable}): long operations call {@link #check()} often
 * enough that a canceled one stops within a few milliseconds of work (a scan every {@link #EVERY} keys, a lock wait
 * at least every {@link #waitSliceMillis()} ms, a transaction before each re-run).
 */
final class Cancels {
    /** Keys a scan visits between two checks. */
    static final int EVERY = 256;

    /** The thread's check, in a holder the thread keeps: installing one is a field write, not a map update. */
    private static final class Holder {
        Supplier<String> check;
    }

    private static final ThreadLocal<Holder> CHECK = ThreadLocal.withInitial(Holder::new);

    private Cancels() {
    }

    static <T> T with(Supplier<String> check, Supplier<T> work) {
        Holder h = CHECK.get();
        Supplier<String> outer = h.check;
        h.check = check;
        try {
            return work.get();
        } finally {
            h.check = outer;
        }
    }

    /**
     * The longest a lock wait sleeps before it looks again (wake-ups come on every release): 20 ms when the thread
     * has a check to run, else 100 ms.
     */
    static long waitSliceMillis() {
        return CHECK.get().check != null ? 20 : 100;
    }

    /** {@link #check()} when {@code count} (of keys, say) is a multiple of {@link #EVERY}. */
    static void checkEvery(long count) {
        if (count % EVERY == 0) {
            check();
        }
    }

    /** Throws {@link OperationCanceledException} if the calling thread's check gives a reason to stop. */
    static void check() {
        Supplier<String> c = CHECK.get().check;
        String reason = c == null ? null : c.get();
        if (reason != null) {
            throw new OperationCanceledException(reason);
        }
    }
}
