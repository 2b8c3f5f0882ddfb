package dev.mnemo.calcite;

import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A result column that reads an engine table's column reports the column's type as its DDL declared it
 * ({@link SqlValues#declaredType}) in {@code ResultSetMetaData}, where Calcite reports the wider type queries see:
 * an INTEGER, SMALLINT or TINYINT (queries see BIGINT), a REAL (DOUBLE), a CHAR(n) (VARCHAR), a BINARY(n)
 * (VARBINARY), the n of a VARCHAR(n) or VARBINARY(n), the fraction digits of a TIME(p) or TIMESTAMP(p) (at most
 * 3: Mnemo keeps milliseconds).
 *
 * <p>The values stay those the engine holds; the reported types are ones Avatica's accessors read them as: an
 * integer or REAL column is of representation {@link ColumnMetaData.Rep#NUMBER} (Avatica's {@code getObject} reads it
 * with the getter of that type: an Integer, Short, Byte or Float, as for a column Calcite computes of that type);
 * the driver's result set reads a CHAR(n) as stored, not padded, and a REAL's BigDecimal from its shortest text.
 * A column that reads engine columns through a view or a subquery reports their declared type too, where the plan's
 * column origins are all plain columns of one declared type; a column computed by an expression, or of a plan with
 * a set operation (UNION, INTERSECT, EXCEPT), reports Calcite's type.
 */
final class DeclaredColumns {
    private DeclaredColumns() {
    }

    /**
     * {@code columns} with the declared types of the engine columns they read; the same list if none differs.
     * {@code plan}, the statement's final plan (or null), finds the columns read through views, subqueries and
     * set operations.
     */
    static List<ColumnMetaData> of(List<ColumnMetaData> columns, CalciteSchema root, RelDataTypeFactory f,
                                   org.apache.calcite.rel.RelRoot plan) {
        List<ColumnMetaData> out = null;
        boolean planFits = plan != null && plan.fields.size() == columns.size() && !hasSetOp(plan.rel);
        org.apache.calcite.rel.metadata.RelMetadataQuery mq = null; // one for all columns: it caches the walk
        for (int i = 0; i < columns.size(); i++) {
            ColumnMetaData c = columns.get(i);
            RelDataType declared = declared(c, root, f);
            if (declared == null && planFits) {
                mq = mq == null ? MnemoMetadata.query() : mq;
                declared = throughPlan(plan, plan.fields.get(i).getKey(), f, mq);
            }
            ColumnMetaData reported = declared == null ? c : reported(c, declared);
            if (reported != c) {
                if (out == null) {
                    out = new ArrayList<>(columns);
                }
                out.set(i, reported);
            }
        }
        return out == null ? columns : out;
    }

    /** The declared type of the engine column {@code c} reads, or null if it reads none or that has none. */
    private static RelDataType declared(ColumnMetaData c, CalciteSchema root, RelDataTypeFactory f) {
        if (c.schemaName == null || c.tableName == null || c.columnName == null) {
            return null;
        }
        CalciteSchema schema = root.getSubSchema(c.schemaName, true);
        CalciteSchema.TableEntry table = schema == null ? null : schema.getTable(c.tableName, true);
        return table == null ? null : TableMetadata.of(table.getTable())
                .map(m -> m.declaredSqlType(f, c.columnName)).orElse(null);
    }

    /**
     * Whether {@code rel} has a UNION, INTERSECT or EXCEPT: the column origins of a set operation are those of the
     * inputs that have any, so a branch giving a literal (a BIGINT beyond an INTEGER column's range, a string longer
     * than a VARCHAR(n)) would go unseen.
     */
    private static boolean hasSetOp(org.apache.calcite.rel.RelNode rel) {
        if (rel instanceof org.apache.calcite.rel.core.SetOp) {
            return true;
        }
        for (org.apache.calcite.rel.RelNode input : rel.getInputs()) {
            if (hasSetOp(input)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The declared type of the engine columns field {@code field} of {@code plan} reads, if it reads only plain
     * columns (no expression) and they are all declared alike; else null.
     */
    private static RelDataType throughPlan(org.apache.calcite.rel.RelRoot plan, int field, RelDataTypeFactory f,
                                           org.apache.calcite.rel.metadata.RelMetadataQuery mq) {
        java.util.Set<org.apache.calcite.rel.metadata.RelColumnOrigin> origins;
        try {
            origins = mq.getColumnOrigins(plan.rel, field);
        } catch (RuntimeException e) {
            return null; // metadata is a nicety here: the column keeps Calcite's type
        }
        if (origins == null || origins.isEmpty()) {
            return null;
        }
        RelDataType common = null;
        for (org.apache.calcite.rel.metadata.RelColumnOrigin o : origins) {
            MnemoTable t = o.isDerived() ? null : o.getOriginTable().unwrap(MnemoTable.class);
            if (t == null) {
                return null;
            }
            String column = t.shape.columns().get(o.getOriginColumnOrdinal()).name();
            RelDataType d = TableMetadata.of(t).map(m -> m.declaredSqlType(f, column)).orElse(null);
            if (d == null || common != null && !common.equals(d)) {
                return null;
            }
            common = d;
        }
        return common;
    }

    private static ColumnMetaData reported(ColumnMetaData c, RelDataType declared) {
        SqlTypeName n = declared.getSqlTypeName();
        int p = declared.getPrecision();
        return switch (n) {
            case TINYINT, SMALLINT, INTEGER -> c.type.id != Types.BIGINT ? c
                    : with(c, ColumnMetaData.scalar(n.getJdbcOrdinal(), n.getName(), ColumnMetaData.Rep.NUMBER),
                    n == SqlTypeName.INTEGER ? 10 : n == SqlTypeName.SMALLINT ? 5 : 3, 0,
                    n == SqlTypeName.INTEGER ? 11 : n == SqlTypeName.SMALLINT ? 6 : 4,
                    n == SqlTypeName.INTEGER ? Integer.class : n == SqlTypeName.SMALLINT ? Short.class : Byte.class);
            case REAL -> c.type.id != Types.DOUBLE ? c
                    : with(c, ColumnMetaData.scalar(Types.REAL, "REAL", ColumnMetaData.Rep.NUMBER), 7, 0, 15,
                    Float.class);
            case CHAR -> c.type.id != Types.VARCHAR || p < 0 ? c
                    : with(c, ColumnMetaData.scalar(Types.CHAR, "CHAR", ColumnMetaData.Rep.STRING), p, 0, p,
                    String.class);
            case BINARY -> c.type.id != Types.VARBINARY || p < 0 ? c
                    : with(c, ColumnMetaData.scalar(Types.BINARY, "BINARY", c.type.rep), p, 0, p, null);
            case VARCHAR, VARBINARY -> p < 0 || p == c.precision ? c : with(c, c.type, p, c.scale, p, null);
            case TIME, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> p < 0 || p == c.precision ? c
                    : with(c, c.type, p, c.scale, c.displaySize, null);
            default -> c;
        };
    }

    private static ColumnMetaData with(ColumnMetaData c, ColumnMetaData.AvaticaType type, int precision, int scale,
                                       int displaySize, Class<?> javaClass) {
        return new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive, c.searchable, c.currency,
                c.nullable, c.signed, displaySize, c.label, c.columnName, c.schemaName, precision, scale,
                c.tableName, c.catalogName, type, c.readOnly, c.writable, c.definitelyWritable,
                javaClass == null ? c.columnClassName : javaClass.getName());
    }
}
