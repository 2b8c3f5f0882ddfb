package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Derives {@link KeyHint}s and bound values from a spec's clauses. Everything here may only widen: when in doubt,
 * a clause says nothing, and a clause that says nothing makes the whole hint say nothing.
 */
final class Hints {
    private Hints() {
    }

    static KeyHint keyHint(List<MatchSpec.Clause> clauses, int keyPos) {
        List<KeyConstraint> cs = new ArrayList<>(clauses.size());
        for (MatchSpec.Clause c : clauses) {
            cs.add(constraint(c, keyPos));
        }
        KeyHint h = exactKeys(cs);
        if (h == null) {
            h = tuplePrefix(cs);
        }
        return h != null ? h : range(cs);
    }

    static Optional<Object> boundValue(List<MatchSpec.Clause> clauses, int pos) {
        Object value = null;
        for (int i = 0; i < clauses.size(); i++) {
            KeyConstraint c = constraint(clauses.get(i), pos);
            if (!c.hasExact || c.exact == null || (i > 0 && Terms.compare(value, c.exact) != 0)) {
                return Optional.empty();
            }
            value = c.exact;
        }
        return Optional.of(value);
    }

    /** What one clause says about the value at {@code pos}. */
    private static KeyConstraint constraint(MatchSpec.Clause c, int pos) {
        KeyConstraint k = new KeyConstraint();
        if (!(c.head() instanceof MatchPattern p) || pos < 0 || pos >= p.size()) {
            return k;
        }
        Object e = p.element(pos);
        if (Canon.isPlain(e)) {
            k.exact(e);
        } else if (e instanceof MatchPattern t) {
            k.tupleSize = t.size();
            k.prefix = groundPrefix(t);
        } else if (e instanceof Var v) {
            for (Object g : c.guards()) {
                GuardRanges.collect(g, v, k);
            }
        }
        return k;
    }

    private static List<Object> groundPrefix(MatchPattern t) {
        List<Object> prefix = new ArrayList<>();
        for (Object e : t.elements()) {
            if (!Canon.isPlain(e)) {
                break;
            }
            prefix.add(e);
        }
        return prefix;
    }

    private static KeyHint exactKeys(List<KeyConstraint> cs) {
        List<Object> keys = new ArrayList<>();
        for (KeyConstraint c : cs) {
            if (!c.hasExact) {
                return null;
            }
            keys.add(c.exact);
        }
        keys.sort(Terms.ORDER);
        List<Object> distinct = new ArrayList<>();
        for (Object k : keys) {
            if (distinct.isEmpty() || Terms.compare(distinct.get(distinct.size() - 1), k) != 0) {
                distinct.add(k);
            }
        }
        return KeyHint.exact(distinct);
    }

    private static KeyHint tuplePrefix(List<KeyConstraint> cs) {
        Integer size = null;
        List<Object> prefix = null;
        for (KeyConstraint c : cs) {
            List<Object> p = c.tuplePrefix();
            int s = c.hasExact && c.exact instanceof Tuple t ? t.size() : c.tupleSize == null ? -1 : c.tupleSize;
            if (p == null || (size != null && size != s)) {
                return null;
            }
            size = s;
            prefix = prefix == null ? p : commonPrefix(prefix, p);
        }
        return KeyHint.tuple(size, prefix);
    }

    private static List<Object> commonPrefix(List<Object> a, List<Object> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && Terms.compare(a.get(n), b.get(n)) == 0) {
            n++;
        }
        return a.subList(0, n);
    }

    private static KeyHint range(List<KeyConstraint> cs) {
        KeyConstraint union = null;
        for (KeyConstraint c : cs) {
            c.exactAsRange();
            union = union == null ? c : union.union(c);
        }
        return KeyHint.range(union.hasLower ? union.lower : null, union.lowerInclusive,
                union.hasUpper ? union.upper : null, union.upperInclusive);
    }
}
