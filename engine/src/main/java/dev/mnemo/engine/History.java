package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What one table's recently changed keys held before each change: the undo side of snapshot reads. A store holds
 * only the newest records; a snapshot reader of version {@code s} takes, for a key changed by a commit newer than
 * {@code s}, the records the key had just before the first such commit.
 *
 * <p>Why readers are right without a lock: a commit records the key's old records here <em>before</em> it changes
 * the store (disc or heap), and a reader reads the store <em>before</em> it looks here. So a reader that saw the new
 * records also finds the old ones. A store keeps a deleted key (with no records) until no snapshot needs it, so a
 * snapshot scan meets every key it must look up; Xodus, which deletes at once, is read in one Xodus snapshot taken
 * after the reader's version, and the keys missing from it are found here (see {@link #scan}).
 *
 * <p>Entries are written only by the committing thread (under the commit lock) and dropped by
 * {@link Snapshots} once no open snapshot is older than them.
 */
final class History {
    /** One change of a key: its version and the records before it; {@code older} is the change before. */
    private record Undo(long version, List<Tuple> before, Undo older) {
    }

    private final ConcurrentSkipListMap<Object, Undo> undo = new ConcurrentSkipListMap<>(Terms.ORDER);

    /** Commit {@code version} is about to change {@code key}, which holds {@code before}. Committing thread only. */
    void record(long version, Object key, List<Tuple> before) {
        newest = version;
        undo.put(key, new Undo(version, before, undo.get(key)));
    }

    /** The version of the newest change recorded: none newer than a snapshot means no lookup for it. */
    private volatile long newest;

    /** The records {@code key} had at version {@code s}, or null if no kept commit after {@code s} changed it. */
    List<Tuple> at(Object key, long s) {
        return newest <= s ? null : before(undo.get(key), s);
    }

    /** The records before the first change in {@code u}'s chain newer than {@code s}; null if there is none. */
    private static List<Tuple> before(Undo u, long s) {
        List<Tuple> r = null;
        for (; u != null && u.version > s; u = u.older) {
            r = u.before;
        }
        return r;
    }

    /** Drops the changes of {@code key} no snapshot newer than {@code oldest} needs; true if none is left. */
    boolean trim(Object key, long oldest) {
        Undo head = undo.get(key);
        if (head == null) {
            return true;
        }
        List<Undo> kept = new ArrayList<>();
        for (Undo u = head; u != null && u.version > oldest; u = u.older) {
            kept.add(u);
        }
        if (kept.isEmpty()) {
            undo.remove(key);
            return true;
        }
        if (kept.get(kept.size() - 1).older != null) {
            Undo chain = null;
            for (int i = kept.size() - 1; i >= 0; i--) {
                chain = new Undo(kept.get(i).version, kept.get(i).before, chain);
            }
            undo.put(key, chain);
        }
        return false;
    }

    /** Forgets every change (the table's contents were replaced or emptied outside the commit path). */
    void clear() {
        undo.clear();
    }

    /** Number of keys with kept changes. */
    int size() {
        return undo.size();
    }

    /** The keys with kept changes: with the store's index, every key that may have held a value at a snapshot. */
    Collection<Object> keys() {
        return new ArrayList<>(undo.keySet());
    }

    /**
     * Visits, as of version {@code s}, the keys of {@code range} in {@code store}: the store's newest records, each
     * replaced by its records at {@code s} where a later commit changed it, plus keys the store no longer holds that
     * had records at {@code s}. This history's own walk begins only after the store's scan has begun, so it sees
     * every change the store's scan may have missed.
     */
    void scan(long s, TableStore store, KeyRange range, boolean reverse, TableStore.KeyVisitor visitor) {
        Merge m = new Merge(s, range, reverse, visitor);
        store.scanWithDeleted(range, reverse, m::visitStored);
        m.finish();
    }

    /** A merge of a store's scan with this history's keys of the same range. */
    private final class Merge {
        private final long s;
        private final KeyRange range;
        private final boolean reverse;
        private final TableStore.KeyVisitor visitor;
        private Iterator<Map.Entry<Object, Undo>> changed;
        private Map.Entry<Object, Undo> next;
        private boolean stopped;

        Merge(long s, KeyRange range, boolean reverse, TableStore.KeyVisitor visitor) {
            this.s = s;
            this.range = range;
            this.reverse = reverse;
            this.visitor = visitor;
        }

        private void start() {
            if (changed == null) {
                changed = range.of(undo, reverse).entrySet().iterator();
                advance();
            }
        }

        private void advance() {
            next = changed.hasNext() ? changed.next() : null;
        }

        boolean visitStored(Object key, List<Tuple> records) {
            start();
            // changed keys before this one were not in the store's scan: they were deleted from it
            while (next != null) {
                int c = Terms.compare(next.getKey(), key);
                if (reverse ? c <= 0 : c >= 0) {
                    if (c == 0) {
                        advance();
                    }
                    break;
                }
                if (!emit(next.getKey(), at(next.getKey(), s))) {
                    return false;
                }
                advance();
            }
            List<Tuple> then = at(key, s);
            return emit(key, then != null ? then : records);
        }

        void finish() {
            start();
            while (!stopped && next != null) {
                emit(next.getKey(), at(next.getKey(), s));
                advance();
            }
        }

        private boolean emit(Object key, List<Tuple> records) {
            if (records == null || records.isEmpty()) {
                return true;
            }
            boolean go = visitor.visit(key, records);
            stopped = !go;
            return go;
        }
    }
}
