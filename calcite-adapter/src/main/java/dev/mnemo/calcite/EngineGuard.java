package dev.mnemo.calcite;

import dev.mnemo.engine.match.CompiledMatchSpec;
import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;

/**
 * The part of a WHERE clause evaluated inside the engine scan as a match-spec guard: comparisons of a typed
 * column with a literal or {@code ?} parameter ({@code =} on any typed column; {@code < <= > >=} on columns whose
 * types order alike in SQL and the engine). A guard only pre-filters: it keeps every row SQL would keep (a NULL
 * compares below everything in the engine, so it may keep more), and the same conditions are checked again by
 * Calcite above the scan. Records that fail it are never turned into SQL rows.
 */
final class EngineGuard {
    /** {@code column op value}, with {@code op} an Erlang comparison. */
    record Condition(int column, String op, AccessPath.ValueRef value) {
        @Override
        public String toString() {
            return "$" + column + " " + op + " " + value;
        }
    }

    static final EngineGuard NONE = new EngineGuard(List.of());

    final List<Condition> conditions;

    EngineGuard(List<Condition> conditions) {
        this.conditions = List.copyOf(conditions);
    }

    boolean isEmpty() {
        return conditions.isEmpty();
    }

    /**
     * The share of records expected to pass, without statistics: System R's guesses, 1/10 for an equality and 1/3
     * for each bound of a range, the conditions taken as independent; at least one record in a million.
     */
    double selectivity() {
        double s = 1;
        for (Condition c : conditions) {
            s *= c.op().equals("==") || c.op().equals("=:=") ? 0.1 : c.op().equals("/=") || c.op().equals("=/=")
                    ? 0.9 : 1.0 / 3;
        }
        return Math.max(s, 1e-6);
    }

    /** A match spec returning ('$_') the records of {@code shape} that pass the guard, values resolved now. */
    MatchSpec spec(SqlShape shape, DataContext root) {
        Object[] head = new Object[shape.def().attributeCount() + 1];
        head[0] = shape.def().recordName();
        for (int i = 1; i < head.length; i++) {
            head[i] = Match.ANY;
        }
        Object[] keyParts = shape.compositeKey() ? new Object[shape.keyColumns().length] : null;
        if (keyParts != null) {
            java.util.Arrays.fill(keyParts, Match.ANY);
        }
        List<Object> guards = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            SqlShape.Column col = shape.columns().get(c.column());
            Object var = varFor(c.column(), col, head, keyParts);
            Object v = c.value().resolve(root, shape.def().name(), col);
            guards.add(Match.call(c.op(), var, Match.constant(v)));
        }
        if (keyParts != null) {
            head[1] = Match.pattern(keyParts);
        }
        return MatchSpec.of(MatchSpec.clause(Match.pattern(head), guards, List.of(Match.ALL)));
    }

    /** The variable bound to a column in the head, placing it on first use ($N is the column's position + 1). */
    private static Object varFor(int column, SqlShape.Column col, Object[] head, Object[] keyParts) {
        Object var = Match.var(column + 1);
        if (col.keyPart() >= 0) {
            keyParts[col.keyPart()] = var;
        } else {
            head[col.attribute() + 1] = var;
        }
        return var;
    }

    /** The records among {@code records} that pass the guard. */
    List<Tuple> filter(List<Tuple> records, SqlShape shape, DataContext root) {
        if (isEmpty()) {
            return records;
        }
        CompiledMatchSpec spec = spec(shape, root).compile();
        List<Tuple> out = new ArrayList<>(records.size());
        for (Tuple r : records) {
            if (spec.matches(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return conditions.toString();
    }
}
