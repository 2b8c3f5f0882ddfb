package dev.mnemo.calcite;

import dev.mnemo.engine.LockKind;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL's row writes on an engine table, with Mnesia's semantics per table type: an INSERT into a set or ordered_set
 * fails with 23505 if the key exists, into a bag it adds the record (an identical one is kept once), into a
 * duplicate_bag it always adds (and into a table without a PRIMARY KEY, keyed by row ids, too); an UPDATE rewrites the record, moving it if its key changes (23505 if the new key
 * is taken in a set table); a DELETE removes the record.
 */
final class TableWrites {
    private TableWrites() {
    }

    static boolean isSet(SqlShape shape) {
        TableType type = shape.def().type();
        return type == TableType.SET || type == TableType.ORDERED_SET;
    }

    static void insert(Tx tx, SqlShape shape, Tuple record) {
        String table = shape.def().name();
        // a new row id is in no other record (RowIds.withNew): only a key given in the row can be taken
        if (isSet(shape) && !shape.rowId() && !tx.read(table, record.get(1), LockKind.WRITE).isEmpty()) {
            throw duplicate(shape, record);
        }
        tx.write(table, record);
    }

    static void delete(Tx tx, SqlShape shape, Tuple record) {
        String table = shape.def().name();
        if (isSet(shape)) {
            tx.delete(table, record.get(1));
        } else {
            tx.deleteObject(table, record);
        }
    }

    static void update(Tx tx, SqlShape shape, Tuple old, Tuple fresh) {
        boolean keyMoved = !old.get(1).equals(fresh.get(1));
        boolean set = isSet(shape);
        if (set && keyMoved && !tx.read(shape.def().name(), fresh.get(1), LockKind.WRITE).isEmpty()) {
            throw duplicate(shape, fresh);
        }
        if (keyMoved || !set) {
            delete(tx, shape, old);
        }
        tx.write(shape.def().name(), fresh);
    }

    static RuntimeException duplicate(SqlShape shape, Tuple record) {
        List<String> keyCols = new ArrayList<>();
        for (int k : shape.keyColumns()) {
            keyCols.add(shape.columns().get(k).name());
        }
        return Errors.sql("duplicate key " + Terms.format(record.get(1)) + " in table " + shape.def().name()
                + " (primary key " + keyCols + ")", Errors.DUPLICATE_KEY, null);
    }
}
