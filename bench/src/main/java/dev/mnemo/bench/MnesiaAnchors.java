package dev.mnemo.bench;

/**
 * ANCHOR figures, NOT measured by this program: Mnesia's µs per operation on a 2-core machine of the kind the
 * project is built on (one run), copied from the project's anchors note (shared/anchors/README.md, produced by
 * mnesia_bench.erl on the same users workload). Printed beside the measured figures, always labelled "anchor".
 */
final class MnesiaAnchors {
    private MnesiaAnchors() {
    }

    /** One anchor: the Mnesia operation it stands for, and its disc_copies and ram_copies figures in µs/op. */
    record Anchor(String mnesiaOp, double discCopiesMicros, double ramCopiesMicros) {
    }

    static final Anchor INSERT_PER_ROW = new Anchor("insert, 1,000 rows per transaction (per row)", 8.9, 8.3);
    static final Anchor KEY_READ_TX = new Anchor("key read in a transaction", 16.5, 15.2);
    static final Anchor DIRTY_READ = new Anchor("dirty_read", 1.55, 1.53);
    static final Anchor INDEX_READ_DIRTY = new Anchor("index read, dirty", 9.3, 8.6);
    static final Anchor INDEX_READ_TX = new Anchor("index read in a transaction", 30.1, 27.5);
    static final Anchor WRITE_TX = new Anchor("single-row write transaction", 30.6, 19.9);
    static final Anchor DIRTY_WRITE = new Anchor("dirty_write", 5.7, 3.7);
    static final Anchor RANGE_1000 = new Anchor("key range of 1,000 rows via select (scans the table)", 19_155, 19_835);
    static final Anchor FULL_SELECT = new Anchor("full-table select, guard on a non-key attribute", 27_824, 27_750);

    /** Where the figures come from, printed under every table that shows them. */
    static final String SOURCE = "anchor figures: Mnesia (Erlang/OTP) on a 2-core machine, one run, copied from "
            + "shared/anchors/README.md — not measured in this run";
}
