package dev.mnemo.engine;

/**
 * The calling thread's cancellation check (see {@link Mnemo#cancellable}) stopped an operation: its statement was
 * canceled, or ran past its deadline. A transaction function it stopped was rolled back; an explicit transaction
 * that it stopped while waiting for a lock was rolled back too (as after a lost conflict), while one stopped in a
 * read or a write keeps its earlier work, and a sub-transaction undoes only its own.
 */
public final class OperationCanceledException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public OperationCanceledException(String message) {
        super(message, null);
    }
}
