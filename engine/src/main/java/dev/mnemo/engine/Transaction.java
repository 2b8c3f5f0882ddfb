package dev.mnemo.engine;

/**
 * An explicit transaction, begun with {@link Mnemo#begin()} and ended with {@link #commit()} or
 * {@link #rollback()}: for callers that cannot express their work as one re-runnable function (a JDBC connection
 * with autocommit off, say). It has the same locks and isolation as {@link Mnemo#transaction}: an operation that
 * needs a lock another transaction holds waits for it. It cannot be re-run: when it is the youngest of a deadlock
 * (or waits past the lock timeout), the operation throws {@link TransactionConflictException} and the transaction
 * is rolled back; the caller may begin a new one and redo its work.
 *
 * <p>Not bound to a thread, but not for concurrent use by several threads. {@link #close()} rolls back a
 * transaction that is still active.
 */
public interface Transaction extends Tx, AutoCloseable {
    /**
     * Makes every write of this transaction durable and visible atomically: its locks are released once its writes are
     * in the stores, and it returns once they are durable (and visible to snapshots).
     */
    void commit();

    /** Discards every write of this transaction and releases its locks. Does nothing if it has already ended. */
    void rollback();

    /**
     * Runs {@code fn} as a part of this transaction that can fail on its own (a statement, say): if it throws or
     * aborts, its writes are undone and the exception is thrown, while the transaction stays usable; a lost lock
     * conflict still rolls the whole transaction back ({@link TransactionConflictException}).
     */
    <T> T subTransaction(TxFunction<T> fn);

    /**
     * A read-only transaction that reads table {@code table} as this one does now, and goes on doing so after this
     * one writes to it, commits or rolls back: for a query whose rows are read a chunk at a time while its
     * transaction goes on (a JDBC result set that outlives a commit). A read-only transaction gets another snapshot
     * on its version. A read-write one takes a read lock on the table (so that no other transaction changes it while
     * this one is open) and gets a snapshot opened after that, unless it has written to the table itself: then it
     * gets null (no snapshot holds its uncommitted writes) and should be read directly. The caller ends the view
     * ({@link #rollback()}); it holds no locks.
     */
    Transaction readView(String table);

    /**
     * Marks the current point of the transaction, so that {@link #rollbackTo} can undo what comes after (SQL's
     * SAVEPOINT). Not inside {@link #subTransaction}: between statements, as JDBC sets them.
     *
     * @param name a name for messages, or null
     */
    Savepoint setSavepoint(String name);

    /**
     * Undoes every write made since {@code savepoint} was set, ending the savepoints set after it; {@code savepoint}
     * itself stays usable. Locks taken since are kept. A savepoint of another transaction, or one already ended, is
     * an {@link IllegalArgumentException}.
     */
    void rollbackTo(Savepoint savepoint);

    /** Ends {@code savepoint} and the savepoints set after it, keeping their writes. */
    void releaseSavepoint(Savepoint savepoint);

    /** Whether the transaction can still be used (not committed, rolled back or lost to a conflict). */
    boolean isActive();

    /** Rolls back if still active. */
    @Override
    void close();
}
