package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Tuple;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable tuple pattern, Erlang's {@code {users,'$1','_',"x"}}: matches a {@link Tuple} of the same size
 * whose elements match element-wise (see {@link Match#pattern}). Built by {@link Match#pattern}. Equal patterns are
 * {@code equals}; a nested pattern without variables or wildcards is stored as the {@link Tuple} it matches.
 * {@link #toString()} renders Erlang term syntax that {@link MatchSpec#parse} reads back.
 */
public final class MatchPattern {
    private final Object[] elements;

    private MatchPattern(Object[] elements) {
        this.elements = elements;
    }

    static MatchPattern of(Object... elems) {
        Object[] canon = new Object[elems.length];
        for (int i = 0; i < elems.length; i++) {
            canon[i] = Canon.patternElement(elems[i]);
        }
        return new MatchPattern(canon);
    }

    /** The number of elements, which is the size of the tuples it matches. */
    public int size() {
        return elements.length;
    }

    /** Element {@code i} (from 0) in canonical form: a value, {@link Match#ANY}, a variable, a pattern or a list. */
    public Object element(int i) {
        return elements[i];
    }

    /** The elements, unmodifiable. */
    public List<Object> elements() {
        return Collections.unmodifiableList(Arrays.asList(elements));
    }

    /** Whether the pattern has no wildcard and no variable, so it matches exactly one tuple. */
    public boolean isGround() {
        for (Object e : elements) {
            if (!Canon.isPlain(e)) {
                return false;
            }
        }
        return true;
    }

    /** The one tuple a ground pattern matches. */
    Tuple toTuple() {
        return Tuple.of(elements);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchPattern p && Arrays.equals(elements, p.elements);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(elements);
    }

    @Override
    public String toString() {
        return Format.pattern(this);
    }
}
