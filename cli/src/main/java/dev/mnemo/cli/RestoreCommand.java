package dev.mnemo.cli;

import dev.mnemo.engine.BackupSummary;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoConfig;
import dev.mnemo.engine.RestoreMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mnemo restore DIR FILE}: restores tables from a backup archive, into a new or an existing database. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restores the tables of the backup archive FILE (all of them, or those of --tables) into the "
            + "database DIR, creating it if DIR does not exist or is empty. The archive is checked whole before "
            + "anything is changed.",
            "Exit code 0: restored; 2: the archive is damaged or does not fit, or the database cannot be opened."})
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    DatabaseDirectory database;

    @Parameters(index = "1", paramLabel = "FILE", description = "the archive to read")
    Path file;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "clear",
            description = "what becomes of a table that exists: clear (its records are replaced, the default), keep "
                + "(the backup's are written on top) or recreate (it is deleted and created with the backup's "
                + "definition)")
    String mode;

    @Option(names = "--tables", split = ",", paramLabel = "TABLE", description = "only these tables (comma-separated)")
    List<String> tables;

    @Override
    public Integer call() throws Exception {
        RestoreMode m = mode(mode);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no backup archive at " + file);
        }
        PrintWriter out = database.out();
        Path dir = database.dir;
        BackupSummary s = into(database, db -> db.restore(file, m, tables, Progress.printer(out)));
        out.printf("%s: %,d records of %d tables restored from %s%n", dir, s.total(), s.records().size(), s.file());
        return 0;
    }

    /**
     * Runs {@code work} on the database in DIR, created if DIR holds none yet; if it fails there, what was created is
     * removed again, so a refused restore or load leaves no empty database behind.
     */
    static BackupSummary into(DatabaseDirectory database, java.util.function.Function<Mnemo, BackupSummary> work)
            throws java.io.IOException {
        Path dir = database.dir;
        boolean existed = Files.exists(dir);
        boolean fresh = isNew(dir);
        try (Mnemo db = fresh ? Mnemo.open(MnemoConfig.disc(dir)) : database.open()) {
            db.waitForTables(db.tables(true), java.time.Duration.ofMinutes(10));
            return work.apply(db);
        } catch (RuntimeException | Error e) {
            if (fresh) {
                removeCreated(dir, existed, e);
            }
            throw e;
        }
    }

    /** Deletes what opening a database created in {@code dir} (and {@code dir} itself unless it existed). */
    private static void removeCreated(Path dir, boolean keepDir, Throwable failure) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) || !keepDir) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The --mode of restore and load. */
    static RestoreMode mode(String mode) {
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "clear" -> RestoreMode.CLEAR_TABLES;
            case "keep" -> RestoreMode.KEEP_TABLES;
            case "recreate" -> RestoreMode.RECREATE_TABLES;
            default -> throw new IllegalArgumentException("--mode must be clear, keep or recreate, not " + mode);
        };
    }

    /** Whether DIR holds no database yet (absent, or an empty directory): one is created there. */
    static boolean isNew(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
