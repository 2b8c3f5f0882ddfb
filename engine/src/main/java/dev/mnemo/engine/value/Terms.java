package dev.mnemo.engine.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mnemo's closed value model and its total order (Erlang's term order, adapted to Java types).
 *
 * <p>The values are: {@code null}; {@link Boolean}; numbers ({@link Long}, {@link Double}, {@link BigDecimal});
 * {@link String}; {@link Binary}; {@link LocalDate}, {@link LocalTime}, {@link LocalDateTime}, {@link Instant};
 * {@link Tuple}; {@link Map}; {@link List}. Nothing else is ever stored, and nothing is Java-serialized.
 *
 * <p>Order between kinds: null &lt; boolean &lt; number &lt; string &lt; binary &lt; date &lt; time &lt; datetime
 * &lt; instant &lt; tuple &lt; map &lt; list. Numbers compare by value across Long/Double/BigDecimal, with
 * -infinity below and +infinity then NaN above all finite numbers; numbers of equal value but different Java types
 * order long &lt; double &lt; decimal (so {@code 1} and {@code 1.0} are different keys, as {@code =:=} in Erlang).
 * Strings compare by Unicode code point; tuples by size, then element by element; maps by size, then keys,
 * then values; lists element by element, shorter first.
 */
public final class Terms {
    /** The comparator of the total order. */
    public static final Comparator<Object> ORDER = Terms::compare;

    /** A range-bound marker below every value; appears only inside scan bounds, never stored. */
    public static final Object MIN_BOUND = new Bound("MIN_BOUND");
    /** A range-bound marker above every value; appears only inside scan bounds, never stored. */
    public static final Object MAX_BOUND = new Bound("MAX_BOUND");

    static final int NULL = 0, BOOLEAN = 1, NUMBER = 2, STRING = 3, BINARY = 4, DATE = 5, TIME = 6,
            DATETIME = 7, INSTANT = 8, TUPLE = 9, MAP = 10, LIST = 11;

    private Terms() {
    }

