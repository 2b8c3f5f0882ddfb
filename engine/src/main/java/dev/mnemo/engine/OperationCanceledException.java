package dev.mnemo.engine;

/**
 * The calling thread's cancellation check (see {@link Mnemo#cancellable}) stopped an operation: its statement was
 * canceled, or ran past its deadline. A transaction function it stopped was rolled back; an explicit transaction
 * keeps its earlier work and its locks (a lock it was waiting for is not taken), and a sub-transaction undoes only
 * its own writes.
 */
public final class OperationCanceledException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public OperationCanceledException(String message) {
        super(message, null);
    }
}
