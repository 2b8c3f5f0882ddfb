package dev.mnemo.engine.records;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableExistsException;
import dev.mnemo.engine.value.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Autoincrement keys: one counter per table in the set table {@value #TABLE} ({@code {table, last}}, hidden from
 * SQL by {@link TableDef#HIDDEN}), advanced with the engine's atomic dirty_update_counter. No table lock is taken
 * and a number handed out is never handed out again, even when its record is deleted or its transaction aborts
 * (which leaves a gap). Typed tables with {@code @Table(autoincrement = true)} and SQL identity columns
 * ({@code GENERATED … AS IDENTITY}) draw their keys here.
 */
public final class Sequences {
    /** The counters table. */
    public static final String TABLE = "mnemo_sequences";

    private Sequences() {
    }

    /**
     * Creates the counters table if absent: disc_copies when the database has a directory, else ram_copies. A
     * schema change: not inside a transaction.
     */
    public static void ensure(Mnemo db) {
        if (db.tables().contains(TABLE)) {
            TableDef def = db.tableDef(TABLE);
            if (!def.hidden()) { // made before tables could be hidden
                Map<String, Object> props = new LinkedHashMap<>(def.userProperties());
                props.put(TableDef.HIDDEN, true);
                db.setUserProperties(TABLE, props);
            }
            return;
        }
        StorageType storage = db.systemInfo().directory() != null ? StorageType.DISC_COPIES : StorageType.RAM_COPIES;
        try {
            db.createTable(TableDef.builder(TABLE).attribute("table", AttrType.STRING)
                    .attribute("last", AttrType.INTEGER).storage(storage).userProperty(TableDef.HIDDEN, true).build());
        } catch (TableExistsException raced) {
            // another thread created it first
        }
    }

    /** The next key of {@code table}: one more than the last one handed out. */
    public static long next(Mnemo db, String table) {
        return next(db, table, 1);
    }

    /** The next key of {@code table}: {@code increment} (positive) more than the last one handed out. */
    public static long next(Mnemo db, String table, long increment) {
        if (!db.tables().contains(TABLE)) {
            if (db.isTransaction()) {
                throw new IllegalStateException("autoincrement table " + table + " has no key counter; create it "
                        + "with Memento.createTable (or call Memento.createTable once outside a transaction)");
            }
            ensure(db);
        }
        return db.dirtyUpdateCounter(TABLE, table, increment);
    }

    /** The last key handed out for {@code table}, 0 if none. */
    public static long last(Mnemo db, String table) {
        List<Tuple> current = db.tables().contains(TABLE) ? db.dirtyRead(TABLE, table) : List.of();
        return current.isEmpty() ? 0 : (Long) current.get(0).get(2);
    }

    /**
     * Sets the counter of {@code table} so that the next key is {@code last + increment} (a new identity column's
     * START WITH). Creates the counters table if needed, so not inside a transaction.
     */
    public static void restart(Mnemo db, String table, long last) {
        ensure(db);
        db.dirtyUpdateCounter(TABLE, table, last - last(db, table));
    }

    /**
     * Raises the counter of {@code table} to at least {@code floor} (a key written explicitly), so that it never
     * hands out a key already used; does nothing if the counter is higher. Inside a transaction too (the counters
     * table must exist); concurrent callers may overshoot, which only leaves a gap.
     */
    public static void raiseTo(Mnemo db, String table, long floor) {
        long last = last(db, table);
        if (last < floor) {
            db.dirtyUpdateCounter(TABLE, table, floor - last);
        }
    }

    /**
     * Raises the counter of {@code table} to at least {@code floor} (a key already in use), so that it never hands
     * out a key that exists; concurrent callers may overshoot, which only leaves a gap.
     */
    static void atLeast(Mnemo db, String table, long floor) {
        ensure(db);
        raiseTo(db, table, floor);
    }

    /** Forgets the counter of a deleted table. */
    public static void drop(Mnemo db, String table) {
        if (db.tables().contains(TABLE)) {
            db.dirtyDelete(TABLE, table);
        }
    }
}
