package dev.mnemo.engine;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Commit versions and the snapshots open on them. Every commit gets the next version; it records its keys' old
 * records in their tables' {@link History}, changes the stores, and only then becomes visible: a snapshot opened
 * at version {@code s} sees every commit up to {@code s} and none after, whole or not at all. When no open
 * snapshot is older than a change any more, its history is dropped.
 */
final class Snapshots {
    /** The newest visible commit: what a snapshot opened now reads. */
    private volatile long visible;
    /** Open snapshots: version → how many are open on it. */
    private final ConcurrentSkipListMap<Long, Integer> open = new ConcurrentSkipListMap<>();
    /** Changed keys in commit order, waiting until no snapshot needs their history (guarded by the commit lock). */
    private final java.util.concurrent.ConcurrentLinkedDeque<Kept> kept = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private record Kept(long version, Table table, Object key, boolean deleted) {
    }

    /** The database's commit lock, which guards {@link #kept} and every {@link History}'s writes. */
    private final java.util.concurrent.locks.ReentrantLock commitLock;

    Snapshots(java.util.concurrent.locks.ReentrantLock commitLock) {
        this.commitLock = commitLock;
    }

    /** Opens a snapshot on the newest visible commit and returns its version; {@link #close} it when done. */
    long openSnapshot() {
        while (true) {
            long s = visible;
            open.merge(s, 1, Integer::sum);
            // a purge that did not see this registration computed its oldest from a visible version <= s: safe
            if (visible == s) {
                return s;
            }
            close(s);
        }
    }

    /**
     * Closes a snapshot opened with {@link #openSnapshot}; drops the history it alone kept, unless a commit is
     * running (the commit lock is busy), which will drop it.
     */
    void close(long s) {
        open.computeIfPresent(s, (k, n) -> n == 1 ? null : n - 1);
        purgeNow();
    }

    /** Set when a purge found the commit lock busy: whoever releases it next purges (see {@link #purgeNow}). */
    private volatile boolean purgeWanted;

    /**
     * Drops the history nobody needs if the commit lock is free now; else leaves that to whoever holds it, who
     * calls this again after releasing it (so that an idle database does not keep history forever).
     */
    void purgeNow() {
        if (kept.isEmpty()) {
            return;
        }
        if (commitLock.tryLock()) {
            try {
                purgeWanted = false;
                purge();
            } finally {
                commitLock.unlock();
            }
        } else {
            purgeWanted = true;
        }
    }

    /** After releasing the commit lock: the purge a closing snapshot could not run. */
    void afterCommitLock() {
        if (purgeWanted) {
            purgeNow();
        }
    }

    /** Number of open snapshots. */
    int openCount() {
        return open.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The version the next commit gets. Caller holds the commit lock. */
    long nextVersion() {
        return visible + 1;
    }

    /** Before commit {@code version} changes its stores: records the old records of its keys. Commit lock held. */
    void recordBefore(long version, List<Database.Change> changes) {
        for (Database.Change c : changes) {
            c.table().history.record(version, c.key(), c.old());
            kept.add(new Kept(version, c.table(), c.key(), c.neu().isEmpty()));
        }
    }

    /** Commit {@code version} changed its stores: makes it visible and drops history nobody needs. Commit lock held. */
    void published(long version) {
        visible = version;
        purge();
    }

    /** Drops the history no open snapshot needs (for keys changed before the oldest open one). Commit lock held. */
    void purge() {
        java.util.Map.Entry<Long, Integer> first = open.firstEntry();
        long oldest = first == null ? visible : Math.min(first.getKey(), visible);
        while (!kept.isEmpty() && kept.peekFirst().version() <= oldest) {
            Kept k = kept.pollFirst();
            // a store keeps a deleted key (with no records) while history of it is kept; the change that empties
            // the history is the key's last, so only a deletion leaves such a key to forget
            if (k.table().history.trim(k.key(), oldest) && k.deleted()) {
                k.table().store.forget(k.key());
            }
        }
    }
}
