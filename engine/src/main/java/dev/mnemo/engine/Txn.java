package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * One transaction's state: its age for wait-die (kept across restarts, so it eventually becomes the oldest), the
 * locks it holds, and its buffered writes: for each table and key touched, the key's complete new list of records.
 */
final class Txn {
    private final long age;
    final List<LockManager.Held> held = new ArrayList<>();
    final Map<Table, NavigableMap<Object, List<Tuple>>> writes = new IdentityHashMap<>();
    volatile CountDownLatch attemptDone = new CountDownLatch(1);
    int restarts;
    /** Set when this attempt lost a lock conflict or aborted, so that it cannot commit even if fn swallowed that. */
    private RuntimeException doomed;

    Txn(long age) {
        this.age = age;
    }

    /** Smaller is older. */
    long age() {
        return age;
    }

    /** The buffered records of {@code key}, or null if this transaction has not written it. */
    List<Tuple> buffered(Table t, Object key) {
        NavigableMap<Object, List<Tuple>> m = writes.get(t);
        return m == null ? null : m.get(key);
    }

    /** The buffered writes of a table (possibly empty, never null). */
    NavigableMap<Object, List<Tuple>> bufferOf(Table t) {
        NavigableMap<Object, List<Tuple>> m = writes.get(t);
        return m == null ? EMPTY : m;
    }

    void buffer(Table t, Object key, List<Tuple> records) {
        writes.computeIfAbsent(t, x -> new TreeMap<>(Terms.ORDER)).put(key, records);
    }

    void doom(RuntimeException reason) {
        if (doomed == null) {
            doomed = reason;
        }
    }

    /** Forgets {@code reason} as the doom of this attempt (a nested transaction rolled back its own abort). */
    void undoom(RuntimeException reason) {
        if (doomed == reason) {
            doomed = null;
        }
    }

    /** Throws the restart or abort this attempt already suffered, if the transaction function swallowed it. */
    void checkNotDoomed() {
        if (doomed != null) {
            throw doomed;
        }
    }

    /** A copy of the buffered writes, to roll a nested transaction back to. */
    Map<Table, NavigableMap<Object, List<Tuple>>> savepoint() {
        Map<Table, NavigableMap<Object, List<Tuple>>> copy = new IdentityHashMap<>();
        writes.forEach((t, m) -> copy.put(t, new TreeMap<>(m)));
        return copy;
    }

    void rollbackTo(Map<Table, NavigableMap<Object, List<Tuple>>> savepoint) {
        writes.clear();
        writes.putAll(savepoint);
    }

    /** Ends this attempt: forgets the writes and signals transactions waiting for it. */
    void endAttempt() {
        doomed = null;
        writes.clear();
        attemptDone.countDown();
        attemptDone = new CountDownLatch(1);
    }

    private static final NavigableMap<Object, List<Tuple>> EMPTY =
            java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(Terms.ORDER));
}
