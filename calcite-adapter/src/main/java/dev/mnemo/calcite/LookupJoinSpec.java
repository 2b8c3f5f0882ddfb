package dev.mnemo.calcite;

import dev.mnemo.engine.Tx;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.function.Predicate2;
import org.apache.calcite.rel.core.JoinRelType;

/**
 * What a lookup join does per execution: for each row of the outer input, it reads the inner table's records whose
 * key (every key column), indexed column, or leading key columns equal fields of that row, and joins the row
 * with each of them that passes the residual condition; for a LEFT join, a row that joins with none is kept with
 * nulls; a SEMI join keeps the outer rows that join with at least one (once each), an ANTI join those that join with
 * none. A NULL outer value, or one no engine value equals (2.5 against an integer key), matches nothing. The
 * outer rows and the lookups are read in one call of the session's transaction (one engine transaction in
 * autocommit mode, re-run as a whole on a lock conflict; the explicit transaction otherwise, whose own writes it
 * sees), each key once per execution. Built at plan time by {@link MnemoLookupJoinRule}, stashed into the
 * generated code; public only because generated code calls it.
 */
public final class LookupJoinSpec {
    /** How the inner table is read for one outer row. */
    enum Kind { KEY_LOOKUP, INDEX_READ, PREFIX_WALK }

    private final MnemoTable table;
    private final Kind kind;
    private final int[] outerFields;
    private final int[] columns;
    private final JoinRelType joinType;
    private final int[] output;
    private final int[] needed;

    /**
     * @param kind        how the inner table is read
     * @param outerFields the outer fields giving the values looked up, one per entry of {@code columns}
     * @param columns     the inner columns they are looked up in: every key column in key order (KEY_LOOKUP),
     *                    one indexed column (INDEX_READ), or leading key columns (PREFIX_WALK)
     * @param output      the inner columns appended to each outer row
     * @param needed      the inner columns the residual condition reads, besides {@code output}
     */
    LookupJoinSpec(MnemoTable table, Kind kind, int[] outerFields, int[] columns, JoinRelType joinType, int[] output,
                   int[] needed) {
        this.table = table;
        this.kind = kind;
        this.outerFields = outerFields.clone();
        this.columns = columns.clone();
        this.joinType = joinType;
        this.output = output.clone();
        this.needed = IntStream.concat(Arrays.stream(output), Arrays.stream(needed)).distinct()
                .toArray();
    }

    Kind kind() {
        return kind;
    }

    /** The inner columns appended to each outer row. */
    int[] output() {
        return output.clone();
    }

    /**
     * The joined rows: each outer row followed by the {@code output} columns of an inner row; {@code residual}
     * (null: none) is asked of the outer row and the inner row (all inner columns, those not needed null).
     */
    public Enumerable<Object[]> join(Enumerable<Object[]> outer, Predicate2<Object[], Object[]> residual) {
        // read when enumerated, as scans do (see ScanSpec#execute)
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return Linq4j.enumerator(read(outer, residual));
            }
        };
    }

    /** Like {@link #join} for a one-column result: each row is the column's value. */
    public Enumerable<Object> joinScalar(Enumerable<Object[]> outer, Predicate2<Object[], Object[]> residual) {
        return join(outer, residual).select(row -> row[0]);
    }

    private List<Object[]> read(Enumerable<Object[]> outer, Predicate2<Object[], Object[]> residual) {
        return Errors.translate(table.name(), () -> table.session.read(tx -> {
            Map<Object, List<Object[]>> seen = new HashMap<>();
            List<Object[]> out = new ArrayList<>();
            // the outer rows are read inside this call: a scan below joins the same transaction
            int n = 0;
            for (Object[] row : outer) {
                CheckedEnumerator.checkEvery(++n);
                Object key = lookupKey(row);
                List<Object[]> inner = key == null ? List.of() : seen.computeIfAbsent(key, k -> innerRows(tx, k));
                boolean matched = false;
                for (Object[] r : inner) {
                    if (residual == null || residual.apply(row, r)) {
                        matched = true;
                        if (joinType == JoinRelType.SEMI || joinType == JoinRelType.ANTI) {
                            break; // one match settles it
                        }
                        out.add(joined(row, r));
                    }
                }
                if (matched ? joinType == JoinRelType.SEMI
                        : joinType == JoinRelType.ANTI || joinType == JoinRelType.LEFT) {
                    out.add(joinType == JoinRelType.LEFT ? joined(row, null) : row);
                }
            }
            return out;
        }));
    }

    /** What is looked up for an outer row (the engine key, index value or key prefix), or null for nothing. */
    private Object lookupKey(Object[] row) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = LookupKeys.engineValue(table.name(), table.shape.columns().get(columns[i]),
                    row[outerFields[i]]);
            if (values[i] == null) {
                return null;
            }
        }
        return switch (kind) {
            case KEY_LOOKUP -> table.shape.key(values);
            case INDEX_READ -> values[0];
            case PREFIX_WALK -> Arrays.asList(values);
        };
    }

    private List<Object[]> innerRows(Tx tx, Object key) {
        SqlShape shape = table.shape;
        String name = table.name();
        List<Tuple> records = switch (kind) {
            case KEY_LOOKUP -> tx.read(name, key);
            case INDEX_READ -> tx.indexRead(name, key,
                    shape.def().attributes().get(shape.columns().get(columns[0]).attribute()));
            case PREFIX_WALK -> tuples(tx.select(name, AccessPath.prefixSpec(shape, ((List<?>) key).toArray())));
        };
        List<Object[]> rows = new ArrayList<>(records.size());
        for (Tuple record : records) {
            Object[] row = new Object[shape.columns().size()];
            for (int c : needed) {
                row[c] = table.sqlValue(record, c);
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Tuple> tuples(List<Object> results) {
        List<Tuple> out = new ArrayList<>(results.size());
        for (Object o : results) {
            out.add((Tuple) o);
        }
        return out;
    }

    private Object[] joined(Object[] outerRow, Object[] innerRow) {
        Object[] row = Arrays.copyOf(outerRow, outerRow.length + output.length);
        if (innerRow != null) {
            for (int i = 0; i < output.length; i++) {
                row[outerRow.length + i] = innerRow[output[i]];
            }
        }
        return row;
    }

    /** The access path as EXPLAIN shows it; {@code $n} is field n of the outer row. */
    @Override
    public String toString() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < outerFields.length; i++) {
            values.append(i > 0 ? ", " : "").append('$').append(outerFields[i]);
        }
        return switch (kind) {
            case KEY_LOOKUP -> "key_lookup[" + values + "]";
            case INDEX_READ -> "index_read(column " + columns[0] + " = " + values + ")";
            case PREFIX_WALK -> "prefix_walk[" + values + "]";
        };
    }
}
