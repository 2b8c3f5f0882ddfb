package dev.mnemo.engine;

import dev.mnemo.engine.match.CompiledMatchSpec;
import dev.mnemo.engine.value.Terms;

/**
 * An opaque position in a select with a limit; pass it to {@code select(Continuation)} to get the next chunk.
 * It remembers the table, the specification, the direction, the chunk size and the last key covered. It does not
 * go on after the table was cleared ({@link TransactionConflictException}) or deleted, transformed or moved
 * ({@link NoSuchTableException}).
 */
public final class Continuation {
    final String table;
    final long tableId;
    /** The table's {@link Table#clears} when the select began. */
    final long clears;
    final CompiledMatchSpec spec;
    final boolean reverse;
    final int limit;
    final Object lastKey;

    Continuation(String table, long tableId, long clears, CompiledMatchSpec spec, boolean reverse, int limit,
                 Object lastKey) {
        this.table = table;
        this.tableId = tableId;
        this.clears = clears;
        this.spec = spec;
        this.reverse = reverse;
        this.limit = limit;
        this.lastKey = lastKey;
    }

    @Override
    public String toString() {
        return "Continuation{" + table + (reverse ? ", reverse" : "") + ", limit " + limit + ", after "
                + Terms.format(lastKey) + "}";
    }
}
