package dev.mnemo.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mnesia's system_info.
 *
 * @param tables               names of all tables
 * @param directory            the database directory, or null in memory
 * @param isRunning            whether the database is started
 * @param version              Mnemo's version
 * @param transactionCommits   transactions committed since open
 * @param transactionFailures  transactions aborted since open
 * @param transactionRestarts  transaction re-runs after lock conflicts since open
 * @param heldLocks            locks held now, as {table, key, kind, tid}
 * @param lockQueue            transactions waiting for a lock now
 * @param openSnapshots        snapshots open now (snapshot reads, read-only transactions, SQL queries being read):
 *                             while one is open, the history of every change since it began is kept
 */
public record SystemInfo(List<String> tables, String directory, boolean isRunning, String version,
                         long transactionCommits, long transactionFailures, long transactionRestarts,
                         List<String> heldLocks, int lockQueue, int openSnapshots) {
    /** The information with Mnesia's key names. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tables", tables);
        m.put("directory", directory);
        m.put("is_running", isRunning ? "yes" : "no");
        m.put("version", version);
        m.put("transaction_commits", transactionCommits);
        m.put("transaction_failures", transactionFailures);
        m.put("transaction_restarts", transactionRestarts);
        m.put("held_locks", heldLocks);
        m.put("lock_queue", lockQueue);
        m.put("open_snapshots", openSnapshots);
        return m;
    }
}
