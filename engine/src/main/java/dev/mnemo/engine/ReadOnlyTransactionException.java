package dev.mnemo.engine;

/** A write (or write lock) asked of a read-only transaction: a snapshot ({@link Mnemo#snapshot}). */
public class ReadOnlyTransactionException extends MnemoException {
    public ReadOnlyTransactionException(String message) {
        super(message);
    }
}
