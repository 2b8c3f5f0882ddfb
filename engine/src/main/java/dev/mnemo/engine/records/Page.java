package dev.mnemo.engine.records;

import dev.mnemo.engine.Continuation;
import java.util.List;

/**
 * One page of a typed select with a limit: the records (about {@code limit} of them; all records of one key stay
 * together) and a cursor for the rest. Resume with {@link Query#resume(Page)} (or {@link Dirty#resume(Page)}) in
 * the same or any later transaction: the next page starts after the last key this page covered and sees the table
 * as it is then, so records written meanwhile after that key are included.
 *
 * @param <T> the record class
 */
public final class Page<T> {
    private final List<T> items;
    private final Continuation continuation;
    final RecordMapping mapping;

    Page(List<T> items, Continuation continuation, RecordMapping mapping) {
        this.items = List.copyOf(items);
        this.continuation = continuation;
        this.mapping = mapping;
    }

    /** The records of this page, in key order. */
    public List<T> items() {
        return items;
    }

    /** Whether more records may follow (a resumed page may still be empty). */
    public boolean hasMore() {
        return continuation != null;
    }

    Continuation continuation() {
        if (continuation == null) {
            throw new IllegalStateException("this is the last page of the select; there is nothing to resume");
        }
        return continuation;
    }

    @Override
    public String toString() {
        return "Page{" + items.size() + " " + mapping.recordClass().getSimpleName() + (hasMore() ? ", more" : "")
                + "}";
    }
}
