package dev.mnemo.cli;

import dev.mnemo.engine.SchemaProgress;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Progress of a backup or restore on the command line: a line per table done, and one every 100,000 records. */
final class Progress {
    private Progress() {
    }

    static Consumer<SchemaProgress> printer(PrintWriter out) {
        return p -> {
            if (p.done() || p.records() % 100_000 == 0 && p.records() > 0) {
                out.println(p.describe());
            }
        };
    }
}
