package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Erlang arithmetic on Mnemo numbers. Integers are {@link Long}s and, beyond the long range, integral
 * {@link BigDecimal}s (what {@code Terms.normalize} makes of a big integer); other BigDecimals are decimals.
 * Integer operations are exact (overflow promotes to a big integer); any float operand makes a float result; a
 * decimal operand with integers or decimals makes a decimal. {@code /} always gives a float. Errors (non-number
 * operand, division by zero, float overflow) throw {@link EvalError}.
 */
final class Arith {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final int MAX_SHIFT = 1 << 20;

    private Arith() {
    }

    static boolean isNumber(Object o) {
        return o instanceof Long || o instanceof Double || o instanceof BigDecimal;
    }

    static boolean isInteger(Object o) {
        return o instanceof Long || o instanceof BigDecimal d && isBigInteger(d);
    }

    private static boolean isBigInteger(BigDecimal d) {
        return d.stripTrailingZeros().scale() <= 0 && (d.compareTo(LONG_MIN) < 0 || d.compareTo(LONG_MAX) > 0);
    }

    static Object add(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long r = x + y;
            if (((x ^ r) & (y ^ r)) >= 0) {
                return r;
            }
        }
        return general('+', a, b);
    }

    static Object subtract(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long r = x - y;
            if (((x ^ y) & (x ^ r)) >= 0) {
                return r;
            }
        }
        return general('-', a, b);
    }

    static Object multiply(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long hi = Math.multiplyHigh(x, y);
            long lo = x * y;
            if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
                return lo;
            }
        }
        return general('*', a, b);
    }

    private static Object general(char op, Object a, Object b) {
        if (!isNumber(a) || !isNumber(b)) {
            throw EvalError.badarith(String.valueOf(op), a, b);
        }
        if (a instanceof Double || b instanceof Double) {
            double x = toDouble(a, String.valueOf(op));
            double y = toDouble(b, String.valueOf(op));
            return checkedDouble(op == '+' ? x + y : op == '-' ? x - y : x * y, op, a, b);
        }
        if (isInteger(a) && isInteger(b)) {
            BigInteger x = toBigInteger(a);
            BigInteger y = toBigInteger(b);
            return integer(op == '+' ? x.add(y) : op == '-' ? x.subtract(y) : x.multiply(y));
        }
        BigDecimal x = toBigDecimal(a);
        BigDecimal y = toBigDecimal(b);
        return Terms.normalize(op == '+' ? x.add(y) : op == '-' ? x.subtract(y) : x.multiply(y));
    }

    /** Erlang {@code /}: always a float. */
    static Object divide(Object a, Object b) {
        if (!isNumber(a) || !isNumber(b)) {
            throw EvalError.badarith("/", a, b);
        }
        double y = toDouble(b, "/");
        if (y == 0.0) {
            throw EvalError.badarith("/", a, b);
        }
        return checkedDouble(toDouble(a, "/") / y, '/', a, b);
    }

    /** Erlang {@code div}: integer division truncating toward zero. */
    static Object div(Object a, Object b) {
        requireIntegers("div", a, b);
        if (a instanceof Long x && b instanceof Long y && y != 0 && !(x == Long.MIN_VALUE && y == -1)) {
            return x / y;
        }
        BigInteger y = toBigInteger(b);
        if (y.signum() == 0) {
            throw EvalError.badarith("div", a, b);
        }
        return integer(toBigInteger(a).divide(y));
    }

    /** Erlang {@code rem}: remainder with the sign of the dividend. */
    static Object rem(Object a, Object b) {
        requireIntegers("rem", a, b);
        if (a instanceof Long x && b instanceof Long y && y != 0) {
            return x % y;
        }
        BigInteger y = toBigInteger(b);
        if (y.signum() == 0) {
            throw EvalError.badarith("rem", a, b);
        }
        return integer(toBigInteger(a).remainder(y));
    }

    static Object negate(Object a) {
        if (a instanceof Long x && x != Long.MIN_VALUE) {
            return -x;
        }
        return subtract(0L, requireNumber("-", a));
    }

    static Object plus(Object a) {
        return requireNumber("+", a);
    }

    static Object abs(Object a) {
        requireNumber("abs", a);
        return Terms.compareLoose(a, 0L) < 0 ? negate(a) : a;
    }

    static Object round(Object a) {
        return toInteger("round", a, RoundingMode.HALF_UP);
    }

    static Object trunc(Object a) {
        return toInteger("trunc", a, RoundingMode.DOWN);
    }

    private static Object toInteger(String fn, Object a, RoundingMode mode) {
        if (isInteger(a)) {
            return a;
        }
        requireNumber(fn, a);
        if (a instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw EvalError.badarg(fn, a);
        }
        BigDecimal d = a instanceof Double x ? new BigDecimal(x) : (BigDecimal) a;
        return integer(d.setScale(0, mode).toBigIntegerExact());
    }

    static Object toFloat(Object a) {
        requireNumber("float", a);
        return a instanceof Double ? a : Terms.normalize(toDouble(a, "float"));
    }

    static Object min(Object a, Object b) {
        return Terms.compareLoose(a, b) <= 0 ? a : b;
    }

    static Object max(Object a, Object b) {
        return Terms.compareLoose(a, b) >= 0 ? a : b;
    }

    static Object band(Object a, Object b) {
        requireIntegers("band", a, b);
        if (a instanceof Long x && b instanceof Long y) {
            return x & y;
        }
        return integer(toBigInteger(a).and(toBigInteger(b)));
    }

    static Object bor(Object a, Object b) {
        requireIntegers("bor", a, b);
        if (a instanceof Long x && b instanceof Long y) {
            return x | y;
        }
        return integer(toBigInteger(a).or(toBigInteger(b)));
    }

    static Object bxor(Object a, Object b) {
        requireIntegers("bxor", a, b);
        if (a instanceof Long x && b instanceof Long y) {
            return x ^ y;
        }
        return integer(toBigInteger(a).xor(toBigInteger(b)));
    }

    static Object bnot(Object a) {
        if (!isInteger(a)) {
            throw EvalError.badarith("bnot", a);
        }
        return a instanceof Long x ? (Object) ~x : integer(toBigInteger(a).not());
    }

    static Object bsl(Object a, Object b) {
        return shift("bsl", a, b, 1);
    }

    static Object bsr(Object a, Object b) {
        return shift("bsr", a, b, -1);
    }

    private static Object shift(String fn, Object a, Object b, int direction) {
        if (!isInteger(a) || !(b instanceof Long n) || Math.abs(n) > MAX_SHIFT) {
            throw EvalError.badarith(fn, a, b);
        }
        int left = (int) (n * direction);
        if (a instanceof Long x && left <= 0) {
            return left <= -64 ? (x < 0 ? -1L : 0L) : x >> -left;
        }
        BigInteger big = toBigInteger(a);
        return integer(left >= 0 ? big.shiftLeft(left) : big.shiftRight(-left));
    }

    private static Object requireNumber(String fn, Object a) {
        if (!isNumber(a)) {
            throw EvalError.badarith(fn, a);
        }
        return a;
    }

    private static void requireIntegers(String fn, Object a, Object b) {
        if (!isInteger(a) || !isInteger(b)) {
            throw EvalError.badarith(fn, a, b);
        }
    }

    private static double toDouble(Object n, String fn) {
        double d = ((Number) n).doubleValue();
        if (Double.isInfinite(d) && !(n instanceof Double)) {
            throw EvalError.badarith(fn, n);
        }
        return d;
    }

    private static Object checkedDouble(double r, char op, Object a, Object b) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            throw EvalError.badarith(String.valueOf(op), a, b);
        }
        return Terms.normalize(r);
    }

    /**
     * An integer result in normalized form: a Long, or beyond the long range a BigDecimal without trailing zeros
     * (what {@code Terms.normalize} gives when applied to its own result).
     */
    static Object integer(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : new BigDecimal(v).stripTrailingZeros();
    }

    private static BigInteger toBigInteger(Object n) {
        return n instanceof Long l ? BigInteger.valueOf(l) : ((BigDecimal) n).toBigIntegerExact();
    }

    private static BigDecimal toBigDecimal(Object n) {
        return n instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) n;
    }
}
