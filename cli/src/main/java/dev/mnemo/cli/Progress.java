package dev.mnemo.cli;

import dev.mnemo.engine.SchemaProgress;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Progress of a backup or restore on the command line: a line per table done, and one every 100,000 records. */
final class Progress {
    private Progress() {
    }

    static Consumer<SchemaProgress> printer(PrintWriter out) {
        long[] printedAt = {0};
        String[] table = {null};
        return p -> {
            if (!p.table().equals(table[0])) {
                table[0] = p.table();
                printedAt[0] = 0;
            }
            // chunks are whole keys, so a count may step over a multiple of 100,000 rather than land on it
            if (p.done() || p.records() / 100_000 > printedAt[0] / 100_000) {
                out.println(p.describe());
                printedAt[0] = p.records();
            }
        };
    }
}
