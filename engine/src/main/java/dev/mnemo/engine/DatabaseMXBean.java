package dev.mnemo.engine;

import java.util.Map;

/**
 * A database's figures through JMX, as {@code dev.mnemo:type=Database,name=<directory or in-memory-N>}: registered
 * when it opens, unregistered when it closes. Each attribute is read from {@link Mnemo#metrics} when asked.
 */
public interface DatabaseMXBean {
    long getCommits();

    long getAborts();

    long getRestarts();

    long getLockWaits();

    long getDeadlocks();

    long getLockTimeouts();

    long getDirtyWrites();

    long getCommitsTimed();

    double getCommitMicrosP50();

    double getCommitMicrosP90();

    double getCommitMicrosP99();

    double getCommitMicrosP999();

    double getCommitMicrosMax();

    double getLogCacheHitRate();

    int getOpenSnapshots();

    int getLockQueue();

    Map<String, Long> getTableSizes();

    boolean isRunning();
}
