package dev.mnemo.engine;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * The declared type of an attribute. {@link #ANY} (the default) holds any value; the others hold their kind of
 * value or null (a key may never be null). A write whose value does not fit is rejected, naming table, attribute,
 * value and expected type.
 */
public enum AttrType {
    ANY, BOOLEAN, INTEGER, DOUBLE, DECIMAL, STRING, BINARY, DATE, TIME, DATETIME, INSTANT, TUPLE, LIST, MAP;

    boolean accepts(Object v) {
        return switch (this) {
            case ANY -> true;
            case BOOLEAN -> v instanceof Boolean;
            case INTEGER -> v instanceof Long;
            case DOUBLE -> v instanceof Double;
            case DECIMAL -> v instanceof BigDecimal;
            case STRING -> v instanceof String;
            case BINARY -> v instanceof Binary;
            case DATE -> v instanceof LocalDate;
            case TIME -> v instanceof LocalTime;
            case DATETIME -> v instanceof LocalDateTime;
            case INSTANT -> v instanceof Instant;
            case TUPLE -> v instanceof Tuple;
            case LIST -> v instanceof List<?>;
            case MAP -> v instanceof Map<?, ?>;
        };
    }

    /** Lower-case name used in messages and table_info: {@code integer}, {@code string}, … */
    public String typeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
