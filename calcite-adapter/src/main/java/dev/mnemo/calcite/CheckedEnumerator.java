package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import org.apache.calcite.linq4j.Enumerator;

/**
 * A scan's rows that look at the thread's cancellation check ({@link Mnemo#cancellable}) when they begin and every
 * {@link #EVERY} rows, so that a query whose operators loop over them (a nested loop join enumerates its inner
 * scan once per outer row, an aggregate or a sort reads them all) stops soon after it is canceled or its timeout
 * passes (SQLState 57014).
 */
final class CheckedEnumerator<T> implements Enumerator<T> {
    static final int EVERY = 256;
    private final Enumerator<T> rows;
    private int count;

    CheckedEnumerator(Enumerator<T> rows) {
        check();
        this.rows = rows;
    }

    /** Looks at the thread's check when {@code count} (of rows) is a multiple of {@link #EVERY}. */
    static void checkEvery(long count) {
        if (count % EVERY == 0) {
            check();
        }
    }

    private static void check() {
        try {
            Mnemo.checkCanceled();
        } catch (dev.mnemo.engine.OperationCanceledException e) {
            throw Errors.sql(e.getMessage(), Errors.INTERRUPTED, e);
        }
    }

    @Override
    public T current() {
        return rows.current();
    }

    @Override
    public boolean moveNext() {
        checkEvery(++count);
        return rows.moveNext();
    }

    @Override
    public void reset() {
        rows.reset();
    }

    @Override
    public void close() {
        rows.close();
    }
}
