package dev.mnemo.calcite;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;

/**
 * A long IN list on one column: literal values (Calcite's internal values) and {@code ?} parameters. Values are
 * compared as SQL's {@code =} compares them: numbers by value whatever their Java type ({@code 5}, {@code 5L},
 * {@code 5.0} and {@code 5.00} are one value), everything else by {@code equals}. The list stands for a WHERE
 * conjunct, where unknown is false: a NULL in the column passes neither IN nor NOT IN; a NULL in the list matches
 * nothing for IN, and for NOT IN lets no row pass (SQL's {@code x NOT IN (1, NULL)} is never true).
 *
 * @param column the input column compared
 * @param literals the literal values, as {@link #canonical} keys
 * @param params the parameter indexes
 * @param negated NOT IN rather than IN
 * @param nullLiteral whether the literals included a NULL
 * (Public only so that generated code can call {@link #filter}.)
 */
public record InListSpec(int column, List<Object> literals, int[] params, boolean negated, boolean nullLiteral) {
    /** A spec from literal values (internal values, not yet canonical) and parameter indexes. */
    static InListSpec of(int column, List<Object> literalValues, List<Integer> params, boolean negated) {
        List<Object> keys = new ArrayList<>(literalValues.size());
        boolean nullLiteral = false;
        for (Object v : literalValues) {
            Object k = canonical(v);
            if (k != null) {
                keys.add(k);
            } else {
                nullLiteral = true;
            }
        }
        return new InListSpec(column, List.copyOf(keys), params.stream().mapToInt(Integer::intValue).toArray(),
                negated, nullLiteral);
    }

    int size() {
        return literals.size() + params.length;
    }

    /** For EXPLAIN: how many values, and the first few. */
    String describe() {
        List<String> first = new ArrayList<>();
        for (int i = 0; i < Math.min(3, literals.size()); i++) {
            first.add(String.valueOf(literals.get(i)));
        }
        for (int i = 0; i < Math.min(3 - first.size(), params.length); i++) {
            first.add("?" + params[i]);
        }
        // the identity keeps two different lists from sharing a digest (the planner merges equal digests)
        return (negated ? "not in " : "") + size() + " values [" + String.join(", ", first) + (size() > first.size() ? ", …" : "") + "] #"
                + Integer.toHexString(System.identityHashCode(this));
    }

    /**
     * The rows of {@code rows} whose column is in the list (not in it, if {@link #negated}), with parameters taken
     * from {@code root}.
     */
    @SuppressWarnings("unused") // called by generated code (EnumerableInList)
    public Enumerable<Object> filter(Enumerable<Object> rows, DataContext root, boolean scalar) {
        Set<Object> set = new HashSet<>(literals);
        boolean anyNull = nullLiteral;
        for (int p : params) {
            Object k = canonical(root.get("?" + p));
            if (k != null) {
                set.add(k);
            } else {
                anyNull = true;
            }
        }
        if (negated ? anyNull : set.isEmpty()) {
            return Linq4j.emptyEnumerable();
        }
        return rows.where(row -> {
            Object v = scalar ? row : row instanceof Object[] a ? a[column] : ((List<?>) row).get(column);
            return v != null && set.contains(canonical(v)) != negated;
        });
    }

    /** The key under which {@code v} is compared: numbers by value, dates as days, the rest as they are. */
    static Object canonical(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigDecimal bd) {
            return decimal(bd);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? decimal(BigDecimal.valueOf(d)) : d;
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toEpochDay();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.getTime();
        }
        if (v instanceof org.apache.calcite.util.NlsString s) {
            return s.getValue();
        }
        return v;
    }

    private static Object decimal(BigDecimal bd) {
        BigDecimal s = bd.signum() == 0 ? BigDecimal.ZERO : bd.stripTrailingZeros();
        if (s.scale() <= 0 && s.precision() - s.scale() <= 18) {
            return s.longValueExact();
        }
        return s;
    }
}
