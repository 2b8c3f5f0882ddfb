package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code UPDATE t SET c = v, … WHERE key = k} and {@code DELETE FROM t WHERE key = k} (each {@code v} a literal, a
 * {@code ?} parameter, or a BIGINT or DOUBLE column plus or minus one of those, as in {@code balance = balance - ?};
 * each key column a literal or a parameter) executed without Calcite's run-time path. The plan must be exactly
 * {@code MnemoTableModify ← [EnumerableCalc: the columns, then the SET values] ← MnemoToEnumerableConverter ←
 * MnemoTableScan} with a single-key lookup. Execution is the statement's own {@link ModifyPlan} fed with the key's
 * rows read in its transaction, as the generated code feeds it; a {@code ?} SET value is used only when its bound
 * value is already the Java value Calcite's generated code would make of it (else the statement goes through
 * Calcite, whose conversions apply).
 */
public final class DirectModify implements DirectPlan {
    private final DirectKey key;
    private final ModifyPlan modify;
    /** UPDATE: the SET values, in the order of the update column list; DELETE: none. */
    private final List<SetValue> values;
    /** Calcite's cap on result rows: 0 hides the count row (the modification still runs). */
    private final long maxRowCount;

    /**
     * A SET value: {@code value}, or, with an {@code op}, the row's {@code column} plus or minus it (in the order
     * written), computed as Calcite's generated code does for BIGINT and DOUBLE (Java arithmetic, NULL if either is
     * NULL); a BIGINT result that overflows makes the execution decline, so Calcite's code decides what happens.
     */
    record SetValue(DirectValue value, SqlKind op, int column, boolean columnFirst, SqlTypeName type) {
        /** The value {@code v}, as it is. */
        static SetValue of(DirectValue v) {
            return new SetValue(v, null, -1, true, null);
        }

        static SetValue of(RexNode e, int width) {
            DirectValue v = DirectValue.of(e);
            if (v != null) {
                return of(v);
            }
            // the driver's SQL checks exact arithmetic for overflow (CHECKED_PLUS), as this path does
            SqlKind kind = e instanceof RexCall c ? c.getKind() : null;
            boolean plus = kind == SqlKind.PLUS || kind == SqlKind.CHECKED_PLUS;
            if (!(e instanceof RexCall call) || !plus && kind != SqlKind.MINUS && kind != SqlKind.CHECKED_MINUS
                    || call.getOperands().size() != 2) {
                return null;
            }
            SqlTypeName type = call.getType().getSqlTypeName();
            RexNode a = call.getOperands().get(0);
            RexNode b = call.getOperands().get(1);
            boolean columnFirst = a instanceof RexInputRef;
            RexNode column = columnFirst ? a : b;
            RexNode operand = columnFirst ? b : a;
            if (type != SqlTypeName.BIGINT && type != SqlTypeName.DOUBLE || !(column instanceof RexInputRef ref)
                    || ref.getIndex() >= width || column.getType().getSqlTypeName() != type) {
                return null;
            }
            SqlTypeName operandType = operand.getType().getSqlTypeName();
            // no conversion in Calcite's code but an int literal's widening
            boolean sameType = operandType == type
                    || type == SqlTypeName.BIGINT && operandType == SqlTypeName.INTEGER && operand instanceof RexLiteral;
            DirectValue value = sameType ? DirectValue.of(operand) : null;
            return value == null ? null : new SetValue(value, plus ? SqlKind.PLUS : SqlKind.MINUS, ref.getIndex(),
                    columnFirst, type);
        }

        /** The value written for {@code row}, given the execution's {@code bound} value of {@link #value}. */
        Object apply(Object[] row, Object bound) {
            if (op == null) {
                return bound;
            }
            Object c = row[column];
            if (c == null || bound == null) {
                return null;
            }
            boolean plus = op == SqlKind.PLUS;
            if (type == SqlTypeName.DOUBLE) {
                double x = ((Number) (columnFirst ? c : bound)).doubleValue();
                double y = ((Number) (columnFirst ? bound : c)).doubleValue();
                return plus ? x + y : x - y;
            }
            long x = ((Number) (columnFirst ? c : bound)).longValue();
            long y = ((Number) (columnFirst ? bound : c)).longValue();
            try {
                return plus ? Math.addExact(x, y) : Math.subtractExact(x, y);
            } catch (ArithmeticException overflow) {
                throw new DirectDecline("BIGINT overflow"); // nothing written yet: Calcite's code decides
            }
        }
    }

    DirectModify(DirectKey key, ModifyPlan modify, List<SetValue> values, long maxRowCount) {
        this.key = key;
        this.modify = modify;
        this.values = values;
        this.maxRowCount = maxRowCount;
    }

