package dev.mnemo.calcite;

import dev.mnemo.engine.LockKind;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.records.Sequences;
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
 * <p>Semantics per table type are {@link TableWrites}'; MERGE (the upsert form) updates the rows that match and
 * inserts the others. An identity column gets its value from the table's counter; foreign keys are enforced by
 * {@link Referential}; the inserted records are handed to the session's {@link GeneratedKeys.Capture}, if one is
 * open.
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

    /** The names of the columns an UPDATE sets, in the order of its SET list. */
    List<String> updatedColumns() {
        List<String> out = new java.util.ArrayList<>(updated.length);
        for (int c : updated) {
            out.add(table.shape.columns().get(c).name());
        }
        return out;
    }

    /**
     * An INSERT of at least this many rows (a bulk load's batch, a long multi-row VALUES) locks the whole table for
     * its transaction rather than each key (lock escalation, as SQL Server does at 5,000): taking a lock per row was
     * a seventh of a bulk load's time.
     */
    static final int ESCALATE_ROWS = 1_000;

    /** Applies {@code rows}; returns a single row holding the count. */
    public Enumerable<Long> execute(Enumerable<Object[]> rows) {
        return Linq4j.singletonEnumerable(apply(tx -> input(rows)));
    }

    /**
     * Applies the rows {@code rows} gives, called inside the statement's engine transaction (so that it may read
     * there, or throw to stop before anything is written); returns how many rows were affected.
     */
    long apply(java.util.function.Function<Tx, List<Object[]>> rows) {
        if (unsupported != null) {
            throw Errors.sql(unsupported, "0A000", null);
        }
        if (table.session.isReadOnly()) {
            throw Errors.sql("connection is read-only: cannot modify table " + table.name(), Errors.READ_ONLY, null);
        }
        checkIdentityNotUpdated();
        GeneratedKeys.Capture capture = table.session.keyCapture();
        // the rows the attempt that committed inserted: an attempt re-run (a lock or commit conflict) starts over
        java.util.concurrent.atomic.AtomicReference<List<Tuple>> inserted =
                new java.util.concurrent.atomic.AtomicReference<>();
        long count = Errors.translate(table.name(), () -> table.session.run(tx -> {
            List<Object[]> input = rows.apply(tx);
            if (operation == TableModify.Operation.INSERT && input.size() >= ESCALATE_ROWS) {
                tx.lockTable(table.name(), LockKind.WRITE);
            }
            Statement st = new Statement(tx, Referential.of(table.session.database(), tx), input);
            long n = 0;
            int i = 0;
            for (Object[] row : input) {
                CheckedEnumerator.checkEvery(++i);
                n += st.apply(row);
            }
            if (st.fks != null) {
                st.fks.finish();
            }
            inserted.set(st.inserted);
            return n;
        }));
        if (capture != null && inserted.get() != null) {
            capture.add(table.shape, inserted.get());
        }
        return count;
    }

    /** An UPDATE may not change a GENERATED ALWAYS identity column (SQLState 428C9). */
    private void checkIdentityNotUpdated() {
        SqlShape.Identity id = table.shape.identity();
        if (id == null || !id.always() || (operation != TableModify.Operation.UPDATE
                && operation != TableModify.Operation.MERGE)) {
            return;
        }
        for (int u : updated) {
            if (u == id.column()) {
                throw Errors.sql("column " + table.shape.columns().get(u).name() + " of table " + table.name()
                        + " is GENERATED ALWAYS AS IDENTITY: it cannot be updated", "428C9", null);
            }
        }
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
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw SqlErrors.fromClassInitialization(e); // a constant of the statement failed (DML reads here)
        }
        return input;
    }

    /** One execution's writes in one attempt of its transaction: its foreign key checks and inserted records. */
    private final class Statement {
        final Tx tx;
        final Referential fks;
        final List<Tuple> inserted = new ArrayList<>();
        /** The statement's input rows (an UPDATE's or DELETE's finds its records' hidden row ids). */
        private final List<Object[]> input;
        private RowIds.Matches stored;
        /** The table's row id counter, looked up at the statement's first insert (not once per row). */
        private java.util.concurrent.atomic.AtomicLong rowIds;

        Statement(Tx tx, Referential fks, List<Object[]> input) {
            this.tx = tx;
            this.fks = fks;
            this.input = input;
        }

        /**
         * The stored record of an UPDATE's or DELETE's input row: with its hidden row id found where the table has
         * one ({@link RowIds.Matches}, for all the statement's rows at the first), else the record the row is.
         */
        private Tuple stored(Object[] row) {
            Tuple record = toRecord(row, 0, false, null);
            if (!table.shape.rowId()) {
                return record;
            }
            if (stored == null) {
                List<Tuple> wanted = new ArrayList<>(input.size());
                for (Object[] r : input) {
                    wanted.add(toRecord(r, 0, false, null));
                }
                stored = new RowIds.Matches(tx, table.shape, wanted);
            }
            return stored.take(record);
        }

        long apply(Object[] row) {
            switch (operation) {
                case INSERT:
                    insert(toRecord(withIdentity(row, 0), 0, true, null));
                    return 1;
                case DELETE:
                    delete(stored(row));
                    return 1;
                case UPDATE: {
                    int width = table.shape.columns().size();
                    Object[] neu = java.util.Arrays.copyOf(row, width);
                    for (int i = 0; i < updated.length; i++) {
                        neu[updated[i]] = row[width + i];
                    }
                    Tuple old = stored(row);
                    checkUpdated(neu);
                    Tuple fresh = toRecord(neu, 0, false, old);
                    if (!old.equals(fresh)) {
                        update(old, fresh);
                    }
                    return 1;
                }
                case MERGE:
                    return merge(row);
                default:
                    throw Errors.sql(operation + " is not supported on table " + table.name(), "0A000", null);
            }
        }

        /**
         * MERGE as the upsert form: Calcite's row starts with the values of the WHEN NOT MATCHED insert and ends
         * with the SET values of WHEN MATCHED. The record to update is found by the key of the insert values (so
         * the ON condition must compare the primary key, which is what an upsert does); it is updated if present,
         * else the insert values are inserted. Only set and ordered_set tables, and only MERGE with both clauses.
         */
        private long merge(Object[] row) {
            int width = table.shape.columns().size();
            boolean hasInsert = row.length >= width && row.length - width != updated.length
                    || updated.length == 0;
            if (!TableWrites.isSet(table.shape) || table.shape.rowId() || !hasInsert || updated.length == 0) {
                throw Errors.sql("MERGE on table " + table.name() + ": Mnemo supports the upsert form (ON the "
                        + "primary key, WHEN MATCHED THEN UPDATE and WHEN NOT MATCHED THEN INSERT) on set and "
                        + "ordered_set tables with a PRIMARY KEY", "0A000", null);
            }
            Tuple inserted = toRecord(withIdentity(row, 0), 0, true, null);
            List<Tuple> current = tx.read(table.name(), inserted.get(1), LockKind.WRITE);
            if (current.isEmpty()) {
                insert(inserted);
                return 1;
            }
            Object[] neu = table.toRow(current.get(0));
            int setStart = row.length - updated.length;
            for (int i = 0; i < updated.length; i++) {
                neu[updated[i]] = row[setStart + i];
            }
            checkUpdated(neu);
            Tuple fresh = toRecord(neu, 0, false, current.get(0));
            if (!fresh.equals(current.get(0))) {
                update(current.get(0), fresh);
            }
            return 1;
        }

        private void insert(Tuple record) {
            if (table.shape.rowId()) {
                if (rowIds == null) {
                    rowIds = RowIds.counter(table.session.database(), table.name());
                }
                record = RowIds.withNew(tx, rowIds, table.name(), record);
            }
            TableWrites.insert(tx, table.shape, record);
            inserted.add(record);
            if (fks != null) {
                fks.inserted(table.shape, record);
            }
        }

        private void delete(Tuple record) {
            TableWrites.delete(tx, table.shape, record);
            if (fks != null) {
                fks.deleted(table.shape, record);
            }
        }

        private void update(Tuple old, Tuple fresh) {
            TableWrites.update(tx, table.shape, old, fresh);
            if (fks != null) {
                fks.updated(table.shape, old, fresh);
            }
        }
    }

    /**
     * The row of an INSERT with its identity value: a null one (the column was left out or given DEFAULT) is the
     * table's next value; a value given to a GENERATED ALWAYS column is refused (428C9), one given to a BY DEFAULT
     * column is kept and the counter raised past it, so that it never hands that value out.
     */
    private Object[] withIdentity(Object[] row, int offset) {
        SqlShape.Identity id = table.shape.identity();
        if (id == null) {
            return row;
        }
        Object v = row[offset + id.column()];
        Mnemo db = table.session.database();
        if (v == null) {
            Object[] out = row.clone();
            out[offset + id.column()] = Sequences.next(db, table.name(), id.increment());
            return out;
        }
        String column = table.shape.columns().get(id.column()).name();
        if (id.always()) {
            throw Errors.sql("column " + column + " of table " + table.name() + " is GENERATED ALWAYS AS IDENTITY: "
                    + "leave it out of the INSERT (or give DEFAULT) to have it generated", "428C9", null);
        }
        if (v instanceof Number n) {
            Sequences.raiseTo(db, table.name(), n.longValue());
        }
        return row;
    }

    /**
     * Checks the columns an UPDATE (or a MERGE's matched branch) sets against their declared lengths and integer
     * widths; the columns it leaves as they were are not checked (the row may predate their declaration).
     */
    private void checkUpdated(Object[] neu) {
        List<SqlShape.Column> cols = table.shape.columns();
        for (int c : updated) {
            SqlValues.check(table.name(), cols.get(c), neu[c]);
            neu[c] = SqlValues.fit(table.name(), cols.get(c), neu[c]); // only what is written is fitted
        }
    }

    /**
     * The engine record of the first columns of a SQL row (Calcite internal values), checking NOT NULL; a record
     * about to be {@code written} whole (an INSERT's) is also checked against the declared lengths and integer
     * widths (a row as it is, to delete or to update, is not: it may predate them). The record of a row that
     * replaces the stored record {@code replacing} (else null) keeps its row id ({@link SqlShape#toRecord(Object[],
     * Tuple)}).
     */
    private Tuple toRecord(Object[] row, int offset, boolean written, Tuple replacing) {
        List<SqlShape.Column> cols = table.shape.columns();
        Object[] values = new Object[cols.size()];
        for (int i = 0; i < values.length; i++) {
            SqlShape.Column c = cols.get(i);
            Object v = row[offset + i];
            if (v == null && c.notNull()) {
                throw Errors.sql("column " + c.name() + " of table " + table.name() + " is NOT NULL; got null",
                        Errors.NOT_NULL, null);
            }
            if (written) {
                SqlValues.check(table.name(), c, v);
            }
            // a row as it is (to delete, or the old side of an update) must stay the stored record exactly
            values[i] = SqlValues.toEngine(table.name(), c.name(), c.type(),
                    written ? SqlValues.fit(table.name(), c, v) : v);
        }
        return table.shape.toRecord(values, replacing);
    }
}
