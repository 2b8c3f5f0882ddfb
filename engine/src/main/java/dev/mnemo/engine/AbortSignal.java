package dev.mnemo.engine;

/** Thrown by {@link Tx#abort} to unwind the transaction function. */
final class AbortSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Object reason;

    AbortSignal(Object reason) {
        super("abort: " + reason, null, false, false);
        this.reason = reason;
    }
}
