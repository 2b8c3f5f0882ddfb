package org.apache.calcite.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.util.Cursor;

/**
 * A result set column's accessor that fails as JDBC callers expect when there is no value to read: SQLState 24000
 * before the first {@code next()} or after the last row (Avatica's let a {@code NoSuchElementException} out),
 * 07009 for a column index out of range (Avatica's "invalid column ordinal" had none).
 */
final class CheckedAccessor implements Cursor.Accessor {
    /** Whether the result set is on a row. */
    interface Position {
        boolean onRow() throws SQLException;
    }

    private final Cursor.Accessor accessor;
    private final Position position;
    private final int index;
    private final int columns;

    /** The accessor of column {@code index} (1-based) of {@code columns}; {@code accessor} null if out of range. */
    CheckedAccessor(Cursor.Accessor accessor, Position position, int index, int columns) {
        this.accessor = accessor;
        this.position = position;
        this.index = index;
        this.columns = columns;
    }

    private Cursor.Accessor on() throws SQLException {
        if (accessor == null) {
            throw new SQLException("column index " + index + " is out of range: the result has " + columns
                    + " column" + (columns == 1 ? "" : "s"), "07009");
        }
        if (!position.onRow()) {
            throw new SQLException("the result set is not on a row: call next() first, and read no further once it "
                    + "returned false", "24000");
        }
        return accessor;
    }

    @Override
    public boolean wasNull() throws SQLException {
        return on().wasNull();
    }

    @Override
    public String getString() throws SQLException {
        return on().getString();
    }

    @Override
    public boolean getBoolean() throws SQLException {
        return on().getBoolean();
    }

    @Override
    public byte getByte() throws SQLException {
        return on().getByte();
    }

    @Override
    public org.joou.UByte getUByte() throws SQLException {
        return on().getUByte();
    }

    @Override
    public short getShort() throws SQLException {
        return on().getShort();
    }

    @Override
    public org.joou.UShort getUShort() throws SQLException {
        return on().getUShort();
    }

    @Override
    public int getInt() throws SQLException {
        return on().getInt();
    }

    @Override
    public org.joou.UInteger getUInt() throws SQLException {
        return on().getUInt();
    }

    @Override
    public long getLong() throws SQLException {
        return on().getLong();
    }

    @Override
    public org.joou.ULong getULong() throws SQLException {
        return on().getULong();
    }

    @Override
    public float getFloat() throws SQLException {
        return on().getFloat();
    }

    @Override
    public double getDouble() throws SQLException {
        return on().getDouble();
    }

    @Override
    public java.math.BigDecimal getBigDecimal() throws SQLException {
        return on().getBigDecimal();
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int scale) throws SQLException {
        return on().getBigDecimal(scale);
    }

    @Override
    public byte[] getBytes() throws SQLException {
        return on().getBytes();
    }

    @Override
    public java.io.InputStream getAsciiStream() throws SQLException {
        return on().getAsciiStream();
    }

    @Override
    public java.io.InputStream getUnicodeStream() throws SQLException {
        return on().getUnicodeStream();
    }

    @Override
    public java.io.InputStream getBinaryStream() throws SQLException {
        return on().getBinaryStream();
    }

    @Override
    public Object getObject() throws SQLException {
        return on().getObject();
    }

    @Override
    public java.io.Reader getCharacterStream() throws SQLException {
        return on().getCharacterStream();
    }

    @Override
    public Object getObject(java.util.Map<String, Class<?>> map) throws SQLException {
        return on().getObject(map);
    }

    @Override
    public java.sql.Ref getRef() throws SQLException {
        return on().getRef();
    }

    @Override
    public java.sql.Blob getBlob() throws SQLException {
        return on().getBlob();
    }

    @Override
    public java.sql.Clob getClob() throws SQLException {
        return on().getClob();
    }

    @Override
    public java.sql.Array getArray() throws SQLException {
        return on().getArray();
    }

    @Override
    public java.sql.Struct getStruct() throws SQLException {
        return on().getStruct();
    }

    @Override
    public java.sql.Date getDate(java.util.Calendar calendar) throws SQLException {
        return on().getDate(calendar);
    }

    @Override
    public java.sql.Time getTime(java.util.Calendar calendar) throws SQLException {
        return on().getTime(calendar);
    }

    @Override
    public java.sql.Timestamp getTimestamp(java.util.Calendar calendar) throws SQLException {
        return on().getTimestamp(calendar);
    }

    @Override
    public java.net.URL getURL() throws SQLException {
        return on().getURL();
    }

    @Override
    public java.sql.NClob getNClob() throws SQLException {
        return on().getNClob();
    }

    @Override
    public java.sql.SQLXML getSQLXML() throws SQLException {
        return on().getSQLXML();
    }

    @Override
    public String getNString() throws SQLException {
        return on().getNString();
    }

    @Override
    public java.io.Reader getNCharacterStream() throws SQLException {
        return on().getNCharacterStream();
    }

    @Override
    public <T> T getObject(Class<T> type) throws SQLException {
        return on().getObject(type);
    }
}
