package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A column's DEFAULT: a literal, or one of the functions {@code CURRENT_DATE}, {@code CURRENT_TIME},
 * {@code CURRENT_TIMESTAMP} and {@code LOCALTIMESTAMP}, evaluated when a row is inserted. Stored in user property
 * {@value SqlShape#DEFAULTS} as {@code ["value", v]} or {@code ["function", name]}.
 *
 * @param literal  the literal, or null for a function
 * @param function the function name (upper case), or null for a literal
 * @param at       where it was written
 */
record DdlDefault(DdlLiteral literal, String function, DdlToken at) {
    private static final List<String> FUNCTIONS = List.of("CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
            "LOCALTIMESTAMP");

    /** Reads a DEFAULT's value (after the keyword). */
    static DdlDefault parse(DdlCursor c) {
        DdlToken t = c.peek();
        if (t.kind() == DdlToken.Kind.WORD && FUNCTIONS.contains(t.upper())) {
            c.next();
            return new DdlDefault(null, t.upper(), t);
        }
        return new DdlDefault(DdlLiteral.parse(c, "a DEFAULT value (a string, number, TRUE, FALSE, NULL, DATE '...', "
                + "TIMESTAMP '...', CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP or LOCALTIMESTAMP)"), null, t);
    }

    /**
     * The stored form for a column of type {@code type}: a literal converted to it (an error if it does not fit),
     * or a function whose result fits it (CURRENT_DATE a DATE, CURRENT_TIME a TIME, the timestamps a TIMESTAMP).
     */
    List<Object> stored(AttrType type, String column) {
        if (literal != null) {
            return java.util.Arrays.asList("value", literal.convertTo(type, column));
        }
        boolean fits = switch (function) {
            case "CURRENT_DATE" -> type == AttrType.DATE;
            case "CURRENT_TIME" -> type == AttrType.TIME;
            default -> type == AttrType.DATETIME || type == AttrType.INSTANT;
        };
        if (!fits && type != AttrType.ANY) {
            throw DdlError.at(at, DdlError.INVALID, "DEFAULT " + function + " does not fit column " + column
                    + " of type " + type.name());
        }
        return List.of("function", function);
    }

    /** The value a stored default gives now (for the rows a column is added to), in the column's engine type. */
    static Object valueNow(List<?> stored, AttrType type) {
        if ("value".equals(stored.get(0))) {
            return stored.get(1);
        }
        Instant now = Instant.now();
        return switch (String.valueOf(stored.get(1))) {
            case "CURRENT_DATE" -> LocalDate.ofInstant(now, ZoneOffset.UTC);
            case "CURRENT_TIME" -> LocalTime.ofInstant(now, ZoneOffset.UTC);
            default -> type == AttrType.INSTANT ? now : LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        };
    }
}
