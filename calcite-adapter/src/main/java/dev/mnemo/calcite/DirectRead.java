package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.sql.SqlKind;

/**
 * A prepared SELECT that reads one key of one table, answered without Calcite's run-time path (no data context, no
 * generated code): the plan is exactly {@code [EnumerableCalc] ← MnemoToEnumerableConverter ← [MnemoProject…] ←
 * MnemoTableScan} with a key lookup of a single key (each key column a literal or a {@code ?} parameter), no guard,
 * no limit, a calc (if any) that only picks columns, and a root that passes the columns through. {@link #rows}
 * returns exactly the rows that plan's enumerable would.
 *
 * <p>In autocommit mode (and outside any engine transaction on the calling thread) the key is read with the
 * engine's lock-free dirty read: one key's records, committed and published. Otherwise it is read through the
 * session's transaction with a record read lock, as the scan does. The table definition seen at prepare time must
 * still be the table's: otherwise {@link #rows} returns null and the caller takes Calcite's path, which behaves
 * as it always did.
 */
public final class DirectRead {
    private final MnemoTable table;
    /** The key columns' values, in key order. */
    private final List<AccessPath.ValueRef> key;
    /** Table columns of the result, or null for all of them. */
    private final int[] projection;
    /** A one-column result: each row is the bare value (cursor OBJECT), else an Object[] (cursor ARRAY). */
    private final boolean scalar;
    /** Calcite's cap on rows (-1: none), applied as {@code CalciteSignature.enumerable} does. */
    private final long maxRowCount;

    private DirectRead(MnemoTable table, List<AccessPath.ValueRef> key, int[] projection, boolean scalar,
                       long maxRowCount) {
        this.table = table;
        this.key = key;
        this.projection = projection;
        this.scalar = scalar;
        this.maxRowCount = maxRowCount;
    }

    /**
     * The direct read of a prepared statement whose final physical plan is {@code root}, or null if the plan is
     * anything but a single-key lookup whose rows the cursor {@code cursor} takes as they come.
     */
    static DirectRead plan(RelRoot root, Meta.StatementType type, Meta.CursorFactory cursor, long maxRowCount) {
        if (type != Meta.StatementType.SELECT || root.kind != SqlKind.SELECT || !root.isRefTrivial()) {
            return null;
        }
        RelNode n = root.rel;
        int[] projection = null;
        if (n instanceof EnumerableCalc calc) {
            // Calcite may reorder all columns in a calc above the converter rather than in a MnemoProject
            projection = columnsOnly(calc.getProgram());
            if (projection == null) {
                return null;
            }
            n = calc.getInput();
        }
        if (!(n instanceof MnemoToEnumerableConverter converter)) {
            return null;
        }
        n = converter.getInput();
        while (n instanceof MnemoProject p) {
            int[] columns = new int[p.getProjects().size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = ((RexInputRef) p.getProjects().get(i)).getIndex();
            }
            projection = projection == null ? columns : compose(projection, columns);
            n = p.getInput();
        }
        if (!(n instanceof MnemoTableScan scan)) {
            return null;
        }
        AccessPath path = scan.path;
        SqlShape shape = scan.mnemoTable.shape;
        if (path.kind != AccessPath.Kind.KEY_LOOKUP || path.keys.size() != 1 || !path.guard.isEmpty()
                || path.limit != 0 || path.keys.get(0).size() != shape.keyColumns().length) {
            return null;
        }
        int width = projection == null ? shape.columns().size() : projection.length;
        boolean scalar = width == 1;
        Meta.Style expected = scalar ? Meta.Style.OBJECT : Meta.Style.ARRAY;
        if (cursor.style != expected || root.rel.getRowType().getFieldCount() != width) {
            return null;
        }
        return new DirectRead(scan.mnemoTable, List.copyOf(path.keys.get(0)), projection, scalar, maxRowCount);
    }

