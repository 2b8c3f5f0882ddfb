package dev.mnemo.calcite;

import dev.mnemo.engine.SelectChunk;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.calcite.DataContext;

/**
 * The engine access path a scan takes, chosen at plan time from the WHERE clause: key lookups (one per key
 * value; a composite key needs every key column), an index read, a key range walk, a walk of the keys sharing a
 * composite-key prefix, or a full scan. Values are literals or {@code ?} parameters, resolved per execution.
 */
final class AccessPath {
    enum Kind { KEY_LOOKUP, INDEX_READ, RANGE_WALK, PREFIX_WALK, FULL_SCAN }

    /** Key lookups of up to this many keys list them all in EXPLAIN. */
    private static final int LISTED_KEYS = 20;

    static final AccessPath FULL_SCAN = new AccessPath(Kind.FULL_SCAN, List.of(), -1, null, null, false, null, false);

    final Kind kind;
    /** KEY_LOOKUP: alternatives, each the values of the key columns in key order; PREFIX_WALK: one, the prefix. */
    final List<List<ValueRef>> keys;
    final int indexColumn;
    final ValueRef indexValue;
    final ValueRef lower;
    final boolean lowerInclusive;
    final ValueRef upper;
    final boolean upperInclusive;
    /** Walks (full scan, range, prefix) only: stop after about this many rows (0: all), in key order. */
    final int limit;
    /** Walk in descending key order. */
    final boolean reverse;
    /** Conditions checked inside the engine while reading (a pre-filter; Calcite checks them again). */
    final EngineGuard guard;

    AccessPath(Kind kind, List<List<ValueRef>> keys, int indexColumn, ValueRef indexValue, ValueRef lower,
               boolean lowerInclusive, ValueRef upper, boolean upperInclusive) {
        this(kind, keys, indexColumn, indexValue, lower, lowerInclusive, upper, upperInclusive, 0, false,
                EngineGuard.NONE);
    }

    private AccessPath(Kind kind, List<List<ValueRef>> keys, int indexColumn, ValueRef indexValue, ValueRef lower,
               boolean lowerInclusive, ValueRef upper, boolean upperInclusive, int limit, boolean reverse,
               EngineGuard guard) {
        this.kind = kind;
        this.keys = keys;
        this.indexColumn = indexColumn;
        this.indexValue = indexValue;
        this.lower = lower;
        this.lowerInclusive = lowerInclusive;
        this.upper = upper;
        this.upperInclusive = upperInclusive;
        this.limit = limit;
        this.reverse = reverse;
        this.guard = guard;
    }

    /** Lookups of these keys, each the values of the key columns in key order. */
    static AccessPath keyLookup(List<List<ValueRef>> keys) {
        return new AccessPath(Kind.KEY_LOOKUP, keys, -1, null, null, false, null, false);
    }

    /** Whether this path walks keys in order, so that a LIMIT (and a key order) can be pushed into it. */
    boolean walks() {
        return kind == Kind.FULL_SCAN || kind == Kind.RANGE_WALK || kind == Kind.PREFIX_WALK;
    }

    /** The same walk, stopping after about {@code n} rows, in descending key order if {@code descending}. */
    AccessPath limited(int n, boolean descending) {
        return new AccessPath(kind, keys, indexColumn, indexValue, lower, lowerInclusive, upper, upperInclusive, n,
                descending, guard);
    }

    /** The same path, pre-filtering with {@code g} inside the engine. */
    AccessPath guarded(EngineGuard g) {
        return new AccessPath(kind, keys, indexColumn, indexValue, lower, lowerInclusive, upper, upperInclusive, limit,
                reverse, g);
    }

    /**
     * How many rows of {@code total} this path is expected to visit. The guard's conditions stay in the filter above
     * the scan, which counts their selectivity; counted here too, they would count twice.
     */
    double estimateRows(double total) {
        double rows = switch (kind) {
            case KEY_LOOKUP -> keys.size();
            case INDEX_READ -> indexRowsPerValue(total);
            case PREFIX_WALK -> Math.max(1, total * 0.05);
            case RANGE_WALK -> Math.max(1, total * (lower != null && upper != null ? 0.05 : 0.3));
            case FULL_SCAN -> total;
        };
        return limit > 0 ? Math.min(rows, limit) : rows;
    }

