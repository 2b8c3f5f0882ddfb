package dev.mnemo.cli;

import dev.mnemo.engine.Mnemo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mnemo check DIR}: verifies every table against its codec, size and indexes. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Verifies every table of a database: each record decodes and sits under its key, sizes "
            + "agree, and each index finds exactly the records that hold its values.",
            "Exit code 0: no problems; 1: problems listed; 2: the database cannot be opened."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    DatabaseDirectory database;

    @Override
    public Integer call() {
        PrintWriter out = database.out();
        Path dir = database.dir;
        try (Mnemo db = database.open()) {
            List<String> problems = db.check();
            List<String> tables = db.tables(true);
            long records = 0;
            for (String t : tables) {
                records += db.tableInfo(t).size();
            }
            for (String p : problems) {
                out.println(p);
            }
            out.printf("%s: %d tables, %d records checked, %s%n", dir, tables.size(), records,
                    problems.isEmpty() ? "no problems" : problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
            if (db.recovery().damage() != null) {
                out.println("note: at open, " + db.recovery().damage());
            }
            return problems.isEmpty() ? 0 : 1;
        }
    }
}
