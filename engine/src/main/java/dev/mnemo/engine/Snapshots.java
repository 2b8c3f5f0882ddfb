package dev.mnemo.engine;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Commit versions and the snapshots open on them. Every commit gets the next version; it records its keys' old
 * records in their tables' {@link History}, changes the stores, and only then becomes visible: a snapshot opened
 * at version {@code s} sees every commit up to {@code s} and none after, whole or not at all. A commit whose log
 * record is still being written (its locks already released, see {@link Database#commit}) is in the stores but
 * becomes visible only once it and every commit before it are durable, so that a snapshot never reads what a crash
 * could take back; its history is recorded meanwhile (under a write delay, {@link MnemoConfig#writeDelay}, a commit is
 * visible at once: a crash may take it back). When no open snapshot is older than a change any more, and it is
 * visible, its history is dropped.
 */
final class Snapshots {
    /**
     * The newest visible commit: what a snapshot opened now reads. Every commit up to it is durable (its log record
     * written), unless under a write delay; it only grows, under the commit lock or from a thread that made commits
     * durable.
     */
    private final java.util.concurrent.atomic.AtomicLong visible = new java.util.concurrent.atomic.AtomicLong();
    /** The newest commit whose changes are in the stores, visible or not yet (written under the commit lock). */
    private volatile long applied;
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

    /**
     * Snapshots open or being opened. While it is zero a commit records no history (nobody could read it): it says
     * so in {@link #unrecorded} first and checks this after, and an opening snapshot counts itself here first and
     * checks that after, so either the commit sees the snapshot coming and records its history, or the snapshot sees
     * the commit and waits for it to be visible before taking its version (Dekker's handshake, on volatiles).
     */
    private final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();
    /** A commit is changing stores without recording their history (see {@link #users}). */
    private volatile boolean unrecorded;

    /** Opens a snapshot on the newest visible commit and returns its version; {@link #close} it when done. */
    long openSnapshot() {
        users.incrementAndGet();
        for (int spins = 0; unrecorded; spins++) {
            // a commit without history is changing stores: its version comes next (a disc_only commit may take a
            // while in Xodus, so stop spinning after a while)
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000L);
            }
        }
        while (true) {
            long s = visible.get();
            open.merge(s, 1, Integer::sum);
            // a purge that did not see this registration computed its oldest from a visible version <= s: safe
            if (visible.get() == s) {
                return s;
            }
            unregister(s);
        }
    }

    /**
     * Opens one more snapshot on version {@code s}, on which a snapshot is open (and stays open until this call
     * returns, so that its history is still kept); {@link #close} it when done.
     */
    long openAgain(long s) {
        users.incrementAndGet();
        open.merge(s, 1, Integer::sum);
        return s;
    }

    /**
     * Closes a snapshot opened with {@link #openSnapshot}; drops the history it alone kept, unless a commit is
     * running (the commit lock is busy), which will drop it.
     */
    void close(long s) {
        unregister(s);
        users.decrementAndGet();
        purgeNow();
    }

    private void unregister(long s) {
        open.computeIfPresent(s, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Whether a commit about to change stores must record their history first: a snapshot is open or being opened.
     * If not, the commit is marked {@link #unrecorded} until {@link #published}. Commit lock held.
     */
    boolean recordsHistory() {
        unrecorded = true;
        if (users.get() > 0) {
            unrecorded = false;
            return true;
        }
        return false;
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

    /** The newest commit whose changes are in the stores. */
    long applied() {
        return applied;
    }

    /** The newest visible commit. */
    long visible() {
        return visible.get();
    }

    /** The version the next commit gets. Caller holds the commit lock. */
    long nextVersion() {
        return applied + 1;
    }

    /** Before commit {@code version} changes its stores: records the old records of its keys. Commit lock held. */
    void recordBefore(long version, List<Database.Change> changes) {
        for (Database.Change c : changes) {
            c.table().history.record(version, c.key(), c.old());
            kept.add(new Kept(version, c.table(), c.key(), c.neu().isEmpty()));
        }
    }

    /**
     * Commit {@code version} changed its stores: makes it visible unless it waits for earlier commits or itself to
     * be durable ({@code durableNow} false: {@link #advance} makes it visible then), and drops history nobody needs.
     * Commit lock held.
     */
    void published(long version, boolean durableNow) {
        applied = version;
        if (durableNow) {
            visible.accumulateAndGet(version, Math::max);
        }
        unrecorded = false;
        purge();
    }

    /**
     * Every commit up to {@code version} is in the stores and durable: makes them visible (if not yet), and drops the
     * history nobody needs now, or leaves that to the commit lock's holder.
     */
    void advance(long version) {
        if (visible.getAndAccumulate(version, Math::max) < version) {
            if (commitLock.isHeldByCurrentThread()) {
                purgeWanted = true;
            } else {
                purgeNow();
            }
        }
    }

    /** The commit that asked {@link #recordsHistory} has ended, published or failed. Commit lock held. */
    void recorded() {
        unrecorded = false;
    }

    /** Drops the history no open snapshot needs (for keys changed before the oldest open one). Commit lock held. */
    void purge() {
        // visible first: a snapshot opening meanwhile on a newer version fails its check in openSnapshot and tries again
        long now = visible.get();
        java.util.Map.Entry<Long, Integer> first = open.firstEntry();
        long oldest = first == null ? now : Math.min(first.getKey(), now);
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
