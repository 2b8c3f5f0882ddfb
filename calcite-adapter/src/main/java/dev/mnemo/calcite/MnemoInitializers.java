package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;

/**
 * What an INSERT puts in a column it leaves out (or gives {@code DEFAULT}): the column's DEFAULT (a literal, or
 * CURRENT_DATE / CURRENT_TIME / CURRENT_TIMESTAMP / LOCALTIMESTAMP evaluated per statement), or for the identity
 * column a null that {@link ModifyPlan} replaces by the table's next value. Such columns may be left out even when
 * NOT NULL.
 */
final class MnemoInitializers extends NullInitializerExpressionFactory {
    private final SqlShape shape;

    MnemoInitializers(SqlShape shape) {
        this.shape = shape;
    }

    private boolean generated(int column) {
        return (shape.identity() != null && shape.identity().column() == column) || shape.defaults().containsKey(column);
    }

    @Override
    public ColumnStrategy generationStrategy(RelOptTable table, int iColumn) {
        return generated(iColumn) ? ColumnStrategy.DEFAULT : super.generationStrategy(table, iColumn);
    }

    @Override
    public RexNode newColumnDefaultValue(RelOptTable table, int iColumn, InitializerContext context) {
        RexBuilder rex = context.getRexBuilder();
        RelDataType type = table.getRowType().getFieldList().get(iColumn).getType();
        RelDataType nullable = rex.getTypeFactory().createTypeWithNullability(type, true);
        List<?> stored = shape.defaults().get(iColumn);
        if (stored == null) {
            return rex.makeNullLiteral(nullable); // the identity column, or no default at all
        }
        if ("function".equals(stored.get(0))) {
            SqlOperator op = switch (String.valueOf(stored.get(1))) {
                case "CURRENT_DATE" -> SqlStdOperatorTable.CURRENT_DATE;
                case "CURRENT_TIME" -> SqlStdOperatorTable.CURRENT_TIME;
                case "LOCALTIMESTAMP" -> SqlStdOperatorTable.LOCALTIMESTAMP;
                default -> SqlStdOperatorTable.CURRENT_TIMESTAMP;
            };
            return rex.makeCast(type, rex.makeCall(op));
        }
        Object v = stored.get(1);
        if (v == null) {
            return rex.makeNullLiteral(nullable);
        }
        return rex.makeLiteral(SqlValues.toSql(shape.columns().get(iColumn), v), type, true);
    }
}
