package dev.mnemo.cli;

import dev.mnemo.engine.BackupSummary;
import dev.mnemo.engine.Mnemo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mnemo dump DIR FILE}: a database's tables as a text file, one record per line. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Writes a database's tables (all of them, or those of --tables) to the text file FILE: their "
            + "definitions first, then one record per line in Erlang term syntax, every value's type kept exact "
            + "(Mnesia's dump_to_textfile). A consistent cut; FILE is replaced only once the new one is complete.",
            "Exit code 0: written; 2: the database cannot be opened or the dump failed."})
final class DumpCommand implements Callable<Integer> {
    @Mixin
    DatabaseDirectory database;

    @Parameters(index = "1", paramLabel = "FILE", description = "the text file to write")
    Path file;

    @Option(names = "--tables", split = ",", paramLabel = "TABLE", description = "only these tables (comma-separated)")
    List<String> tables;

    @Override
    public Integer call() {
        PrintWriter out = database.out();
        try (Mnemo db = database.open()) {
            db.waitForTables(tables == null ? db.tables(true) : tables, java.time.Duration.ofMinutes(10));
            BackupSummary s = db.dump(file, tables, Progress.printer(out));
            out.printf("%s: %,d records of %d tables dumped to %s (%,d bytes)%n", database.dir, s.total(),
                    s.records().size(), s.file(), s.bytes());
            return 0;
        }
    }
}
