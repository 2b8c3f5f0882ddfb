package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical forms of heads, pattern elements and expressions, so that equal specs built by hand or parsed are
 * {@code equals}. Plain values are {@link Terms#normalize normalized}; lists and maps become unmodifiable; a nested
 * pattern without variables or wildcards becomes the {@link Tuple} it matches; {@code {const, X}} with a plain X
 * becomes X itself.
 */
final class Canon {
    private Canon() {
    }

    static Object head(Object head) {
        if (head == Match.ANY || head instanceof Var || head instanceof MatchPattern) {
            return head;
        }
        if (head instanceof Tuple t) {
            return MatchPattern.of(t.toArray());
        }
        throw new MatchSpecException("a clause head must be a MatchPattern, Match.ANY or Match.var(n), not "
                + describe(head));
    }

    static Object patternElement(Object e) {
        if (e == Match.ANY || e instanceof Var) {
            return e;
        }
        if (e instanceof MatchPattern p) {
            return p.isGround() ? p.toTuple() : p;
        }
        if (e instanceof Marker || e instanceof Call || e instanceof TupleCtor) {
            throw new MatchSpecException(describe(e) + " is not allowed in a match pattern");
        }
        if (e instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(patternElement(o));
            }
            return Collections.unmodifiableList(out);
        }
        if (e instanceof Map<?, ?> m) {
            return plainMap(m);
        }
        return Terms.normalize(e);
    }

    static Object expr(Object e) {
        if (e instanceof Marker || e instanceof Var || e instanceof TupleCtor) {
            return e;
        }
        if (e instanceof Call c) {
            return isConst(c) ? c.args().get(0) : c;
        }
        if (e instanceof MatchPattern p) {
            throw new MatchSpecException("a MatchPattern (" + p + ") is not an expression; use Match.tuple to build "
                    + "a tuple in a guard or body");
        }
        if (e instanceof List<?> l) {
            return exprs(l);
        }
        if (e instanceof Map<?, ?> m) {
            TreeMap<Object, Object> out = new TreeMap<>(Terms.ORDER);
            for (Map.Entry<?, ?> en : m.entrySet()) {
                out.put(Terms.normalize(en.getKey()), expr(en.getValue()));
            }
            return Collections.unmodifiableSortedMap(out);
        }
        return Terms.normalize(e);
    }

    static List<Object> exprs(List<?> l) {
        List<Object> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(expr(o));
        }
        return Collections.unmodifiableList(out);
    }

    static List<Object> exprs(Object[] a) {
        return exprs(java.util.Arrays.asList(a));
    }

    /** Whether a canonical pattern element or expression is a plain Mnemo value (no marker, variable or call). */
    static boolean isPlain(Object e) {
        if (e instanceof Marker || e instanceof Var || e instanceof Call || e instanceof TupleCtor
                || e instanceof MatchPattern) {
            return false;
        }
        if (e instanceof List<?> l) {
            for (Object o : l) {
                if (!isPlain(o)) {
                    return false;
                }
            }
        } else if (e instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                if (!isPlain(o)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isConst(Call c) {
        return c.fn().equals("const") && c.args().size() == 1 && isPlain(c.args().get(0));
    }

    private static Object plainMap(Map<?, ?> m) {
        try {
            return Terms.normalize(m);
        } catch (IllegalArgumentException e) {
            throw new MatchSpecException("a map in a match pattern must be a plain value (no '_' or variables): "
                    + e.getMessage());
        }
    }

    static String describe(Object o) {
        if (o instanceof Marker || o instanceof Var || o instanceof Call || o instanceof TupleCtor
                || o instanceof MatchPattern) {
            return o.toString();
        }
        return o == null ? "null" : Terms.format(o) + " (" + o.getClass().getSimpleName() + ")";
    }
}
