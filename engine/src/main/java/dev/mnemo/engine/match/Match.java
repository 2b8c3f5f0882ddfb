package dev.mnemo.engine.match;

import java.util.Objects;

/**
 * Markers and builders for match patterns and match specifications, mirroring Erlang's match-spec terms.
 *
 * <p>Patterns ({@link #pattern}) describe records: {@code Match.pattern("users", Match.var(1), Match.ANY)} is Erlang's
 * {@code {users,'$1','_'}}. Guards and bodies are expressions: plain values (constants), {@link #var(int) variables},
 * {@link #ALL}, {@link #ALL_VARS}, {@link #call function calls}, {@link #tuple constructed tuples} and lists of
 * expressions. Plain values are normalized as by {@code Terms.normalize} (so {@code 1} and {@code 1L} are the same
 * constant); a {@code String} is a string constant.
 */
public final class Match {
    /** {@code '_'}: in a pattern, matches anything without binding. Not allowed in guards or bodies. */
    public static final Object ANY = new Marker("_");
    /** {@code '$_'}: in a guard or body, the whole matched object. */
    public static final Object ALL = new Marker("$_");
    /**
     * {@code '$$'}: in a guard or body, the list of the values of the clause's head variables, ordered by variable
     * number ascending.
     */
    public static final Object ALL_VARS = new Marker("$$");

    private static final Var[] SMALL_VARS = new Var[33];

    static {
        for (int i = 0; i < SMALL_VARS.length; i++) {
            SMALL_VARS[i] = new Var(i);
        }
    }

    private Match() {
    }

    /**
     * The match variable {@code '$n'}. In a head it binds on its first occurrence and must be equal ({@code =:=}) on
     * later ones; in a guard or body it stands for its bound value. Equal numbers give equal variables.
     *
     * @throws IllegalArgumentException if {@code n} is outside 0..100000000 (Erlang's range)
     */
    public static Object var(int n) {
        return n >= 0 && n < SMALL_VARS.length ? SMALL_VARS[n] : new Var(n);
    }

    /**
     * A guard or body function call, Erlang's {@code {fn, Arg...}}; arguments are expressions. The functions are
     * those of Erlang match specs: comparisons {@code == /= =:= =/= < > =< >=}; booleans {@code andalso orelse and
     * or not xor}; arithmetic {@code + - * / div rem abs round trunc float min max band bor bxor bnot bsl bsr};
     * data {@code element size tuple_size byte_size length hd tl map_get is_map_key map_size}; type tests
     * {@code is_integer is_float is_number is_boolean is_string is_binary is_tuple is_list is_map is_null
     * is_record}; and {@code const}, whose argument is returned unevaluated ({@code call("const", X)} with a plain
     * X is simply the constant X). The name and arity are checked when the spec is compiled, not here.
     */
    public static Object call(String fn, Object... args) {
        Objects.requireNonNull(fn, "function name");
        return Canon.expr(new Call(fn, Canon.exprs(args)));
    }

    /** A constant: X is returned as is, Erlang's {@code {const, X}}. Same as {@code call("const", x)}. */
    public static Object constant(Object x) {
        return call("const", x);
    }

    /** A tuple constructed in a guard or body from the values of the element expressions: Erlang's {@code {{A,B}}}. */
    public static Object tuple(Object... elems) {
        return new TupleCtor(Canon.exprs(elems));
    }

    /**
     * A tuple pattern; each element is a plain value (matched by {@code =:=}), {@link #ANY}, a {@link #var(int)
     * variable}, a nested pattern (matches a nested tuple of the same size) or a list of such elements (matches a
     * list of the same length element-wise).
     *
     * @throws IllegalArgumentException for an element that is not allowed in a pattern ({@link #ALL}, a call, …)
     */
    public static MatchPattern pattern(Object... elems) {
        return MatchPattern.of(elems);
    }
}
