package dev.mnemo.engine;

/**
 * An explicit {@link Transaction} lost a lock conflict to an older transaction (wait-die) and was rolled back.
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
