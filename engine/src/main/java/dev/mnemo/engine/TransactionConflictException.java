package dev.mnemo.engine;

/**
 * An explicit {@link Transaction} was rolled back because it was the youngest of a deadlock (transactions waiting
 * for each other's locks), or because it waited for a lock longer than the lock timeout.
 * Retrying the same work in a new transaction is safe. (A transaction run by {@link Mnemo#transaction} is re-run
 * automatically instead.)
 */
public final class TransactionConflictException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public TransactionConflictException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "conflict";
    }
}
