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
