package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.TableDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Every foreign key of a database, by referencing (child) and by referenced (parent) table: read from the tables'
 * user properties once per schema version ({@link Mnemo#schemaVersion()}), so a write looks them up without
 * reading every definition.
 */
final class ForeignKeys {
    private static final Map<Mnemo, ForeignKeys> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private final long version;
    private final Map<String, List<ForeignKey>> byParent;
    private final Map<String, List<ForeignKey>> byChild;

    private ForeignKeys(long version, Map<String, List<ForeignKey>> byParent, Map<String, List<ForeignKey>> byChild) {
        this.version = version;
        this.byParent = byParent;
        this.byChild = byChild;
    }

    /** The foreign keys of {@code db} as its schema is now. */
    static ForeignKeys of(Mnemo db) {
        long v = db.schemaVersion();
        ForeignKeys known = CACHE.get(db);
        if (known != null && known.version == v) {
            return known;
        }
        Map<String, List<ForeignKey>> byParent = new HashMap<>();
        Map<String, List<ForeignKey>> byChild = new HashMap<>();
        for (String table : db.tables(false)) {
            TableDef def;
            try {
                def = db.tableDef(table);
            } catch (NoSuchTableException dropped) {
                continue;
            }
            for (ForeignKey fk : ForeignKey.of(table, def.userProperties())) {
                byChild.computeIfAbsent(table, t -> new ArrayList<>()).add(fk);
                byParent.computeIfAbsent(fk.parent(), t -> new ArrayList<>()).add(fk);
            }
        }
        ForeignKeys fresh = new ForeignKeys(v, byParent, byChild);
        CACHE.put(db, fresh);
        return fresh;
    }

    /** The foreign keys that reference table {@code parent} (its own included, for a table referencing itself). */
    List<ForeignKey> referencing(String parent) {
        return byParent.getOrDefault(parent, List.of());
    }

    /** The foreign keys of table {@code child}. */
    List<ForeignKey> of(String child) {
        return byChild.getOrDefault(child, List.of());
    }

    /** Whether the database has any foreign key. */
    boolean any() {
        return !byChild.isEmpty();
    }

    /** Every foreign key, by child table in schema order. */
    List<ForeignKey> all() {
        List<ForeignKey> out = new ArrayList<>();
        byChild.values().forEach(out::addAll);
        return out;
    }
}
