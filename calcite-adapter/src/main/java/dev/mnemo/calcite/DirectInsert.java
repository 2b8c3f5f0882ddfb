package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableValues;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;

/**
 * {@code INSERT INTO t [(columns)] VALUES (v, …)} of one row (or, from {@link SimpleStatements}, several), each
 * {@code v} a literal or a {@code ?} parameter,
 * executed without Calcite's run-time path: no data context and no generated code per execution, and a whole JDBC
 * batch of it as one statement of one engine transaction (one pass through {@link ModifyPlan}, rather than one plan
 * execution and one sub-transaction per row). The plan must be exactly {@code MnemoTableModify ← EnumerableCalc (the
 * table's columns, each a parameter, a literal or a character DEFAULT) ← EnumerableValues (one row)}; a parameter is
 * used only when its bound value is already the Java value Calcite's generated code would make of it, else the
 * execution goes through Calcite, whose conversions apply.
 */
public final class DirectInsert implements DirectPlan {
    private final MnemoTable table;
    private final ModifyPlan modify;
    /** The inserted rows' values, one per column of the table, in column order. */
    private final List<List<DirectValue>> rows;
    /** Calcite's cap on result rows: 0 hides the count row (the insert still runs). */
    private final long maxRowCount;

    DirectInsert(MnemoTable table, ModifyPlan modify, List<List<DirectValue>> rows, long maxRowCount) {
        this.table = table;
        this.modify = modify;
        this.rows = rows;
        this.maxRowCount = maxRowCount;
    }

    /** The direct INSERT of a statement whose final physical plan is {@code root}, or null. */
    static DirectInsert plan(RelRoot root, Meta.StatementType type, long maxRowCount) {
        if (type != Meta.StatementType.IS_DML || !root.isRefTrivial() || !(root.rel instanceof MnemoTableModify m)
                || !m.isInsert() || !(m.getInput() instanceof EnumerableCalc calc)
                || !(calc.getInput() instanceof EnumerableValues one) || one.getTuples().size() != 1) {
            return null;
        }
        MnemoTable table = m.getTable().unwrap(MnemoTable.class);
        RexProgram program = calc.getProgram();
        if (table == null || program.getCondition() != null) {
            return null;
        }
        List<RexNode> projects = program.expandList(program.getProjectList());
        if (projects.size() != table.shape.columns().size()) {
            return null;
        }
        List<DirectValue> values = new ArrayList<>(projects.size());
        for (RexNode e : projects) {
            DirectValue v = DirectValue.of(e);
            if (v == null) {
                return null;
            }
            values.add(v);
        }
        return new DirectInsert(table, new ModifyPlan(table, m.getOperation(), null, null),
                List.of(List.copyOf(values)), maxRowCount);
    }

    /**
     * The update count of one execution, as a one-row result; null (before anything is written) when the direct
     * path declines: an unbound parameter, a parameter whose value Calcite would convert, or a table deleted or
     * redefined since prepare (checked again inside the transaction).
     */
    @Override
    public List<Object> rows(MnemoSession session, List<TypedValue> parameters) {
        DirectKey.requireOwnSession(table, session);
        List<Object[]> inserted = new ArrayList<>(rows.size());
        if (!addRows(parameters, inserted)) {
            return null;
        }
        Long count = insert(session, inserted);
        return count == null ? null : maxRowCount == 0 ? List.of() : List.of(count);
    }

    /**
     * The update counts of a JDBC batch of executions, inserted as one statement (all its rows or none); null when
     * the table has foreign keys, when the direct path declines any of the executions, or when the batch fails: the
     * caller then runs it row by row, which reports the failing row as a batch does and keeps the rows before it (an
     * open transaction's batch). A lost lock conflict or an interrupt is thrown, as it ends the transaction.
     */
    public long[] batch(MnemoSession session, List<List<TypedValue>> parameterSets) {
        if (!ForeignKeys.of(session.database()).of(table.name()).isEmpty()) {
            // each execution of a batch is its own statement, its foreign keys checked at its end: a batch as one
            // statement would let a row reference a parent inserted by a later row
            return null;
        }
        DirectKey.requireOwnSession(table, session);
        List<Object[]> inserted = new ArrayList<>(parameterSets.size() * rows.size());
        for (List<TypedValue> parameters : parameterSets) {
            if (!addRows(parameters, inserted)) {
                return null;
            }
        }
        Long count;
        try {
            count = insert(session, inserted);
        } catch (AvaticaClientRuntimeException e) {
            String state = e.getSqlState();
            if (Errors.CONFLICT.equals(state) || Errors.INTERRUPTED.equals(state) || state != null
                    && (state.startsWith("08") || state.equals("40003"))) {
                throw e; // the rows may be committed (40003), or cannot be: running them again one by one is wrong
            }
            return null;
        }
        if (count == null) {
            return null;
        }
        long[] counts = new long[parameterSets.size()];
        java.util.Arrays.fill(counts, rows.size());
        return counts;
    }

    /**
     * Adds to {@code out} the rows one execution inserts, as Calcite's plan would feed them to the modification;
     * false to decline.
     */
    private boolean addRows(List<TypedValue> parameters, List<Object[]> out) {
        for (List<DirectValue> values : rows) {
            Object[] row = new Object[values.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = values.get(i).of(parameters);
                if (row[i] == DirectValue.DECLINE) {
                    return false;
                }
            }
            out.add(row);
        }
        return true;
    }

    /** Inserts {@code rows} in one statement; their count, or null if the table changed since prepare. */
    private Long insert(MnemoSession session, List<Object[]> rows) {
        Mnemo db = session.database();
        try {
            if (!DirectDecline.current(table, db)) {
                return null;
            }
            return modify.apply(tx -> {
                if (!DirectDecline.current(table, db)) {
                    throw new DirectDecline("table changed since prepare");
                }
                return rows;
            });
        } catch (DirectDecline | NoSuchTableException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "direct insert into " + table.name() + " " + rows;
    }
}
