package dev.mnemo.calcite;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A value a direct plan writes: a literal (as Calcite's generated code holds it) or a {@code ?} parameter of a given
 * SQL type, whose bound value is used only when it is already the Java value Calcite's generated code would make of
 * it.
 */
record DirectValue(Object literal, int param, SqlTypeName type, boolean nullable) {
    /** What {@link #of(List)} gives when Calcite would convert the bound value: the statement goes through Calcite. */
    static final Object DECLINE = new Object();

    /** The value Calcite's generated code would make of this for {@code parameters}, or {@link #DECLINE}. */
    Object of(List<TypedValue> parameters) {
        if (param < 0) {
            return literal;
        }
        TypedValue bound = param < parameters.size() ? parameters.get(param) : null;
        if (bound == null) {
            return DECLINE; // Calcite reports the unbound parameter
        }
        Object v = bound.toLocal();
        if (v == null) {
            return nullable ? null : DECLINE; // Calcite's code unboxes a NOT NULL parameter: its own failure
        }
        if (type == SqlTypeName.ANY) {
            return v;
        }
        return switch (type) {
            // Calcite's code does Long.valueOf(((Number) v).longValue()): exact for these
            case BIGINT -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    ? (Object) ((Number) v).longValue() : DECLINE;
            case DOUBLE -> v instanceof Double ? v : DECLINE;
            case DECIMAL -> v instanceof BigDecimal ? v : DECLINE;
            case VARCHAR, CHAR -> v instanceof String ? v : DECLINE;
            case BOOLEAN -> v instanceof Boolean ? v : DECLINE;
            case VARBINARY -> v instanceof ByteString ? v : DECLINE;
            case DATE, TIME -> v instanceof Integer ? v : DECLINE;
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> v instanceof Long ? v : DECLINE;
            default -> DECLINE;
        };
    }

    /** NULL, as a literal. */
    static final DirectValue NULL = new DirectValue(null, -1, null, true);

    /**
     * Parameter {@code index} of type {@code t}, or null if Calcite's code converts its bound value (pads or cuts a
     * bounded string or binary value, narrows a number).
     */
    static DirectValue param(int index, RelDataType t) {
        boolean unbounded = t.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED;
        return switch (t.getSqlTypeName()) {
            case VARCHAR, CHAR, VARBINARY -> unbounded
                    ? new DirectValue(null, index, t.getSqlTypeName(), t.isNullable()) : null;
            case BIGINT, DOUBLE, DECIMAL, BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, ANY ->
                    new DirectValue(null, index, t.getSqlTypeName(), t.isNullable());
            default -> null;
        };
    }

    /**
     * The direct value of an expression: a parameter, a literal of a type whose generated-code value is plain, a
     * cast of a character literal to an unbounded VARCHAR (how Calcite writes a column's character DEFAULT) or of a
     * BIGINT, DOUBLE or BOOLEAN literal to its own type (a change of nullability); else null.
     */
    static DirectValue of(RexNode e) {
        if (e instanceof RexDynamicParam p) {
            return param(p.getIndex(), p.getType());
        }
        if (e instanceof RexCall call && call.getKind() == SqlKind.CAST
                && call.getOperands().get(0) instanceof RexLiteral lit && !lit.isNull()) {
            SqlTypeName to = call.getType().getSqlTypeName();
            SqlTypeName from = lit.getType().getSqlTypeName();
            boolean unbounded = call.getType().getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED;
            boolean text = to == SqlTypeName.VARCHAR && unbounded
                    && (from == SqlTypeName.CHAR || from == SqlTypeName.VARCHAR);
            boolean same = to == from && (to == SqlTypeName.BIGINT || to == SqlTypeName.DOUBLE
                    || to == SqlTypeName.BOOLEAN);
            return text || same ? of(lit) : null;
        }
        if (e instanceof RexLiteral lit) {
            if (lit.isNull()) {
                return NULL;
            }
            Object v = switch (lit.getType().getSqlTypeName()) {
                case BIGINT -> lit.getValueAs(Long.class);
                case INTEGER -> lit.getValueAs(Integer.class);
                case DECIMAL -> lit.getValueAs(BigDecimal.class);
                case DOUBLE -> lit.getValueAs(Double.class);
                case CHAR, VARCHAR -> lit.getValueAs(String.class);
                case BOOLEAN -> lit.getValueAs(Boolean.class);
                default -> null;
            };
            return v == null ? null : new DirectValue(v, -1, null, true);
        }
        return null;
    }
}
