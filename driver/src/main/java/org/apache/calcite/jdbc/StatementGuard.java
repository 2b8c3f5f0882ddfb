package org.apache.calcite.jdbc;

import dev.mnemo.engine.Mnemo;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.calcite.avatica.AvaticaStatement;

/**
 * {@code Statement.cancel()} and {@code setQueryTimeout} for the driver's calls that run one statement: the
 * execution, and each later {@code ResultSet.next()} that computes rows. Each such call runs with a cancellation
 * check ({@link Mnemo#cancellable}) that stops it, with SQLState 57014, once the statement's cancel flag is set or
 * the call has run longer than the query timeout; the engine looks at it in scans, lock waits and re-runs, and the
 * adapter's scans and writes every few hundred rows.
 */
final class StatementGuard {
    private final AtomicBoolean canceled;
    private final int timeoutSeconds;
    /** The connection's calls running now. */
    private final AtomicInteger running;
    /** Whether the connection was aborted: then every call stops, whatever its statement's flag says. */
    private final java.util.function.BooleanSupplier aborted;
    /** A call of the statement is running (on its one thread: JDBC statements are not used concurrently). */
    private boolean active;
    /** The check of a call without a deadline (one object for every call). */
    private final Supplier<String> check;

    private StatementGuard(AtomicBoolean canceled, int timeoutSeconds, AtomicInteger running,
                           java.util.function.BooleanSupplier aborted) {
        this.canceled = canceled;
        this.timeoutSeconds = timeoutSeconds;
        this.running = running;
        this.aborted = aborted;
        this.check = () -> canceled.get() || aborted.getAsBoolean() ? canceledMessage() : null;
    }

    /**
     * The guard of {@code statement} as it is set now (its cancel flag, its query timeout), counting its calls in
     * {@code running} while they run.
     */
    static StatementGuard of(AvaticaStatement statement, AtomicBoolean canceled, AtomicInteger running,
                             java.util.function.BooleanSupplier aborted) {
        return new StatementGuard(canceled, timeout(statement), running, aborted);
    }

    /** Whether {@code statement}'s query timeout is still the one this guard applies. */
    boolean sameTimeout(AvaticaStatement statement) {
        return timeout(statement) == timeoutSeconds;
    }

    private static int timeout(AvaticaStatement statement) {
        try {
            return statement == null ? 0 : statement.getQueryTimeout();
        } catch (java.sql.SQLException closed) {
            return 0; // a closed statement: its own calls report that
        }
    }

    /** A new execution begins: a cancel of an earlier one does not stop it (an abort of the connection does). */
    StatementGuard started() {
        if (!aborted.getAsBoolean()) {
            canceled.set(false);
        }
        return this;
    }

    /** Runs {@code work}, stopped once the statement is canceled or after its query timeout from now. */
    <T> T run(Supplier<T> work) {
        if (active) {
            return work.get(); // inside a call of this statement (an execution making its rows): guarded already
        }
        active = true;
        running.incrementAndGet();
        try {
            if (timeoutSeconds == 0) {
                return Mnemo.cancellable(check, work);
            }
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            return Mnemo.cancellable(() -> check.get() != null ? canceledMessage()
                    : System.nanoTime() - deadline > 0 ? dev.mnemo.calcite.SqlErrors.TIMEOUT + timeoutSeconds
                            + " s passed (Statement.setQueryTimeout): the statement was stopped" : null, work);
        } finally {
            running.decrementAndGet();
            active = false;
        }
    }

    private static String canceledMessage() {
        return "statement canceled (Statement.cancel())";
    }
}
