package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A result column that is an engine table's column declared {@code VARCHAR(n)}, {@code CHAR(n)},
 * {@code VARBINARY(n)} or {@code BINARY(n)} reports n as its precision and display size in
 * {@code ResultSetMetaData}, as declared, where Calcite reports the unbounded type queries see (see
 * {@link SqlValues#declaredType}). Its type stays VARCHAR or VARBINARY: values are read as stored, not padded.
 */
final class DeclaredPrecision {
    private DeclaredPrecision() {
    }

    /** {@code columns} with the declared lengths of the engine columns they read; the same list if none. */
    static List<ColumnMetaData> of(List<ColumnMetaData> columns, CalciteSchema root, RelDataTypeFactory f) {
        List<ColumnMetaData> out = null;
        for (int i = 0; i < columns.size(); i++) {
            ColumnMetaData c = columns.get(i);
            int length = declaredLength(c, root, f);
            if (length >= 0 && length != c.precision) {
                if (out == null) {
                    out = new ArrayList<>(columns);
                }
                out.set(i, new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive, c.searchable, c.currency,
                        c.nullable, c.signed, length, c.label, c.columnName, c.schemaName, length, c.scale,
                        c.tableName, c.catalogName, c.type, c.readOnly, c.writable, c.definitelyWritable,
                        c.columnClassName));
            }
        }
        return out == null ? columns : out;
    }

    private static int declaredLength(ColumnMetaData c, CalciteSchema root, RelDataTypeFactory f) {
        if (c.schemaName == null || c.tableName == null || c.columnName == null
                || (c.type.id != java.sql.Types.VARCHAR && c.type.id != java.sql.Types.VARBINARY)) {
            return -1;
        }
        CalciteSchema schema = root.getSubSchema(c.schemaName, true);
        CalciteSchema.TableEntry table = schema == null ? null : schema.getTable(c.tableName, true);
        RelDataType declared = table == null ? null : TableMetadata.of(table.getTable())
                .map(m -> m.declaredSqlType(f, c.columnName)).orElse(null);
        if (declared == null) {
            return -1;
        }
        SqlTypeName n = declared.getSqlTypeName();
        boolean sized = n == SqlTypeName.CHAR || n == SqlTypeName.VARCHAR || n == SqlTypeName.BINARY
                || n == SqlTypeName.VARBINARY;
        return sized && declared.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED ? declared.getPrecision() : -1;
    }
}
