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
 * Record and table read/write locks with wait-die deadlock prevention, as in Mnesia. A transaction that asks for
 * a lock held — or already waited for — in a conflicting mode by others waits if it is older than every one of
 * them; otherwise it "dies": the request throws {@link Restart} naming the oldest of them, and the transaction is
 * re-run later with its original age. Counting waiting requests as conflicts keeps an older waiter from starving
 * behind a stream of younger compatible requests. Locks are held until the transaction ends (two-phase). A table
 * lock conflicts with record locks of the same table held by others in a conflicting mode.
 */
final class LockManager {
    /** The lock requester must restart; {@code blockerDone} is counted down when the winner's attempt ends. */
    static final class Restart extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CountDownLatch blockerDone;

        Restart(Txn blocker) {
            super("lock conflict: restart", null, false, false);
            this.blockerDone = blocker.attemptDone;
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

    LockManager(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Takes a record lock on {@code key} of the table, waiting or dying as wait-die says. */
    void lockRecord(Txn txn, String tableName, TableLocks locks, Object key, LockKind kind) {
        synchronized (monitor) {
            Lock rec = locks.records.get(key);
            if (rec != null && rec.covers(txn, kind) || locks.table.covers(txn, kind)) {
                return;
            }
            if (rec == null) {
                rec = new Lock();
                locks.records.put(key, rec);
            }
            long deadline = System.currentTimeMillis() + timeoutMillis;
            try {
                while (true) {
                    Txn blocker = conflict(txn, locks.table, kind, null);
                    blocker = conflict(txn, rec, kind, blocker);
                    if (blocker == null) {
                        grant(txn, rec, kind, locks, key);
                        return;
                    }
                    await(txn, blocker, rec, kind, tableName, deadline);
                }
            } finally {
                rec.waiting.remove(txn);
                if (rec.isFree()) {
                    locks.records.remove(key, rec);
                }
            }
        }
    }

    /** Takes a lock on the whole table. */
    void lockTable(Txn txn, String tableName, TableLocks locks, LockKind kind) {
        synchronized (monitor) {
            if (locks.table.covers(txn, kind)) {
                return;
            }
            long deadline = System.currentTimeMillis() + timeoutMillis;
            try {
                while (true) {
                    Txn blocker = conflict(txn, locks.table, kind, null);
                    for (Lock rec : locks.records.values()) {
                        blocker = conflict(txn, rec, kind, blocker);
                    }
                    if (blocker == null) {
                        grant(txn, locks.table, kind, locks, TABLE);
                        return;
                    }
                    await(txn, blocker, locks.table, kind, tableName, deadline);
                }
            } finally {
                locks.table.waiting.remove(txn);
            }
        }
    }

    /**
     * The oldest of {@code found} and the transactions that hold {@code lock}, or wait for it, in a mode that
     * conflicts with {@code txn} asking for {@code kind}. Only a waiter older than txn counts: a younger waiter
     * does not hold anything txn needs.
     */
    private static Txn conflict(Txn txn, Lock lock, LockKind kind, Txn found) {
        if (lock.writer != null && lock.writer != txn) {
            found = older(found, lock.writer);
        }
        if (kind == LockKind.WRITE) {
            for (Txn r : lock.readers) {
                if (r != txn) {
                    found = older(found, r);
                }
            }
        }
        for (Map.Entry<Txn, LockKind> w : lock.waiting.entrySet()) {
            Txn other = w.getKey();
            if (other != txn && other.age() < txn.age()
                    && (kind == LockKind.WRITE || w.getValue() == LockKind.WRITE)) {
                found = older(found, other);
            }
        }
        return found;
    }

    private static Txn older(Txn a, Txn b) {
        return a == null || b.age() < a.age() ? b : a;
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

    private void await(Txn txn, Txn blocker, Lock lock, LockKind kind, String tableName, long deadline) {
        // wait-die: only an older transaction may wait for a younger one
        if (txn.age() > blocker.age()) {
            Restart r = new Restart(blocker);
            txn.doom(r);
            throw r;
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            throw new TransactionAbortedException("lock wait timeout on table " + tableName + " after "
                    + timeoutMillis + " ms", null);
        }
        lock.waiting.put(txn, kind);
        waitingCount++;
        try {
            monitor.wait(Math.min(left, 100));
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
