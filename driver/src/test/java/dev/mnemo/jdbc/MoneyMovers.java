package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections moving money, for the concurrency tests: each transfer debits one account and credits another with
 * autocommit off, then commits; a 40001 (and only that) is rolled back and counted as a retry.
 */
final class MoneyMovers {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong commits = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    /**
     * A writer on {@code url}: {@code debitTable} and {@code creditTable} are {@code (id, balance)} tables with ids
     * {@code 0..accounts-1}; in one table the two accounts of a transfer differ.
     */
    Callable<Void> writer(String url, String debitTable, String creditTable, int accounts, int seed) {
        return () -> {
            Random rnd = new Random(seed);
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement debit = c.prepareStatement(
                         "update " + debitTable + " set balance = balance - ? where id = ?");
                 PreparedStatement credit = c.prepareStatement(
                         "update " + creditTable + " set balance = balance + ? where id = ?")) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    int from = rnd.nextInt(accounts);
                    int to = debitTable.equals(creditTable) ? (from + 1 + rnd.nextInt(accounts - 1)) % accounts
                            : rnd.nextInt(accounts);
                    long amount = 1 + rnd.nextInt(20);
                    try {
                        debit.setLong(1, amount);
                        debit.setInt(2, from);
                        debit.executeUpdate();
                        credit.setLong(1, amount);
                        credit.setInt(2, to);
                        credit.executeUpdate();
                        c.commit();
                        commits.incrementAndGet();
                    } catch (SQLException e) {
                        assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("40001");
                        c.rollback();
                        retries.incrementAndGet();
                    }
                }
            }
            return null;
        };
    }

    /** Lets everything in {@code running} run for {@code millis}, then stops it and waits for it to end. */
    void runFor(long millis, List<Future<?>> running) throws Exception {
        Thread.sleep(millis);
        stop.set(true);
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    /** Commits, rollbacks, rollbacks per commit and {@code sums} consistent reads, for the test's output. */
    String summary(long sums) {
        return String.format("transfers committed %d, rolled back %d (%.3f per commit), consistent sums %d",
                commits.get(), retries.get(), (double) retries.get() / Math.max(1, commits.get()), sums);
    }
}
