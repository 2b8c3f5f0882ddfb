package dev.mnemo.cli;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mnemo info DIR}: the tables of a database, their types, storage, sizes, attributes and indexes. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Lists the tables of a database: type, storage, rows, memory, attributes and indexes.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    DatabaseDirectory database;

    @Override
    public Integer call() {
        PrintWriter out = database.out();
        Path dir = database.dir;
        try (Mnemo db = database.open()) {
            List<String> tables = db.tables();
            out.printf("Mnemo database %s (version %s): %d table%s%n", dir, db.systemInfo().version(), tables.size(),
                    tables.size() == 1 ? "" : "s");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TABLE", "TYPE", "STORAGE", "ROWS", "MEMORY", "ATTRIBUTES", "INDEXES"});
            for (String t : tables) {
                TableInfo i = db.tableInfo(t);
                List<String> attrs = new ArrayList<>();
                for (int a = 0; a < i.attributes().size(); a++) {
                    attrs.add(i.attributes().get(a) + ":" + i.attributeTypes().get(a).typeName());
                }
                rows.add(new String[] {t, i.type().mnesiaName(), i.storageType().mnesiaName(), Long.toString(i.size()),
                    bytes(i.memory()), String.join(", ", attrs), String.join(", ", i.index())});
            }
            print(out, rows);
        }
        return 0;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static void print(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
