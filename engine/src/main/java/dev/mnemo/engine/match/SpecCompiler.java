package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a {@link MatchSpec} into clause programs sharing one dense variable-slot numbering. */
final class SpecCompiler {
    private SpecCompiler() {
    }

    static CompiledMatchSpec compile(MatchSpec spec) {
        Map<Integer, Integer> slots = new HashMap<>();
        List<MatchSpec.Clause> clauses = spec.clauses();
        Program[] programs = new Program[clauses.size()];
        for (int i = 0; i < programs.length; i++) {
            programs[i] = clause(clauses.get(i), i + 1, slots);
        }
        return new CompiledMatchSpec(spec, programs, slots.size());
    }

    private static Program clause(MatchSpec.Clause c, int number, Map<Integer, Integer> slots) {
        HeadMatcher head = new HeadMatcher(slots);
        HeadMatcher.Node node = head.compile(c.head());
        if (c.body().isEmpty()) {
            throw new MatchSpecException("the body of clause " + number + " is empty; it needs at least one "
                    + "expression, e.g. '$_'");
        }
        ExprCompiler exprs = new ExprCompiler(head.bound(), number);
        return new Program(number, node, exprs.compileAll(c.guards()), exprs.compileAll(c.body()));
    }

    /** One compiled clause. */
    static final class Program {
        private final int number;
        private final HeadMatcher.Node head;
        private final Expr[] guards;
        private final Expr[] body;

        Program(int number, HeadMatcher.Node head, Expr[] guards, Expr[] body) {
            this.number = number;
            this.head = head;
            this.guards = guards;
            this.body = body;
        }

        /** Whether the head matches (binding {@code vars}) and every guard is exactly true; guard errors are false. */
        boolean matches(Tuple object, Object[] vars) {
            if (!head.match(object, vars)) {
                return false;
            }
            for (Expr g : guards) {
                Object r;
                try {
                    r = g.eval(vars, object);
                } catch (RuntimeException e) {
                    return false;
                }
                if (!Boolean.TRUE.equals(r)) {
                    return false;
                }
            }
            return true;
        }

        /** Evaluates the body in order; the value of the last expression. May throw. */
        Object body(Tuple object, Object[] vars) {
            Object r = null;
            for (Expr e : body) {
                r = e.eval(vars, object);
            }
            return r;
        }

        int number() {
            return number;
        }
    }
}
