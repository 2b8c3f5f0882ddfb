package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableExistsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where views live: the user properties of the hidden table {@value #TABLE} (disc_copies when the database has a
 * directory, so views survive a restart; ram_copies in memory), one property {@code view.<lower-case name>} per
 * view holding {@code [name, query, [[column, type, precision, scale, nullable], …]]}. Changing a view is a schema
 * change, so every cached plan that might have expanded it becomes stale.
 */
final class Views {
    static final String TABLE = "mnemo_views";
    private static final String PREFIX = "view.";

    private Views() {
    }

    /** A stored view: its name as written, its query, and the columns it had when it was created. */
    record View(String name, String query, List<Column> columns) {
    }

    /** A view column: its name and SQL type. */
    record Column(String name, String type, int precision, int scale, boolean nullable) {
    }

    /** The view called {@code name} (case-insensitive), if any. */
    static Optional<View> find(Mnemo db, String name) {
        Object stored = properties(db).get(PREFIX + name.toLowerCase(Locale.ROOT));
        return stored == null ? Optional.empty() : Optional.of(decode((List<?>) stored));
    }

    /** Every view, by lower-case name order. */
    static List<View> all(Mnemo db) {
        List<View> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(properties(db)).entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                out.add(decode((List<?>) e.getValue()));
            }
        }
        return out;
    }

    /** Stores {@code view}, replacing one of the same name. A schema change: not inside a transaction. */
    static void put(Mnemo db, View view) {
        ensureTable(db);
        List<Object> columns = new ArrayList<>();
        for (Column c : view.columns()) {
            columns.add(List.of(c.name(), c.type(), (long) c.precision(), (long) c.scale(), c.nullable()));
        }
        Map<String, Object> props = new LinkedHashMap<>(properties(db));
        props.put(PREFIX + view.name().toLowerCase(Locale.ROOT), List.of(view.name(), view.query(), columns));
        db.setUserProperties(TABLE, props);
    }

    /** Removes the view called {@code name}; whether there was one. */
    static boolean remove(Mnemo db, String name) {
        Map<String, Object> props = new LinkedHashMap<>(properties(db));
        if (props.remove(PREFIX + name.toLowerCase(Locale.ROOT)) == null) {
            return false;
        }
        db.setUserProperties(TABLE, props);
        return true;
    }

    private static Map<String, Object> properties(Mnemo db) {
        return db.tables(true).contains(TABLE) ? db.tableDef(TABLE).userProperties() : Map.of();
    }

    private static void ensureTable(Mnemo db) {
        if (db.tables(true).contains(TABLE)) {
            return;
        }
        StorageType storage = db.systemInfo().directory() != null ? StorageType.DISC_COPIES : StorageType.RAM_COPIES;
        try {
            db.createTable(TableDef.builder(TABLE).attribute("name", AttrType.STRING)
                    .attribute("unused", AttrType.ANY).storage(storage).userProperty(TableDef.HIDDEN, true).build());
        } catch (TableExistsException raced) {
            // another connection created it first
        }
    }

    private static View decode(List<?> stored) {
        List<Column> columns = new ArrayList<>();
        for (Object o : (List<?>) stored.get(2)) {
            List<?> c = (List<?>) o;
            columns.add(new Column((String) c.get(0), (String) c.get(1), ((Number) c.get(2)).intValue(),
                    ((Number) c.get(3)).intValue(), (Boolean) c.get(4)));
        }
        return new View((String) stored.get(0), (String) stored.get(1), List.copyOf(columns));
    }
}
