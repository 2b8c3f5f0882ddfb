package dev.mnemo.calcite;

import dev.mnemo.engine.TableType;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.core.TableModify;

/**
 * Applies the rows of an INSERT, UPDATE or DELETE to the engine, in one engine transaction (the statement's, in
 * autocommit mode, or the connection's open one), and returns the number of rows affected.
 *
 * <p>Semantics: INSERT into a set or ordered_set table fails with 23505 if the key exists (use MERGE to
 * overwrite); into a bag it adds the record (an identical record is kept
 * once) and into a duplicate_bag it always adds. UPDATE rewrites each matched record (moving it if its key
 * changes, which fails with 23505 if the new key is taken in a set table). DELETE removes each matched record.
 * MERGE (the upsert form) updates the rows that match and inserts the others.
 */
public final class ModifyPlan {
    private final MnemoTable table;
    private final TableModify.Operation operation;
    private final int[] updated;
    private final String unsupported;

    ModifyPlan(MnemoTable table, TableModify.Operation operation, List<String> updateColumns, String unsupported) {
        this.table = table;
        this.unsupported = unsupported;
        this.operation = operation;
        List<SqlShape.Column> cols = table.shape.columns();
        this.updated = new int[updateColumns == null ? 0 : updateColumns.size()];
        for (int i = 0; i < updated.length; i++) {
            for (int c = 0; c < cols.size(); c++) {
                if (cols.get(c).name().equals(updateColumns.get(i))) {
                    updated[i] = c;
                }
            }
        }
    }

    /** Applies {@code rows}; returns a single row holding the count. */
    public Enumerable<Long> execute(Enumerable<Object[]> rows) {
        if (unsupported != null) {
            throw Errors.sql(unsupported, "0A000", null);
        }
        if (table.session.isReadOnly()) {
            throw Errors.sql("connection is read-only: cannot modify table " + table.name(), Errors.READ_ONLY, null);
        }
        long count = Errors.translate(table.name(), () -> table.session.run(tx -> {
            List<Object[]> input = input(rows);
            long n = 0;
            for (Object[] row : input) {
                n += apply(tx, row);
            }
            return n;
        }));
        return Linq4j.singletonEnumerable(count);
    }

    /**
     * The rows to write, computed; a value that does not fit its column's type there (Calcite's cast of an INSERT
     * or UPDATE value to a DECIMAL(p,s) column, say) fails naming the table (22003).
     */
    private List<Object[]> input(Enumerable<Object[]> rows) {
        List<Object[]> input = new ArrayList<>();
        try {
            for (Object[] r : rows) {
                input.add(r);
            }
        } catch (ArithmeticException e) {
            throw Errors.sql("table " + table.name() + ": " + e.getMessage(), SqlErrors.arithmeticState(e), e);
        }
        return input;
    }

    private long apply(Tx tx, Object[] row) {
        switch (operation) {
            case INSERT:
                insert(tx, toRecord(row, 0));
                return 1;
            case DELETE:
                delete(tx, toRecord(row, 0));
                return 1;
            case UPDATE: {
                int width = table.shape.columns().size();
                Object[] neu = java.util.Arrays.copyOf(row, width);
                for (int i = 0; i < updated.length; i++) {
                    neu[updated[i]] = row[width + i];
                }
                Tuple old = toRecord(row, 0);
                Tuple fresh = toRecord(neu, 0);
                if (!old.equals(fresh)) {
                    update(tx, old, fresh);
                }
                return 1;
            }
            case MERGE:
                return merge(tx, row);
            default:
                throw Errors.sql(operation + " is not supported on table " + table.name(), "0A000", null);
        }
    }

