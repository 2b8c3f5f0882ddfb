package org.apache.calcite.jdbc;

import dev.mnemo.calcite.SqlErrors;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * A prepared statement's parameter values made fit for the types its parameters have, as JDBC drivers convert
 * them: a string for a numeric parameter is parsed ({@code setString(1, "42")} for an INTEGER; for an integer
 * exactly, a fraction being 22018 and a value out of the type's range 22003), a number or a
 * boolean for a character parameter becomes its text, a string for a BOOLEAN is parsed. What cannot be converted is
 * SQLState 22018 naming the parameter, the value and the type expected: a string that is not a number, a date, time,
 * timestamp, byte array or object of another class for a numeric parameter (Avatica passes a date as its day
 * number, which an INTEGER column would otherwise store), a number for a BOOLEAN. Anything else passes as it is, for
 * Calcite to convert.
 */
final class ParameterValues {
    private ParameterValues() {
    }

    /**
     * The values of an execution of {@code statement} as Calcite takes them ({@code passed} if there are any, else
     * those bound to the statement), converted for {@code parameters}.
     */
    static List<TypedValue> of(org.apache.calcite.avatica.AvaticaStatement statement, List<TypedValue> passed,
                               List<AvaticaParameter> parameters) {
        List<TypedValue> values = passed;
        if (values == null || values.isEmpty()) {
            values = statement == null ? List.of() : CalciteConnectionImpl.TROJAN.getParameterValues(statement);
        }
        return coerce(values, parameters);
    }

    /** {@code values} converted for {@code parameters} (the same list if nothing needed converting). */
    static List<TypedValue> coerce(List<TypedValue> values, List<AvaticaParameter> parameters) {
        List<TypedValue> out = null;
        for (int i = 0; i < values.size() && i < parameters.size(); i++) {
            TypedValue v = values.get(i);
            TypedValue c = v == null || v.value == null ? v : coerce(i + 1, v, parameters.get(i));
            if (c != v) {
                if (out == null) {
                    out = new ArrayList<>(values);
                }
                out.set(i, c);
            }
        }
        return out == null ? values : out;
    }

    private static TypedValue coerce(int index, TypedValue v, AvaticaParameter p) {
        if (fits(v.type, p.parameterType)) {
            return v; // the usual case, at once: setLong for a BIGINT, setString for a VARCHAR
        }
        if (isText(p.parameterType)) {
            Object local = v.toLocal();
            if (local instanceof BigDecimal d) {
                return TypedValue.ofLocal(Rep.STRING, d.toPlainString());
            }
            if ((local instanceof Number || local instanceof Boolean) && !isTemporal(v.type)) {
                return TypedValue.ofLocal(Rep.STRING, String.valueOf(local));
            }
            return v;
        }
        switch (p.parameterType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC,
                    Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                Object local = v.toLocal();
                if (local instanceof String s) {
                    BigDecimal d;
                    try {
                        d = new BigDecimal(s.trim());
                    } catch (NumberFormatException e) {
                        throw bad(index, "'" + s + "' is not a number", p);
                    }
                    return isInteger(p.parameterType) ? integer(index, s, d, p) : TypedValue.ofLocal(Rep.NUMBER, d);
                }
                if (!(local instanceof Number) || isTemporal(v.type)) {
                    throw bad(index, "a value of type " + describe(v) + " cannot be converted", p);
                }
                return v;
            }
            case Types.BOOLEAN -> {
                Object local = v.toLocal();
                if (local instanceof String s) {
                    String t = s.trim();
                    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                        return TypedValue.ofLocal(Rep.BOOLEAN, Boolean.parseBoolean(t));
                    }
                    throw bad(index, "'" + s + "' is not TRUE or FALSE", p);
                }
                if (!(local instanceof Boolean)) {
                    throw bad(index, "a value of type " + describe(v) + " cannot be converted", p);
                }
                return v;
            }
            default -> {
                return v;
            }
        }
    }

    /** Whether a value of representation {@code rep} needs nothing done for a parameter of JDBC type {@code type}. */
    private static boolean fits(Rep rep, int type) {
        return switch (rep) {
            case PRIMITIVE_LONG, LONG, PRIMITIVE_INT, INTEGER, PRIMITIVE_SHORT, SHORT, PRIMITIVE_BYTE, BYTE ->
                    type != Types.BOOLEAN && !isText(type);
            case STRING -> isText(type);
            default -> false;
        };
    }

    private static boolean isText(int type) {
        return type == Types.CHAR || type == Types.VARCHAR || type == Types.LONGVARCHAR || type == Types.NCHAR
                || type == Types.NVARCHAR || type == Types.CLOB;
    }

    private static boolean isInteger(int type) {
        return type == Types.TINYINT || type == Types.SMALLINT || type == Types.INTEGER || type == Types.BIGINT;
    }

    /**
     * The string {@code s}, read as {@code d}, for an integer parameter: exactly (a fraction is 22018, not cut
     * off) and within the type's range (else 22003), as a value of the parameter's Java type.
     */
    private static TypedValue integer(int index, String s, BigDecimal d, AvaticaParameter p) {
        java.math.BigInteger i;
        try {
            i = d.toBigIntegerExact();
        } catch (ArithmeticException fraction) {
            throw bad(index, "'" + s + "' is not an integer", p);
        }
        int bits = switch (p.parameterType) {
            case Types.TINYINT -> 8;
            case Types.SMALLINT -> 16;
            case Types.INTEGER -> 32;
            default -> 64;
        };
        if (i.bitLength() >= bits) {
            throw SqlErrors.withState("parameter " + index + ": " + s.trim() + " is out of range for " + p.typeName,
                    "22003");
        }
        return switch (bits) {
            case 8 -> TypedValue.ofLocal(Rep.BYTE, i.byteValue());
            case 16 -> TypedValue.ofLocal(Rep.SHORT, i.shortValue());
            case 32 -> TypedValue.ofLocal(Rep.INTEGER, i.intValue());
            default -> TypedValue.ofLocal(Rep.LONG, i.longValue());
        };
    }

    private static boolean isTemporal(Rep rep) {
        return switch (rep) {
            case JAVA_SQL_DATE, JAVA_SQL_TIME, JAVA_SQL_TIMESTAMP, JAVA_UTIL_DATE -> true;
            default -> false;
        };
    }

    private static String describe(TypedValue v) {
        return switch (v.type) {
            case JAVA_SQL_DATE -> "DATE";
            case JAVA_SQL_TIME -> "TIME";
            case JAVA_SQL_TIMESTAMP, JAVA_UTIL_DATE -> "TIMESTAMP";
            default -> v.toLocal() instanceof org.apache.calcite.avatica.util.ByteString ? "VARBINARY"
                    : v.toLocal().getClass().getName();
        };
    }

    private static RuntimeException bad(int index, String what, AvaticaParameter p) {
        return SqlErrors.withState("parameter " + index + ": " + what + " to " + p.typeName + " (the type the "
                + "statement expects there)", "22018");
    }
}
