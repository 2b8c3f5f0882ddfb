package org.apache.calcite.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.TimeZone;
import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;
import dev.mnemo.calcite.SqlErrors;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/**
 * Calcite's result set, whose {@code next()} fails with a SQLException with a SQLState (Avatica lets a division by
 * zero or a lost conflict out as it is), and with a column's value also as a stream, BLOB or CLOB: Avatica's accessors refuse
 * {@code getBinaryStream}, {@code getCharacterStream}, {@code getBlob} and {@code getClob} for every type. A
 * VARBINARY's bytes and a VARCHAR's characters are read into memory with the row (a value is at most 256 MiB), so
 * each is a stream over that value, valid after the cursor moves on; SQL NULL is null.
 */
final class MnemoResultSet extends ByLabelResultSet {
    MnemoResultSet(AvaticaStatement statement, CalcitePrepare.CalciteSignature<?> signature,
                   ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
        super(statement, signature, metaData, timeZone, firstFrame);
    }

    @Override
    protected CalciteResultSet execute() throws SQLException {
        super.execute();
        accessorList = checked(accessorList);
        return this;
    }

    @Override
    public org.apache.calcite.avatica.AvaticaResultSet execute2(org.apache.calcite.avatica.util.Cursor cursor,
            java.util.List<org.apache.calcite.avatica.ColumnMetaData> columns) {
        super.execute2(cursor, columns);
        accessorList = checked(accessorList);
        return this;
    }

    /** The accessors, each failing with a SQLState when read off a row or out of range ({@link CheckedAccessor}). */
    private java.util.List<org.apache.calcite.avatica.util.Cursor.Accessor> checked(
            java.util.List<org.apache.calcite.avatica.util.Cursor.Accessor> accessors) {
        int n = accessors.size();
        CheckedAccessor.Position onRow = () -> !isBeforeFirst() && !isAfterLast();
        CheckedAccessor[] checked = new CheckedAccessor[n]; // each made when its column is first read
        return new java.util.AbstractList<>() {
            @Override
            public org.apache.calcite.avatica.util.Cursor.Accessor get(int i) {
                if (i < 0 || i >= n) {
                    return new CheckedAccessor(null, null, onRow, i + 1, n);
                }
                CheckedAccessor a = checked[i];
                if (a == null) {
                    a = new CheckedAccessor(accessors.get(i), columnMetaDataList.get(i), onRow, i + 1, n);
                    checked[i] = a;
                }
                return a;
            }

            @Override
            public int size() {
                return n;
            }
        };
    }

    /**
     * Avatica's, with a failure computing the next row as a SQLException: the SQLState the adapter gives it
     * ({@link SqlErrors#translate}), of the JDBC class of that state, the failure attached; HY000 if it has none.
     */
    @Override
    public boolean next() throws SQLException {
        if (!isClosed() && canceled()) {
            throw new SQLException("statement canceled (Statement.cancel())", "57014");
        }
        try {
            return super.next();
        } catch (RuntimeException e) {
            RuntimeException t = SqlErrors.translate(e);
            throw t instanceof AvaticaClientRuntimeException a
                    ? SqlErrors.exception(a.getMessage(), a.getSqlState(), e)
                    : new SQLException(String.valueOf(e.getMessage()), "HY000", e);
        }
    }

    /** A closed result set fails every call with SQLState 24000 (Avatica's had none). */
    @Override
    protected void checkOpen() throws SQLException {
        if (isClosed()) {
            throw new SQLException("the result set is closed", "24000");
        }
    }

    /** Avatica's, with a column index out of range as SQLState 07009 (Avatica's let an IndexOutOfBounds out). */
    @Override
    public Object getObject(int columnIndex) throws SQLException {
        checkOpen();
        if (columnIndex < 1 || columnIndex > columnMetaDataList.size()) {
            accessorList.get(columnIndex - 1).getObject(); // fails with 07009
        }
        return super.getObject(columnIndex);
    }

