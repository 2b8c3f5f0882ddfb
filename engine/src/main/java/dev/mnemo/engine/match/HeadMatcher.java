package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles a clause head into a tree of matchers. Variables are given dense slots (shared by all clauses of a
 * spec); the first occurrence of a variable, in execution order, binds its slot and later ones compare with it.
 * Within a tuple, ground elements are checked before the others (fail fast on the record name), which keeps the
 * relative order of variable occurrences.
 */
final class HeadMatcher {
    /** Matches one value, binding variables into {@code vars}. */
    interface Node {
        boolean match(Object value, Object[] vars);
    }

    static final Node ANY = (v, vars) -> true;

    private final Map<Integer, Integer> slots;
    private final TreeMap<Integer, Integer> bound = new TreeMap<>();

    /** {@code slots}: the spec-wide map from variable number to slot, extended as new variables appear. */
    HeadMatcher(Map<Integer, Integer> slots) {
        this.slots = slots;
    }

    /** The variables this head binds: variable number to slot, ascending by number. */
    TreeMap<Integer, Integer> bound() {
        return bound;
    }

    Node compile(Object head) {
        return element(head);
    }

    private Node element(Object e) {
        if (e == Match.ANY) {
            return ANY;
        }
        if (e instanceof Var v) {
            return variable(v.n());
        }
        if (e instanceof MatchPattern p) {
            return new TupleNode(p.size(), sequence(p.elements()));
        }
        if (e instanceof List<?> l && !Canon.isPlain(l)) {
            return new ListNode(l.size(), sequence(l));
        }
        return constant(e);
    }

    private Node variable(int n) {
        Integer known = bound.get(n);
        if (known != null) {
            int s = known;
            return (v, vars) -> Terms.compare(vars[s], v) == 0;
        }
        int s = slots.computeIfAbsent(n, k -> slots.size());
        bound.put(n, s);
        return (v, vars) -> {
            vars[s] = v;
            return true;
        };
    }

    private static Node constant(Object c) {
        if (c instanceof String || c instanceof Long || c instanceof Boolean) {
            return (v, vars) -> c.equals(v);
        }
        if (c == null) {
            return (v, vars) -> v == null;
        }
        return (v, vars) -> Terms.compare(c, v) == 0;
    }

    /** Element matchers of a tuple or list, ground ones first; '_' elements are left out. */
    private Indexed sequence(List<?> elems) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < elems.size(); i++) {
            if (elems.get(i) != Match.ANY && Canon.isPlain(elems.get(i))) {
                order.add(i);
            }
        }
        for (int i = 0; i < elems.size(); i++) {
            if (elems.get(i) != Match.ANY && !Canon.isPlain(elems.get(i))) {
                order.add(i);
            }
        }
        int[] idx = new int[order.size()];
        Node[] nodes = new Node[order.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = order.get(k);
            nodes[k] = element(elems.get(idx[k]));
        }
        return new Indexed(idx, nodes);
    }

    private record Indexed(int[] idx, Node[] nodes) {
    }

    private static final class TupleNode implements Node {
        private final int size;
        private final int[] idx;
        private final Node[] nodes;

        TupleNode(int size, Indexed children) {
            this.size = size;
            this.idx = children.idx();
            this.nodes = children.nodes();
        }

        @Override
        public boolean match(Object value, Object[] vars) {
            if (!(value instanceof Tuple t) || t.size() != size) {
                return false;
            }
            for (int k = 0; k < idx.length; k++) {
                if (!nodes[k].match(t.get(idx[k]), vars)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class ListNode implements Node {
        private final int size;
        private final int[] idx;
        private final Node[] nodes;

        ListNode(int size, Indexed children) {
            this.size = size;
            this.idx = children.idx();
            this.nodes = children.nodes();
        }

        @Override
        public boolean match(Object value, Object[] vars) {
            if (!(value instanceof List<?> l) || l.size() != size) {
                return false;
            }
            for (int k = 0; k < idx.length; k++) {
                if (!nodes[k].match(l.get(idx[k]), vars)) {
                    return false;
                }
            }
            return true;
        }
    }
}
