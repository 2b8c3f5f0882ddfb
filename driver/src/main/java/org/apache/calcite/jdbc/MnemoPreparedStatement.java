package org.apache.calcite.jdbc;

import dev.mnemo.calcite.GeneratedKeys;
import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.avatica.Meta;

/**
 * Calcite's prepared statement with generated keys: prepared with {@code RETURN_GENERATED_KEYS} (or column names or
 * indexes), each {@code executeUpdate()}, {@code execute()} or {@code executeBatch()} collects the rows it inserts,
 * and {@link #getGeneratedKeys()} gives their keys (a batch's, all of them). Stream, BLOB and CLOB parameters are
 * read into the bytes or string they stand for (see {@link StreamValues}); Avatica's own setters drop them.
 */
final class MnemoPreparedStatement extends CalcitePreparedStatement implements GivenFetchSize {
    private final GeneratedKeysRequest request;
    private final GeneratedKeys.Capture[] captured = new GeneratedKeys.Capture[1];

    MnemoPreparedStatement(CalciteConnectionImpl connection, Meta.StatementHandle h, Meta.Signature signature,
                           int resultSetType, int resultSetConcurrency, int resultSetHoldability,
                           GeneratedKeysRequest request) throws SQLException {
        super(connection, h, signature, resultSetType, resultSetConcurrency, resultSetHoldability);
        this.request = request;
    }

    /**
     * Stops the statement's running execution or row computation (SQLState 57014) from any thread, at once:
     * Avatica's waits for the statement's monitor, which the running execution holds.
     */
    @Override
    public void cancel() throws SQLException {
        checkOpen();
        cancelFlag.set(true);
    }

    /** A closed statement fails every call with SQLState HY010, on a closed connection 08003. */
    @Override
    protected void checkOpen() throws SQLException {
        MnemoConnection.checkOpen(this);
    }

    /** Avatica's, with an index out of range as SQLState 07009 (Avatica gives none). */
    @Override
    protected org.apache.calcite.avatica.AvaticaSite getSite(int param) throws SQLException {
        if (param < 1 || param > slots.length) {
            checkOpen();
            throw new SQLException("parameter index " + param + " is out of range: the statement has " + slots.length
                    + " parameter" + (slots.length == 1 ? "" : "s"), "07009");
        }
        return super.getSite(param);
    }

    /** Every parameter must be set before an execution or {@code addBatch} (SQLState 07001 naming the first not). */
    private void checkAllSet() throws SQLException {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                throw new SQLException("parameter " + (i + 1) + " of " + slots.length + " is not set", "07001");
            }
        }
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        checkOpen();
        StatementKind.QUERY.check(getSignature().statementType);
        checkAllSet();
        return super.executeQuery();
    }

    @Override
    public void addBatch() throws SQLException {
        checkAllSet();
        super.addBatch();
    }

    private <T> T withKeys(GeneratedKeysRequest.Execution<T> execution) throws SQLException {
        if (!request.wanted()) {
            return execution.run();
        }
        checkOpen();
        captured[0] = null;
        return request.run(MnemoMeta.sessionOf(getConnection()), execution, captured);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        return request.resultSet((MnemoConnection) getConnection(), captured[0]);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        checkOpen();
        StatementKind.UPDATE.check(getSignature().statementType);
        checkAllSet();
        return withKeys(super::executeLargeUpdate);
    }

    @Override
    public boolean execute() throws SQLException {
        checkAllSet();
        return withKeys(super::execute);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return withKeys(super::executeBatch);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return withKeys(super::executeLargeBatch);
    }

    /**
     * The bytes as Calcite's local value ({@link org.apache.calcite.avatica.util.ByteString}): Avatica's own setter
     * turns them into a Base64 string and the execution back into bytes, four times the value's size in passing.
     */
    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        getSite(parameterIndex); // checks the index
        slots[parameterIndex - 1] = x == null ? TypedValue.EXPLICIT_NULL
                : TypedValue.ofSerial(ColumnMetaData.Rep.OBJECT, new ByteString(x));
    }

    private void streamBytes(int parameter, InputStream in, long length) throws SQLException {
        if (in == null) {
            setNull(parameter, Types.VARBINARY);
        } else {
            setBytes(parameter, StreamValues.bytes(in, length, parameter));
        }
    }

    private void streamChars(int parameter, Reader in, long length) throws SQLException {
        if (in == null) {
            setNull(parameter, Types.VARCHAR);
        } else {
            setString(parameter, StreamValues.chars(in, length, parameter));
        }
    }

    private void streamAscii(int parameter, InputStream in, long length) throws SQLException {
        if (in == null) {
            setNull(parameter, Types.VARCHAR);
        } else {
            setString(parameter, new String(StreamValues.bytes(in, length, parameter),
                    java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        streamBytes(parameterIndex, x, StreamValues.TO_END);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        streamBytes(parameterIndex, x, length);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        streamBytes(parameterIndex, x, length);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream x) throws SQLException {
        streamBytes(parameterIndex, x, StreamValues.TO_END);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream x, long length) throws SQLException {
        streamBytes(parameterIndex, x, length);
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        if (x == null) {
            setNull(parameterIndex, Types.BLOB);
        } else {
            streamBytes(parameterIndex, x.getBinaryStream(), x.length());
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        streamAscii(parameterIndex, x, StreamValues.TO_END);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        streamAscii(parameterIndex, x, length);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        streamAscii(parameterIndex, x, length);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        streamChars(parameterIndex, reader, StreamValues.TO_END);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        streamChars(parameterIndex, reader, length);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        streamChars(parameterIndex, reader, length);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        streamChars(parameterIndex, value, StreamValues.TO_END);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        streamChars(parameterIndex, value, length);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        streamChars(parameterIndex, reader, StreamValues.TO_END);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        streamChars(parameterIndex, reader, length);
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        if (x == null) {
            setNull(parameterIndex, Types.CLOB);
        } else {
            streamChars(parameterIndex, x.getCharacterStream(), x.length());
        }
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        streamChars(parameterIndex, reader, StreamValues.TO_END);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        streamChars(parameterIndex, reader, length);
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        setClob(parameterIndex, value);
    }

    @Override
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        throw new java.sql.SQLFeatureNotSupportedException("setUnicodeStream is deprecated since JDBC 2.0; use "
                + "setCharacterStream", "0A000");
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        if (!setStream(parameterIndex, x)) {
            super.setObject(parameterIndex, x);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        if (!setStream(parameterIndex, x)) {
            super.setObject(parameterIndex, x, targetSqlType);
        }
    }

    /** A BLOB, CLOB, byte or character stream given to setObject, set as its setter sets it. */
    private boolean setStream(int parameterIndex, Object x) throws SQLException {
        if (x instanceof Blob b) {
            setBlob(parameterIndex, b);
        } else if (x instanceof Clob c) {
            setClob(parameterIndex, c);
        } else if (x instanceof InputStream in) {
            setBinaryStream(parameterIndex, in);
        } else if (x instanceof Reader r) {
            setCharacterStream(parameterIndex, r);
        } else {
            return false;
        }
        return true;
    }

    /** The fetch size the application set, 0 if none (see {@link GivenFetchSize}). */
    private int givenFetchSize;

    @Override
    public void setFetchSize(int rows) throws SQLException {
        super.setFetchSize(GivenFetchSize.check(rows));
        givenFetchSize = rows;
    }

    @Override
    public int givenFetchSize() {
        return givenFetchSize;
    }
}
