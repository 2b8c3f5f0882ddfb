package org.apache.calcite.jdbc;

import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.avatica.MetaImpl.MetaColumn;
import org.apache.calcite.avatica.MetaImpl.MetaTable;
import org.apache.calcite.avatica.MetaImpl.MetaTypeInfo;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * SQL types as JDBC describes them, for {@code getColumns} and {@code getTypeInfo}. TYPE_NAME is the type's SQL
 * spelling ({@code TIMESTAMP WITH LOCAL TIME ZONE}, never a full type string such as {@code BIGINT NOT NULL});
 * sizes follow JDBC: the precision of numbers, the length of strings and binaries ({@link Integer#MAX_VALUE} when
 * unbounded), the length of a date-time's text (23 for {@code TIMESTAMP(3)}), and null where none applies.
 */
final class MnemoTypeMeta {
    private MnemoTypeMeta() {
    }

    /** The getColumns row of {@code field} of {@code table}, whose type is {@code type} (as declared). */
    static MetaColumn column(MetaTable table, RelDataTypeField field, RelDataType type, RelDataTypeSystem ts) {
        SqlTypeName n = type.getSqlTypeName();
        Integer size = size(n, type.getPrecision(), ts);
        boolean nullable = type.isNullable();
        return new MetaColumn(table.tableCat, table.tableSchem, table.tableName, field.getName(), n.getJdbcOrdinal(),
                n.getSpaceName(), size, decimalDigits(n, type), isNumber(n) ? 10 : null,
                nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls, isText(n) ? size : null,
                field.getIndex() + 1, nullable ? "YES" : "NO", "NO", "NO");
    }

    /** One getTypeInfo row per type in {@code types}, ordered by DATA_TYPE as JDBC asks. */
    static List<MetaTypeInfo> typeInfo(List<SqlTypeName> types, RelDataTypeSystem ts) {
        List<MetaTypeInfo> out = new ArrayList<>();
        for (SqlTypeName n : types) {
            boolean text = isText(n);
            boolean scaled = n == SqlTypeName.DECIMAL || isDateTime(n) || isInteger(n);
            short maxScale = (short) (n == SqlTypeName.DECIMAL ? ts.getMaxScale(n)
                    : isDateTime(n) && n != SqlTypeName.DATE ? ts.getMaxPrecision(n) : 0);
            // engine strings and binaries have no length limit
            int maxPrecision = isText(n) || n == SqlTypeName.VARBINARY || n == SqlTypeName.BINARY ? -1 : ts.getMaxPrecision(n);
            out.add(new MetaTypeInfo(n.getSpaceName(), n.getJdbcOrdinal(), size(n, maxPrecision, ts),
                    literalPrefix(n), literalPrefix(n) == null ? null : "'", (short) DatabaseMetaData.typeNullable,
                    text, (short) (text ? DatabaseMetaData.typeSearchable : DatabaseMetaData.typePredBasic), false,
                    false, false, scaled ? (short) 0 : null, scaled ? maxScale : null, isNumber(n) ? 10 : 0));
        }
        out.sort(Comparator.comparingInt(t -> t.dataType));
        return out;
    }

    /** JDBC's COLUMN_SIZE / PRECISION of type {@code n} with precision {@code p} (negative if unspecified). */
    private static Integer size(SqlTypeName n, int p, RelDataTypeSystem ts) {
        return switch (n) {
            case BOOLEAN -> 1;
            case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, FLOAT, REAL, DOUBLE ->
                    p >= 0 ? p : ts.getDefaultPrecision(n);
            case CHAR, VARCHAR, BINARY, VARBINARY -> p >= 0 ? p : Integer.MAX_VALUE;
            case DATE -> 10;
            case TIME, TIME_WITH_LOCAL_TIME_ZONE -> 8 + fraction(p);
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 19 + fraction(p);
            default -> null;
        };
    }

    private static int fraction(int p) {
        return p > 0 ? p + 1 : 0;
    }

    private static Integer decimalDigits(SqlTypeName n, RelDataType type) {
        if (isInteger(n)) {
            return 0;
        }
        if (n == SqlTypeName.DECIMAL) {
            return type.getScale();
        }
        return isDateTime(n) && n != SqlTypeName.DATE ? Math.max(type.getPrecision(), 0) : null;
    }

    private static String literalPrefix(SqlTypeName n) {
        if (isText(n)) {
            return "'";
        }
        if (n == SqlTypeName.BINARY || n == SqlTypeName.VARBINARY) {
            return "X'";
        }
        return isDateTime(n) ? n.getSpaceName() + " '" : null;
    }

    private static boolean isInteger(SqlTypeName n) {
        return SqlTypeName.INT_TYPES.contains(n);
    }

    private static boolean isNumber(SqlTypeName n) {
        return SqlTypeName.NUMERIC_TYPES.contains(n);
    }

    private static boolean isText(SqlTypeName n) {
        return n == SqlTypeName.CHAR || n == SqlTypeName.VARCHAR;
    }

    private static boolean isDateTime(SqlTypeName n) {
        return n == SqlTypeName.DATE || n == SqlTypeName.TIME || n == SqlTypeName.TIME_WITH_LOCAL_TIME_ZONE
                || n == SqlTypeName.TIMESTAMP || n == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
    }
}
