package dev.mnemo.engine.records;

import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchPattern;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds engine patterns and match specs from typed queries, and decodes their results. */
final class Specs {
    private Specs() {
    }

    /** {@code [{{rec,'$1',...,'$n'}, Guards, ['$_']}]} for a condition on the records of {@code m}. */
    static MatchSpec select(RecordMapping m, Where where) {
        Object[] head = new Object[m.attributes().size() + 1];
        head[0] = m.recordName();
        for (int i = 1; i < head.length; i++) {
            head[i] = Match.var(i);
        }
        List<Object> guards = (where == null ? Where.all() : where).guards(m);
        return MatchSpec.of(MatchSpec.clause(Match.pattern(head), guards, List.of(Match.ALL)));
    }

    /**
     * The pattern of an example: listed attributes must equal their (converted) values, {@link Match#ANY} stays a
     * wildcard, the others are wildcards.
     */
    static MatchPattern example(RecordMapping m, Map<String, ?> example) {
        Object[] elems = new Object[m.attributes().size() + 1];
        elems[0] = m.recordName();
        for (int i = 1; i < elems.length; i++) {
            elems[i] = Match.ANY;
        }
        for (Map.Entry<String, ?> e : example.entrySet()) {
            Object v = e.getValue();
            elems[m.attributeIndex(e.getKey()) + 1] = v == Match.ANY ? v : Codecs.anyToValue(v);
        }
        return Match.pattern(elems);
    }

    /** The Java records of engine records (select results with body {@code '$_'}). */
    @SuppressWarnings("unchecked")
    static <T> List<T> decode(RecordMapping m, List<?> tuples) {
        List<T> out = new ArrayList<>(tuples.size());
        for (Object t : tuples) {
            out.add((T) m.fromTuple((Tuple) t));
        }
        return out;
    }

    /** Java keys of engine keys. */
    static List<Object> keys(RecordMapping m, List<Object> keys) {
        List<Object> out = new ArrayList<>(keys.size());
        for (Object k : keys) {
            out.add(m.keyFromValue(k));
        }
        return out;
    }
}
