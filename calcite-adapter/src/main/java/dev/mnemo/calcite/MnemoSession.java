package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoException;
import dev.mnemo.engine.Savepoint;
import dev.mnemo.engine.Transaction;
import dev.mnemo.engine.Tx;
import java.util.List;
import java.util.function.Function;

/**
 * One SQL connection's view of an engine database: autocommit (each statement is an engine transaction, re-run on
 * lock conflicts) or an explicit engine transaction that lasts until {@link #commit()} or {@link #rollback()}.
 * Reads in autocommit, and every read of a read-only connection's transaction, read a snapshot: no locks, no
 * waiting for writers, one consistent committed state per statement (per transaction when read-only).
 * Not thread-safe: one connection, one session, used by one thread at a time, as JDBC connections are.
 */
public final class MnemoSession {
    private final Mnemo db;
    /** Opened read-only (the URL said so): it can never be made writable. */
    private final boolean openedReadOnly;
    private boolean readOnly;
    private boolean autoCommit = true;
    private Transaction current;
    /** The snapshots of queries whose rows are still being read (see {@link #beginStatement}). */
    private final java.util.Set<StatementReads> statements = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The snapshots of the query whose rows this session is reading right now (see {@link #within}). */
    private StatementReads reading;
    /** The open transaction lost a conflict and was rolled back by the engine: only rollback() clears this. */
    private boolean aborted;

    /** A session on {@code db}; {@code readOnly} sessions reject writes, and cannot be made writable. */
    public MnemoSession(Mnemo db, boolean readOnly) {
        this.db = db;
        this.openedReadOnly = readOnly;
        this.readOnly = readOnly;
    }

    /**
     * Whether statements on a single key are prepared and executed directly ({@link DirectPlan}), as they are unless
     * the connection said otherwise.
     */
    private volatile boolean directPlans = true;

    /** Whether statements on a single key are prepared and executed directly ({@link DirectPlan}). */
    public boolean directPlans() {
        return directPlans;
    }

    /** Turns direct plans off (or on again): every statement is then planned and run by Calcite. */
    public void directPlans(boolean on) {
        directPlans = on;
    }

    /** The engine database. */
    public Mnemo database() {
        return db;
    }

    /** Whether writes are rejected. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Makes the session reject writes (SQLState 25006) or accept them again; returns whether it is read-only now,
     * which stays true for a session opened read-only. Not inside a transaction (SQLState 25001), since its reads
     * and writes so far were made under the other mode.
     */
    public boolean setReadOnly(boolean on) {
        if (on != readOnly && inTransaction()) {
            throw Errors.sql("cannot change the read-only mode inside a transaction: commit or roll back first",
                    "25001", null);
        }
        readOnly = on || openedReadOnly;
        return readOnly;
    }

    /** Whether the session was opened read-only, so that it can never accept writes. */
    public boolean openedReadOnly() {
        return openedReadOnly;
    }

    /** Whether each statement commits on its own. */
    public boolean isAutoCommit() {
        return autoCommit;
    }

    /** Switches autocommit; switching it on commits an open transaction, as JDBC says. */
    public void setAutoCommit(boolean on) {
        if (on && !autoCommit) {
            commit();
        }
        autoCommit = on;
    }

    /**
     * A query is about to run; its reads run {@link #within} the returned token until {@link #endStatement} (its rows
     * were all read, its result set or statement was closed) or the end of the session. In autocommit mode its
     * reads share one snapshot, opened now. In an explicit transaction each table it scans is read in a view of its
     * own, opened when the scan begins ({@link Transaction#readView}): either way its scans can stream, a chunk at a
     * time, and a result set outlives the transaction's commit without seeing its later writes. Several queries of a
     * session may be open at once. Returns null if the database is closed.
     */
    public Object beginStatement() {
        StatementReads r;
        try {
            r = autoCommit ? new StatementReads(db.beginReadOnly(), null)
                    : new StatementReads(null, aborted ? null : open());
        } catch (MnemoException e) {
            return null; // the database is closed: the statement's own reads report it, as they always did
        }
        statements.add(r);
        return r;
    }

    /** Closes the snapshots of statement {@code token} (from {@link #beginStatement}); only the first call does. */
    public void endStatement(Object token) {
        if (token instanceof StatementReads r && statements.remove(r)) {
            r.close();
        }
    }

    /** Runs {@code work} (reading a query's rows) with the query's snapshots {@code token} as those of its reads. */
    public <T> T within(Object token, java.util.function.Supplier<T> work) {
        StatementReads outer = reading;
        reading = token instanceof StatementReads r ? r : null;
        try {
            return work.get();
        } finally {
            reading = outer;
        }
    }

    /**
     * Runs {@code work}, which only reads: on the statement's snapshot (or a snapshot of its own) in autocommit
     * mode; in the read-only transaction of a read-only connection; else as {@link #run}, with locks.
     */
    public <T> T read(Function<Tx, T> work) {
        checkNotInterrupted();
        Transaction s = statementSnapshot();
        if (s != null) {
            return s.subTransaction(work::apply); // a query begun in autocommit reads its snapshot
        }
        // inside an engine transaction (an UPDATE's own reads, say) it joins that transaction and its locks
        if (autoCommit && !db.isTransaction()) {
            return db.snapshot(work::apply);
        }
        return run(work);
    }

    /** The autocommit snapshot of the query whose rows are being read right now, or null. */
    private Transaction statementSnapshot() {
        StatementReads r = reading;
        Transaction s = r != null && !db.isTransaction() ? r.whole : null;
        return s != null && s.isActive() ? s : null;
    }

    /**
     * The snapshot in which the query whose rows are being read right now (see {@link #within}) reads table
     * {@code table}, if the rest of its rows can be read in it later, chunk by chunk ({@link #readOn}): the query's
     * snapshot in autocommit mode, else a view of the table in the query's explicit transaction, which takes a read
     * lock on the table (or, once that transaction has ended, a snapshot of what is committed). Null if there is none: no query is being read (a DML statement
     * reads its input inside its own transaction), or the transaction has written to the table; then the table is
     * read whole, in the transaction.
     */
    public Object streamingSnapshot(String table) {
        StatementReads r = reading;
        if (r == null || db.isTransaction()) {
            return null;
        }
        if (r.whole != null) {
            return r.whole.isActive() ? r.whole : null;
        }
        if (r.owner == null || r.owner.isActive() && r.owner == current) {
            return r.view(table, () -> explicitly(t -> t.readView(table))); // 25P02 if it was lost
        }
        // the query's transaction ended (a result set held over commit) before this scan began: it reads what is
        // committed now, in a snapshot, rather than beginning a transaction nobody would end
        return r.view(table, db::beginReadOnly);
    }

    /**
     * Runs {@code work}, which only reads, on the snapshot {@code token} from {@link #streamingSnapshot}: the
     * next chunk of a streamed scan. SQLState 24000 if the snapshot was closed (its result set or statement was).
     */
    public <T> T readOn(Object token, Function<Tx, T> work) {
        checkNotInterrupted();
        Transaction t = (Transaction) token;
        if (!t.isActive()) {
            throw Errors.sql("the query's rows cannot be read any more: its result set or statement was closed",
                    "24000", null);
        }
        return t.subTransaction(work::apply);
    }

    private static void checkNotInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            // as an executor's cancel(true) or a request timeout means: the statement does nothing (the flag stays)
            throw Errors.sql("statement canceled: its thread was interrupted", Errors.INTERRUPTED, null);
        }
    }