    /**
     * The share of the work of visiting the rows that remains with the guard: the engine drops what fails it before
     * a row is built, so a guarded scan costs less than the same scan filtered only above it.
     */
    double guardedWork() {
        return guard.isEmpty() ? 1 : 0.5 + 0.5 * guard.selectivity();
    }

    /**
     * How many of {@code total} records one value of a secondary index is expected to select: 1% of the table, but
     * no more than 10. There are no index statistics; like SQLite without ANALYZE, an equality on an indexed column
     * is taken to select about ten rows (an index is there to be selective), so that a join driven by an index
     * read is seen to be small.
     */
    static double indexRowsPerValue(double total) {
        return Math.max(1, Math.min(10, total * 0.01));
    }

    /**
     * The records this path reads in {@code tx}; when a limit was pushed ({@link #limited}), in key order
     * (descending if reversed) whatever the path.
     */
    List<Tuple> read(Tx tx, MnemoTable table, DataContext root) {
        List<Tuple> records = guarded(readUnordered(tx, table, root), table, root);
        if (limit > 0 && !walks()) {
            // key lookups and index reads come in their own order: put them in the key order the limit expects
            records = new ArrayList<>(records);
            java.util.Comparator<Tuple> byKey = (a, b) -> dev.mnemo.engine.value.Terms.compare(a.get(1), b.get(1));
            records.sort(reverse ? byKey.reversed() : byKey);
        }
        return records;
    }

    /**
     * Whether {@link #firstChunk} can read this path in chunks: a walk in key order (ascending or descending)
     * without a pushed limit.
     */
    boolean chunked() {
        return walks() && limit == 0;
    }

    /**
     * The first chunk of this walk ({@link #chunked} only): the records of about {@code n} keys, and where to go
     * on; pass the chunk to {@link #records(SelectChunk, MnemoTable, DataContext)} for its records.
     */
    SelectChunk firstChunk(Tx tx, MnemoTable table, DataContext root, int n) {
        return select(tx, table.name(), walkSpec(table.shape, root), n);
    }

    /** The spec of this walk (a key range, a key prefix or the full scan). */
    private MatchSpec walkSpec(SqlShape shape, DataContext root) {
        return switch (kind) {
            case RANGE_WALK -> rangeSpec(shape, root);
            case PREFIX_WALK -> prefixSpec(shape, root);
            default -> fullScanSpec(shape, root);
        };
    }

    /** The first chunk of a select in this walk's direction. */
    private SelectChunk select(Tx tx, String name, MatchSpec spec, int n) {
        return reverse ? tx.selectReverse(name, spec, n) : tx.select(name, spec, n);
    }

    /** The records of a chunk of this walk, pre-filtered by the guard as {@link #read} does. */
    List<Tuple> records(SelectChunk chunk, MnemoTable table, DataContext root) {
        return guarded(records(chunk.results()), table, root);
    }

    /** A full scan applied its guard inside the engine (see {@link #fullScanSpec}); other paths filter here. */
    private List<Tuple> guarded(List<Tuple> records, MnemoTable table, DataContext root) {
        return kind == Kind.FULL_SCAN ? records : guard.filter(records, table.shape, root);
    }

    private List<Tuple> readUnordered(Tx tx, MnemoTable table, DataContext root) {
        SqlShape shape = table.shape;
        String name = table.name();
        switch (kind) {
            case KEY_LOOKUP: {
                // parameters may repeat a key (id = ? OR id = ?): read each key once
                java.util.Set<Object> seen = new java.util.HashSet<>();
                List<Tuple> out = new ArrayList<>();
                for (List<ValueRef> alt : keys) {
                    Object[] values = resolveKey(alt, shape, root);
                    if (values != null && seen.add(shape.key(values))) {
                        out.addAll(tx.read(name, shape.key(values)));
                    }
                }
                return out;
            }
            case INDEX_READ: {
                SqlShape.Column c = shape.columns().get(indexColumn);
                Object v = indexValue.resolve(root, name, c);
                return v == null ? List.of() : tx.indexRead(name, v, shape.def().attributes().get(c.attribute()));
            }
            default:
                return walk(tx, name, walkSpec(shape, root));
        }
    }

