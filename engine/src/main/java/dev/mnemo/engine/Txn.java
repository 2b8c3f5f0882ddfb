package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * One transaction's state: its age (kept across restarts, so it eventually becomes the oldest; the youngest of a
 * deadlock is its victim), the
 * locks it holds, and its buffered writes: for each table and key touched, the key's complete new list of records.
 */
final class Txn {
    private final long age;
    final List<LockManager.Held> held = new ArrayList<>();
    final Map<Table, NavigableMap<Object, List<Tuple>>> writes = new IdentityHashMap<>();
    volatile CountDownLatch attemptDone = new CountDownLatch(1);
    int restarts;
    /** Undo logs of open savepoints, innermost first: per table and key, what the buffer held before. */
    private final java.util.ArrayDeque<Map<Table, Map<Object, List<Tuple>>>> savepoints = new java.util.ArrayDeque<>();
    /** Marks, in an undo log, a key the buffer did not hold. */
    private static final List<Tuple> ABSENT = java.util.Collections.unmodifiableList(new ArrayList<>());
    /** While waiting for a lock: what it asked for (guarded by the lock manager's monitor). */
    LockManager.Request waitingFor;
    /** Set by another transaction that found this waiting one the youngest of a deadlock (same guard). */
    LockManager.Restart deadlockVictim;
    /** Set when this attempt lost a lock conflict or aborted, so that it cannot commit even if fn swallowed that. */
    private RuntimeException doomed;

    /**
     * The gate that decides this transaction's commit (see {@link CommitGate}), or null for a transaction of the
     * database itself, which locks.
     */
    final CommitGate gate;
    /** A gated transaction's read point for this attempt, and what it has read in it. */
    long readPoint;
    long generation;
    final java.util.Set<CommitGate.KeyRead> keyReads;
    final java.util.Set<String> tableReads;

    Txn(long age) {
        this(age, null);
    }

    Txn(long age, CommitGate gate) {
        this.age = age;
        this.gate = gate;
        this.keyReads = gate == null ? null : new java.util.HashSet<>();
        this.tableReads = gate == null ? null : new java.util.HashSet<>();
        beginAttempt();
    }

    /** Starts an attempt of a gated transaction: its reads are as of the gate's read point now. */
    void beginAttempt() {
        if (gate != null) {
            generation = gate.generation(); // first: a reload that begins after it changes it
            readPoint = gate.readPoint();
            keyReads.clear();
            tableReads.clear();
        }
    }

    /** What a gated transaction read and wrote in this attempt, for its gate. */
    CommitGate.Commit gatedCommit() {
        List<CommitGate.Write> out = new ArrayList<>();
        writes.forEach((t, keys) -> keys.forEach((k, records) -> out.add(new CommitGate.Write(t.name(), k,
                List.copyOf(records)))));
        return new CommitGate.Commit(readPoint, generation, java.util.Set.copyOf(keyReads),
                java.util.Set.copyOf(tableReads), out);
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
        NavigableMap<Object, List<Tuple>> m = writes.computeIfAbsent(t, x -> new TreeMap<>(Terms.ORDER));
        List<Tuple> before = m.put(key, records);
        Map<Table, Map<Object, List<Tuple>>> undo = savepoints.peek();
        if (undo != null) {
            undo.computeIfAbsent(t, x -> new HashMap<>()).putIfAbsent(key, before == null ? ABSENT : before);
        }
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

    /**
     * Opens a savepoint (a sub-transaction or a statement): from now on, the first change of each key records
     * what the buffer held before, so that {@link #rollbackTo} undoes only what came after, in time proportional
     * to the changes rather than to the whole buffer. Returns the savepoint's depth.
     */
    int savepoint() {
        savepoints.push(new IdentityHashMap<>());
        return savepoints.size();
    }

    /** Keeps the changes since savepoint {@code depth}; an enclosing savepoint can still undo them. */
    void release(int depth) {
        Map<Table, Map<Object, List<Tuple>>> undo = pop(depth);
        Map<Table, Map<Object, List<Tuple>>> parent = savepoints.peek();
        if (parent != null) {
            undo.forEach((t, keys) -> {
                Map<Object, List<Tuple>> p = parent.computeIfAbsent(t, x -> new HashMap<>());
                keys.forEach(p::putIfAbsent);
            });
        }
    }

    /** Undoes every change since savepoint {@code depth}. */
    void rollbackTo(int depth) {
        pop(depth).forEach((t, keys) -> keys.forEach((key, before) -> {
            if (before == ABSENT) {
                writes.get(t).remove(key);
            } else {
                writes.get(t).put(key, before);
            }
        }));
    }

    private Map<Table, Map<Object, List<Tuple>>> pop(int depth) {
        if (savepoints.size() != depth) {
            throw new IllegalStateException("savepoint " + depth + " is not the innermost (" + savepoints.size() + ")");
        }
        return savepoints.pop();
    }

    /** Ends this attempt: forgets the writes and signals transactions waiting for it. */
    void endAttempt() {
        doomed = null;
        writes.clear();
        savepoints.clear();
        attemptDone.countDown();
        attemptDone = new CountDownLatch(1);
    }

    private static final NavigableMap<Object, List<Tuple>> EMPTY =
            java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(Terms.ORDER));
}
