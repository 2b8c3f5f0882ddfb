package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Tuple;
import java.util.Objects;
import java.util.Optional;

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
