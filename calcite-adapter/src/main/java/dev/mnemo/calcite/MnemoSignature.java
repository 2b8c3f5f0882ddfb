package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.linq4j.Enumerable;

/**
 * Calcite's signature of a prepared statement, with every field of the one Calcite made but the column labels
 * ({@link ColumnLabels}), plus a {@link DirectPlan} for a statement on a single key. Executing through Calcite
 * ({@link #enumerable}) runs the original plan; a Meta that knows this class may answer with {@link #direct()}
 * instead.
 *
 * @param <T> row type
 */
public final class MnemoSignature<T> extends CalcitePrepare.CalciteSignature<T> {
    private final CalcitePrepare.CalciteSignature<T> original;
    private final DirectPlan direct;

    MnemoSignature(CalcitePrepare.CalciteSignature<T> original, long maxRowCount, List<ColumnMetaData> columns,
                   DirectPlan direct) {
        // the bindable is private to the original: execution through Calcite delegates to it (see enumerable)
        super(original.sql, original.parameters, original.internalParameters, original.rowType, columns,
                original.cursorFactory, original.rootSchema, original.getCollationList(), maxRowCount, null,
                original.statementType);
        this.original = original;
        this.direct = direct;
    }

    /** The direct plan that executes this statement, or null if only Calcite's plan can. */
    public DirectPlan direct() {
        return direct;
    }

    @Override
    public Enumerable<T> enumerable(DataContext dataContext) {
        return original.enumerable(dataContext);
    }
}
