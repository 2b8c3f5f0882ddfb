package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Terms;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Conversions between engine values and Calcite's internal representation: DATE as int days since the epoch,
 * TIME as int milliseconds of the day, TIMESTAMP as long milliseconds since the epoch (UTC), VARBINARY as
 * {@link ByteString}; integers are BIGINT. Untyped attributes are SQL {@code ANY} holding engine values.
 */
final class SqlValues {
    private SqlValues() {
    }

    private static final java.util.Set<AttrType> SAME_ORDER = java.util.EnumSet.of(AttrType.INTEGER, AttrType.DOUBLE,
            AttrType.DECIMAL, AttrType.DATE, AttrType.TIME, AttrType.DATETIME, AttrType.INSTANT, AttrType.BOOLEAN);

    /**
     * Whether SQL compares values of this type as the engine orders them, so that an engine key walk or range is
     * the SQL order or range: numbers, dates and times, booleans. Not strings (SQL collations may differ from code
     * point order) nor untyped values.
     */
    static boolean ordersAlike(AttrType t) {
        return SAME_ORDER.contains(t);
    }

    /**
     * The SQL type of a column: a DECIMAL of declared precision and scale has them, a TIME(p) keeps p fraction
     * digits (at most 3; a TIME is TIME(0), as SQL has it), else as {@link #sqlType}.
     */
    static RelDataType sqlType(RelDataTypeFactory f, SqlShape.Column c) {
        if (c.type() == AttrType.TIME && c.precision() > 0) {
            return f.createTypeWithNullability(f.createSqlType(SqlTypeName.TIME, Math.min(c.precision(), 3)),
                    !c.notNull());
        }
        if (!c.scaled()) {
            return sqlType(f, c.type(), !c.notNull());
        }
        return f.createTypeWithNullability(f.createSqlType(SqlTypeName.DECIMAL, c.precision(), c.scale()),
                !c.notNull());
    }

    /**
     * The SQL type of column {@code c} as its DDL declared it, for metadata: an INTEGER, SMALLINT or TINYINT, a
     * CHAR(n) or VARCHAR(n), a BINARY(n) or VARBINARY(n), a REAL, a TIME(p) or TIMESTAMP(p) is that type; else the
     * type queries see
     * ({@link #sqlType(RelDataTypeFactory, SqlShape.Column)}). Queries keep the wider types (BIGINT, VARCHAR, DOUBLE),
     * whose values are those the engine holds: Calcite would read an INTEGER column's values as Integers and cut a
     * string cast to VARCHAR(n) to n characters without an error, where a write must fail with 22001.
     */
    static RelDataType declaredType(RelDataTypeFactory f, SqlShape.Column c) {
        String d = c.declared();
        RelDataType declared = null;
        if (d != null && c.type() == AttrType.INTEGER && c.integerBits() > 0) {
            declared = f.createSqlType(SqlTypeName.valueOf(d));
        } else if (d != null && c.maxLength() >= 0) {
            declared = f.createSqlType(SqlTypeName.valueOf(d.substring(0, d.indexOf('('))), c.maxLength());
        } else if ("REAL".equals(d)) {
            declared = f.createSqlType(SqlTypeName.REAL);
        } else if (c.precision() >= 0 && c.type() != AttrType.DECIMAL) {
            declared = f.createSqlType(sqlType(f, c.type(), false).getSqlTypeName(), c.precision());
        }
        return declared == null ? sqlType(f, c) : f.createTypeWithNullability(declared, !c.notNull());
    }

