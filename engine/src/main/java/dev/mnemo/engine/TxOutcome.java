package dev.mnemo.engine;

/**
 * The result of {@link Mnemo#tryTransaction}: Mnesia's {@code {atomic, Result}} or {@code {aborted, Reason}}.
 *
 * @param <T> the transaction function's result type
 */
public sealed interface TxOutcome<T> {
    /** The transaction committed with this result. */
    record Atomic<T>(T result) implements TxOutcome<T> {
        /** Mnesia's form, {@code {atomic, Result}}. */
        @Override
        public String toString() {
            return "{atomic, " + result + "}";
        }
    }

    /** The transaction was rolled back for this reason. */
    record Aborted<T>(Object reason) implements TxOutcome<T> {
        /** Mnesia's form, {@code {aborted, Reason}}. */
        @Override
        public String toString() {
            return "{aborted, " + reason + "}";
        }
    }

    /** Whether the transaction committed. */
    default boolean isAtomic() {
        return this instanceof Atomic;
    }
}
