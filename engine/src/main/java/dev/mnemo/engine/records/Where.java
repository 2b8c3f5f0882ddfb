package dev.mnemo.engine.records;

import dev.mnemo.engine.match.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A guard condition written against attribute (record component) names, compiled to an engine match spec when a
 * query runs: {@code Where.and(Where.eq("director", "Tarantino"), Where.lt("year", 2000))}.
 *
 * <p>Operands: in a comparison, the first argument when it is a {@code String} names an attribute and the second
 * is a constant; in arithmetic ({@link #add}, {@link #sub}, {@link #mul}) every {@code String} operand names an
 * attribute. Use {@link #attr} and {@link #value} to say so explicitly anywhere (for instance
 * {@code eq("title", attr("original_title"))} compares two attributes). Constants are converted as record values
 * are (int to long, records to tuples, enums to their names, byte[] to binaries).
 *
 * <p>Comparisons are Erlang's: {@code ==} and the order comparisons compare numbers by value ({@code 1 == 1.0}),
 * and a comparison that raises an error (arithmetic on a string) makes the guard false. A name that is not an
 * attribute of the queried record is an {@link IllegalArgumentException} naming the record and listing its
 * attributes, raised when the query runs.
 */
public final class Where {
    private static final Set<String> BOOLEAN_OPS = Set.of("==", "/=", "<", "=<", ">", ">=", "andalso", "orelse",
            "not");
    private static final Where ALL = new Where(Kind.CALL, "true", null, List.of());

    private enum Kind { ATTR, CONST, CALL }

    private final Kind kind;
    private final String op;
    private final Object value;
    private final List<Where> args;

    private Where(Kind kind, String op, Object value, List<Where> args) {
        this.kind = kind;
        this.op = op;
        this.value = value;
        this.args = args;
    }

    /** The condition that holds for every record. */
    public static Where all() {
        return ALL;
    }

    /** The value of an attribute. */
    public static Where attr(String attribute) {
        return new Where(Kind.ATTR, null, Objects.requireNonNull(attribute, "attribute"), List.of());
    }

    /** A constant, even a {@code String} where an attribute name would otherwise be read. */
    public static Where value(Object constant) {
        return new Where(Kind.CONST, null, constant, List.of());
    }

    /** {@code left == right}. */
    public static Where eq(Object left, Object right) {
        return compare("==", left, right);
    }

    /** {@code left /= right}. */
    public static Where ne(Object left, Object right) {
        return compare("/=", left, right);
    }

    /** {@code left < right}. */
    public static Where lt(Object left, Object right) {
        return compare("<", left, right);
    }

    /** {@code left =< right}. */
    public static Where le(Object left, Object right) {
        return compare("=<", left, right);
    }

    /** {@code left > right}. */
    public static Where gt(Object left, Object right) {
        return compare(">", left, right);
    }

    /** {@code left >= right}. */
    public static Where ge(Object left, Object right) {
        return compare(">=", left, right);
    }

    /** All conditions hold (Erlang's {@code andalso}); at least one. */
    public static Where and(Where... conditions) {
        return junction("andalso", conditions);
    }

    /** Some condition holds (Erlang's {@code orelse}); at least one. */
    public static Where or(Where... conditions) {
        return junction("orelse", conditions);
    }

    /** The condition does not hold. */
    public static Where not(Where condition) {
        return new Where(Kind.CALL, "not", null, List.of(condition(condition)));
    }

    /** {@code a + b}; String operands are attribute names. */
    public static Where add(Object a, Object b) {
        return new Where(Kind.CALL, "+", null, List.of(operand(a), operand(b)));
    }

    /** {@code a - b}; String operands are attribute names. */
    public static Where sub(Object a, Object b) {
        return new Where(Kind.CALL, "-", null, List.of(operand(a), operand(b)));
    }

    /** {@code a * b}; String operands are attribute names. */
    public static Where mul(Object a, Object b) {
        return new Where(Kind.CALL, "*", null, List.of(operand(a), operand(b)));
    }

    private static Where compare(String op, Object left, Object right) {
        return new Where(Kind.CALL, op, null, List.of(operand(left), right instanceof Where w ? w : value(right)));
    }

    private static Where operand(Object o) {
        if (o instanceof Where w) {
            return w;
        }
        return o instanceof String s ? attr(s) : value(o);
    }

    private static Where condition(Where w) {
        Objects.requireNonNull(w, "condition");
        if (!w.isCondition()) {
            throw new IllegalArgumentException(w + " is not a condition; use eq, ne, lt, le, gt, ge, and, or, not");
        }
        return w;
    }

    private static Where junction(String op, Where... conditions) {
        if (conditions.length == 0) {
            throw new IllegalArgumentException(op + " needs at least one condition");
        }
        List<Where> list = new ArrayList<>();
        for (Where w : conditions) {
            list.add(condition(w));
        }
        return list.size() == 1 ? list.get(0) : new Where(Kind.CALL, op, null, List.copyOf(list));
    }

    private boolean isCondition() {
        return this == ALL || kind == Kind.CALL && BOOLEAN_OPS.contains(op);
    }

    /** The match-spec guards for records of {@code m}: empty for {@link #all()}. */
    List<Object> guards(RecordMapping m) {
        if (this == ALL) {
            return List.of();
        }
        condition(this);
        return List.of(compile(m));
    }

    private Object compile(RecordMapping m) {
        return switch (kind) {
            case ATTR -> Match.var(m.attributeIndex((String) value) + 1);
            case CONST -> Match.constant(Codecs.anyToValue(value));
            case CALL -> {
                Object[] compiled = new Object[args.size()];
                for (int i = 0; i < compiled.length; i++) {
                    compiled[i] = args.get(i).compile(m);
                }
                yield Match.call(op, compiled);
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ATTR -> (String) value;
            case CONST -> value instanceof String s ? '"' + s + '"' : String.valueOf(value);
            case CALL -> this == ALL ? "true"
                    : args.size() == 2 && !op.equals("andalso") && !op.equals("orelse")
                    ? "(" + args.get(0) + " " + op + " " + args.get(1) + ")"
                    : op + args;
        };
    }
}
