package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.value.Terms;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The equalities of a join condition that a lookup in the inner Mnemo table answers exactly: {@code column =
 * outer field}, where the condition is written over the outer row followed by the inner table's row. Either side
 * may be wrapped in casts that keep every value (INT to BIGINT, BIGINT to DECIMAL(19, 0), VARCHAR(5) to VARCHAR,
 * nullability), as SQL's type coercion adds them; then SQL equality is equality of the values themselves, and an
 * outer value is looked up as the one engine value that equals it ({@link #engineValue}), or matches nothing (2.5
 * against an integer key). Other casts (a VARCHAR read as a number, a DOUBLE rounded to BIGINT) and other types
 * (CHAR, whose padding SQL may ignore; untyped columns) leave the equality to the residual condition.
 */
final class LookupKeys {
    private LookupKeys() {
    }

    /** {@code column} (of the inner table) equals {@code outerField}; {@code conjunct} is its position. */
    record Equality(int column, int outerField, int conjunct) {
    }

    private static final Set<SqlTypeName> INTEGRAL = EnumSet.of(SqlTypeName.TINYINT, SqlTypeName.SMALLINT,
            SqlTypeName.INTEGER, SqlTypeName.BIGINT);

    /** The equality {@code conjunct} states, or null if it is not one a lookup answers exactly. */
    static Equality equality(RexNode conjunct, int position, int outerWidth, SqlShape shape) {
        if (!conjunct.isA(SqlKind.EQUALS)) {
            return null;
        }
        RexNode a = stripLossless(((RexCall) conjunct).getOperands().get(0));
        RexNode b = stripLossless(((RexCall) conjunct).getOperands().get(1));
        if (!(a instanceof RexInputRef ra) || !(b instanceof RexInputRef rb)) {
            return null;
        }
        RexInputRef outer = ra.getIndex() < outerWidth ? ra : rb;
        RexInputRef inner = ra.getIndex() < outerWidth ? rb : ra;
        if (outer.getIndex() >= outerWidth || inner.getIndex() < outerWidth) {
            return null;
        }
        int column = inner.getIndex() - outerWidth;
        if (!comparable(outer.getType(), shape.columns().get(column).type())) {
            return null;
        }
        return new Equality(column, outer.getIndex(), position);
    }

    /**
     * Whether values of SQL type {@code outer} equal values of a column of engine type {@code key} exactly when
     * {@link #engineValue} of the one is the other.
     */
    static boolean comparable(RelDataType outer, AttrType key) {
        SqlTypeName t = outer.getSqlTypeName();
        return switch (key) {
            case INTEGER, DECIMAL -> INTEGRAL.contains(t) || t == SqlTypeName.DECIMAL;
            case DOUBLE -> t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT || t == SqlTypeName.REAL
                    || (INTEGRAL.contains(t) && t != SqlTypeName.BIGINT);
            case STRING -> t == SqlTypeName.VARCHAR;
            case BOOLEAN -> t == SqlTypeName.BOOLEAN;
            case BINARY -> t == SqlTypeName.VARBINARY;
            case DATE -> t == SqlTypeName.DATE;
            case TIME -> t == SqlTypeName.TIME;
            case DATETIME -> t == SqlTypeName.TIMESTAMP;
            case INSTANT -> t == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
            default -> false;
        };
    }

    /**
     * The engine value of a column of type {@code key} that equals Calcite's value {@code v} (of a type
     * {@link #comparable} with it), or null if none does (or {@code v} is null: NULL equals nothing).
     */
    static Object engineValue(String table, SqlShape.Column key, Object v) {
        if (v == null) {
            return null;
        }
        return switch (key.type()) {
            case INTEGER -> v instanceof BigDecimal bd ? exactLong(bd) : (Object) ((Number) v).longValue();
            case DECIMAL -> Terms.normalize(v instanceof BigDecimal bd ? bd : BigDecimal.valueOf(((Number) v).longValue()));
            case DOUBLE -> ((Number) v).doubleValue();
            default -> SqlValues.toEngine(table, key.name(), key.type(), v);
        };
    }

    private static Long exactLong(BigDecimal bd) {
        try {
            return bd.longValueExact();
        } catch (ArithmeticException e) {
            return null; // a fraction, or beyond BIGINT: no integer key equals it
        }
    }

    /** {@code e} without the casts around it that keep every value. */
    static RexNode stripLossless(RexNode e) {
        RexNode n = e;
        while (n.isA(SqlKind.CAST) && lossless(((RexCall) n).getOperands().get(0).getType(), n.getType())) {
            n = ((RexCall) n).getOperands().get(0);
        }
        return n;
    }

    /** Whether a cast from {@code from} to {@code to} keeps every value (and so SQL equality). */
    static boolean lossless(RelDataType from, RelDataType to) {
        SqlTypeName f = from.getSqlTypeName();
        SqlTypeName t = to.getSqlTypeName();
        if (INTEGRAL.contains(f) && INTEGRAL.contains(t)) {
            return f.ordinal() <= t.ordinal(); // TINYINT, SMALLINT, INTEGER, BIGINT in that order
        }
        if (INTEGRAL.contains(f) && t == SqlTypeName.DECIMAL) {
            return to.getPrecision() - to.getScale() >= digits(f);
        }
        if ((INTEGRAL.contains(f) && f != SqlTypeName.BIGINT || f == SqlTypeName.REAL || f == SqlTypeName.FLOAT)
                && (t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT)) {
            return true;
        }
        if (f != t) {
            return false;
        }
        return switch (f) {
            case DECIMAL -> to.getScale() >= from.getScale()
                    && to.getPrecision() - to.getScale() >= from.getPrecision() - from.getScale();
            case VARCHAR, VARBINARY, TIME, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
                    to.getPrecision() >= from.getPrecision() || to.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED;
            case CHAR, BINARY -> to.getPrecision() == from.getPrecision(); // a longer CHAR pads the value
            default -> true;
        };
    }

    private static int digits(SqlTypeName integral) {
        return switch (integral) {
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case INTEGER -> 10;
            default -> 19;
        };
    }
}
