package dev.mnemo.engine;

/**
 * What opening a database found in its commit log: how many logged commits it replayed into Xodus, and the damage
 * that stopped the replay, if any (a torn or corrupted record at the log's end: nothing from it on was applied).
 *
 * @param replayedCommits commits copied from the log into Xodus at open
 * @param damage          where and what the damage was, or null if the log was whole
 */
public record Recovery(int replayedCommits, String damage) {
    /** Whether the log was whole. */
    public boolean clean() {
        return damage == null;
    }
}
