package dev.mnemo.engine;

/**
 * A transaction's body. It may be run more than once (after a lock conflict), so it must have no side effects
 * outside the {@link Tx} it is given.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TxFunction<T> {
    T apply(Tx tx) throws Exception;
}