    /** A full scan applies its guard inside the engine's scan, before any record becomes a SQL row. */
    private MatchSpec fullScanSpec(SqlShape shape, DataContext root) {
        if (!guard.isEmpty()) {
            return guard.spec(shape, root);
        }
        // without a guard the spec depends on the shape alone: made (and compiled) once, not per execution
        AnyRecord any = anyRecordSpec;
        if (any == null || any.shape() != shape) {
            any = new AnyRecord(shape, MatchSpec.ofPattern(Match.pattern(anyRecord(shape))));
            anyRecordSpec = any;
        }
        return any.spec();
    }

    /** The spec matching every record of a shape. */
    private record AnyRecord(SqlShape shape, MatchSpec spec) {
    }

    /** The last {@link AnyRecord} made (a plan's scans share it across executions and threads: immutable). */
    private volatile AnyRecord anyRecordSpec;

    /**
     * A select in key order (descending if reversed), stopping after the key where the limit is reached. A chunk
     * may end before the limit (a disc_only chunk ends by the size of its records too): the walk goes on from its
     * continuation until the limit is reached or the table ends.
     */
    private List<Tuple> walk(Tx tx, String name, MatchSpec spec) {
        if (limit > 0) {
            SelectChunk chunk = select(tx, name, spec, limit);
            if (!chunk.hasMore() || chunk.results().size() >= limit) {
                return records(chunk.results());
            }
            List<Object> results = new ArrayList<>(chunk.results());
            while (chunk.hasMore() && results.size() < limit) {
                chunk = tx.select(chunk.continuation());
                results.addAll(chunk.results());
            }
            return records(results);
        }
        return records(reverse ? tx.selectReverse(name, spec) : tx.select(name, spec));
    }

    private static Object[] resolveKey(List<ValueRef> refs, SqlShape shape, DataContext root) {
        return keyValues(refs, shape, ref -> ref.param() >= 0 ? root.get("?" + ref.param()) : ref.literal());
    }

    /**
     * The engine values of a key's columns, in key order, from each reference's Calcite-internal value as
     * {@code raw} gives it (a value that does not fit is an {@link IllegalArgumentException}); null if one is NULL,
     * since key = NULL matches nothing.
     */
    static Object[] keyValues(List<ValueRef> refs, SqlShape shape, Function<ValueRef, Object> raw) {
        Object[] values = new Object[refs.size()];
        for (int i = 0; i < values.length; i++) {
            SqlShape.Column c = shape.columns().get(shape.keyColumns()[i]);
            values[i] = ValueRef.toEngine(raw.apply(refs.get(i)), shape.def().name(), c);
            if (values[i] == null) {
                return null;
            }
        }
        return values;
    }

    private static List<Tuple> records(List<Object> results) {
        List<Tuple> out = new ArrayList<>(results.size());
        for (Object o : results) {
            out.add((Tuple) o);
        }
        return out;
    }

    private static Object[] anyRecord(SqlShape shape) {
        Object[] head = new Object[shape.def().attributeCount() + 1];
        head[0] = shape.def().recordName();
        for (int i = 1; i < head.length; i++) {
            head[i] = Match.ANY;
        }
        return head;
    }

    private MatchSpec rangeSpec(SqlShape shape, DataContext root) {
        SqlShape.Column c = shape.columns().get(shape.keyColumns()[0]);
        Object[] head = anyRecord(shape);
        head[1] = Match.var(1);
        List<Object> guards = new ArrayList<>();
        addBound(guards, lower, lowerInclusive ? ">=" : ">", root, shape, c);
        addBound(guards, upper, upperInclusive ? "=<" : "<", root, shape, c);
        return MatchSpec.of(MatchSpec.clause(Match.pattern(head), guards, List.of(Match.ALL)));
    }

