package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.util.Collection;
import java.util.List;

/**
 * Where one table's records live. Records of a key are a list: one record for set tables, the bag's records in
 * term order, the duplicate_bag's in insertion order. Reads are safe from any thread at any time; writes happen
 * only inside a commit (one at a time): {@link #stage} adds the disc part to the commit's Xodus transaction, and
 * after that transaction is durable {@link #publish} makes the change visible to readers.
 */
interface TableStore extends AutoCloseable {
    /** The records of {@code key}, never null. */
    List<Tuple> get(Object key);

    /** Visits keys within {@code range} in term order (descending if {@code reverse}); stops when the visitor says so. */
    void scan(KeyRange range, boolean reverse, KeyVisitor visitor);

    /**
     * Like {@link #scan} but also visits, with an empty list, keys deleted by a commit that a snapshot may still
     * need to look past (see {@link History}); a store that does not keep them scans as usual.
     */
    default void scanWithDeleted(KeyRange range, boolean reverse, KeyVisitor visitor) {
        scan(range, reverse, visitor);
    }

    /** No snapshot needs deleted {@code key} any more: drop it if it is still deleted. */
    default void forget(Object key) {
    }

    /** Keys having at least one record whose element {@code pos} is {@code value} (an indexed position). */
    Collection<Object> indexKeys(int pos, Object value);

    /** Number of records. */
    long size();

    /**
     * An estimate of the number of distinct values (null counting as one) at indexed position {@code pos}: what a
     * query planner needs to guess how many rows an equality on the attribute keeps. Cheap: exact and O(1) where the
     * index is on the heap; from a bounded walk of the index, remembered until the table's size drifts, on disc.
     */
    long distinctValues(int pos);

    /** Estimated bytes of heap used. */
    long memoryBytes();

    /** Writes the disc part of the change of {@code key} from {@code old} to {@code neu} into {@code xt}. */
    void stage(jetbrains.exodus.env.Transaction xt, Object key, List<Tuple> old, List<Tuple> neu);

    /** {@link #stage} of {@code c}; a store may use the encodings the change has made already. */
    default void stage(jetbrains.exodus.env.Transaction xt, Database.Change c) {
        stage(xt, c.key(), c.old(), c.neu());
    }

    /** Makes the change of {@code key} visible to readers (heap rows, heap indexes, caches). */
    void publish(Object key, List<Tuple> old, List<Tuple> neu);

    /** {@link #publish} of each change of {@code changes} (all of this table's), in order; a store may do it at once. */
    default void publishAll(List<Database.Change> changes) {
        for (Database.Change c : changes) {
            publish(c.key(), c.old(), c.neu());
        }
    }

    /**
     * Builds the index of tuple position {@code pos} from the records present, its disc part inside {@code xt};
     * returns the step that puts it in use, to run once {@code xt} has committed.
     */
    Runnable addIndex(jetbrains.exodus.env.Transaction xt, int pos);

    /** Drops the disc part of the index of {@code pos} inside {@code xt}; returns the step to run after commit. */
    Runnable removeIndex(jetbrains.exodus.env.Transaction xt, int pos);

    /** Removes every record (disc part inside {@code xt}, heap part after it commits, through {@link #publishClear}). */
    void stageClear(jetbrains.exodus.env.Transaction xt);

    /** Empties the heap part after {@link #stageClear} committed. */
    void publishClear();

    /** Releases resources; the data on disc stays. */
    @Override
    void close();

    /** Visits a key's records during a scan. */
    @FunctionalInterface
    interface KeyVisitor {
        /** Returns false to stop the scan. */
        boolean visit(Object key, List<Tuple> records);
    }
}
