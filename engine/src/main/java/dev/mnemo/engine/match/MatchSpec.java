package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable match specification: a non-empty list of clauses {@code {Head, Guards, Body}}, as used by Mnesia's
 * {@code select} and ETS. An object matches a clause when the head matches it and every guard evaluates to exactly
 * {@code true}; the first such clause gives the result, the value of its last body expression.
 *
 * <p>Build specs with {@link #of}, {@link #clause} and the {@link Match} builders, or {@link #parse} Erlang text.
 * {@link #compile()} validates and turns the spec into a fast, thread-safe {@link CompiledMatchSpec}; the result is
 * cached. Equal specs are {@code equals}, and {@link #toString()} gives Erlang text that {@link #parse} reads back to
 * an equal spec (except for values Erlang cannot write: dates and times, decimals, non-finite floats).
 */
public final class MatchSpec {
    private final List<Clause> clauses;
    private volatile CompiledMatchSpec compiled;

    private MatchSpec(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /**
     * A spec of the given clauses, tried in order.
     *
     * @throws IllegalArgumentException if there is no clause
     */
    public static MatchSpec of(Clause... clauses) {
        return of(Arrays.asList(clauses));
    }

    /** A spec of the given clauses, tried in order; at least one. */
    public static MatchSpec of(List<Clause> clauses) {
        if (clauses.isEmpty()) {
            throw new MatchSpecException("a match specification needs at least one clause");
        }
        for (Clause c : clauses) {
            Objects.requireNonNull(c, "clause");
        }
        return new MatchSpec(Collections.unmodifiableList(new ArrayList<>(clauses)));
    }

    /**
     * One clause. The head is a {@link MatchPattern}, {@link Match#ANY} or a {@link Match#var variable} (both match
     * any object; the variable binds it); a {@link Tuple} is taken as a pattern of its elements. Guards and body are
     * lists of expressions (see {@link Match}); the body must not be empty when compiled.
     */
    public static Clause clause(Object head, List<?> guards, List<?> body) {
        return new Clause(head, new ArrayList<>(guards), new ArrayList<>(body));
    }

    /** The spec {@code match_object} uses: {@code [{P, [], ['$_']}]}, returning every object {@code p} matches. */
    public static MatchSpec ofPattern(MatchPattern p) {
        return of(clause(p, List.of(), List.of(Match.ALL)));
    }

    /**
     * Parses Erlang term syntax for a match spec, e.g. {@code [{{users,'$1','$2','_'},[{'>','$2',30}],['$$']}]};
     * an optional final {@code .} is allowed. Atoms: {@code '_'}, {@code '$_'}, {@code '$$'}, {@code '$N'} are the
     * markers and variables; {@code true}/{@code false} are booleans; {@code null} and {@code undefined} are null;
     * any other atom (bare or quoted) is the string of its name. Integers (big ones become decimals), floats,
     * {@code $c} characters (code points), double-quoted strings, binaries ({@code <<1,2>>}, {@code <<"text">>} as
     * UTF-8), lists, tuples and maps {@code #{K => V}} are read as in Erlang. In a head a tuple is a pattern; in a
     * guard or body a tuple whose first element is an atom is a call, {@code {{...}}} builds a tuple and
     * {@code {const, X}} is the term X (atoms in it are plain strings).
     *
     * @throws MatchSpecException with the {@link MatchSpecException#offset() offset} of the problem and what was
     *     expected there
     */
    public static MatchSpec parse(String erlangText) {
        return SpecReader.read(erlangText);
    }

    /** The clauses, in order, unmodifiable. */
    public List<Clause> clauses() {
        return clauses;
    }

    /**
     * Validates and compiles the spec (cached).
     *
     * @throws MatchSpecException (an {@link IllegalArgumentException}) naming the problem: a variable used in a guard
     *     or body but not bound in its clause's head, an unknown function or wrong number of arguments, {@code '_'}
     *     in a guard or body, a non-plain {@code const} argument, an empty body
     */
    public CompiledMatchSpec compile() {
        CompiledMatchSpec c = compiled;
        if (c == null) {
            c = SpecCompiler.compile(this);
            compiled = c;
        }
        return c;
    }

    /**
     * Compiles the spec and applies it to {@code object} as {@code ets:test_ms/2} does: the result, or
     * {@link CompiledMatchSpec#NO_MATCH}; any problem (invalid spec, error raised in the body) is thrown.
     *
     * @throws MatchSpecException describing the problem
     */
    public Object test(Tuple object) {
        return compile().test(object);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchSpec m && clauses.equals(m.clauses);
    }

    @Override
    public int hashCode() {
        return clauses.hashCode();
    }

    /** Erlang term syntax, e.g. {@code [{{users,'$1','_'},[{'>','$1',3}],['$_']}]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < clauses.size(); i++) {
            sb.append(i > 0 ? "," : "").append(Format.clause(clauses.get(i)));
        }
        return sb.append(']').toString();
    }

    /**
     * One clause {@code {Head, Guards, Body}}; the constructor puts its arguments in canonical form (values
     * normalized, lists unmodifiable) so that equal clauses are {@code equals}.
     */
    public record Clause(Object head, List<Object> guards, List<Object> body) {
        /**
         * @throws IllegalArgumentException if the head is not a pattern, {@code '_'} or a variable, or an element is
         *     not a Mnemo value or match-spec expression
         */
        public Clause {
            head = Canon.head(head);
            guards = Canon.exprs(Objects.requireNonNull(guards, "guards"));
            body = Canon.exprs(Objects.requireNonNull(body, "body"));
        }

        /** Erlang term syntax: {@code {Head,[Guard,...],[Body,...]}}. */
        @Override
        public String toString() {
            return Format.clause(this);
        }
    }
}