    private static void addBound(List<Object> guards, ValueRef bound, String op, DataContext root, SqlShape shape,
                                 SqlShape.Column c) {
        if (bound == null) {
            return;
        }
        Object v = bound.resolve(root, shape.def().name(), c);
        // a comparison with NULL is never true: make the range empty
        guards.add(v == null ? Match.call("==", 1, 0) : Match.call(op, Match.var(1), Match.constant(v)));
    }

    private MatchSpec prefixSpec(SqlShape shape, DataContext root) {
        List<ValueRef> prefix = keys.get(0);
        Object[] values = new Object[prefix.size()];
        for (int i = 0; i < values.length; i++) {
            SqlShape.Column c = shape.columns().get(shape.keyColumns()[i]);
            values[i] = prefix.get(i).resolve(root, shape.def().name(), c);
            if (values[i] == null) {
                return MatchSpec.of(MatchSpec.clause(Match.pattern(anyRecord(shape)), List.of(Match.call("==", 1, 0)),
                        List.of(Match.ALL)));
            }
        }
        return prefixSpec(shape, values);
    }

    /** A select of the records whose composite key starts with {@code prefix} (engine values, none null). */
    static MatchSpec prefixSpec(SqlShape shape, Object[] prefix) {
        Object[] keyPattern = new Object[shape.keyColumns().length];
        Collections.nCopies(keyPattern.length, Match.ANY).toArray(keyPattern);
        System.arraycopy(prefix, 0, keyPattern, 0, prefix.length);
        Object[] head = anyRecord(shape);
        head[1] = Match.pattern(keyPattern);
        return MatchSpec.of(MatchSpec.clause(Match.pattern(head), List.of(), List.of(Match.ALL)));
    }

    @Override
    public String toString() {
        String walk = (reverse ? " descending" : "") + (limit > 0 ? " limit " + limit : "")
                + (guard.isEmpty() ? "" : " guard " + guard);
        return describe() + walk;
    }

    private String describe() {
        return switch (kind) {
            case KEY_LOOKUP -> keys.size() <= LISTED_KEYS
                    ? "key_lookup" + keys.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"))
                    // a long IN list: the first keys, and the list's identity so that two different lists never
                    // share a digest (the planner merges operators with equal digests)
                    : "key_lookup[" + keys.size() + " keys " + keys.stream().limit(3).map(Object::toString)
                            .collect(Collectors.joining(", ")) + ", … #" + Integer.toHexString(
                            System.identityHashCode(keys)) + "]";
            case INDEX_READ -> "index_read(column " + indexColumn + " = " + indexValue + ")";
            case RANGE_WALK -> "range_walk(" + (lower == null ? "(-inf" : (lowerInclusive ? "[" : "(") + lower) + ", "
                    + (upper == null ? "+inf)" : upper + (upperInclusive ? "]" : ")")) + ")";
            case PREFIX_WALK -> "prefix_walk" + keys.get(0);
            case FULL_SCAN -> "full_scan";
        };
    }

    /** A value in a WHERE clause: a literal (Calcite's internal value) or a {@code ?} parameter. */
    record ValueRef(Object literal, int param) {
        static ValueRef literal(Object v) {
            return new ValueRef(v, -1);
        }

        static ValueRef param(int index) {
            return new ValueRef(null, index);
        }

        Object resolve(DataContext root, String table, SqlShape.Column c) {
            return toEngine(param >= 0 ? root.get("?" + param) : literal, table, c);
        }

        /**
         * The engine value for column {@code c} of {@code raw}, this reference's Calcite-internal value (the literal,
         * or the parameter's value as Calcite's data context holds it); a value that does not fit is an
         * {@link IllegalArgumentException}.
         */
        static Object toEngine(Object raw, String table, SqlShape.Column c) {
            return SqlValues.toEngine(table, c.name(), c.type(), raw);
        }

        @Override
        public String toString() {
            return param >= 0 ? "?" + param : String.valueOf(literal);
        }
    }
}
