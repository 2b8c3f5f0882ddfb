package dev.mnemo.engine.match;

import dev.mnemo.engine.match.TermReader.Atom;
import dev.mnemo.engine.match.TermReader.ListNode;
import dev.mnemo.engine.match.TermReader.MapNode;
import dev.mnemo.engine.match.TermReader.Node;
import dev.mnemo.engine.match.TermReader.TupleNode;
import dev.mnemo.engine.match.TermReader.Value;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gives meaning to a parsed term as a match spec: heads are patterns, guards and bodies are expressions, and
 * {@code {const, X}} arguments are plain terms. See {@link MatchSpec#parse} for the mapping.
 */
final class SpecReader {
    private SpecReader() {
    }

    static MatchSpec read(String text) {
        Node root = TermReader.read(text);
        if (!(root instanceof ListNode list)) {
            throw error(root, "a list of clauses [{Head, Guards, Body}, ...]");
        }
        if (list.items().isEmpty()) {
            throw error(root, "at least one clause");
        }
        List<MatchSpec.Clause> clauses = new ArrayList<>();
        for (Node n : list.items()) {
            clauses.add(clause(n));
        }
        return MatchSpec.of(clauses);
    }

    private static MatchSpec.Clause clause(Node n) {
        if (!(n instanceof TupleNode t) || t.items().size() != 3) {
            throw error(n, "a clause {Head, Guards, Body}");
        }
        Object head = head(t.items().get(0));
        List<Object> guards = list(t.items().get(1), "a list of guards", SpecReader::expr);
        List<Object> body = list(t.items().get(2), "a list of body expressions", SpecReader::expr);
        return new MatchSpec.Clause(head, guards, body);
    }

    private static Object head(Node n) {
        if (n instanceof TupleNode t) {
            return Match.pattern(map(t.items(), SpecReader::patternElement).toArray());
        }
        if (n instanceof Atom a && (a.name().equals("_") || variable(a) != null)) {
            return a.name().equals("_") ? Match.ANY : variable(a);
        }
        throw error(n, "a clause head: a tuple pattern, '_' or '$N'");
    }

    private static Object patternElement(Node n) {
        if (n instanceof Atom a) {
            if (a.name().equals("_")) {
                return Match.ANY;
            }
            if (a.name().equals("$_") || a.name().equals("$$")) {
                throw error(n, "a pattern element ('" + a.name() + "' is only allowed in guards and bodies)");
            }
            Object v = variable(a);
            return v != null ? v : atomValue(a);
        }
        if (n instanceof TupleNode t) {
            return Match.pattern(map(t.items(), SpecReader::patternElement).toArray());
        }
        if (n instanceof ListNode l) {
            return map(l.items(), SpecReader::patternElement);
        }
        return plain(n);
    }

    private static Object expr(Node n) {
        if (n instanceof Atom a) {
            return switch (a.name()) {
                case "$_" -> Match.ALL;
                case "$$" -> Match.ALL_VARS;
                case "_" -> throw error(n, "an expression ('_' is only allowed in heads)");
                default -> {
                    Object v = variable(a);
                    yield v != null ? v : atomValue(a);
                }
            };
        }
        if (n instanceof TupleNode t) {
            return tupleExpr(t);
        }
        if (n instanceof ListNode l) {
            return map(l.items(), SpecReader::expr);
        }
        if (n instanceof MapNode m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int k = 0; k < m.keys().size(); k++) {
                out.put(plain(m.keys().get(k)), expr(m.values().get(k)));
            }
            return out;
        }
        return ((Value) n).value();
    }

    private static Object tupleExpr(TupleNode t) {
        List<Node> items = t.items();
        if (items.size() == 1 && items.get(0) instanceof TupleNode inner) {
            return Match.tuple(map(inner.items(), SpecReader::expr).toArray());
        }
        if (items.isEmpty() || !(items.get(0) instanceof Atom fn) || fn.name().startsWith("$")
                || fn.name().equals("_")) {
            throw error(t, "{Function, Arg, ...}, {{Element, ...}} or {const, Term}");
        }
        List<Node> argNodes = items.subList(1, items.size());
        Functions.Def def = Functions.lookup(fn.name());
        if (def == null) {
            throw error(fn, "a match-spec function name (unknown function '" + fn.name() + "')");
        }
        if (!def.accepts(argNodes.size())) {
            throw error(fn, "'" + fn.name() + "' with " + def.arityText() + " argument(s), not " + argNodes.size());
        }
        if (fn.name().equals("const")) {
            return Match.constant(plain(argNodes.get(0)));
        }
        return Match.call(fn.name(), map(argNodes, SpecReader::expr).toArray());
    }

    /** A term taken literally: every atom other than true/false/null/undefined is a string. */
    private static Object plain(Node n) {
        if (n instanceof Atom a) {
            return atomValue(a);
        }
        if (n instanceof TupleNode t) {
            return Tuple.ofList(map(t.items(), SpecReader::plain));
        }
        if (n instanceof ListNode l) {
            return Terms.normalize(map(l.items(), SpecReader::plain));
        }
        if (n instanceof MapNode m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int k = 0; k < m.keys().size(); k++) {
                out.put(plain(m.keys().get(k)), plain(m.values().get(k)));
            }
            return Terms.normalize(out);
        }
        return ((Value) n).value();
    }

    private static Object atomValue(Atom a) {
        return switch (a.name()) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null", "undefined" -> null;
            default -> a.name();
        };
    }

    /** The variable an atom {@code '$N'} names, or null. */
    private static Object variable(Atom a) {
        String name = a.name();
        if (name.length() < 2 || name.charAt(0) != '$' || name.length() > 10) {
            return null;
        }
        for (int k = 1; k < name.length(); k++) {
            if (name.charAt(k) < '0' || name.charAt(k) > '9') {
                return null;
            }
        }
        long n = Long.parseLong(name.substring(1));
        if (n > Var.MAX) {
            throw error(a, "a match variable '$0'..'$" + Var.MAX + "'");
        }
        return Match.var((int) n);
    }

    private static List<Object> list(Node n, String what, Function<Node, Object> element) {
        if (!(n instanceof ListNode l)) {
            throw error(n, what);
        }
        return map(l.items(), element);
    }

    private static List<Object> map(List<Node> nodes, Function<Node, Object> f) {
        List<Object> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            out.add(f.apply(n));
        }
        return out;
    }

    private static MatchSpecException error(Node n, String expected) {
        return new MatchSpecException("expected " + expected + " at offset " + n.pos(), n.pos());
    }
}