    /** The explicit transaction, begun now if none is open: read-only (a snapshot) on a read-only connection. */
    private Transaction open() {
        if (current == null) {
            current = readOnly ? db.beginReadOnly() : db.begin();
        }
        return current;
    }

    /** Whether an explicit transaction is open. */
    public boolean inTransaction() {
        return current != null && current.isActive();
    }

    /**
     * Runs {@code work} in this session's transaction: a fresh engine transaction in autocommit mode (re-run if
     * it loses a lock conflict, so {@code work} must materialize its results; a call inside another joins it), else
     * as a sub-transaction of the open explicit one (begun on first use), so that a failing statement leaves none
     * of its writes behind. After a lost conflict the explicit transaction is gone: every statement fails
     * (SQLState 25P02) until {@link #rollback()}. On an interrupted thread nothing runs (SQLState 57014).
     */
    public <T> T run(Function<Tx, T> work) {
        checkNotInterrupted();
        if (autoCommit) {
            return db.transaction(work::apply);
        }
        return explicitly(t -> t.subTransaction(work::apply));
    }

    /**
     * Runs {@code work} with the explicit transaction (begun now if none is open); after a lost lock conflict, which
     * rolls it back, every call fails (SQLState 25P02) until {@link #rollback()}.
     */
    private <T> T explicitly(Function<Transaction, T> work) {
        if (aborted) {
            throw Errors.sql("the transaction was rolled back after a lock conflict; call rollback() before going on",
                    "25P02", null);
        }
        Transaction t = open();
        try {
            return work.apply(t);
        } finally {
            if (!t.isActive() && current == t) {
                aborted = true;
                current = null;
            }
        }
    }

