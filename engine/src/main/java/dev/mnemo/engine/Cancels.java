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

    private static final ThreadLocal<Supplier<String>> CHECK = new ThreadLocal<>();

    private Cancels() {
    }

    static <T> T with(Supplier<String> check, Supplier<T> work) {
        Supplier<String> outer = CHECK.get();
        CHECK.set(check);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CHECK.remove();
            } else {
                CHECK.set(outer);
            }
        }
    }

    /**
     * The longest a lock wait sleeps before it looks again (wake-ups come on every release): 20 ms when the thread
     * has a check to run, else 100 ms.
     */
    static long waitSliceMillis() {
        return CHECK.get() != null ? 20 : 100;
    }

    /** Throws {@link OperationCanceledException} if the calling thread's check gives a reason to stop. */
    static void check() {
        Supplier<String> c = CHECK.get();
        String reason = c == null ? null : c.get();
        if (reason != null) {
            throw new OperationCanceledException(reason);
        }
    }
}