    /** The direct UPDATE or DELETE of a statement whose final physical plan is {@code root}, or null. */
    static DirectModify plan(RelRoot root, Meta.StatementType type, long maxRowCount) {
        if (type != Meta.StatementType.IS_DML || !root.isRefTrivial() || !(root.rel instanceof MnemoTableModify m)
                || (!m.isUpdate() && !m.isDelete())) {
            return null;
        }
        RelNode n = m.getInput();
        List<RexNode> computed = List.of();
        int width = m.getTable().getRowType().getFieldCount();
        if (n instanceof EnumerableCalc calc) {
            computed = setValues(calc.getProgram(), width);
            if (computed == null) {
                return null;
            }
            n = calc.getInput();
        }
        DirectKey key = n instanceof MnemoToEnumerableConverter c && c.getInput() instanceof MnemoTableScan scan
                ? DirectKey.of(scan) : null;
        if (key == null) {
            return null;
        }
        List<String> columns = m.isUpdate() ? m.getUpdateColumnList() : List.of();
        List<RexNode> sources = m.isUpdate() ? m.getSourceExpressionList() : List.of();
        if (columns == null || sources == null || columns.size() != computed.size()
                || sources.size() != computed.size()) {
            return null;
        }
        List<SetValue> values = new ArrayList<>(computed.size());
        for (int i = 0; i < computed.size(); i++) {
            // Calcite's modify reads the i-th SET value from field width + i of its input
            if (!(sources.get(i) instanceof RexInputRef ref) || ref.getIndex() != width + i) {
                return null;
            }
            SetValue v = SetValue.of(computed.get(i), width);
            if (v == null) {
                return null;
            }
            values.add(v);
        }
        return new DirectModify(key, new ModifyPlan(key.table, m.getOperation(), columns, null), values,
                maxRowCount);
    }

    /**
     * The expressions a calc appends to its {@code width} input columns, passed through unchanged in order; null if
     * it filters or does anything else.
     */
    private static List<RexNode> setValues(RexProgram program, int width) {
        if (program.getCondition() != null || program.getInputRowType().getFieldCount() != width) {
            return null;
        }
        List<RexNode> projects = program.expandList(program.getProjectList());
        if (projects.size() < width) {
            return null;
        }
        for (int i = 0; i < width; i++) {
            if (!(projects.get(i) instanceof RexInputRef ref) || ref.getIndex() != i) {
                return null;
            }
        }
        return projects.subList(width, projects.size());
    }

    /**
     * The update count of one execution, as a one-row result. Declines (null) for an unbound parameter, a SET
     * parameter whose value Calcite would convert, or a table deleted or redefined since prepare (checked again
     * inside the transaction, under the key's lock, before anything is written).
     */
    @Override
    public List<Object> rows(MnemoSession session, List<TypedValue> parameters) {
        if (!key.bound(session, parameters)) {
            return null;
        }
        Object[] set = new Object[values.size()];
        for (int i = 0; i < set.length; i++) {
            set[i] = values.get(i).value().of(parameters);
            if (set[i] == DirectValue.DECLINE) {
                return null;
            }
        }
        Mnemo db = session.database();
        try {
            if (!key.current(db)) {
                return null;
            }
            long count = modify.apply(tx -> rows(tx, db, parameters, set));
            return maxRowCount == 0 ? List.of() : List.of(count);
        } catch (DirectDecline | NoSuchTableException e) {
            return null;
        }
    }

    /**
     * The rows Calcite's plan would feed the modification: the key's records as SQL rows followed by the SET
     * values, read in the modification's transaction {@code tx}.
     */
    private List<Object[]> rows(Tx tx, Mnemo db, List<TypedValue> parameters, Object[] set) {
        Object k = key.resolve(parameters);
        List<Tuple> records;
        try {
            records = k == null ? List.of() : tx.read(key.name(), k);
        } catch (NoSuchTableException e) {
            throw new DirectDecline("table changed since prepare");
        }
        if (!key.current(db)) {
            throw new DirectDecline("table changed since prepare");
        }
        List<Object[]> out = new ArrayList<>(records.size());
        for (Object[] row : key.table.toRows(records, null)) {
            Object[] full = java.util.Arrays.copyOf(row, row.length + set.length);
            for (int i = 0; i < set.length; i++) {
                full[row.length + i] = values.get(i).apply(row, set[i]);
            }
            out.add(full);
        }
        return out;
    }

    @Override
    public String toString() {
        return "direct " + (values.isEmpty() ? "delete " : "update ") + key + (values.isEmpty() ? ""
                : " set " + modify.updatedColumns() + " = " + values);
    }
}
