package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks each table's records against its codec, its size and its indexes ({@link Mnemo#check()}): every record
 * decodes, has the table's arity and sits under its own key; the record count is the table's size; each indexed
 * value of each record finds its key through the index, and each key the index lists under a value belongs to a
 * record holding that value. Problems are reported, not repaired; a table whose records cannot be read is reported
 * once and its other checks skipped. It holds the distinct values of a table's indexed attributes in memory while
 * it checks that table.
 */
final class Verifier {
    /** At most this many problems are listed per table; a count of the rest follows. */
    static final int MAX_PER_TABLE = 20;

    private final List<String> problems = new ArrayList<>();
    private int tableProblems;
    private String table;

    private Verifier() {
    }

    static List<String> check(Database db) {
        Verifier v = new Verifier();
        for (String name : db.tableNames(true)) {
            v.table(db.table(name));
        }
        return v.problems;
    }

    private void report(String problem) {
        if (++tableProblems <= MAX_PER_TABLE) {
            problems.add("table " + table + ": " + problem);
        }
    }

    private void table(Table t) {
        table = t.name();
        tableProblems = 0;
        TableDef def = t.def;
        TableStore store = t.store;
        int arity = def.attributes().size() + 1;
        List<Integer> indexed = Table.indexPositions(def);
        List<TreeSet<Object>> values = new ArrayList<>();
        for (int i = 0; i < indexed.size(); i++) {
            values.add(new TreeSet<>(Terms::compare));
        }
        long[] count = {0};
        try {
            store.scan(KeyRange.ALL, false, (key, records) -> {
                for (Tuple r : records) {
                    count[0]++;
                    if (r.size() != arity) {
                        report("the record under key " + key + " has " + r.size() + " elements, expected " + arity);
                        continue;
                    }
                    if (Terms.compare(r.get(1), key) != 0) {
                        report("the record under key " + key + " holds key " + r.get(1));
                    }
                    for (int i = 0; i < indexed.size(); i++) {
                        Object value = r.get(indexed.get(i));
                        values.get(i).add(value);
                        if (!contains(indexKeys(store, def, indexed.get(i), value), key)) {
                            report("the index on " + attribute(def, indexed.get(i)) + " lacks key " + key
                                    + " under value " + value);
                        }
                    }
                }
                return true;
            });
        } catch (RuntimeException e) {
            report("its records cannot be read after " + count[0] + " of them: " + e);
            finish();
            return;
        }
        if (count[0] != store.size()) {
            report("it holds " + count[0] + " records but its size is " + store.size());
        }
        for (int i = 0; i < indexed.size(); i++) {
            int pos = indexed.get(i);
            for (Object value : values.get(i)) {
                for (Object key : indexKeys(store, def, pos, value)) {
                    boolean held = false;
                    for (Tuple r : store.get(key)) {
                        held |= Terms.compare(r.get(pos), value) == 0;
                    }
                    if (!held) {
                        report("the index on " + attribute(def, pos) + " lists key " + key + " under value " + value
                                + ", which no record under that key holds");
                    }
                }
            }
        }
        finish();
    }

    private void finish() {
        if (tableProblems > MAX_PER_TABLE) {
            problems.add("table " + table + ": " + (tableProblems - MAX_PER_TABLE) + " more problems");
        }
    }

    /** The keys an index lists under a value; none, with the failure reported, if it cannot be read. */
    private Collection<Object> indexKeys(TableStore store, TableDef def, int pos, Object value) {
        try {
            return store.indexKeys(pos, value);
        } catch (RuntimeException e) {
            report("the index on " + attribute(def, pos) + " cannot be read under value " + value + ": " + e);
            return java.util.List.of();
        }
    }

    private static String attribute(TableDef def, int pos) {
        return def.attributes().get(pos - 1);
    }

    private static boolean contains(Collection<Object> keys, Object key) {
        for (Object k : keys) {
            if (Terms.compare(k, key) == 0) {
                return true;
            }
        }
        return false;
    }
}
