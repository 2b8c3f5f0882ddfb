package org.apache.calcite.jdbc;

import java.sql.SQLException;
import java.sql.Types;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.util.Cursor;

/**
 * A result set column's accessor that fails as JDBC callers expect when there is no value to read: SQLState 24000
 * before the first {@code next()} or after the last row (Avatica's let a {@code NoSuchElementException} out),
 * 07009 for a column index out of range (Avatica's "invalid column ordinal" had none). An integer getter of a value
 * its type cannot hold is 22003 (Avatica's cut the value to the type's bits: 70000 read as a short was 4464).
 *
 * <p>A column reported as its declared type where the engine holds another (see the adapter's DeclaredColumns)
 * reads as that type does elsewhere: a REAL's {@code getBigDecimal} is the decimal of its shortest text (Avatica's
 * was the double's exact binary expansion, 0.1000000000000000055511…), and a CHAR(n) is read as stored, not padded
 * to n (Avatica's padding made a value read from a row miss that row when written back in a WHERE).
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
    /** The column's label, for messages. */
    private final String label;
    /** A declared REAL read through Avatica's NumberAccessor. */
    private final boolean real;
    /** A declared CHAR(n), which Avatica's accessor would pad. */
    private final boolean unpadded;

    /**
     * The accessor of column {@code index} (1-based) of {@code columns}, described by {@code column};
     * {@code accessor} and {@code column} null if out of range.
     */
    CheckedAccessor(Cursor.Accessor accessor, ColumnMetaData column, Position position, int index, int columns) {
        this.accessor = accessor;
        this.position = position;
        this.index = index;
        this.columns = columns;
        this.label = column == null ? null : column.label;
        this.real = column != null && column.type.id == Types.REAL && column.type.rep == ColumnMetaData.Rep.NUMBER;
        this.unpadded = column != null && column.type.id == Types.CHAR
                && column.type.rep == ColumnMetaData.Rep.STRING;
    }

    /** The value of an integer getter of type {@code type}, from [{@code min}, {@code max}], else 22003. */
    private long integer(long min, long max, String type) throws SQLException {
        long v = on().getLong();
        if (v < min || v > max) {
            throw new java.sql.SQLDataException("column " + index + " (" + label + "): value " + v + " is out of "
                    + "range for " + type + " (" + min + " to " + max + ")", "22003");
        }
        return v;
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
        Cursor.Accessor a = on();
        return unpadded ? (String) a.getObject() : a.getString();
    }

    @Override
    public boolean getBoolean() throws SQLException {
        return on().getBoolean();
    }

    @Override
    public byte getByte() throws SQLException {
        return (byte) integer(Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
    }

    @Override
    public org.joou.UByte getUByte() throws SQLException {
        return on().getUByte();
    }

    @Override
    public short getShort() throws SQLException {
        return (short) integer(Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
    }

    @Override
    public org.joou.UShort getUShort() throws SQLException {
        return on().getUShort();
    }

    @Override
    public int getInt() throws SQLException {
        return (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE, "INTEGER");
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
        Cursor.Accessor a = on();
        if (real) {
            double d = a.getDouble();
            return a.wasNull() ? null : java.math.BigDecimal.valueOf(d);
        }
        return a.getBigDecimal();
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