    /**
     * The value of column {@code columnIndex} as a {@code type}, as JDBC 4.1 asks (Hibernate 6 and jOOQ read
     * through this; Avatica's failed for every column): the getter of that type, SQL NULL as null; the java.time
     * types of dates, times and timestamps (a TIMESTAMP WITH LOCAL TIME ZONE as an Instant or an OffsetDateTime in
     * UTC); any other type the value is an instance of. Another type is 22018.
     */
    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        if (type == null) {
            throw new SQLException("getObject: the type is null", "HY009");
        }
        Object v = typed(columnIndex, type);
        if (v == NOT_TYPED) {
            v = getObject(columnIndex);
            if (v != null && !type.isInstance(v)) {
                throw new java.sql.SQLDataException("column " + columnIndex + ": a " + v.getClass().getName()
                        + " cannot be read as a " + type.getName(), "22018");
            }
            return type.cast(v);
        }
        return wasNull() ? null : type.cast(v);
    }

    private static final Object NOT_TYPED = new Object();

    private Object typed(int i, Class<?> type) throws SQLException {
        if (type == String.class) {
            return getString(i);
        } else if (type == Integer.class) {
            return getInt(i);
        } else if (type == Long.class) {
            return getLong(i);
        } else if (type == Short.class) {
            return getShort(i);
        } else if (type == Byte.class) {
            return getByte(i);
        } else if (type == Double.class) {
            return getDouble(i);
        } else if (type == Float.class) {
            return getFloat(i);
        } else if (type == Boolean.class) {
            return getBoolean(i);
        } else if (type == java.math.BigDecimal.class) {
            return getBigDecimal(i);
        } else if (type == java.math.BigInteger.class) {
            java.math.BigDecimal d = getBigDecimal(i);
            return d == null ? null : d.toBigInteger();
        } else if (type == byte[].class) {
            return getBytes(i);
        } else if (type == java.sql.Date.class) {
            return getDate(i);
        } else if (type == java.sql.Time.class) {
            return getTime(i);
        } else if (type == java.sql.Timestamp.class) {
            return getTimestamp(i);
        } else if (type == java.time.LocalDate.class) {
            java.sql.Date d = getDate(i);
            return d == null ? null : d.toLocalDate();
        } else if (type == java.time.LocalTime.class) {
            String t = getString(i); // java.sql.Time drops the milliseconds
            return t == null ? null : java.time.LocalTime.parse(t);
        } else if (type == java.time.LocalDateTime.class) {
            java.sql.Timestamp t = getTimestamp(i);
            return t == null ? null : t.toLocalDateTime();
        } else if (type == java.time.Instant.class) {
            java.sql.Timestamp t = getTimestamp(i);
            return t == null ? null : t.toInstant();
        } else if (type == java.time.OffsetDateTime.class) {
            java.sql.Timestamp t = getTimestamp(i);
            return t == null ? null : t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        return NOT_TYPED;
    }

    /** The statement's cancel flag, found on the first {@code next()}. */
    private java.util.concurrent.atomic.AtomicBoolean cancelFlag;

    /** Whether the statement was canceled (Avatica's next() would then fail without a SQLState). */
    private boolean canceled() {
        if (cancelFlag == null) {
            try {
                cancelFlag = statement.connection.getCancelFlag(statement.handle);
            } catch (org.apache.calcite.avatica.NoSuchStatementException e) {
                return false; // closed: next() says so
            }
        }
        return cancelFlag.get();
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        byte[] b = getBytes(columnIndex);
        return b == null ? null : new ByteArrayInputStream(b);
    }


    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        byte[] b = getBytes(columnIndex);
        return b == null ? null : new SerialBlob(b);
    }


    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        return s == null ? null : new StringReader(s);
    }


    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        return getCharacterStream(columnIndex);
    }


    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }


    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        return s == null ? null : new SerialClob(s.toCharArray());
    }

}
