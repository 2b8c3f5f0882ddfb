package dev.mnemo.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Record and table read/write locks, held until the transaction ends (two-phase), with deadlock detection: a
 * transaction that asks for a lock held in a conflicting mode by others — or already waited for by older ones, so
 * that an older waiter never starves behind a stream of younger compatible requests — waits for them. Before each
 * wait it looks for a cycle in the graph of who waits for whom; if its wait would close one, the youngest
 * transaction of the cycle is the victim: its request throws {@link Restart} (it is re-run with its original age,
 * so it eventually becomes the oldest, or, for an explicit transaction, rolled back with a conflict error), and the
 * others go on waiting. So a transaction is aborted only by a real deadlock or by the lock wait timeout, not, as
 * with the wait-die rule this replaces, whenever it is younger than a lock's holder (which made pooled connections
 * retry over and over). A table lock conflicts with record locks of the same table held by others in a conflicting
 * mode.
 */
final class LockManager {
    /** The lock requester must restart; {@code blockerDone} is counted down when the winner's attempt ends. */
    static final class Restart extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CountDownLatch blockerDone;

        Restart(Txn blocker) {
            this(blocker.attemptDone);
        }

        /** A restart that waits for {@code done} (at most a moment) before the re-run. */
        Restart(CountDownLatch done) {
            super("lock conflict: restart", null, false, false);
            this.blockerDone = done;
        }
    }

    /** One lock: its readers, its writer, and the requests waiting for it. */
    static final class Lock {
        final Set<Txn> readers = new HashSet<>(2);
        Txn writer;
        final Map<Txn, LockKind> waiting = new HashMap<>(2);

        boolean isFree() {
            return writer == null && readers.isEmpty() && waiting.isEmpty();
        }

        boolean covers(Txn txn, LockKind kind) {
            return writer == txn || (kind == LockKind.READ && readers.contains(txn));
        }
    }

    /** Locks of one table. */
    static final class TableLocks {
        final Lock table = new Lock();
        final Map<Object, Lock> records = new ConcurrentHashMap<>();
    }

    private static final Object TABLE = new Object();
    private final Object monitor = new Object();
    private int waitingCount;
    private final long timeoutMillis;
    /** Lock requests that had to wait, deadlocks found (one victim each), and waits that timed out, since open. */
    final java.util.concurrent.atomic.LongAdder waits = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deadlocks = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder timeouts = new java.util.concurrent.atomic.LongAdder();

    LockManager(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Takes a record lock on {@code key} of the table, waiting for conflicting holders (see the class comment). */
    void lockRecord(Txn txn, String tableName, TableLocks locks, Object key, LockKind kind) {
        if (locks.table.writer == txn) {
            // the whole table is txn's (an escalated bulk insert): read without the monitor, since only txn's own
            // thread makes txn a writer, and a stale value is some other transaction or none
            return;
        }
        synchronized (monitor) {
            Lock rec = locks.records.get(key);
            if (rec != null && rec.covers(txn, kind) || locks.table.covers(txn, kind)) {
                return;
            }
            if (rec == null) {
                rec = new Lock();
                locks.records.put(key, rec);
            }
            try {
                acquire(txn, tableName, new Request(locks, rec, key, kind));
            } finally {
                if (rec.isFree()) {
                    locks.records.remove(key, rec);
                }
            }
        }
    }

    /** Takes a lock on the whole table. */
    void lockTable(Txn txn, String tableName, TableLocks locks, LockKind kind) {
        synchronized (monitor) {
            if (!locks.table.covers(txn, kind)) {
                acquire(txn, tableName, new Request(locks, null, TABLE, kind));
            }
        }
    }

    /** Waits until nothing blocks {@code request} (or it fails), then grants it. Caller holds the monitor. */
    private void acquire(Txn txn, String tableName, Request request) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        boolean waited = false;
        try {
            while (true) {
                Set<Txn> blockers = request.blockers(txn);
                if (blockers.isEmpty()) {
                    grant(txn, request.lock(), request.kind(), request.locks(), request.key());
                    return;
                }
                if (!waited) {
                    waited = true;
                    waits.increment();
                }
                await(txn, request, blockers, tableName, deadline);
            }
        } finally {
            request.lock().waiting.remove(txn);
            txn.waitingFor = null;
            txn.deadlockVictim = null;
        }
    }

    /**
     * What a waiting transaction asked for: the lock of record {@code key} ({@code record}) or, with a null record,
     * the whole table's. Its blockers are computed from the locks as they are now, never remembered, so that the
     * search for deadlocks never follows a wait that has ended.
     */
    record Request(TableLocks locks, Lock record, Object key, LockKind kind) {
        /** The lock asked for. */
        Lock lock() {
            return record != null ? record : locks.table;
        }

        /** The transactions {@code txn} waits for now. Caller holds the monitor. */
        Set<Txn> blockers(Txn txn) {
            Set<Txn> out = new HashSet<>(2);
            conflicts(txn, locks.table, kind, out);
            if (record != null) {
                conflicts(txn, record, kind, out);
            } else {
                for (Lock rec : locks.records.values()) {
                    conflicts(txn, rec, kind, out);
                }
            }
            return out;
        }
    }

    /**
     * Adds to {@code out} the transactions that hold {@code lock}, or wait for it, in a mode that conflicts with
     * {@code txn} asking for {@code kind}. Only a waiter older than txn counts: a younger waiter does not hold
     * anything txn needs, and queues behind txn.
     */
    private static void conflicts(Txn txn, Lock lock, LockKind kind, Set<Txn> out) {
        if (lock.writer != null && lock.writer != txn) {
            out.add(lock.writer);
        }
        if (kind == LockKind.WRITE) {
            for (Txn r : lock.readers) {
                if (r != txn) {
                    out.add(r);
                }
            }
        }
        for (Map.Entry<Txn, LockKind> w : lock.waiting.entrySet()) {
            Txn other = w.getKey();
            if (other != txn && other.age() < txn.age()
                    && (kind == LockKind.WRITE || w.getValue() == LockKind.WRITE)) {
                out.add(other);
            }
        }
    }

    /**
     * A cycle of waits through {@code txn} (txn first, then the one it waits for), following who waits for whom
     * now, or null. Caller holds the monitor; every transaction in it but txn is waiting right now.
     */
    private static List<Txn> cycleThrough(Txn txn, Set<Txn> blockers) {
        List<Txn> path = new ArrayList<>();
        path.add(txn);
        return walk(txn, blockers, path, new HashSet<>()) ? path : null;
    }

    private static boolean walk(Txn start, Set<Txn> next, List<Txn> path, Set<Txn> seen) {
        for (Txn t : next) {
            if (t == start) {
                return true;
            }
            Request waiting = t.waitingFor;
            if (waiting != null && seen.add(t)) {
                path.add(t);
                if (walk(start, waiting.blockers(t), path, seen)) {
                    return true;
                }
                path.remove(path.size() - 1);
            }
        }
        return false;
    }

    private void grant(Txn txn, Lock lock, LockKind kind, TableLocks locks, Object key) {
        if (kind == LockKind.WRITE) {
            lock.readers.remove(txn);
            if (lock.writer != txn) {
                lock.writer = txn;
                txn.held.add(new Held(locks, key, lock));
            }
        } else if (lock.writer != txn && lock.readers.add(txn)) {
            txn.held.add(new Held(locks, key, lock));
        }
    }

    private void await(Txn txn, Request request, Set<Txn> blockers, String tableName, long deadline) {
        if (txn.deadlockVictim != null) {
            // another transaction found this one the youngest of a deadlock
            Restart r = txn.deadlockVictim;
            txn.doom(r);
            throw r;
        }
        txn.waitingFor = request;
        List<Txn> cycle = cycleThrough(txn, blockers);
        if (cycle != null) {
            Txn youngest = txn;
            for (Txn t : cycle) {
                if (t.age() > youngest.age()) {
                    youngest = t;
                }
            }
            if (youngest == txn || youngest.deadlockVictim == null) {
                deadlocks.increment(); // one victim per cycle found
            }
            if (youngest == txn) {
                Restart r = new Restart(cycle.get(1)); // re-run once the one it waited for is done
                txn.doom(r);
                throw r;
            }
            if (youngest.deadlockVictim == null) {
                // wake it to abort; once marked, others finding the same cycle just wait (no wake-up storm)
                youngest.deadlockVictim = new Restart(txn);
                monitor.notifyAll();
            }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            timeouts.increment();
            throw new TransactionAbortedException("lock wait timeout on table " + tableName + " after "
                    + timeoutMillis + " ms", null);
        }
        request.lock().waiting.put(txn, request.kind());
        waitingCount++;
        try {
            monitor.wait(Math.min(left, Cancels.waitSliceMillis()));
            Cancels.check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while waiting for a lock on table " + tableName
                    + "; the transaction was rolled back", e);
        } finally {
            waitingCount--;
        }
    }

    /** Releases every lock of {@code txn} and wakes waiters. */
    void releaseAll(Txn txn) {
        if (txn.held.isEmpty()) {
            return;
        }
        synchronized (monitor) {
            for (Held h : txn.held) {
                if (h.lock.writer == txn) {
                    h.lock.writer = null;
                }
                h.lock.readers.remove(txn);
                if (h.key != TABLE && h.lock.isFree()) {
                    h.locks.records.remove(h.key, h.lock);
                }
            }
            txn.held.clear();
            monitor.notifyAll();
        }
    }

    /** A snapshot of held locks, for system_info: {table, key, kind, tid}. */
    List<String> heldLocks(Map<String, TableLocks> tables) {
        List<String> out = new ArrayList<>();
        synchronized (monitor) {
            for (Map.Entry<String, TableLocks> t : tables.entrySet()) {
                describe(out, t.getKey(), "'_'", t.getValue().table);
                for (Map.Entry<Object, Lock> r : t.getValue().records.entrySet()) {
                    describe(out, t.getKey(), r.getKey(), r.getValue());
                }
            }
        }
        return out;
    }

    private static void describe(List<String> out, String table, Object key, Lock lock) {
        if (lock.writer != null) {
            out.add("{" + table + ", " + key + ", write, tid " + lock.writer.age() + "}");
        }
        for (Txn r : lock.readers) {
            out.add("{" + table + ", " + key + ", read, tid " + r.age() + "}");
        }
    }

    /** How many transactions are waiting for a lock right now. */
    int waitingCount() {
        synchronized (monitor) {
            return waitingCount;
        }
    }

    /** A lock held by a transaction, for release. */
    record Held(TableLocks locks, Object key, Lock lock) {
    }
}
