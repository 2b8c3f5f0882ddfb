package dev.mnemo.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mnemo sql [URL]}: a sqlline shell on an embedded or remote database. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"A SQL shell (sqlline) on a database: DDL, DML, queries, !tables, !describe, !quit.",
            "URL is jdbc:mnemo:<dir>, jdbc:mnemo:mem:<name>, jdbc:mnemo:remote://host:port[;user=…;password=…], "
                + "or a directory."})
final class SqlCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "jdbc:mnemo:mem:sql", paramLabel = "URL",
            description = "the database (default: ${DEFAULT-VALUE}, in memory)")
    String url;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "run the statements in FILE, then exit")
    String file;

    @Option(names = {"-u", "--user"}, description = "user, for a remote database")
    String user;

    @Option(names = {"-p", "--password"}, description = "password, for a remote database", arity = "0..1",
            interactive = true)
    String password;

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(List.of("-d", "dev.mnemo.jdbc.Driver", "-u", Databases.url(url),
                "-n", user == null ? "" : user, "-p", password == null ? "" : password));
        // every Mnemo transaction is SERIALIZABLE; sqlline would ask for REPEATABLE READ and show the warning
        args.add("--isolation=TRANSACTION_SERIALIZABLE");
        if (System.console() == null) {
            args.add("--maxWidth=200"); // a pipe has no width: sqlline's tables would be cut to nothing
        }
        if (file != null) {
            args.add("--run=" + file);
        }
        // SqlLine.start would call System.exit; begin returns
        sqlline.SqlLine.Status status = new sqlline.SqlLine().begin(args.toArray(new String[0]), null, file == null);
        return status == sqlline.SqlLine.Status.OK ? 0 : 1;
    }
}
