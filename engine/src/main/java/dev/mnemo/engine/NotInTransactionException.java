package dev.mnemo.engine;

/** An operation that needs a transaction was called outside one. */
public final class NotInTransactionException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public NotInTransactionException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "no_transaction";
    }
}
