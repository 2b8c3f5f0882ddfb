package dev.mnemo.engine;

import dev.mnemo.engine.match.MatchPattern;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@link Tx} for one attempt of a transaction: locks through the lock manager, writes into the Txn's buffer.
 * An explicit one ({@link Mnemo#begin()}) also commits and rolls back itself, and turns a lost lock conflict into
 * a rollback and {@link TransactionConflictException} instead of a re-run. A read-only one reads a snapshot
 * instead ({@link Mnemo#snapshot}): no locks, no waits, no writes.
 */
final class TxContext extends Access implements Transaction {
    final Txn txn;
    private final boolean explicit;
    /** The snapshot version a read-only transaction reads, or -1 for a locking read-write transaction. */
    private final long snapshot;
    /** Cleared by whichever thread closes the snapshot first: a snapshot is closed exactly once. */
    private final java.util.concurrent.atomic.AtomicBoolean snapshotOpen = new java.util.concurrent.atomic.AtomicBoolean(true);
    private boolean active = true;

    TxContext(Database db, Txn txn) {
        this(db, txn, false, -1);
    }

    TxContext(Database db, Txn txn, boolean explicit, long snapshot) {
        super(db);
        this.txn = txn;
        this.explicit = explicit;
        this.snapshot = snapshot;
    }

    /** A read-only transaction on a snapshot opened now; ending it closes the snapshot. */
    static TxContext readOnly(Database db, boolean explicit) {
        return readOnly(db, explicit, null);
    }

    /** A read-only transaction on a snapshot opened now, of a view gated by {@code gate} (or null). */
    static TxContext readOnly(Database db, boolean explicit, CommitGate gate) {
        return new TxContext(db, new Txn(0, gate), explicit, db.snapshots.openSnapshot());
    }

    @Override
    public Transaction readView(String tableName) {
        Table t = table(tableName);
        if (readsSnapshot()) {
            return new TxContext(db, new Txn(0), true, db.snapshots.openAgain(snapshot));
        }
        lockWholeTable(t, LockKind.READ);
        // the read lock keeps every other writer out of the table until this transaction ends; a commit releases its
        // locks before it is durable and visible, so every commit in the stores is made visible first: a snapshot
        // opened then reads the table as this transaction does
        if (!txn.bufferOf(t).isEmpty()) {
            return null;
        }
        db.awaitAllVisible();
        return readOnly(db, true);
    }

    boolean readsSnapshot() {
        return snapshot >= 0;
    }

    /** A snapshot is read, never written. */
    private void checkWritable(Table t) {
        if (readsSnapshot()) {
            throw new ReadOnlyTransactionException("table " + t.name() + ": this transaction is read-only (it reads "
                    + "a snapshot) and cannot write or take write locks");
        }
    }

    void deactivate() {
        active = false;
        if (readsSnapshot() && snapshotOpen.compareAndSet(true, false)) {
            db.snapshots.close(snapshot);
        }
    }

    private void checkActive() {
        if (!active) {
            throw new NotInTransactionException("this transaction has ended; its Tx cannot be used any more");
        }
    }

    @Override
    Table table(String name) {
        checkActive();
        Table t = db.table(name);
        if (txn.gate != null) {
            txn.gate.checkUsable(t.name(), txn.generation);
        }
        return t;
    }

    private void lockRecord(Table t, Object key, LockKind kind) {
        if (readsSnapshot()) {
            if (kind == LockKind.WRITE) {
                checkWritable(t);
            }
            return;
        }
        if (txn.gate != null) {
            txn.keyReads.add(new CommitGate.KeyRead(t.name(), key)); // checked at commit instead of locked
            db.checkAlive(t);
            return;
        }
        locking(t, () -> db.locks.lockRecord(txn, t.name(), t.locks, key, kind));
    }

    private void lockWholeTable(Table t, LockKind kind) {
        if (readsSnapshot()) {
            if (kind == LockKind.WRITE) {
                checkWritable(t);
            }
            return;
        }
        if (txn.gate != null) {
            txn.tableReads.add(t.name()); // checked at commit instead of locked
            db.checkAlive(t);
            return;
        }
        locking(t, () -> db.locks.lockTable(txn, t.name(), t.locks, kind));
    }

    /**
     * Takes a lock of table {@code t} through {@code lock}; an explicit transaction that cannot get it (deadlock
     * victim, lock timeout, interrupted) is rolled back.
     */
    private void locking(Table t, Runnable lock) {
        try {
            lock.run();
        } catch (LockManager.Restart r) {
            throw conflict(r, t);
        } catch (TransactionAbortedException timeout) {
            throw timedOut(timeout);
        } catch (OperationInterruptedException interrupted) {
            if (explicit) {
                end(false); // as its message says: the transaction is rolled back
            }
            throw interrupted;
        }
        // a canceled wait (OperationCanceledException) ends only the statement: the wait is withdrawn, and the
        // sub-transaction it ran in undoes its writes
        db.checkAlive(t);
    }

    /**
     * A deadlock's victim: a transaction function is re-run; an explicit transaction cannot be: it rolls back.
     */
    private RuntimeException conflict(LockManager.Restart r, Table t) {
        if (!explicit) {
            return r;
        }
        end(false);
        return new TransactionConflictException("deadlock on table " + t.name() + ": this transaction was the "
                + "youngest of the transactions waiting for each other and was rolled back; retry it");
    }

    /** A lock wait past the lock timeout: an explicit transaction rolls back, as after a deadlock. */
    private RuntimeException timedOut(TransactionAbortedException timeout) {
        if (!explicit) {
            return timeout;
        }
        end(false);
        return new TransactionConflictException(timeout.reason() + ": this transaction was rolled back; retry it");
    }

    @Override
    public void commit() {
        checkActive();
        if (!explicit) {
            throw new MnemoException("a transaction function commits when it returns; do not call commit()");
        }
        try {
            db.commit(txn);
        } catch (LockManager.Restart r) {
            end(false); // a gated commit that conflicts: an explicit transaction cannot be re-run
            throw new TransactionConflictException("this transaction conflicts with a commit made since it read "
                    + "and was rolled back; retry it");
        } catch (RuntimeException | Error e) {
            end(false);
            throw e;
        }
        end(true);
    }

    @Override
    public <T> T subTransaction(TxFunction<T> fn) {
        checkActive();
        int savepoint = txn.savepoint();
        try {
            T result = fn.apply(this);
            txn.release(savepoint);
            return result;
        } catch (TransactionConflictException | LockManager.Restart e) {
            throw e; // the attempt is over: its savepoints went with it
        } catch (AbortSignal a) {
            undo(savepoint, a);
            throw new TransactionAbortedException(a.reason, null);
        } catch (RuntimeException | Error e) {
            undo(savepoint, null);
            throw e;
        } catch (Exception e) {
            undo(savepoint, null);
            throw new TransactionAbortedException(e, e);
        }
    }

    private void undo(int savepoint, AbortSignal abort) {
        if (active) {
            txn.rollbackTo(savepoint);
            if (abort != null) {
                txn.undoom(abort);
            }
        }
    }

    @Override
    public void rollback() {
        if (!explicit) {
            throw new MnemoException("a transaction function rolls back with abort(reason), not rollback()");
        }
        if (active) {
            end(false);
        }
    }

    @Override
    public boolean isActive() {
        return active;
    }

    /** A savepoint of this transaction: its depth in the Txn's savepoint stack. */
    private record Mark(TxContext owner, String name, int id, int depth) implements Savepoint {
        @Override
        public String toString() {
            return "savepoint " + (name != null ? name : "#" + id);
        }
    }

    /** The open savepoints, oldest first. */
    private final List<Mark> marks = new ArrayList<>();
    private int nextMark = 1;

    @Override
    public Savepoint setSavepoint(String name) {
        checkActive();
        checkExplicit("setSavepoint");
        int depth = txn.savepoint();
        if (depth != marks.size() + 1) {
            txn.release(depth);
            throw new IllegalStateException("a savepoint cannot be set inside a sub-transaction");
        }
        Mark m = new Mark(this, name, nextMark++, depth);
        marks.add(m);
        return m;
    }

    @Override
    public void rollbackTo(Savepoint savepoint) {
        int i = open(savepoint);
        Mark m = marks.get(i);
        releaseAbove(i);
        txn.rollbackTo(m.depth());
        txn.savepoint(); // the same depth again: the savepoint stays usable
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) {
        int i = open(savepoint);
        releaseAbove(i);
        txn.release(marks.remove(i).depth());
    }

    /** Releases (keeping their writes) the savepoints set after the one at {@code i}. */
    private void releaseAbove(int i) {
        while (marks.size() > i + 1) {
            txn.release(marks.remove(marks.size() - 1).depth());
        }
    }

    /** The index of an open savepoint of this transaction. */
    private int open(Savepoint savepoint) {
        checkActive();
        int i = savepoint instanceof Mark m && m.owner() == this ? marks.indexOf(m) : -1;
        if (i < 0) {
            throw new IllegalArgumentException(savepoint + " is not an open savepoint of this transaction (it was "
                    + "released, rolled over by an earlier one, or belongs to another transaction)");
        }
        return i;
    }

    private void checkExplicit(String what) {
        if (!explicit) {
            throw new MnemoException(what + " is for explicit transactions (Mnemo.begin()); a transaction function "
                    + "uses a nested transaction instead");
        }
    }

    @Override
    public void close() {
        rollback();
    }

    private void end(boolean committed) {
        deactivate();
        marks.clear();
        (committed ? db.commits : db.failures).incrementAndGet();
        db.locks.releaseAll(txn);
        txn.endAttempt();
    }

    @Override
    void lockForRead(Table t) {
        lockWholeTable(t, LockKind.READ);
    }

    @Override
    List<Tuple> peekKey(Table t, Object key) {
        if (readsSnapshot()) {
            List<Tuple> now = t.store.get(key); // the store first, then its history: see History
            List<Tuple> then = t.history.at(key, snapshot);
            return then != null ? then : now;
        }
        List<Tuple> b = txn.buffered(t, key);
        return b != null ? b : t.store.get(key);
    }

    @Override
    List<Tuple> readKey(Table t, Object key, LockKind kind) {
        lockRecord(t, key, kind);
        return peekKey(t, key);
    }

    @Override
    void scanTable(Table t, KeyRange range, boolean reverse, TableStore.KeyVisitor visitor) {
        if (readsSnapshot()) {
            t.history.scan(snapshot, t.store, range, reverse, visitor);
            return;
        }
        lockWholeTable(t, LockKind.READ);
        NavigableMap<Object, List<Tuple>> buf = txn.bufferOf(t);
        if (buf.isEmpty()) {
            t.store.scan(range, reverse, visitor);
            return;
        }
        NavigableMap<Object, List<Tuple>> part = reverse ? buf.descendingMap() : buf;
        Iterator<Map.Entry<Object, List<Tuple>>> pending = part.entrySet().iterator();
        Object[] head = {pending.hasNext() ? pending.next() : null};
        boolean[] stopped = {false};
        // merge the committed rows with this transaction's buffered rows, buffered ones winning
        t.store.scan(range, reverse, (k, recs) -> {
            while (head[0] != null) {
                @SuppressWarnings("unchecked")
                Map.Entry<Object, List<Tuple>> e = (Map.Entry<Object, List<Tuple>>) head[0];
                int c = Terms.compare(e.getKey(), k);
                if (reverse ? c < 0 : c > 0) {
                    break;
                }
                head[0] = pending.hasNext() ? pending.next() : null;
                if (c == 0) {
                    return emit(visitor, k, e.getValue(), stopped);
                }
                if (range.contains(e.getKey()) && !emit(visitor, e.getKey(), e.getValue(), stopped)) {
                    return false;
                }
            }
            return emit(visitor, k, recs, stopped);
        });
        while (!stopped[0] && head[0] != null) {
            @SuppressWarnings("unchecked")
            Map.Entry<Object, List<Tuple>> e = (Map.Entry<Object, List<Tuple>>) head[0];
            head[0] = pending.hasNext() ? pending.next() : null;
            if (range.contains(e.getKey())) {
                emit(visitor, e.getKey(), e.getValue(), stopped);
            }
        }
    }

    private static boolean emit(TableStore.KeyVisitor v, Object k, List<Tuple> recs, boolean[] stopped) {
        if (recs.isEmpty()) {
            return true;
        }
        boolean go = v.visit(k, recs);
        stopped[0] = !go;
        return go;
    }

    @Override
    Collection<Object> indexCandidates(Table t, int pos, Object value) {
        lockWholeTable(t, LockKind.READ);
        List<Object> keys = new ArrayList<>(t.store.indexKeys(pos, value));
        // a snapshot also tries the keys changed since (their records then are checked by the caller)
        keys.addAll(readsSnapshot() ? t.history.keys() : txn.bufferOf(t).keySet());
        return keys;
    }

    @Override
    public List<Tuple> read(String table, Object key) {
        Table t = table(table);
        return readKey(t, t.key(key), LockKind.READ);
    }

    @Override
    public List<Tuple> read(String table, Object key, LockKind lock) {
        Table t = table(table);
        return readKey(t, t.key(key), lock);
    }

    @Override
    public void write(Tuple record) {
        write(recordTable(record), record);
    }

    static String recordTable(Tuple record) {
        if (record == null || record.size() == 0 || !(record.get(0) instanceof String s)) {
            throw new BadRecordException("record " + record + " does not start with a table name");
        }
        return s;
    }

    @Override
    public void write(String table, Tuple record) {
        Table t = table(table);
        // a set's key holds the record written whatever it held: no read of what it holds (a disc_only read)
        changeRecord(t, record, current -> t.afterWrite(current, record), t.def.type().isBag());
    }

    /** Write-locks the record's key, checks the record (under the lock, so no schema change slips in), buffers. */
    private void changeRecord(Table t, Tuple record, java.util.function.UnaryOperator<List<Tuple>> change) {
        changeRecord(t, record, change, true);
    }

    /** As above; without {@code readsCurrent}, {@code change} is given no records instead of the key's. */
    private void changeRecord(Table t, Tuple record, java.util.function.UnaryOperator<List<Tuple>> change,
                              boolean readsCurrent) {
        checkWritable(t);
        Object key = t.keyOf(record);
        lockRecord(t, key, LockKind.WRITE);
        t.checkWritable();
        t.validate(record);
        txn.buffer(t, key, change.apply(readsCurrent ? peekKey(t, key) : List.of()));
    }

    @Override
    public void delete(String table, Object key) {
        Table t = table(table);
        checkWritable(t);
        Object k = t.key(key);
        lockRecord(t, k, LockKind.WRITE);
        t.checkWritable();
        txn.buffer(t, k, List.of());
    }

    @Override
    public void deleteObject(String table, Tuple record) {
        changeRecord(table(table), record, current -> Table.afterDeleteObject(current, record));
    }

    @Override
    public List<Tuple> indexRead(String table, Object value, String attribute) {
        return super.indexRead(table, value, attribute);
    }

    @Override
    public List<Tuple> matchObject(String table, MatchPattern pattern) {
        return super.matchObject(table, pattern);
    }

    @Override
    public List<Object> select(String table, MatchSpec spec) {
        return select(table, spec, false, 0).results();
    }

    @Override
    public SelectChunk select(String table, MatchSpec spec, int limit) {
        return select(table, spec, false, requirePositive(limit));
    }

    static int requirePositive(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("select limit must be at least 1, got " + limit);
        }
        return limit;
    }

    @Override
    public SelectChunk select(Continuation continuation) {
        checkActive();
        return super.select(continuation);
    }

    @Override
    public List<Object> selectReverse(String table, MatchSpec spec) {
        return select(table, spec, true, 0).results();
    }

    @Override
    public SelectChunk selectReverse(String table, MatchSpec spec, int limit) {
        return select(table, spec, true, requirePositive(limit));
    }

    @Override
    public <A> A foldl(String table, A acc, BiFunction<Tuple, A, A> fn) {
        return fold(table, acc, fn, false);
    }

    @Override
    public <A> A foldr(String table, A acc, BiFunction<Tuple, A, A> fn) {
        return fold(table, acc, fn, true);
    }

    @Override
    public List<Object> allKeys(String table) {
        return super.allKeys(table);
    }

    @Override
    public Optional<Object> first(String table) {
        return firstKey(table, false);
    }

    @Override
    public Optional<Object> last(String table) {
        return firstKey(table, true);
    }

    @Override
    public Optional<Object> next(String table, Object key) {
        return nextKey(table, key, false);
    }

    @Override
    public Optional<Object> prev(String table, Object key) {
        return nextKey(table, key, true);
    }

    @Override
    public void lock(String table, Object key, LockKind kind) {
        Table t = table(table);
        lockRecord(t, t.key(key), kind);
    }

    @Override
    public void lockTable(String table, LockKind kind) {
        lockWholeTable(table(table), kind);
    }

    @Override
    public RuntimeException abort(Object reason) {
        checkActive();
        AbortSignal a = new AbortSignal(reason);
        txn.doom(a);
        throw a;
    }
}
