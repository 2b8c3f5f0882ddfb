package dev.mnemo.engine;

/**
 * What opening a database found in its commit log: how many logged commits it replayed into Xodus, and the damage
 * that stopped the replay, if any (a torn or corrupted record at the log's end: nothing from it on was applied).
 *
 * @param replayedCommits commits copied from the log into Xodus at open
 * @param damage          where and what the damage was, or null if the log was whole
 * @param tornTail        whether the damage is only a torn last record (see {@link #tornTail()})
 */
public record Recovery(int replayedCommits, String damage, boolean tornTail) {
    /** A recovery without a torn tail. */
    public Recovery(int replayedCommits, String damage) {
        this(replayedCommits, damage, false);
    }

    /** Whether the log was whole. */
    public boolean clean() {
        return damage == null;
    }

    /**
     * Whether the damage is only the newest log file's last record cut short: what a crash in the middle of a write
     * leaves (Linux stops a write of several pages at a page boundary once the process is killed). That write had
     * not returned, so its commits had not either, unless under a write delay, which may lose them.
     */
    public boolean tornTail() {
        return tornTail;
    }
}
