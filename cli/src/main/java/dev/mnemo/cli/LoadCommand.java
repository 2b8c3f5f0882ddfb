package dev.mnemo.cli;

import dev.mnemo.engine.BackupSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mnemo load DIR FILE}: loads a text dump into a new or an existing database. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Loads the tables of the text dump FILE (all of them, or those of --tables) into the database "
            + "DIR, creating it if DIR does not exist or is empty (Mnesia's load_textfile). The whole file is "
            + "checked first; a bad line is reported with its number and nothing is loaded.",
            "Exit code 0: loaded; 2: the dump has a bad line or does not fit, or the database cannot be opened."})
final class LoadCommand implements Callable<Integer> {
    @Mixin
    DatabaseDirectory database;

    @Parameters(index = "1", paramLabel = "FILE", description = "the dump to read")
    Path file;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "clear",
            description = "what becomes of a table that exists: clear (its records are replaced, the default), keep "
                + "(the dump's are written on top) or recreate (it is deleted and created with the dump's "
                + "definition)")
    String mode;

    @Option(names = "--tables", split = ",", paramLabel = "TABLE", description = "only these tables (comma-separated)")
    List<String> tables;

    @Override
    public Integer call() throws Exception {
        var m = RestoreCommand.mode(mode);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no dump at " + file);
        }
        PrintWriter out = database.out();
        Path dir = database.dir;
        BackupSummary s = RestoreCommand.into(database, db -> db.load(file, m, tables, Progress.printer(out)));
        out.printf("%s: %,d records of %d tables loaded from %s%n", dir, s.total(), s.records().size(), s.file());
        return 0;
    }
}
