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

/** {@code mnemo backup DIR FILE}: an online, consistent backup of a database's tables into one archive. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Writes a consistent backup of a database's tables (all of them, or those of --tables) to the "
            + "archive FILE, replacing it only once the new one is complete. The database must not be open in "
            + "another process (a served database is backed up with SQL's BACKUP TO by the server's host, or "
            + "Mnemo.backup in the application).",
            "Exit code 0: written; 2: the database cannot be opened or the backup failed."})
final class BackupCommand implements Callable<Integer> {
    @Mixin
    DatabaseDirectory database;

    @Parameters(index = "1", paramLabel = "FILE", description = "the archive to write")
    Path file;

    @Option(names = "--tables", split = ",", paramLabel = "TABLE", description = "only these tables (comma-separated)")
    List<String> tables;

    @Override
    public Integer call() {
        PrintWriter out = database.out();
        try (Mnemo db = database.open()) {
            db.waitForTables(tables == null ? db.tables(true) : tables, java.time.Duration.ofMinutes(10));
            BackupSummary s = db.backup(file, tables, Progress.printer(out));
            out.printf("%s: %,d records of %d tables backed up to %s (%,d bytes)%n", database.dir, s.total(),
                    s.records().size(), s.file(), s.bytes());
            return 0;
        }
    }
}
