package dev.mnemo.cli;

import dev.mnemo.engine.Mnemo;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The DIR argument of {@code info} and {@code check}, and the command's output (a picocli mixin). */
final class DatabaseDirectory {
    @Parameters(index = "0", paramLabel = "DIR", description = "the database directory")
    Path dir;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The database in DIR, opened alone; never created (see {@link Databases#openExisting}). */
    Mnemo open() {
        return Databases.openExisting(dir);
    }
}
