package dev.mnemo.engine.records;

/**
 * The body of a {@link Memento} transaction. It may run more than once (after a lock conflict), so it must have
 * no side effects besides its {@link Query} operations.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TxBody<T> {
    /** Runs the transaction's work with {@code q}, which is valid only until this method returns. */
    T apply(Query q) throws Exception;
}