    /**
     * Sets a savepoint in the explicit transaction (begun now if none is open): SQLState 25000 in autocommit mode,
     * 25P02 after a lost conflict.
     */
    public Savepoint setSavepoint(String name) {
        if (autoCommit) {
            throw Errors.sql("a savepoint needs a transaction: autocommit is on; call setAutoCommit(false) first",
                    "25000", null);
        }
        if (aborted) {
            throw Errors.sql("the transaction was rolled back after a lock conflict; call rollback() before going on",
                    "25P02", null);
        }
        return open().setSavepoint(name);
    }

    /** Undoes the writes made since {@code savepoint}, which stays set (SQLState 3B001 if it is not open). */
    public void rollbackTo(Savepoint savepoint) {
        savepointOp(savepoint, true);
    }

    /** Releases {@code savepoint} and those set after it, keeping the writes (3B001 if it is not open). */
    public void releaseSavepoint(Savepoint savepoint) {
        savepointOp(savepoint, false);
    }

    private void savepointOp(Savepoint savepoint, boolean rollback) {
        Transaction t = current;
        if (t == null || !t.isActive()) {
            throw Errors.sql(savepoint + " is not set: the transaction it belonged to has ended", "3B001", null);
        }
        try {
            if (rollback) {
                t.rollbackTo(savepoint);
            } else {
                t.releaseSavepoint(savepoint);
            }
        } catch (IllegalArgumentException e) {
            throw Errors.sql(e.getMessage(), "3B001", e);
        }
    }

    private GeneratedKeys.Capture capture;

    /**
     * Starts collecting the rows the following statements insert, for {@link java.sql.Statement#getGeneratedKeys()};
     * {@link #endKeyCapture()} ends it.
     */
    public void startKeyCapture() {
        capture = new GeneratedKeys.Capture();
    }

    /** Ends collecting inserted rows and returns them (empty if none was started). */
    public GeneratedKeys.Capture endKeyCapture() {
        GeneratedKeys.Capture c = capture;
        capture = null;
        return c != null ? c : new GeneratedKeys.Capture();
    }

    /** Whether inserted rows are being collected. */
    public boolean capturingKeys() {
        return capture != null;
    }

    /** The open capture of inserted rows, or null. */
    GeneratedKeys.Capture keyCapture() {
        return capture;
    }

    /** Commits the explicit transaction, if one is open; fails if it was lost to a conflict. */
    public void commit() {
        Transaction t = current;
        current = null;
        if (aborted) {
            aborted = false;
            throw Errors.sql("cannot commit: the transaction was rolled back after a lock conflict", Errors.CONFLICT,
                    null);
        }
        if (t != null && t.isActive()) {
            try {
                t.commit();
            } catch (dev.mnemo.engine.TransactionConflictException e) {
                // a cluster node's commit found that what the transaction read was written since
                throw Errors.sql("cannot commit: " + e.getMessage(), Errors.CONFLICT, e);
            } catch (MnemoException e) {
                String state = Errors.nodeState(e) != null ? Errors.nodeState(e) : SqlErrors.storageState(e);
                throw Errors.sql("cannot commit: " + e.getMessage(), state != null ? state : "HY000", e);
            }
        }
    }

    /** Rolls the explicit transaction back, if one is open. */
    public void rollback() {
        Transaction t = current;
        current = null;
        aborted = false;
        if (t != null) {
            t.rollback();
        }
    }

    /** Rolls back any open transaction and closes the statement snapshots. */
    public void close() {
        for (StatementReads r : List.copyOf(statements)) {
            endStatement(r);
        }
        rollback();
    }
}
