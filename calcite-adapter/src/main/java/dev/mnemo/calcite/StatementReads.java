package dev.mnemo.calcite;

import dev.mnemo.engine.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The snapshots one query's streamed scans read, so that its rows can be read a chunk at a time, as they are asked
 * for (see {@link MnemoSession#beginStatement}): in autocommit mode one snapshot for every table, opened when the
 * query begins; in an explicit transaction one view per table, opened when its first scan begins
 * ({@link Transaction#readView}), which outlives the transaction's commit and does not see its later writes.
 * Closed once, by whichever thread closes the statement first.
 */
final class StatementReads {
    /** The autocommit query's snapshot, or null in an explicit transaction. */
    final Transaction whole;
    /** The explicit transaction the query began in (null in autocommit, or if it had been lost to a conflict). */
    final Transaction owner;
    private final Map<String, Transaction> views = new HashMap<>();
    private boolean closed;

    StatementReads(Transaction whole, Transaction owner) {
        this.whole = whole;
        this.owner = owner;
    }

    /**
     * The view of {@code table} for this query: the one opened before, else the one {@code open} returns (null if
     * the table cannot be read in a view). SQLState 24000 if the query was closed meanwhile.
     */
    Transaction view(String table, Supplier<Transaction> open) {
        Transaction v = opened(table);
        if (v != null) {
            return v;
        }
        v = open.get(); // may wait for a lock: not while holding this object's monitor
        if (v == null) {
            return null;
        }
        Transaction kept;
        synchronized (this) {
            Transaction before = closed ? null : views.putIfAbsent(table, v);
            kept = closed ? null : before != null ? before : v;
        }
        if (kept != v) {
            v.rollback(); // closed meanwhile, or another scan of the table opened one first
        }
        return kept != null ? kept : opened(table);
    }

    /** The view of {@code table} opened before, or null; SQLState 24000 if the query was closed. */
    private synchronized Transaction opened(String table) {
        if (closed) {
            throw Errors.sql("the query's rows cannot be read any more: its result set or statement was closed",
                    "24000", null);
        }
        return views.get(table);
    }

    /** Ends the query's snapshots. */
    void close() {
        List<Transaction> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(views.values());
            views.clear();
        }
        if (whole != null) {
            all.add(whole);
        }
        RuntimeException first = null;
        for (Transaction t : all) {
            try {
                t.rollback(); // each, whatever the others do
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