    /**
     * MERGE as the upsert form: Calcite's row starts with the values of the WHEN NOT MATCHED insert and ends with
     * the SET values of WHEN MATCHED. The record to update is found by the key of the insert values (so the ON
     * condition must compare the primary key, which is what an upsert does); it is updated if present, else the
     * insert values are inserted. Only set and ordered_set tables, and only MERGE with both clauses.
     */
    private long merge(Tx tx, Object[] row) {
        int width = table.shape.columns().size();
        TableType type = table.shape.def().type();
        boolean hasInsert = row.length >= width && row.length - width != updated.length
                || updated.length == 0;
        if (type.equals(TableType.BAG) || type.equals(TableType.DUPLICATE_BAG) || !hasInsert || updated.length == 0) {
            throw Errors.sql("MERGE on table " + table.name() + ": Mnemo supports the upsert form (ON the primary "
                    + "key, WHEN MATCHED THEN UPDATE and WHEN NOT MATCHED THEN INSERT) on set and ordered_set tables",
                    "0A000", null);
        }
        Tuple inserted = toRecord(row, 0);
        List<Tuple> current = tx.read(table.name(), inserted.get(1), dev.mnemo.engine.LockKind.WRITE);
        if (current.isEmpty()) {
            tx.write(table.name(), inserted);
            return 1;
        }
        Object[] neu = table.toRow(current.get(0));
        int setStart = row.length - updated.length;
        for (int i = 0; i < updated.length; i++) {
            neu[updated[i]] = row[setStart + i];
        }
        Tuple fresh = toRecord(neu, 0);
        if (!fresh.equals(current.get(0))) {
            update(tx, current.get(0), fresh);
        }
        return 1;
    }

    private void insert(Tx tx, Tuple record) {
        TableType type = table.shape.def().type();
        if ((type == TableType.SET || type == TableType.ORDERED_SET) && !tx.read(table.name(), record.get(1),
                dev.mnemo.engine.LockKind.WRITE).isEmpty()) {
            throw duplicate(record);
        }
        tx.write(table.name(), record);
    }

    private void delete(Tx tx, Tuple record) {
        TableType type = table.shape.def().type();
        if (type == TableType.SET || type == TableType.ORDERED_SET) {
            tx.delete(table.name(), record.get(1));
        } else {
            tx.deleteObject(table.name(), record);
        }
    }

    private void update(Tx tx, Tuple old, Tuple fresh) {
        boolean keyMoved = !old.get(1).equals(fresh.get(1));
        TableType type = table.shape.def().type();
        boolean set = type == TableType.SET || type == TableType.ORDERED_SET;
        if (set && keyMoved && !tx.read(table.name(), fresh.get(1), dev.mnemo.engine.LockKind.WRITE).isEmpty()) {
            throw duplicate(fresh);
        }
        if (keyMoved || !set) {
            delete(tx, old);
        }
        tx.write(table.name(), fresh);
    }

    private RuntimeException duplicate(Tuple record) {
        List<String> keyCols = new ArrayList<>();
        for (int k : table.shape.keyColumns()) {
            keyCols.add(table.shape.columns().get(k).name());
        }
        return Errors.sql("duplicate key " + dev.mnemo.engine.value.Terms.format(record.get(1)) + " in table "
                + table.name() + " (primary key " + keyCols + ")", Errors.DUPLICATE_KEY, null);
    }

    /** The engine record of the first columns of a SQL row (Calcite internal values), checking NOT NULL. */
    private Tuple toRecord(Object[] row, int offset) {
        List<SqlShape.Column> cols = table.shape.columns();
        Object[] values = new Object[cols.size()];
        for (int i = 0; i < values.length; i++) {
            SqlShape.Column c = cols.get(i);
            Object v = row[offset + i];
            if (v == null && c.notNull()) {
                throw Errors.sql("column " + c.name() + " of table " + table.name() + " is NOT NULL; got null",
                        Errors.NOT_NULL, null);
            }
            values[i] = SqlValues.toEngine(table.name(), c.name(), c.type(), SqlValues.fit(table.name(), c, v));
        }
        return table.shape.toRecord(values);
    }
}
