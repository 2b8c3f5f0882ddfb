package dev.mnemo.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Record and table read/write locks with wait-die deadlock prevention, as in Mnesia. A transaction that asks for
 * a lock held in a conflicting mode waits if it is older than every conflicting holder; otherwise it "dies": the
 * request throws {@link Restart} naming the holder, and the transaction is re-run later with its original age.
 * Locks are held until the transaction ends (two-phase). A table lock conflicts with record locks of the same
 * table held by others in a conflicting mode.
 */
final class LockManager {
    /** The lock requester must restart; {@code blocker} is the older transaction it lost to. */
    static final class Restart extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Counted down when the blocker's current attempt ends. */
        final transient java.util.concurrent.CountDownLatch blockerDone;

        Restart(Txn blocker) {
            super(null, null, false, false);
            this.blockerDone = blocker.attemptDone;
        }
    }

    /** One lock: its readers and its writer. */
    static final class Lock {
        final Set<Txn> readers = new HashSet<>(2);
        Txn writer;

        boolean isFree() {
            return writer == null && readers.isEmpty();
        }
    }

    /** Locks of one table. */
    static final class TableLocks {
        final Lock table = new Lock();
        final Map<Object, Lock> records = new ConcurrentHashMap<>();
    }

    private final Object monitor = new Object();
    private int waiting;
    private final long timeoutMillis;

    LockManager(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Takes a record lock on {@code key} of the table, waiting or dying as wait-die says. */
    void lockRecord(Txn txn, String tableName, TableLocks locks, Object key, LockKind kind) {
        synchronized (monitor) {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (true) {
                Lock rec = locks.records.get(key);
                Txn blocker = conflict(txn, locks.table, kind, null);
                if (rec != null) {
                    blocker = conflict(txn, rec, kind, blocker);
                }
                if (blocker == null) {
                    if (rec == null) {
                        rec = new Lock();
                        locks.records.put(key, rec);
                    }
                    grant(txn, rec, kind, locks, key);
                    return;
                }
                await(txn, blocker, tableName, deadline);
            }
        }
    }

    /** Takes a lock on the whole table. */
    void lockTable(Txn txn, String tableName, TableLocks locks, LockKind kind) {
        synchronized (monitor) {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (true) {
                Txn blocker = conflict(txn, locks.table, kind, null);
                for (Lock rec : locks.records.values()) {
                    blocker = conflict(txn, rec, kind, blocker);
                }
                if (blocker == null) {
                    grant(txn, locks.table, kind, locks, TABLE);
                    return;
                }
                await(txn, blocker, tableName, deadline);
            }
        }
    }

    private static final Object TABLE = new Object();

    /**
     * The oldest of {@code found} and the holders of {@code lock} that conflict with {@code txn} asking for
     * {@code kind}: wait-die lets txn wait only if it is older than that one.
     */
    private static Txn conflict(Txn txn, Lock lock, LockKind kind, Txn found) {
        if (lock.writer != null && lock.writer != txn && (found == null || lock.writer.age() < found.age())) {
            found = lock.writer;
        }
        if (kind == LockKind.WRITE) {
            for (Txn r : lock.readers) {
                if (r != txn && (found == null || r.age() < found.age())) {
                    found = r;
                }
            }
        }
        return found;
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

    private void await(Txn txn, Txn blocker, String tableName, long deadline) {
        // wait-die: only an older transaction may wait for a younger holder
        if (txn.age() > blocker.age()) {
            throw new Restart(blocker);
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            throw new TransactionAbortedException("lock wait timeout on table " + tableName + " after "
                    + timeoutMillis + " ms", null);
        }
        waiting++;
        try {
            monitor.wait(Math.min(left, 100));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionAbortedException("interrupted while waiting for a lock on table " + tableName, e);
        } finally {
            waiting--;
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

    /** A snapshot of held locks, for system_info: "table/key:mode:txn". */
    List<String> heldLocks(Map<String, TableLocks> tables) {
        List<String> out = new ArrayList<>();
        synchronized (monitor) {
            for (Map.Entry<String, TableLocks> t : tables.entrySet()) {
                describe(out, t.getKey(), "*", t.getValue().table);
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
            return waiting;
        }
    }

    /** A lock held by a transaction, for release. */
    record Held(TableLocks locks, Object key, Lock lock) {
    }
}
