package dev.mnemo.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;

/**
 * A result's metadata as JDBC defines it, from its columns' {@link ColumnMetaData} (which carry the types their
 * DDL declared, see the adapter's DeclaredColumns). Where Avatica's differs: the precision and display size of a
 * DATE, TIME(p) or TIMESTAMP(p) are the length of its text ({@code 10}, {@code 8}, {@code 19}, plus p + 1 for
 * fraction digits) and its scale is p; those of a string or binary of no declared length are
 * {@link Integer#MAX_VALUE} (Avatica's 0 and -1); a column number out of range is SQLState 07009 (Avatica's was an
 * IndexOutOfBoundsException).
 */
final class MnemoResultSetMetaData implements ResultSetMetaData {
    private final List<ColumnMetaData> columns;

    MnemoResultSetMetaData(List<ColumnMetaData> columns) {
        this.columns = columns == null ? List.of() : columns;
    }

    private ColumnMetaData column(int column) throws SQLException {
        if (column < 1 || column > columns.size()) {
            throw new SQLException("column " + column + " is out of range: the result has " + columns.size()
                    + " column" + (columns.size() == 1 ? "" : "s"), "07009");
        }
        return columns.get(column - 1);
    }

    /** The text length of a date or time column, or -1 for other types. */
    private static int dateTimeLength(ColumnMetaData c) {
        int fraction = Math.max(c.precision, 0);
        return switch (c.type.id) {
            case Types.DATE -> 10;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> 8 + (fraction > 0 ? fraction + 1 : 0);
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> 19 + (fraction > 0 ? fraction + 1 : 0);
            default -> -1;
        };
    }

    private static boolean unbounded(ColumnMetaData c) {
        return switch (c.type.id) {
            case Types.VARCHAR, Types.VARBINARY, Types.LONGVARCHAR, Types.LONGVARBINARY -> c.precision <= 0;
            default -> false;
        };
    }

    @Override
    public int getColumnCount() {
        return columns.size();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        return column(column).autoIncrement;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return column(column).caseSensitive;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        return column(column).searchable;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        return column(column).currency;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        return column(column).nullable;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return column(column).signed;
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        ColumnMetaData c = column(column);
        return length(c, c.displaySize);
    }

    /** A date's or time's text length, {@link Integer#MAX_VALUE} for an unbounded string, else {@code given}. */
    private static int length(ColumnMetaData c, int given) {
        int length = dateTimeLength(c);
        return length >= 0 ? length : unbounded(c) ? Integer.MAX_VALUE : given;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return column(column).label;
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return column(column).columnName;
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        return column(column).schemaName;
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        ColumnMetaData c = column(column);
        return length(c, c.precision);
    }

    @Override
    public int getScale(int column) throws SQLException {
        ColumnMetaData c = column(column);
        return c.type.id == Types.DATE ? 0 : dateTimeLength(c) >= 0 ? Math.max(c.precision, 0) : c.scale;
    }

    @Override
    public String getTableName(int column) throws SQLException {
        return column(column).tableName;
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        return column(column).catalogName;
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return column(column).type.id;
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return column(column).type.name;
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        return column(column).readOnly;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        return column(column).writable;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        return column(column).definitelyWritable;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return column(column).columnClassName;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
