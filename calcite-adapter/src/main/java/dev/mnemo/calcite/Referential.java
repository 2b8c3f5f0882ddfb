package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The foreign keys of one statement's writes, in its transaction. A row written to a referencing table must find
 * its parent row (checked at the end of the statement, so rows may reference rows the same statement writes); a
 * parent row deleted, or whose key changes, applies each referencing foreign key's action: NO ACTION fails at the
 * end of the statement if a row still references a key that no longer exists, RESTRICT fails at once, CASCADE
 * deletes the referencing rows (or changes their columns to the new key), SET NULL sets their columns to null.
 * Cascaded changes are themselves parent changes, processed in turn (not recursively, so deep trees are fine).
 * Reads take the engine's read locks, so a concurrent transaction cannot slip a row past a check. A column that
 * is null references nothing (MATCH SIMPLE). Violations are SQLState 23503.
 */
final class Referential {
    private static final String VIOLATION = "23503";

    private final Mnemo db;
    private final Tx tx;
    private final ForeignKeys keys;
    private final Map<String, SqlShape> shapes = new HashMap<>();
    /** Parent rows deleted or re-keyed, whose referencing rows are still to be handled. */
    private final Deque<Change> changes = new ArrayDeque<>();
    /** Rows whose parent must exist at the end of the statement. */
    private final List<Reference> parentsToFind = new ArrayList<>();
    /** NO ACTION keys that must not be referenced at the end of the statement unless their parent is back. */
    private final List<Reference> keysToFree = new ArrayList<>();

    private record Change(SqlShape shape, Tuple old, Tuple fresh) {
    }

    private record Reference(ForeignKey fk, Object[] values) {
    }

    private Referential(Mnemo db, Tx tx, ForeignKeys keys) {
        this.db = db;
        this.tx = tx;
        this.keys = keys;
    }

    /** The checks of a statement on {@code db} in {@code tx}; null if the database has no foreign key. */
    static Referential of(Mnemo db, Tx tx) {
        ForeignKeys keys = ForeignKeys.of(db);
        return keys.any() ? new Referential(db, tx, keys) : null;
    }

    void inserted(SqlShape shape, Tuple record) {
        for (ForeignKey fk : keys.of(shape.def().name())) {
            Object[] v = values(shape, record, fk.columns());
            if (v != null) {
                parentsToFind.add(new Reference(fk, v));
            }
        }
    }

    void deleted(SqlShape shape, Tuple old) {
        if (!keys.referencing(shape.def().name()).isEmpty()) {
            changes.add(new Change(shape, old, null));
            drain();
        }
    }

    void updated(SqlShape shape, Tuple old, Tuple fresh) {
        for (ForeignKey fk : keys.of(shape.def().name())) {
            Object[] v = values(shape, fresh, fk.columns());
            if (v != null && !Arrays.equals(v, values(shape, old, fk.columns()))) {
                parentsToFind.add(new Reference(fk, v));
            }
        }
        if (!keys.referencing(shape.def().name()).isEmpty() && !old.get(1).equals(fresh.get(1))) {
            changes.add(new Change(shape, old, fresh));
            drain();
        }
    }

    /** The checks deferred to the end of the statement. */
    void finish() {
        for (Reference r : parentsToFind) {
            if (tx.read(r.fk().parent(), parentKey(r.values())).isEmpty()) {
                throw Errors.sql("insert or update on table " + r.fk().table() + " violates foreign key constraint "
                        + r.fk().name() + ": key (" + String.join(", ", r.fk().columns()) + ")=(" + format(r.values())
                        + ") is not present in table " + r.fk().parent(), VIOLATION, null);
            }
        }
        for (Reference r : keysToFree) {
            if (tx.read(r.fk().parent(), parentKey(r.values())).isEmpty()
                    && !children(r.fk(), r.values()).isEmpty()) {
                throw stillReferenced(r.fk(), r.values());
            }
        }
    }

    private void drain() {
        while (!changes.isEmpty()) {
            Change c = changes.poll();
            for (ForeignKey fk : keys.referencing(c.shape().def().name())) {
                apply(fk, c);
            }
        }
    }

