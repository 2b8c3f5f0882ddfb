package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A validated, compiled {@link MatchSpec}, made by {@link MatchSpec#compile()}. Immutable and thread-safe; apply it
 * to as many objects as needed. Head patterns are precompiled into matchers and variables live in a small
 * per-call array, so applying costs no reflection and no map allocation.
 */
public final class CompiledMatchSpec {
    /** What {@link #apply} returns when no clause matches. Never a Mnemo value, so it cannot be confused with one. */
    public static final Object NO_MATCH = new Object() {
        @Override
        public String toString() {
            return "NO_MATCH";
        }
    };

    /** The result of a clause whose body raised an error, as Erlang's atom {@code 'EXIT'} (atoms are strings). */
    public static final String EXIT = "EXIT";

    private static final Object[] NO_VARS = new Object[0];

    private static final Set<String> ORDER_COMPARISONS = Set.of("<", "=<", ">", ">=");

    private final MatchSpec source;
    private final SpecCompiler.Program[] programs;
    private final int varCount;

    CompiledMatchSpec(MatchSpec source, SpecCompiler.Program[] programs, int varCount) {
        this.source = source;
        this.programs = programs;
        this.varCount = varCount;
    }

    /** The spec this was compiled from. */
    public MatchSpec source() {
        return source;
    }

    /**
     * Applies the spec to one object (a Tuple record): the result of the first clause whose head matches and whose
     * guards all evaluate to exactly {@link Boolean#TRUE}; the result is the value of the clause's last body
     * expression. A guard that raises an error (bad arithmetic, wrong type) counts as false, as in Erlang; a body
     * that raises an error gives {@link #EXIT}, as in Erlang. Returns {@link #NO_MATCH} when no clause matches.
     */
    public Object apply(Tuple object) {
        return run(object, false);
    }

    /** Whether some clause matches {@code object} ({@code apply(object) != NO_MATCH}); bodies are not evaluated. */
    public boolean matches(Tuple object) {
        Objects.requireNonNull(object, "object");
        Object[] vars = newVars();
        for (SpecCompiler.Program p : programs) {
            if (p.matches(object, vars)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates the spec as {@code ets:test_ms/2} does, for trying specs out: like {@link #apply}, but an error
     * raised in the body of the matching clause is thrown instead of giving {@link #EXIT}. Guard errors still
     * count as false, as they do when the spec runs. Returns {@link #NO_MATCH} when no clause matches.
     *
     * @throws MatchSpecException naming the clause and describing the error
     */
    public Object test(Tuple object) {
        return run(object, true);
    }

    private Object run(Tuple object, boolean raiseBodyErrors) {
        Objects.requireNonNull(object, "object");
        Object[] vars = newVars();
        for (SpecCompiler.Program p : programs) {
            if (p.matches(object, vars)) {
                try {
                    return p.body(object, vars);
                } catch (RuntimeException e) {
                    if (!raiseBodyErrors) {
                        return EXIT;
                    }
                    throw new MatchSpecException("error in the body of clause " + p.number() + ": " + describe(e));
                }
            }
        }
        return NO_MATCH;
    }

    /**
     * Access-path hints for a table whose key is at tuple element {@code keyPos} (always 1 for records): what the
     * heads and guards of all clauses say about the key. See {@link KeyHint}.
     */
    public KeyHint keyHint(int keyPos) {
        return Hints.keyHint(source.clauses(), keyPos);
    }

    /**
     * Whether this spec selects whole records by bounds on one element only: a single clause whose head is a
     * pattern of {@code arity} elements with {@code recordName} (or {@code '_'}) first, a variable (or, with no
     * guards, {@code '_'}: every record) at {@code keyPos} and {@code '_'} everywhere else, whose guards are all
     * order comparisons ({@code < =< > >=}) of
     * that variable with a constant accepted by {@code constantOk}, and whose body is {@code '$_'}. For such a spec
     * the records whose element {@code keyPos} lies in the range of {@link #keyHint} are exactly the matches,
     * provided every value there and every constant is of one kind whose loose order ({@code ==}) and strict order
     * ({@code =:=}) agree: the caller's {@code constantOk} vouches for the constants, the table for its keys.
     */
    public boolean selectsByKeyBoundsOnly(Object recordName, int arity, int keyPos,
                                          Predicate<Object> constantOk) {
        if (source.clauses().size() != 1) {
            return false;
        }
        MatchSpec.Clause c = source.clauses().get(0);
        if (!(c.head() instanceof MatchPattern p) || p.size() != arity || keyPos <= 0 || keyPos >= arity
                || c.body().size() != 1 || c.body().get(0) != Match.ALL) {
            return false;
        }
        Object key = p.element(keyPos);
        if (!(key instanceof Var) && !(key == Match.ANY && c.guards().isEmpty())) {
            return false;
        }
        Object name = p.element(0);
        if (name != Match.ANY && !(Canon.isPlain(name) && Terms.compare(name, recordName) == 0)) {
            return false;
        }
        for (int i = 1; i < arity; i++) {
            if (i != keyPos && p.element(i) != Match.ANY) {
                return false;
            }
        }
        for (Object g : c.guards()) {
            if (!(g instanceof Call call) || call.args().size() != 2
                    || !ORDER_COMPARISONS.contains(call.fn())) {
                return false;
            }
            Object a = call.args().get(0);
            Object b = call.args().get(1);
            Object constant = key.equals(a) ? b : key.equals(b) ? a : null;
            if (constant == null || !Canon.isPlain(constant) || !constantOk.test(constant)) {
                return false;
            }
        }
        return true;
    }

    /**
     * For tuple element {@code pos}: the ground value every clause fixes there, in its head or by a guard
     * {@code '$N' =:= Constant} on the head variable there; empty if some clause does not, if clauses fix
     * different values, or if the value is null (Optional cannot hold it). Useful to pick a secondary index.
     */
    public Optional<Object> boundValue(int pos) {
        return Hints.boundValue(source.clauses(), pos);
    }

    @Override
    public String toString() {
        return source.toString();
    }

    private Object[] newVars() {
        return varCount == 0 ? NO_VARS : new Object[varCount];
    }

    private static String describe(RuntimeException e) {
        return e instanceof EvalError || e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
