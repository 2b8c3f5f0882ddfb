package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Compiles the guards and body of one clause, checking that every variable they use is bound by its head. */
final class ExprCompiler {
    private static final Expr ALL = (v, o) -> o;

    private final SortedMap<Integer, Integer> bound;
    private final int clauseNumber;
    private final int[] allVarSlots;

    /** {@code bound}: the head's variables (number to slot, ascending); {@code clauseNumber} from 1, for messages. */
    ExprCompiler(SortedMap<Integer, Integer> bound, int clauseNumber) {
        this.bound = bound;
        this.clauseNumber = clauseNumber;
        this.allVarSlots = bound.values().stream().mapToInt(Integer::intValue).toArray();
    }

    Expr[] compileAll(List<Object> exprs) {
        Expr[] out = new Expr[exprs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = compile(exprs.get(i));
        }
        return out;
    }

    Expr compile(Object e) {
        if (e == Match.ALL) {
            return ALL;
        }
        if (e == Match.ALL_VARS) {
            return allVars();
        }
        if (e == Match.ANY) {
            throw error("'_' is not allowed in guards or bodies");
        }
        if (e instanceof Var var) {
            return variable(var);
        }
        if (e instanceof Call call) {
            return call(call);
        }
        if (e instanceof TupleCtor t) {
            Expr[] elems = compileAll(t.elements());
            return (v, o) -> Tuple.of(evalAll(elems, v, o));
        }
        if (e instanceof List<?> l && !Canon.isPlain(l)) {
            Expr[] elems = compileAll(Collections.unmodifiableList(l));
            return (v, o) -> Collections.unmodifiableList(Arrays.asList(evalAll(elems, v, o)));
        }
        if (e instanceof Map<?, ?> m && !Canon.isPlain(m)) {
            return map(m);
        }
        return (v, o) -> e;
    }

    private Expr variable(Var var) {
        Integer slot = bound.get(var.n());
        if (slot == null) {
            throw error("variable " + var + " is not bound in the head");
        }
        int s = slot;
        return (v, o) -> v[s];
    }

    private Expr allVars() {
        int[] slots = allVarSlots;
        return (v, o) -> {
            Object[] out = new Object[slots.length];
            for (int i = 0; i < slots.length; i++) {
                out[i] = v[slots[i]];
            }
            return Collections.unmodifiableList(Arrays.asList(out));
        };
    }

    private Expr call(Call call) {
        String fn = call.fn();
        Functions.Def def = Functions.lookup(fn);
        if (def == null) {
            throw error("unknown function " + Format.atom(fn) + "/" + call.args().size()
                    + " in a match specification");
        }
        int arity = call.args().size();
        if (!def.accepts(arity)) {
            throw error("function " + Format.atom(fn) + " takes " + def.arityText() + " argument(s), got " + arity);
        }
        if (fn.equals("const")) {
            throw error("the argument of const must be a plain value, not " + Format.expr(call.args().get(0)));
        }
        return def.builder().build(compileAll(call.args()));
    }

    private Expr map(Map<?, ?> m) {
        Object[] keys = m.keySet().toArray();
        Expr[] values = new Expr[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = compile(m.get(keys[i]));
        }
        return (v, o) -> {
            TreeMap<Object, Object> out = new TreeMap<>(Terms.ORDER);
            for (int i = 0; i < keys.length; i++) {
                out.put(keys[i], values[i].eval(v, o));
            }
            return Collections.unmodifiableSortedMap(out);
        };
    }

    private static Object[] evalAll(Expr[] exprs, Object[] v, Tuple o) {
        Object[] out = new Object[exprs.length];
        for (int i = 0; i < exprs.length; i++) {
            out[i] = exprs[i].eval(v, o);
        }
        return out;
    }

    private MatchSpecException error(String what) {
        return new MatchSpecException(what + " (clause " + clauseNumber + ")");
    }
}
