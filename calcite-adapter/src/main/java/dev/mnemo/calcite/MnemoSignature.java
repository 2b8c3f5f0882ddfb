package dev.mnemo.calcite;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
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
 * ({@link #enumerable}) runs Calcite's plan; a Meta that knows this class may answer with {@link #direct()}
 * instead.
 *
 * <p>The plan is of the schema of its time. An execution after a schema change (any DDL since the plan was made)
 * plans the statement again, against the tables as they are now, and runs that plan if it has the columns and
 * parameter types this signature promised (a table that gained a column, say); otherwise it fails with 0A000 and
 * asks for the statement to be prepared again. (A plan of a changed table read its records by the old columns: a
 * dropped and re-added column put one column's values under another's name.) A statement prepared from its parse
 * tree ({@link SimpleStatements}) has no plan yet: Calcite plans it the first time an execution needs one.
 *
 * @param <T> row type
 */
public final class MnemoSignature<T> extends CalcitePrepare.CalciteSignature<T> {
    private final DirectPlan direct;
    /** The plan the signature was made with (null if none): the connection's data context fits it. */
    private final CalcitePrepare.CalciteSignature<T> first;
    /** Plans the statement against the schema as it is at the time. */
    private final Supplier<CalcitePrepare.CalciteSignature<T>> planner;
    /** The database's schema version now, or null where there is none to follow. */
    private final LongSupplier schemaVersion;
    /** Whether the statement was prepared from its parse tree, without planning. */
    private final boolean fromParseTree;
    /** The current plan and the schema version it was made at (plan null: none made yet). */
    private volatile Planned<T> planned;

    private record Planned<T>(CalcitePrepare.CalciteSignature<T> plan, long schemaVersion) {
    }

    MnemoSignature(CalcitePrepare.CalciteSignature<T> original, long maxRowCount, List<ColumnMetaData> columns,
                   DirectPlan direct, Supplier<CalcitePrepare.CalciteSignature<T>> planner,
                   LongSupplier schemaVersion, long plannedAt) {
        // the bindable is private to the original: execution through Calcite delegates to it (see enumerable)
        super(original.sql, original.parameters, original.internalParameters, original.rowType, columns,
                original.cursorFactory, original.rootSchema, original.getCollationList(), maxRowCount, null,
                original.statementType);
        this.first = original;
        this.direct = direct;
        this.planner = planner;
        this.schemaVersion = schemaVersion;
        this.fromParseTree = false;
        this.planned = new Planned<>(original, plannedAt);
    }

    /** The signature of a statement not planned yet, which {@code planner} plans when an execution needs it. */
    MnemoSignature(String sql, List<AvaticaParameter> parameters, RelDataType rowType, List<ColumnMetaData> columns,
                   Meta.CursorFactory cursorFactory, CalciteSchema rootSchema, long maxRowCount,
                   Meta.StatementType type, DirectPlan direct, Supplier<CalcitePrepare.CalciteSignature<T>> planner,
                   LongSupplier schemaVersion) {
        super(sql, parameters, Map.of(), rowType, columns, cursorFactory, rootSchema, List.of(), maxRowCount, null,
                type);
        this.first = null;
        this.direct = direct;
        this.planner = planner;
        this.schemaVersion = schemaVersion;
        this.fromParseTree = true;
        this.planned = new Planned<>(null, -1);
    }

    /** The direct plan that executes this statement, or null if only Calcite's plan can. */
    public DirectPlan direct() {
        return direct;
    }

    /** Whether the statement was prepared without Calcite's planner (and is planned only if ever needed). */
    public boolean unplanned() {
        return fromParseTree;
    }

    /**
     * Whether {@code plan}, this statement planned later, has the columns (names, types, precision and scale) and
     * the parameter types this signature promised its result sets and parameter setters.
     */
    private boolean fits(CalcitePrepare.CalciteSignature<T> plan) {
        if (plan.columns.size() != columns.size() || plan.parameters.size() != parameters.size()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            ColumnMetaData a = columns.get(i);
            ColumnMetaData b = plan.columns.get(i);
            if (!a.label.equals(b.label) || a.type.id != b.type.id || a.precision != b.precision
                    || a.scale != b.scale) {
                return false;
            }
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).parameterType != plan.parameters.get(i).parameterType) {
                return false;
            }
        }
        return true;
    }

    /** The plan to run now: the current one, or one made now if there is none or the schema changed since. */
    private CalcitePrepare.CalciteSignature<T> plan() {
        long now = schemaVersion == null ? -1 : schemaVersion.getAsLong();
        Planned<T> p = planned;
        if (p.plan() != null && p.schemaVersion() == now) {
            return p.plan();
        }
        synchronized (this) {
            p = planned;
            if (p.plan() != null && p.schemaVersion() == now) {
                return p.plan();
            }
            CalcitePrepare.CalciteSignature<T> fresh = planner.get();
            if (!fits(fresh)) {
                // planned now, against a table changed since: its rows would not fit this statement's columns
                throw Errors.sql("a table of this statement changed since it was prepared, and its result "
                        + "or parameters with it: prepare the statement again", "0A000", null);
            }
            planned = new Planned<>(fresh, now);
            return fresh;
        }
    }

    @Override
    public Enumerable<T> enumerable(DataContext dataContext) {
        CalcitePrepare.CalciteSignature<T> plan = plan();
        if (plan == first) {
            return plan.enumerable(dataContext);
        }
        // the connection made the context with this signature's internal parameters and schema snapshot: the plan
        // has its own of both, made only now
        Map<String, Object> internal = plan.internalParameters;
        org.apache.calcite.schema.SchemaPlus root = plan.rootSchema == null ? dataContext.getRootSchema()
                : plan.rootSchema.plus();
        return plan.enumerable(new DataContext() {
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
