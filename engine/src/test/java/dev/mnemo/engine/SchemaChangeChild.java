package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link BoundedSchemaChangesTest}. {@code load}: writes {@code rows} disc_only records of
 * {@link #WIDTH}-character strings. {@code crash}: begins a transform and halts the JVM inside it after 15,000
 * records. {@code rewrite}: transforms the table (a new attribute), indexes it and alters it back, printing
 * {@code rewritten <count>}; in a heap smaller than the table, it runs out of heap if any of them holds the whole
 * table.
 */
final class SchemaChangeChild {
    static final int WIDTH = 500;

    private SchemaChangeChild() {
    }

    static Tuple row(long i) {
        return Tuple.of("t", i, i % 7, String.format("%08d", i) + "x".repeat(WIDTH - 8));
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int rows = Integer.parseInt(args[2]);
        try (Mnemo db = Mnemo.open(dir)) {
            switch (args[1]) {
                case "load" -> {
                    db.createTable(TableDef.builder("t").attributes("id", "k", "s").type(TableType.ORDERED_SET)
                            .storage(StorageType.DISC_ONLY_COPIES).build());
                    for (long i = 0; i < rows; i += 1000) {
                        long from = i;
                        db.transaction(tx -> {
                            for (long j = from; j < Math.min(rows, from + 1000); j++) {
                                tx.write(row(j));
                            }
                            return null;
                        });
                    }
                    System.out.println("loaded " + rows);
                }
                case "crash" -> {
                    int[] seen = {0};
                    db.transformTable("t", r -> {
                        if (++seen[0] == 15_000) {
                            System.out.println("halting");
                            System.out.flush();
                            Runtime.getRuntime().halt(3);
                        }
                        return Tuple.of("t", r.get(1), r.get(2), r.get(3), "new");
                    }, List.of("id", "k", "s", "extra"));
                }
                case "rewrite" -> {
                    db.transformTable("t", r -> Tuple.of("t", r.get(1), r.get(2), r.get(3), (Long) r.get(1) * 2),
                            List.of("id", "k", "s", "twice"));
                    db.addTableIndex("t", "k");
                    db.alterTable("t", d -> new TableTransform(TableDef.builder("t").attributes("id", "k", "s")
                            .type(TableType.ORDERED_SET).storage(StorageType.DISC_ONLY_COPIES).index("k").build(),
                            r -> Tuple.of("t", r.get(1), r.get(2), r.get(3))));
                    long n = db.dirtyIndexRead("t", 3L, "k").size();
                    System.out.println("rewritten " + db.tableInfo("t").size() + " k3 " + n);
                }
                default -> throw new IllegalArgumentException(args[1]);
            }
        }
    }
}
