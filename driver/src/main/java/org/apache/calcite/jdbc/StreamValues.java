package org.apache.calcite.jdbc;

import dev.mnemo.engine.Mnemo;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.sql.SQLDataException;
import java.sql.SQLException;

/**
 * Reads a stream parameter ({@code setBinaryStream}, {@code setCharacterStream}, {@code setBlob}, …) into the
 * bytes or string it stands for, as Avatica's own setters silently drop it. A value is at most
 * {@link Mnemo#MAX_VALUE_LENGTH} bytes or characters: a longer declared length is refused before anything is read, a
 * stream without one is refused as soon as it passes the limit (SQLState 22001, naming the parameter). A stream that
 * ends before its declared length is an error too (22000), as in PostgreSQL's driver: a silently short value hides a
 * broken source.
 */
final class StreamValues {
    /** No declared length: read to the end of the stream. */
    static final long TO_END = -1;
    private static final int BUFFER = 64 << 10;

    private StreamValues() {
    }

    static byte[] bytes(InputStream in, long length, int parameter) throws SQLException {
        checkLength(length, parameter, "bytes");
        try {
            byte[] out = in.readNBytes((int) (length == TO_END ? Mnemo.MAX_VALUE_LENGTH + 1 : length));
            if (length == TO_END && out.length > Mnemo.MAX_VALUE_LENGTH) {
                throw tooLong(parameter, "bytes", "more than " + Mnemo.MAX_VALUE_LENGTH);
            }
            if (length != TO_END && out.length < length) {
                throw shortStream(parameter, out.length, length, "bytes");
            }
            return out;
        } catch (IOException e) {
            throw new SQLException("parameter " + parameter + ": reading its stream failed: " + e, "HY000", e);
        }
    }

    static String chars(Reader in, long length, int parameter) throws SQLException {
        checkLength(length, parameter, "characters");
        long limit = length == TO_END ? Mnemo.MAX_VALUE_LENGTH + 1 : length;
        StringBuilder sb = new StringBuilder((int) Math.min(limit, length == TO_END ? BUFFER : limit));
        char[] buf = new char[(int) Math.min(BUFFER, Math.max(1, limit))];
        try {
            while (sb.length() < limit) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, limit - sb.length()));
                if (n < 0) {
                    break;
                }
                sb.append(buf, 0, n);
            }
        } catch (IOException e) {
            throw new SQLException("parameter " + parameter + ": reading its stream failed: " + e, "HY000", e);
        }
        if (length == TO_END && sb.length() > Mnemo.MAX_VALUE_LENGTH) {
            throw tooLong(parameter, "characters", "more than " + Mnemo.MAX_VALUE_LENGTH);
        }
        if (length != TO_END && sb.length() < length) {
            throw shortStream(parameter, sb.length(), length, "characters");
        }
        return sb.toString();
    }

    private static void checkLength(long length, int parameter, String unit) throws SQLException {
        if (length < TO_END) {
            throw new SQLDataException("parameter " + parameter + ": a stream's length must be 0 or more, got "
                    + length, "22023");
        }
        if (length > Mnemo.MAX_VALUE_LENGTH) {
            throw tooLong(parameter, unit, String.valueOf(length));
        }
    }

    private static SQLDataException tooLong(int parameter, String unit, String length) {
        return new SQLDataException("parameter " + parameter + ": a value of " + length + " " + unit + " is over the "
                + "limit of " + Mnemo.MAX_VALUE_LENGTH + " " + unit + " (" + (Mnemo.MAX_VALUE_LENGTH >> 20)
                + " MiB) per value", "22001");
    }

    private static SQLDataException shortStream(int parameter, long read, long declared, String unit) {
        return new SQLDataException("parameter " + parameter + ": the stream ended after " + read + " of the "
                + declared + " " + unit + " its length declared", "22000");
    }
}
