package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
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
public final class DirectRead implements DirectPlan {
    private final DirectKey key;
    /** Table columns of the result, or null for all of them. */
    private final int[] projection;
    /** A one-column result: each row is the bare value (cursor OBJECT), else an Object[] (cursor ARRAY). */
    private final boolean scalar;
    /** Calcite's cap on rows (-1: none), applied as {@code CalciteSignature.enumerable} does. */
    private final long maxRowCount;

    DirectRead(DirectKey key, int[] projection, boolean scalar, long maxRowCount) {
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
        DirectKey key = n instanceof MnemoTableScan scan ? DirectKey.of(scan) : null;
        if (key == null) {
            return null;
        }
        int width = projection == null ? key.table.shape.columns().size() : projection.length;
        boolean scalar = width == 1;
        Meta.Style expected = scalar ? Meta.Style.OBJECT : Meta.Style.ARRAY;
        if (cursor.style != expected || root.rel.getRowType().getFieldCount() != width) {
            return null;
        }
        return new DirectRead(key, projection, scalar, maxRowCount);
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

    /**
     * The rows of one execution: each a bare value for a one-column result, else an {@code Object[]}, as Calcite's
     * internal values. Declines (null) for an unbound parameter or a table deleted or redefined since prepare.
     */
    @Override
    public List<Object> rows(MnemoSession session, List<TypedValue> parameters) {
        if (!key.bound(session, parameters)) {
            return null;
        }
        Mnemo db = session.database();
        List<Tuple> records = Errors.translate(key.name(), () -> {
            try {
                if (!key.current(db)) {
                    return null;
                }
                List<Tuple> read = read(session, db, parameters);
                // a schema change may have slipped in while reading: then these records may have another shape
                return read != null && key.current(db) ? read : null;
            } catch (NoSuchTableException e) {
                return null; // deleted since prepare: Calcite's path reports it
            }
        });
        return records == null ? null : rowsOf(records);
    }

    private List<Tuple> read(MnemoSession session, Mnemo db, List<TypedValue> parameters) {
        if (session.isAutoCommit() && !db.isTransaction()) {
            Object k = key.resolve(parameters);
            return k == null ? List.of() : db.dirtyRead(key.name(), k);
        }
        // in the session's transaction (or the engine transaction this thread runs in), with a read lock
        return session.read(tx -> {
            Object k = key.resolve(parameters);
            try {
                return k == null ? List.of() : tx.read(key.name(), k);
            } catch (NoSuchTableException e) {
                return null;
            }
        });
    }

    private List<Object> rowsOf(List<Tuple> records) {
        List<Object[]> rows = key.table.toRows(records, projection);
        int n = maxRowCount >= 0 ? (int) Math.min(rows.size(), maxRowCount) : rows.size();
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(scalar ? rows.get(i)[0] : rows.get(i));
        }
        return out;
    }

    @Override
    public String toString() {
        int[] columns = projection != null ? projection
                : java.util.stream.IntStream.range(0, key.table.shape.columns().size()).toArray();
        return "direct read " + key + " columns " + java.util.Arrays.toString(columns) + (scalar ? " scalar" : "");
    }
}