    /** The SQL type of a column of engine type {@code t}. */
    static RelDataType sqlType(RelDataTypeFactory f, AttrType t, boolean nullable) {
        RelDataType base = switch (t) {
            case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
            case INTEGER -> f.createSqlType(SqlTypeName.BIGINT);
            case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
            case DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, 38, 10);
            case STRING -> f.createSqlType(SqlTypeName.VARCHAR);
            case BINARY -> f.createSqlType(SqlTypeName.VARBINARY);
            case DATE -> f.createSqlType(SqlTypeName.DATE);
            case TIME -> f.createSqlType(SqlTypeName.TIME);
            case DATETIME -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
            case INSTANT -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 3);
            default -> f.createSqlType(SqlTypeName.ANY);
        };
        return f.createTypeWithNullability(base, nullable);
    }

    /**
     * An engine value as Calcite's internal value of column {@code c}: a DECIMAL of declared scale at that scale
     * (the engine keeps decimals without trailing zeros; a value written through the engine API with more fraction
     * digits is rounded half up), else as {@link #toSql(AttrType, Object)}.
     */
    static Object toSql(SqlShape.Column c, Object v) {
        if (v instanceof BigDecimal bd && c.scaled() && bd.scale() != c.scale()) {
            return bd.setScale(c.scale(), java.math.RoundingMode.HALF_UP);
        }
        return toSql(c.type(), v);
    }

    /**
     * A value written to a DECIMAL column of declared precision and scale, as H2 and the SQL standard store it:
     * rounded half up to the scale, and an error (SQLState 22003) naming the table, column, value and type if its
     * integer digits do not fit the precision. A value written to a TIME(p) or TIMESTAMP(p) column with p below 3
     * is cut to p fraction digits ({@link #truncated}). Other values are returned as they are.
     */
    static Object fit(String table, SqlShape.Column c, Object v) {
        if (c.precision() >= 0 && c.precision() < 3 && v instanceof Number ms && c.type() != AttrType.DECIMAL) {
            return truncated(ms, c.precision());
        }
        if (!(v instanceof BigDecimal bd) || !c.scaled()) {
            return v;
        }
        BigDecimal rounded = bd.setScale(c.scale(), java.math.RoundingMode.HALF_UP);
        if (rounded.precision() - rounded.scale() > c.precision() - c.scale()) {
            throw Errors.sql("table " + table + ", column " + c.name() + ": value " + bd.toPlainString()
                    + " is out of range for DECIMAL(" + c.precision() + "," + c.scale() + ") (at most "
                    + (c.precision() - c.scale()) + " digits before the decimal point)", "22003", null);
        }
        return rounded;
    }

    /**
     * A TIME (int) or TIMESTAMP (long) value in milliseconds cut to {@code digits} (0 to 2) fraction digits, as a
     * TIME(p) or TIMESTAMP(p) column stores it (the SQL standard leaves rounding or truncation to the
     * implementation; truncation never carries into the next second or day).
     */
    private static Object truncated(Number ms, int digits) {
        long unit = digits == 0 ? 1000 : digits == 1 ? 100 : 10;
        long v = Math.floorDiv(ms.longValue(), unit) * unit;
        return ms instanceof Integer ? (Object) (int) v : (Object) v;
    }

    /**
     * Checks a value about to be written to column {@code c} against its declaration: a VARCHAR(n) or CHAR(n) holds
     * at most n characters and a VARBINARY(n) or BINARY(n) at most n bytes (else SQLState 22001), an INTEGER,
     * SMALLINT or TINYINT a value of 32, 16 or 8 bits, a REAL a value within a float's range (infinities and NaN
     * pass) (else 22003); the message names the table, column and value.
     */
    static void check(String table, SqlShape.Column c, Object v) {
        if (v == null || c.declared() == null) {
            return;
        }
        int max = c.maxLength();
        if (max >= 0) {
            long length = v instanceof String s ? (s.length() <= max ? s.length() : s.codePointCount(0, s.length()))
                    : v instanceof ByteString b ? b.length() : -1;
            if (length > max) {
                throw Errors.sql("table " + table + ", column " + c.name() + ": a value of " + length
                        + (v instanceof String ? " characters" : " bytes") + " is too long for " + c.declared()
                        + (v instanceof String s ? " (it begins " + Terms.format(s.substring(0, Math.min(20,
                        s.length()))) + ")" : ""), Errors.TOO_LONG, null);
            }
        }
        if (v instanceof Double d && Math.abs(d) > Float.MAX_VALUE && !d.isInfinite() && "REAL".equals(c.declared())) {
            throw Errors.sql("table " + table + ", column " + c.name() + ": value " + d + " is out of range for REAL "
                    + "(at most " + Float.MAX_VALUE + " either side of zero)", "22003", null);
        }
        int bits = c.integerBits();
        if (bits > 0 && v instanceof Number n && !(v instanceof BigDecimal) && !(v instanceof Double)) {
            long x = n.longValue();
            long top = (1L << (bits - 1)) - 1;
            if (x > top || x < -top - 1) {
                throw Errors.sql("table " + table + ", column " + c.name() + ": value " + x + " is out of range for "
                        + c.declared() + " (" + (-top - 1) + " to " + top + ")", "22003", null);
            }
        }
    }

    /** The first year of {@link #MONTH_START}. */
    private static final int FIRST_YEAR = 1900;
    /** The epoch day of the first of each month of the years 1900 to 2199, in order. */
    private static final int[] MONTH_START = new int[300 * 12];

    static {
        for (int i = 0; i < MONTH_START.length; i++) {
            MONTH_START[i] = (int) LocalDate.of(FIRST_YEAR + i / 12, i % 12 + 1, 1).toEpochDay();
        }
    }

    /**
     * {@code d.toEpochDay()}, by a table of months for the years 1900 to 2199: every date column value of every row
     * read goes through here, and {@code LocalDate.toEpochDay}'s leap-year arithmetic took a tenth of a scan-heavy
     * TPC-H query.
     */
    static int epochDay(LocalDate d) {
        int i = (d.getYear() - FIRST_YEAR) * 12 + d.getMonthValue() - 1;
        return i >= 0 && i < MONTH_START.length ? MONTH_START[i] + d.getDayOfMonth() - 1 : (int) d.toEpochDay();
    }

    /** An engine value as Calcite's internal value of a column of type {@code t}. */
    static Object toSql(AttrType t, Object v) {
        if (v == null) {
            return null;
        }
        return switch (t) {
            case DATE -> epochDay((LocalDate) v);
            case TIME -> (int) (((LocalTime) v).toNanoOfDay() / 1_000_000L);
            case DATETIME -> ((LocalDateTime) v).toInstant(ZoneOffset.UTC).toEpochMilli();
            case INSTANT -> ((Instant) v).toEpochMilli();
            case BINARY -> ((Binary) v).withBytes(ByteString::new); // ByteString copies them
            default -> v;
        };
    }

    /**
     * Calcite's internal value as the engine value for a column of type {@code t}; a value that does not fit is
     * an {@link IllegalArgumentException} naming the column, the value and the expected type.
     */
    static Object toEngine(String table, String column, AttrType t, Object v) {
        if (v == null) {
            return null;
        }
        try {
            return switch (t) {
                case INTEGER -> integer(v);
                case DOUBLE -> ((Number) v).doubleValue();
                case DECIMAL -> v instanceof BigDecimal bd ? Terms.normalize(bd)
                        : Terms.normalize(new BigDecimal(v.toString()));
                case STRING -> v instanceof String s ? s : v.toString();
                case BOOLEAN -> (Boolean) v;
                case BINARY -> v instanceof ByteString b ? Binary.ofOwned(b.getBytes()) : Binary.of((byte[]) v);
                case DATE -> LocalDate.ofEpochDay(((Number) v).longValue());
                case TIME -> LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000_000L);
                case DATETIME -> LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) v).longValue()),
                        ZoneOffset.UTC);
                case INSTANT -> Instant.ofEpochMilli(((Number) v).longValue());
                default -> Terms.normalize(v instanceof ByteString b ? b.getBytes() : v);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("table " + table + ", column " + column + ": value " + v + " ("
                    + v.getClass().getSimpleName() + ") does not fit type " + t.typeName(), e);
        }
    }

    /** An integer column's value: a number that is exactly an integer in the long range, else an exception. */
    private static long integer(Object v) {
        if (v instanceof BigDecimal bd) {
            return bd.longValueExact();
        }
        if (v instanceof Double || v instanceof Float) {
            // a fraction must not become (and match) a neighbouring integer
            double d = ((Number) v).doubleValue();
            if (!(d >= -0x1p63 && d < 0x1p63) || d != Math.rint(d)) {
                throw new ArithmeticException("not an exact integer");
            }
            return (long) d;
        }
        return ((Number) v).longValue();
    }
}
