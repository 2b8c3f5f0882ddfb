package dev.mnemo.engine;

/**
 * A transaction did not commit: it called {@code abort(reason)}, its function threw, or it could not get its
 * locks within its retries. Nothing it wrote is visible. {@link #abortReason()} is the value given to
 * {@code abort}, or a description of the failure.
 */
public final class TransactionAbortedException extends MnemoException {
    private static final long serialVersionUID = 1L;
    private final transient Object abortReason;

    public TransactionAbortedException(Object abortReason, Throwable cause) {
        super("transaction aborted: " + abortReason, cause);
        this.abortReason = abortReason;
    }

    /** The reason the transaction aborted. */
    public Object abortReason() {
        return abortReason;
    }

    @Override
    public String reason() {
        return String.valueOf(abortReason);
    }
}
