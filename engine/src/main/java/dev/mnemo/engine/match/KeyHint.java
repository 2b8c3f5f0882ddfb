package dev.mnemo.engine.match;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a match spec's heads and guards say about the key of the objects it can match, so the engine can read fewer
 * rows; see {@link CompiledMatchSpec#keyHint}. A hint may be wider than the truth but never narrower: the engine
 * still applies the full spec to every row it reads. At most one kind of information is given, the most precise:
 *
 * <ul>
 *   <li><b>exact keys</b> ({@link #exactKeys()} non-null): every clause fixes the key to a ground value (in its head,
 *       or by a guard {@code '$K' =:= Constant}); the list is these keys, sorted in the total order, without
 *       duplicates. It may be empty when no key can match.</li>
 *   <li><b>tuple prefix</b> ({@link #tupleSize()} and {@link #tuplePrefix()} non-null): every clause's key is a tuple
 *       of size {@code tupleSize} whose first elements are fixed to {@code tuplePrefix} (possibly empty: then only
 *       the size is known).</li>
 *   <li><b>range</b> ({@link #lower()} and/or {@link #upper()} non-null): every clause bounds the key by guards
 *       comparing its key variable with constants ({@code < =< > >= == =:=}, top-level or inside
 *       {@code andalso}/{@code and}); the range is the union of the clauses' ranges in the total order. A null bound
 *       means unbounded (its inclusive flag is then false). Bounds for Erlang's loose number comparisons are widened
 *       to the strict order: {@code '$K' =< 30} gives upper bound {@code 30} as the largest number equal to 30.</li>
 *   <li><b>none</b> ({@link #isNone()}): nothing usable; scan everything.</li>
 * </ul>
 */
public record KeyHint(List<Object> exactKeys, Integer tupleSize, List<Object> tuplePrefix, Object lower,
                      boolean lowerInclusive, Object upper, boolean upperInclusive) {
    private static final KeyHint NONE = new KeyHint(null, null, null, null, false, null, false);

    /** Copies the lists into unmodifiable lists. */
    public KeyHint {
        exactKeys = exactKeys == null ? null : Collections.unmodifiableList(new ArrayList<>(exactKeys));
        tuplePrefix = tuplePrefix == null ? null : Collections.unmodifiableList(new ArrayList<>(tuplePrefix));
    }

    /** The hint that says nothing. */
    public static KeyHint none() {
        return NONE;
    }

    /** A hint of exact keys. */
    public static KeyHint exact(List<Object> keys) {
        return new KeyHint(keys, null, null, null, false, null, false);
    }

    /** A hint of a tuple key of known size with a known (possibly empty) prefix. */
    public static KeyHint tuple(int size, List<Object> prefix) {
        return new KeyHint(null, size, prefix, null, false, null, false);
    }

    /** A range hint; a null bound is unbounded. */
    public static KeyHint range(Object lower, boolean lowerInclusive, Object upper, boolean upperInclusive) {
        if (lower == null && upper == null) {
            return NONE;
        }
        return new KeyHint(null, null, null, lower, lower != null && lowerInclusive, upper,
                upper != null && upperInclusive);
    }

    /** Whether the hint says nothing about the key. */
    public boolean isNone() {
        return exactKeys == null && tupleSize == null && lower == null && upper == null;
    }
}
