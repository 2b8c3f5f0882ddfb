package dev.mnemo.calcite;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Calcite's signature of a prepared statement, with every field of the one Calcite made but the column labels
 * ({@link ColumnLabels}), plus a {@link DirectPlan} for a statement on a single key. Executing through Calcite
 * ({@link #enumerable}) runs the original plan; a Meta that knows this class may answer with {@link #direct()}
 * instead.
 *
 * <p>A statement prepared from its parse tree ({@link SimpleStatements}) has no plan yet: Calcite plans it the
 * first time an execution needs one (the direct plan declined it).
 *
 * @param <T> row type
 */
public final class MnemoSignature<T> extends CalcitePrepare.CalciteSignature<T> {
    private final DirectPlan direct;
    /** Calcite's signature of the statement, planned when first needed; null until then. */
    private volatile CalcitePrepare.CalciteSignature<T> original;
    /** Plans the statement, when it has no plan yet. */
    private final Supplier<CalcitePrepare.CalciteSignature<T>> planner;

    MnemoSignature(CalcitePrepare.CalciteSignature<T> original, long maxRowCount, List<ColumnMetaData> columns,
                   DirectPlan direct) {
        // the bindable is private to the original: execution through Calcite delegates to it (see enumerable)
        super(original.sql, original.parameters, original.internalParameters, original.rowType, columns,
                original.cursorFactory, original.rootSchema, original.getCollationList(), maxRowCount, null,
                original.statementType);
        this.original = original;
        this.direct = direct;
        this.planner = null;
    }

    /** The signature of a statement not planned yet, which {@code planner} plans when an execution needs it. */
    MnemoSignature(String sql, List<AvaticaParameter> parameters, RelDataType rowType, List<ColumnMetaData> columns,
                   Meta.CursorFactory cursorFactory, CalciteSchema rootSchema, long maxRowCount,
                   Meta.StatementType type, DirectPlan direct, Supplier<CalcitePrepare.CalciteSignature<T>> planner) {
        super(sql, parameters, java.util.Map.of(), rowType, columns, cursorFactory, rootSchema, List.of(),
                maxRowCount, null, type);
        this.direct = direct;
        this.planner = planner;
    }

    /** The direct plan that executes this statement, or null if only Calcite's plan can. */
    public DirectPlan direct() {
        return direct;
    }

    /** Whether the statement was prepared without Calcite's planner (and is planned only if ever needed). */
    public boolean unplanned() {
        return planner != null;
    }

    /**
     * Whether {@code planned}, this statement planned later, has the columns (names and types) and parameter types
     * this signature promised its result sets and parameter setters.
     */
    private boolean fits(CalcitePrepare.CalciteSignature<T> planned) {
        if (planned.columns.size() != columns.size() || planned.parameters.size() != parameters.size()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            ColumnMetaData a = columns.get(i);
            ColumnMetaData b = planned.columns.get(i);
            if (!a.label.equals(b.label) || a.type.id != b.type.id) {
                return false;
            }
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).parameterType != planned.parameters.get(i).parameterType) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Enumerable<T> enumerable(DataContext dataContext) {
        CalcitePrepare.CalciteSignature<T> planned = original;
        if (planned == null) {
            synchronized (this) {
                planned = original;
                if (planned == null) {
                    planned = planner.get();
                    if (!fits(planned)) {
                        // planned now, against a table changed since: its rows would not fit this statement's columns
                        throw Errors.sql("a table of this statement changed since it was prepared, and its result "
                                + "or parameters with it: prepare the statement again", "0A000", null);
                    }
                    original = planned;
                }
            }
        }
        if (planner == null) {
            return planned.enumerable(dataContext);
        }
        // the connection made the context with this signature's internal parameters and schema snapshot: the plan
        // has its own of both, made only now
        Map<String, Object> internal = planned.internalParameters;
        org.apache.calcite.schema.SchemaPlus root = planned.rootSchema == null ? dataContext.getRootSchema()
                : planned.rootSchema.plus();
        return planned.enumerable(new DataContext() {
            @Override
            public org.apache.calcite.schema.SchemaPlus getRootSchema() {
                return root;
            }

            @Override
            public org.apache.calcite.adapter.java.JavaTypeFactory getTypeFactory() {
                return dataContext.getTypeFactory();
            }

            @Override
            public org.apache.calcite.linq4j.QueryProvider getQueryProvider() {
                return dataContext.getQueryProvider();
            }

            @Override
            public Object get(String name) {
                return internal.containsKey(name) ? internal.get(name) : dataContext.get(name);
            }
        });
    }
}
