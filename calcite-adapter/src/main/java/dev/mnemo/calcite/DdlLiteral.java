package dev.mnemo.calcite;

import dev.mnemo.calcite.DdlToken.Kind;
import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.value.Binary;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * A literal of a DDL statement and its value: {@code 'string'} (String), an integer (Long, or BigDecimal beyond
 * 64 bits), a number with a fraction (BigDecimal) or an exponent (Double), optionally signed; TRUE, FALSE, NULL;
 * {@code DATE 'yyyy-mm-dd'}, {@code TIME 'hh:mm[:ss[.f]]'}, {@code TIMESTAMP 'yyyy-mm-dd hh:mm[:ss[.f]]'} (with a
 * trailing {@code Z} or {@code +hh:mm} an Instant, otherwise a LocalDateTime) and {@code X'hex'} (Binary).
 *
 * @param value the value
 * @param at    the first token, for error positions
 * @param text  the literal as written, for messages
 */
record DdlLiteral(Object value, DdlToken at, String text) {

    /** Whether a literal starts at the cursor (as opposed to a bare identifier). */
    static boolean startsAt(DdlCursor c) {
        DdlToken t = c.peek();
        if (t.kind() == Kind.STRING || t.kind() == Kind.NUMBER || t.isSymbol("-") || t.isSymbol("+")) {
            return true;
        }
        if (t.isWord("TRUE") || t.isWord("FALSE") || t.isWord("NULL")) {
            return true;
        }
        boolean prefix = t.isWord("DATE") || t.isWord("TIME") || t.isWord("TIMESTAMP") || t.isWord("X");
        return prefix && c.peek(1).kind() == Kind.STRING;
    }

    /** Reads a literal or fails saying {@code what} was expected. */
    static DdlLiteral parse(DdlCursor c, String what) {
        if (!startsAt(c)) {
            throw DdlError.expected(c.peek(), what);
        }
        DdlToken t = c.next();
        switch (t.kind()) {
            case STRING:
                return new DdlLiteral(t.value(), t, t.text());
            case NUMBER:
                return new DdlLiteral(number(t.text(), false), t, t.text());
            case SYMBOL:
                return signed(c, t);
            default:
                return word(c, t);
        }
    }

    private static DdlLiteral signed(DdlCursor c, DdlToken sign) {
        DdlToken n = c.peek();
        if (n.kind() != Kind.NUMBER) {
            throw DdlError.expected(n, "a number after '" + sign.text() + "'");
        }
        c.next();
        return new DdlLiteral(number(n.text(), sign.isSymbol("-")), sign, sign.text() + n.text());
    }

    private static Object number(String text, boolean negative) {
        String s = negative ? "-" + text : text;
        if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
            return Double.parseDouble(s);
        }
        if (s.indexOf('.') >= 0) {
            return new BigDecimal(s);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return new BigDecimal(s);
        }
    }

    private static DdlLiteral word(DdlCursor c, DdlToken w) {
        switch (w.upper()) {
            case "TRUE":
                return new DdlLiteral(Boolean.TRUE, w, w.text());
            case "FALSE":
                return new DdlLiteral(Boolean.FALSE, w, w.text());
            case "NULL":
                return new DdlLiteral(null, w, w.text());
            default:
                DdlToken s = c.next();
                String text = w.text() + " " + s.text();
                return new DdlLiteral(typed(w.upper(), s), w, text);
        }
    }

    /** The value of {@code DATE 'x'}, {@code TIME 'x'}, {@code TIMESTAMP 'x'} or {@code X'x'}. */
    private static Object typed(String prefix, DdlToken s) {
        switch (prefix) {
            case "DATE":
                return date(s.value(), s);
            case "TIME":
                return time(s.value(), s);
            case "TIMESTAMP":
                return timestamp(s.value(), s);
            default:
                try {
                    return Binary.of(HexFormat.of().parseHex(s.value()));
                } catch (IllegalArgumentException e) {
                    throw DdlError.at(s, DdlError.INVALID, "invalid binary literal " + s.describe()
                            + ": expected an even number of hex digits");
                }
        }
    }

    static LocalDate date(String s, DdlToken at) {
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw DdlError.at(at, DdlError.INVALID, "invalid DATE '" + s + "': expected yyyy-mm-dd");
        }
    }

    static LocalTime time(String s, DdlToken at) {
        try {
            return LocalTime.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw DdlError.at(at, DdlError.INVALID, "invalid TIME '" + s + "': expected hh:mm[:ss[.fraction]]");
        }
    }

    /** A LocalDateTime, or with a zone offset ({@code Z}, {@code +02:00}) an Instant; ' ' or 'T' separates. */
    static Object timestamp(String s, DdlToken at) {
        String iso = s.strip().replaceFirst(" ", "T");
        try {
            return LocalDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException e2) {
                throw DdlError.at(at, DdlError.INVALID, "invalid TIMESTAMP '" + s
                        + "': expected yyyy-mm-dd hh:mm[:ss[.fraction]] with an optional Z or +hh:mm");
            }
        }
    }

    /**
     * The value converted to a column's type: numbers widen (an integer to DOUBLE or DECIMAL, a whole decimal to
     * INTEGER), strings are parsed for DATE, TIME and TIMESTAMP columns, a zone-less timestamp in a TIMESTAMP WITH
     * TIME ZONE column is taken as UTC. NULL fits every column. Anything else is a 42000 error at the literal.
     */
    Object convertTo(AttrType type, String column) {
        if (value == null || type == AttrType.ANY) {
            return value;
        }
        Object v = convert(type);
        if (v == null) {
            throw DdlError.at(at, DdlError.INVALID, "value " + text + " does not fit column " + column + " of type "
                    + type.name());
        }
        return v;
    }

    /** The converted value, or null if it does not fit. */
    private Object convert(AttrType type) {
        switch (type) {
            case INTEGER:
                return value instanceof Long ? value : wholeNumber();
            case DOUBLE:
                return value instanceof Number n ? (Object) n.doubleValue() : null;
            case DECIMAL:
                return value instanceof Number n ? new BigDecimal(n.toString()) : null;
            case STRING:
                return value instanceof String ? value : null;
            case BOOLEAN:
                return value instanceof Boolean ? value : null;
            case BINARY:
                return value instanceof Binary ? value : null;
            case DATE:
                return value instanceof String s ? date(s, at) : value instanceof LocalDate ? value : null;
            case TIME:
                return value instanceof String s ? time(s, at) : value instanceof LocalTime ? value : null;
            case DATETIME:
            case INSTANT:
                return dateTime(type);
            default:
                return null;
        }
    }

    private Object wholeNumber() {
        if (value instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private Object dateTime(AttrType type) {
        Object v = value instanceof String s ? timestamp(s, at) : value;
        if (type == AttrType.DATETIME) {
            return v instanceof LocalDateTime ? v : null;
        }
        if (v instanceof LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        return v instanceof Instant ? v : null;
    }
}
