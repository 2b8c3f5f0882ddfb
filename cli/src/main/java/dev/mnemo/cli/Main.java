package dev.mnemo.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mnemo} command: {@code sql} (a sqlline shell), {@code server} (serve a database to remote clients),
 * {@code info} (what a database holds), {@code check} (verify it), {@code backup} and {@code restore} (an archive of
 * its tables), {@code dump} and {@code load} (its tables as text). {@code mnemo --help} and {@code mnemo <command> --help} describe each. Exit codes: 0 success, 1 problems found ({@code check}), 2 bad
 * usage or a database that cannot be opened.
 */
@Command(name = "mnemo", mixinStandardHelpOptions = true, version = "mnemo 0.1.0",
        description = "Mnemo databases from the command line.",
        subcommands = {SqlCommand.class, ServerCommand.class, InfoCommand.class, CheckCommand.class,
            BackupCommand.class, RestoreCommand.class, DumpCommand.class, LoadCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Held so that its level stays set (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger JLINE = java.util.logging.Logger.getLogger("org.jline");

    static {
        // an application configures its logging: warnings only, but Mnemo's own notices (the server's address)
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.log.dev.mnemo", "info");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        JLINE.setLevel(java.util.logging.Level.SEVERE); // sqlline's terminal library: "dumb terminal" on a pipe
    }


    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with these output streams; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("mnemo " + line.getCommandName() + ": " + (e.getMessage() == null ? e : e.getMessage()));
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