    /**
     * The canonical Mnemo value for a Java object: Integer/Short/Byte become Long, Float becomes Double, -0.0
     * becomes 0.0, BigInteger becomes Long or BigDecimal, BigDecimal loses trailing zeros, Character becomes String,
     * byte[] becomes {@link Binary}, lists and maps are copied into unmodifiable normalized copies.
     *
     * @throws IllegalArgumentException for any other type, naming it, and for a decimal of magnitude
     *     {@code 1E+2147483647} or more (its base-10 exponent would not fit the order-preserving encoding)
     */
    public static Object normalize(Object v) {
        if (v == null || v instanceof Long || v instanceof String || v instanceof Boolean || v instanceof Tuple
                || v instanceof Binary) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double d) {
            return normalizeDouble(d);
        }
        if (v instanceof Float f) {
            return normalizeDouble((double) f);
        }
        if (v instanceof BigDecimal bd) {
            return normalizeDecimal(bd);
        }
        if (v instanceof BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : normalizeDecimal(new BigDecimal(bi));
        }
        if (v instanceof Character c) {
            return String.valueOf(c);
        }
        if (v instanceof byte[] b) {
            return Binary.of(b);
        }
        if (v instanceof LocalDate || v instanceof LocalTime || v instanceof LocalDateTime || v instanceof Instant) {
            return v;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) {
                copy.add(normalize(o));
            }
            return Collections.unmodifiableList(copy);
        }
        if (v instanceof Map<?, ?> m) {
            TreeMap<Object, Object> copy = new TreeMap<>(ORDER);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                copy.put(normalize(e.getKey()), normalize(e.getValue()));
            }
            return Collections.unmodifiableSortedMap(copy);
        }
        throw new IllegalArgumentException("unsupported value type " + v.getClass().getName() + " (value " + v
                + "); Mnemo values are null, Boolean, Long/Integer, Double, BigDecimal, String, byte[]/Binary, "
                + "LocalDate, LocalTime, LocalDateTime, Instant, Tuple, List and Map");
    }

    private static BigDecimal normalizeDecimal(BigDecimal bd) {
        if (bd.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long exponent = decimalExponent(bd);
        if (exponent > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("decimal out of range: base-10 exponent " + exponent
                    + "; Mnemo decimals are below 1E+" + Integer.MAX_VALUE + " in magnitude");
        }
        return bd.stripTrailingZeros();
    }

    /**
     * The base-10 exponent e of a non-zero decimal written 0.ddd x 10^e: {@code precision - scale}, which does not
     * change when trailing zeros are stripped and can exceed the int range (for a scale near Integer.MIN_VALUE).
     */
    static long decimalExponent(BigDecimal bd) {
        return (long) bd.precision() - bd.scale();
    }

    private static Double normalizeDouble(double d) {
        if (d == 0.0) {
            return 0.0;
        }
        if (Double.isNaN(d)) {
            return Double.NaN;
        }
        return d;
    }

    /** Whether {@code v} is a Mnemo value as {@link #normalize} would return it (shallow check for lists/maps). */
    public static boolean isNormalized(Object v) {
        try {
            // Double and BigDecimal come back as new instances even when already canonical: compare by value.
            Object n = normalize(v);
            return n == v || v instanceof List<?> || v instanceof Map<?, ?>
                    || n.getClass() == v.getClass() && n.equals(v);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static int rank(Object v) {
        if (v == null) {
            return NULL;
        }
        if (v instanceof Bound) {
            return v == MIN_BOUND ? -1 : 99;
        }
        if (v instanceof Long || v instanceof Double || v instanceof BigDecimal) {
            return NUMBER;
        }
        if (v instanceof String) {
            return STRING;
        }
        if (v instanceof Tuple) {
            return TUPLE;
        }
        if (v instanceof Boolean) {
            return BOOLEAN;
        }
        if (v instanceof Binary) {
            return BINARY;
        }
        if (v instanceof LocalDate) {
            return DATE;
        }
        if (v instanceof LocalTime) {
            return TIME;
        }
        if (v instanceof LocalDateTime) {
            return DATETIME;
        }
        if (v instanceof Instant) {
            return INSTANT;
        }
        if (v instanceof Map<?, ?>) {
            return MAP;
        }
        if (v instanceof List<?>) {
            return LIST;
        }
        throw new IllegalArgumentException("not a Mnemo value: " + v.getClass().getName());
    }

    /** The name of a value's kind, as used in error messages: "integer", "string", "tuple", … */
    public static String kindName(Object v) {
        if (v instanceof Long) {
            return "integer";
        }
        if (v instanceof Double) {
            return "float";
        }
        if (v instanceof BigDecimal) {
            return "decimal";
        }
        return switch (rank(v)) {
            case NULL -> "null";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            case BINARY -> "binary";
            case DATE -> "date";
            case TIME -> "time";
            case DATETIME -> "datetime";
            case INSTANT -> "instant";
            case TUPLE -> "tuple";
            case MAP -> "map";
            default -> "list";
        };
    }

    /** Compares two normalized values in the total order. */
    @SuppressWarnings("unchecked")
    public static int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return compareStrings(x, y);
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case NULL -> 0;
            case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
            case NUMBER -> compareNumbers(a, b, true);
            case BINARY -> ((Binary) a).compareTo((Binary) b);
            case DATE -> ((LocalDate) a).compareTo((LocalDate) b);
            case TIME -> ((LocalTime) a).compareTo((LocalTime) b);
            case DATETIME -> ((LocalDateTime) a).compareTo((LocalDateTime) b);
            case INSTANT -> ((Instant) a).compareTo((Instant) b);
            case TUPLE -> compareTuples((Tuple) a, (Tuple) b);
            case MAP -> compareMaps((Map<Object, Object>) a, (Map<Object, Object>) b);
            default -> compareLists((List<Object>) a, (List<Object>) b);
        };
    }

    /**
     * Erlang's {@code ==}: like {@link #compare} but numbers of equal value are equal whatever their Java type
     * ({@code 1 == 1.0}). Used by match-spec guards.
     */
    public static int compareLoose(Object a, Object b) {
        if (rank(a) == NUMBER && rank(b) == NUMBER) {
            return compareNumbers(a, b, false);
        }
        return compare(a, b);
    }

    /** Whether two normalized values are equal in the total order ({@code =:=}). */
    public static boolean same(Object a, Object b) {
        return compare(a, b) == 0;
    }

    static int numberClass(Object n) {
        if (n instanceof Double d) {
            if (d.isNaN()) {
                return 3;
            }
            if (d.isInfinite()) {
                return d > 0 ? 2 : 0;
            }
        }
        return 1;
    }

    static int numberType(Object n) {
        return n instanceof Long ? 0 : n instanceof Double ? 1 : 2;
    }

    private static int compareNumbers(Object a, Object b, boolean strict) {
        int ca = numberClass(a);
        int cb = numberClass(b);
        int c;
        if (ca != cb || ca != 1) {
            c = Integer.compare(ca, cb);
        } else if (a instanceof Long x && b instanceof Long y) {
            c = Long.compare(x, y);
        } else if (a instanceof Double x && b instanceof Double y) {
            c = Double.compare(x, y);
        } else {
            c = toBigDecimal(a).compareTo(toBigDecimal(b));
        }
        if (c != 0 || !strict) {
            return c;
        }
        return Integer.compare(numberType(a), numberType(b));
    }

    static BigDecimal toBigDecimal(Object n) {
        if (n instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (n instanceof Double d) {
            return new BigDecimal(d);
        }
        return (BigDecimal) n;
    }

    /** Compares strings by Unicode code point (not by UTF-16 unit, as {@link String#compareTo} does). */
    static int compareStrings(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x < Character.MIN_SURROGATE && y < Character.MIN_SURROGATE) {
                    return x - y;
                }
                int j = i > 0 && Character.isHighSurrogate(a.charAt(i - 1)) ? i - 1 : i;
                int cx = a.codePointAt(j);
                int cy = b.codePointAt(j);
                if (cx == cy) {
                    cx = a.codePointAt(i);
                    cy = b.codePointAt(i);
                }
                return Integer.compare(cx, cy);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private static int compareTuples(Tuple a, Tuple b) {
        if (a.size() != b.size()) {
            return Integer.compare(a.size(), b.size());
        }
        for (int i = 0; i < a.size(); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareLists(List<Object> a, List<Object> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareMaps(Map<Object, Object> a, Map<Object, Object> b) {
        if (a.size() != b.size()) {
            return Integer.compare(a.size(), b.size());
        }
        Iterator<Object> ka = a.keySet().iterator();
        Iterator<Object> kb = b.keySet().iterator();
        while (ka.hasNext()) {
            int c = compare(ka.next(), kb.next());
            if (c != 0) {
                return c;
            }
        }
        Iterator<Object> va = a.values().iterator();
        Iterator<Object> vb = b.values().iterator();
        while (va.hasNext()) {
            int c = compare(va.next(), vb.next());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * The bound of all tuple keys of {@code size} elements that start with {@code prefix}: the prefix followed by
     * {@link #MIN_BOUND} (low) or {@link #MAX_BOUND} (high) markers. For range scans only.
     */
    public static Tuple prefixBound(int size, java.util.List<Object> prefix, boolean high) {
        Object[] elems = new Object[size];
        for (int i = 0; i < size; i++) {
            elems[i] = i < prefix.size() ? normalize(prefix.get(i)) : (high ? MAX_BOUND : MIN_BOUND);
        }
        return Tuple.wrapNormalized(elems);
    }

    private record Bound(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A readable rendering of a value: strings quoted, tuples in braces, binaries in {@code <<hex>>}. */
    public static String format(Object v) {
        if (v instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? ", " : "").append(format(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("#{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ").append(format(e.getKey())).append(" => ").append(format(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
