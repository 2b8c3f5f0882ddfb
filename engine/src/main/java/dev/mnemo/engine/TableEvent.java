package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.util.List;

/**
 * What a table subscription ({@link Mnemo#subscribe}) is told: its table's committed changes, in commit order, after
 * each commit is visible (and, unless a write delay is set, durable); never anything of a transaction that was rolled
 * back or whose commit failed. A commit that changes several keys gives one event per record it writes or deletes,
 * in the order of its keys. Events describe what changed: a write that leaves a key's records as they were (the
 * same record written again) is not told, unlike Mnesia, which tells every write operation.
 *
 * <p>{@code transaction} is the id of the transaction that made the change, the same for all of its events and
 * unique among the transactions of one run of the database; 0 for a dirty operation. {@code old} is the key's
 * records before the commit for a {@link EventDetail#DETAILED} subscription, and null for a
 * {@link EventDetail#SIMPLE} one.
 */
public sealed interface TableEvent {
    /** The table the event is about. */
    String table();

    /**
     * A record was written: for a {@code set} or {@code ordered_set} it replaced the key's record, if any; for a
     * {@code bag} or {@code duplicate_bag} it was added to the key's records.
     */
    record Write(String table, Tuple record, List<Tuple> old, long transaction) implements TableEvent {
    }

    /** Every record of a key was deleted (Mnesia's {@code delete}). */
    record Delete(String table, Object key, List<Tuple> old, long transaction) implements TableEvent {
    }

    /** One record of a {@code bag} or {@code duplicate_bag} key was deleted, and others stay (Mnesia's {@code delete_object}). */
    record DeleteObject(String table, Tuple record, List<Tuple> old, long transaction) implements TableEvent {
    }

    /** Every record of the table was removed ({@code clear_table}); no event is given per record. */
    record Cleared(String table) implements TableEvent {
    }

    /**
     * Every record of the table was rewritten to a new definition ({@code transform_table}, {@code alter_table}); no
     * event is given per record.
     */
    record Redefined(String table, TableDef def) implements TableEvent {
    }

    /** The table was deleted. It is the subscription's last event: the subscription is closed. */
    record Deleted(String table) implements TableEvent {
    }

    /**
     * The subscriber fell behind: its queue was full, and this many events after the ones before this were dropped
     * rather than make commits wait. What follows is complete again.
     */
    record Lost(String table, long count) implements TableEvent {
    }
}