    private void apply(ForeignKey fk, Change c) {
        Object[] key = values(c.shape(), c.old(), fk.parentColumns());
        ForeignKey.Action action = c.fresh() == null ? fk.onDelete() : fk.onUpdate();
        switch (action) {
            case NO_ACTION -> keysToFree.add(new Reference(fk, key));
            case RESTRICT -> {
                if (!children(fk, key).isEmpty()) {
                    throw stillReferenced(fk, key);
                }
            }
            case CASCADE -> {
                SqlShape child = shape(fk.table());
                for (Tuple row : children(fk, key)) {
                    if (c.fresh() == null) {
                        TableWrites.delete(tx, child, row);
                        changes.add(new Change(child, row, null));
                    } else {
                        rewrite(child, row, fk, values(c.shape(), c.fresh(), fk.parentColumns()));
                    }
                }
            }
            case SET_NULL -> {
                SqlShape child = shape(fk.table());
                for (Tuple row : children(fk, key)) {
                    rewrite(child, row, fk, new Object[fk.columns().size()]);
                }
            }
        }
    }

    /** Sets the foreign key's columns of a referencing row to {@code values}, as a change in turn. */
    private void rewrite(SqlShape child, Tuple row, ForeignKey fk, Object[] values) {
        Object[] cols = child.toRow(row);
        for (int i = 0; i < values.length; i++) {
            cols[child.column(fk.columns().get(i))] = values[i];
        }
        Tuple fresh = child.toRecord(cols, row);
        TableWrites.update(tx, child, row, fresh);
        if (!row.get(1).equals(fresh.get(1))) {
            changes.add(new Change(child, row, fresh));
        }
    }

    /**
     * The rows of the foreign key's table whose columns hold {@code values}, as this transaction sees them: read by
     * key, by index (a one-column foreign key gets one, see CREATE TABLE) or, failing both, by a scan.
     */
    private List<Tuple> children(ForeignKey fk, Object[] values) {
        SqlShape child = shape(fk.table());
        if (Arrays.equals(keyColumns(child), fk.columns().toArray())) {
            return tx.read(fk.table(), child.key(values));
        }
        List<Tuple> found;
        String single = fk.columns().size() == 1 ? fk.columns().get(0) : null;
        if (single != null && child.def().indexes().contains(single)) {
            found = tx.indexRead(fk.table(), values[0], single);
        } else {
            found = tx.foldl(fk.table(), new ArrayList<Tuple>(), (r, acc) -> {
                acc.add(r);
                return acc;
            });
        }
        List<Tuple> out = new ArrayList<>();
        for (Tuple r : found) {
            if (Arrays.equals(values(child, r, fk.columns()), values)) {
                out.add(r);
            }
        }
        return out;
    }

    private static Object[] keyColumns(SqlShape shape) {
        Object[] out = new Object[shape.keyColumns().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape.columns().get(shape.keyColumns()[i]).name();
        }
        return out;
    }

    /** The values of {@code columns} in a record, or null if one is null (such a row references nothing). */
    private static Object[] values(SqlShape shape, Tuple record, List<String> columns) {
        Object[] row = shape.toRow(record);
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = row[shape.column(columns.get(i))];
            if (out[i] == null) {
                return null;
            }
        }
        return out;
    }

    private static Object parentKey(Object[] values) {
        return values.length == 1 ? values[0] : Tuple.of(values);
    }

    private SqlShape shape(String table) {
        return shapes.computeIfAbsent(table, t -> SqlShape.of(TableDdl.definition(db, t)));
    }

    private RuntimeException stillReferenced(ForeignKey fk, Object[] key) {
        return Errors.sql("update or delete on table " + fk.parent() + " violates foreign key constraint " + fk.name()
                + " on table " + fk.table() + ": key (" + String.join(", ", fk.parentColumns()) + ")=(" + format(key)
                + ") is still referenced from table " + fk.table(), VIOLATION, null);
    }

    private static String format(Object[] values) {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            out.add(v instanceof String s ? s : Terms.format(Objects.requireNonNull(v)));
        }
        return String.join(", ", out);
    }
}
