package dev.mnemo.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database's counters since it was opened, read at once ({@link Mnemo#metrics}); also published through JMX as
 * {@code dev.mnemo:type=Database,name=<directory>} ({@link DatabaseMXBean}) and in SQL as
 * {@code information_schema.system_info}.
 *
 * @param commits            transactions committed (engine and explicit, JDBC's included)
 * @param aborts             transactions that failed, lost a conflict, or were rolled back (an explicit rollback too)
 * @param restarts           re-runs of transaction functions after lock conflicts
 * @param lockWaits          lock requests that had to wait
 * @param deadlocks          deadlocks found (each aborted or re-ran its youngest transaction)
 * @param lockTimeouts       lock waits that ran past the lock timeout
 * @param dirtyWrites        dirty writes and deletes
 * @param commitsTimed       commits counted in the latency figures (every commit call that succeeded, one that
 *                           changed nothing too)
 * @param commitMicrosP50    median time of a commit (from its commit call until it returned: the commit lock, the
 *                           stores, the log write), microseconds, within 12.5%
 * @param commitMicrosP90    its 90th percentile
 * @param commitMicrosP99    its 99th percentile
 * @param commitMicrosP999   its 99.9th percentile
 * @param commitMicrosMax    the longest
 * @param logCacheHitRate    the share of Xodus log page reads its cache answered (0..1; NaN in memory)
 * @param openSnapshots      snapshots open now
 * @param lockQueue          transactions waiting for a lock now
 * @param tableSizes         records of each table now
 */
public record Metrics(long commits, long aborts, long restarts, long lockWaits, long deadlocks, long lockTimeouts,
                      long dirtyWrites, long commitsTimed, double commitMicrosP50, double commitMicrosP90,
                      double commitMicrosP99, double commitMicrosP999, double commitMicrosMax, double logCacheHitRate,
                      int openSnapshots, int lockQueue, Map<String, Long> tableSizes) {
    public Metrics {
        tableSizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tableSizes));
    }

    /** The figures as name → value, names in snake case as {@link SystemInfo#asMap} has them. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commits", commits);
        m.put("aborts", aborts);
        m.put("restarts", restarts);
        m.put("lock_waits", lockWaits);
        m.put("deadlocks", deadlocks);
        m.put("lock_timeouts", lockTimeouts);
        m.put("dirty_writes", dirtyWrites);
        m.put("commits_timed", commitsTimed);
        m.put("commit_micros_p50", commitMicrosP50);
        m.put("commit_micros_p90", commitMicrosP90);
        m.put("commit_micros_p99", commitMicrosP99);
        m.put("commit_micros_p999", commitMicrosP999);
        m.put("commit_micros_max", commitMicrosMax);
        m.put("log_cache_hit_rate", logCacheHitRate);
        m.put("open_snapshots", openSnapshots);
        m.put("lock_queue", lockQueue);
        return m;
    }
}