    /** The input columns a calc program passes on, or null if it filters or computes anything. */
    private static int[] columnsOnly(RexProgram program) {
        if (program.getCondition() != null) {
            return null;
        }
        List<RexNode> projects = program.expandList(program.getProjectList());
        int[] columns = new int[projects.size()];
        for (int i = 0; i < columns.length; i++) {
            if (!(projects.get(i) instanceof RexInputRef ref)) {
                return null;
            }
            columns[i] = ref.getIndex();
        }
        return columns;
    }

    /** {@code outer} (positions in the rows of {@code inner}) as positions in the rows below {@code inner}. */
    private static int[] compose(int[] outer, int[] inner) {
        int[] out = new int[outer.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = inner[outer[i]];
        }
        return out;
    }

    /** The table read. */
    public String table() {
        return table.name();
    }

    /**
     * The rows of one execution with {@code parameters} (the statement's bound values, in order): each a bare value
     * for a one-column result, else an {@code Object[]}, as Calcite's internal values. Null when the direct path
     * cannot answer (the table was deleted or its definition changed since prepare, a parameter is unbound): the
     * caller then runs the statement through Calcite. Engine failures are thrown as the scan throws them.
     */
    public List<Object> rows(MnemoSession session, List<TypedValue> parameters) {
        for (TypedValue v : parameters) {
            if (v == null) {
                return null; // Calcite reports the unbound parameter
            }
        }
        for (AccessPath.ValueRef ref : key) {
            if (ref.param() >= parameters.size()) {
                return null;
            }
        }
        Mnemo db = session.database();
        List<Tuple> records = Errors.translate(table.name(), () -> {
            try {
                if (!current(db)) {
                    return null;
                }
                List<Tuple> read = read(session, db, parameters);
                // a schema change may have slipped in while reading: then these records may have another shape
                return read != null && current(db) ? read : null;
            } catch (NoSuchTableException e) {
                return null; // deleted since prepare: Calcite's path reports it
            }
        });
        return records == null ? null : rowsOf(records);
    }

    private List<Tuple> read(MnemoSession session, Mnemo db, List<TypedValue> parameters) {
        if (session.isAutoCommit() && !db.isTransaction()) {
            Object k = key(parameters);
            return k == null ? List.of() : db.dirtyRead(table.name(), k);
        }
        // in the session's transaction (or the engine transaction this thread runs in), with a read lock
        return session.run(tx -> {
            Object k = key(parameters);
            try {
                return k == null ? List.of() : tx.read(table.name(), k);
            } catch (NoSuchTableException e) {
                return null;
            }
        });
    }

    /** The engine key the parameters and literals name, or null if a key column is NULL (which matches nothing). */
    private Object key(List<TypedValue> parameters) {
        SqlShape shape = table.shape;
        Object[] values = new Object[key.size()];
        for (int i = 0; i < values.length; i++) {
            AccessPath.ValueRef ref = key.get(i);
            Object raw = ref.param() >= 0 ? parameters.get(ref.param()).toLocal() : ref.literal();
            values[i] = AccessPath.ValueRef.toEngine(raw, shape.def().name(),
                    shape.columns().get(shape.keyColumns()[i]));
            if (values[i] == null) {
                return null;
            }
        }
        return shape.key(values);
    }

    /** Whether the table still has the definition this statement was planned for. */
    private boolean current(Mnemo db) {
        TableDef now = db.tableDef(table.name());
        TableDef then = table.shape.def();
        return now == then || now.equals(then);
    }

    private List<Object> rowsOf(List<Tuple> records) {
        List<Object[]> rows = table.toRows(records, projection);
        int n = maxRowCount >= 0 ? (int) Math.min(rows.size(), maxRowCount) : rows.size();
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(scalar ? rows.get(i)[0] : rows.get(i));
        }
        return out;
    }

    @Override
    public String toString() {
        return "direct key_lookup" + key + " on " + table.name();
    }
}
