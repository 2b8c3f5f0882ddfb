package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Reads the bounds a clause's guards put on one head variable: comparisons of the variable with a constant, at top
 * level or inside {@code andalso}/{@code and} (all of whose arguments must hold). Anything else, {@code orelse}
 * included, is ignored, which only widens.
 *
 * <p>{@code ==} and the order comparisons are Erlang's loose ones ({@code 1 == 1.0}) while hints are in the strict
 * total order, where equal numbers order long &lt; double &lt; decimal. So a bound that must include numbers equal
 * to the constant uses the smallest (lower bound) or largest (upper bound) number of that value, and one that must
 * exclude them uses the other end.
 */
final class GuardRanges {
    private static final Map<String, String> FLIPPED = Map.of("<", ">", ">", "<", "=<", ">=", ">=", "=<",
            "==", "==", "=:=", "=:=");

    private GuardRanges() {
    }

    static void collect(Object guard, Var v, KeyConstraint k) {
        if (!(guard instanceof Call c)) {
            return;
        }
        List<Object> args = c.args();
        if (c.fn().equals("andalso") || c.fn().equals("and")) {
            for (Object a : args) {
                collect(a, v, k);
            }
        } else if (FLIPPED.containsKey(c.fn()) && args.size() == 2) {
            if (v.equals(args.get(0)) && Canon.isPlain(args.get(1))) {
                bound(c.fn(), args.get(1), k);
            } else if (v.equals(args.get(1)) && Canon.isPlain(args.get(0))) {
                bound(FLIPPED.get(c.fn()), args.get(0), k);
            }
        }
    }

    /** Applies {@code var op constant}. */
    private static void bound(String op, Object c, KeyConstraint k) {
        switch (op) {
            case "=:=" -> k.exact(c);
            case "==" -> {
                if (Arith.isNumber(c)) {
                    k.lower(smallestEqual(c), true);
                    k.upper(largestEqual(c), true);
                } else {
                    k.exact(c);
                }
            }
            case ">" -> k.lower(largestEqual(c), false);
            case ">=" -> k.lower(smallestEqual(c), true);
            case "<" -> k.upper(smallestEqual(c), false);
            case "=<" -> k.upper(largestEqual(c), true);
            default -> throw new IllegalStateException(op);
        }
    }

    /** The first value in the total order that is {@code ==} to {@code c}: for a number, a long if one is equal. */
    static Object smallestEqual(Object c) {
        BigDecimal v = exactValue(c);
        if (v == null) {
            return c;
        }
        try {
            return v.longValueExact();
        } catch (ArithmeticException notLong) {
            double d = v.doubleValue();
            return Double.isFinite(d) && new BigDecimal(d).compareTo(v) == 0 ? Terms.normalize(d) : c;
        }
    }

    /** The last value in the total order that is {@code ==} to {@code c}: for a number, the decimal of its value. */
    static Object largestEqual(Object c) {
        BigDecimal v = exactValue(c);
        return v == null ? c : Terms.normalize(v);
    }

    /** The exact value of a finite number, else null. */
    private static BigDecimal exactValue(Object c) {
        if (c instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (c instanceof Double d) {
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        return c instanceof BigDecimal b ? b : null;
    }
}
