package dev.mnemo.engine.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable, ordered, fixed-size sequence of values: the Erlang tuple of Mnemo's value model.
 *
 * <p>Records are tuples whose element 0 is the record name and whose element 1 is the key, exactly as in Mnesia:
 * {@code Tuple.of("users", 1, "Alice")}. Elements are normalized on construction (see {@link Terms#normalize}),
 * so {@code Tuple.of(1)} and {@code Tuple.of(1L)} are equal. Tuples compare first by size, then element by element.
 */
public final class Tuple implements Comparable<Tuple> {
    private static final Tuple EMPTY = new Tuple(new Object[0]);
    private final Object[] elements;
    private int hash;

    private Tuple(Object[] elements) {
        this.elements = elements;
    }

    /** A tuple of the given values, normalized; throws {@link IllegalArgumentException} for an unsupported type. */
    public static Tuple of(Object... values) {
        if (values.length == 0) {
            return EMPTY;
        }
        Object[] copy = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            copy[i] = Terms.normalize(values[i]);
        }
        return new Tuple(copy);
    }

    /** A tuple of the given list's values, normalized. */
    public static Tuple ofList(List<?> values) {
        return of(values.toArray());
    }

    /** Wraps already-normalized values without copying; the caller gives up the array. */
    static Tuple wrapNormalized(Object[] normalized) {
        return normalized.length == 0 ? EMPTY : new Tuple(normalized);
    }

    /** Element {@code i}, counting from 0. */
    public Object get(int i) {
        return elements[i];
    }

    /** The number of elements. */
    public int size() {
        return elements.length;
    }

    /** The elements as an unmodifiable list. */
    public List<Object> toList() {
        return Collections.unmodifiableList(Arrays.asList(elements));
    }

    /** A copy of the elements. */
    public Object[] toArray() {
        return elements.clone();
    }

    /** A new tuple with element {@code i} replaced by {@code value}. */
    public Tuple with(int i, Object value) {
        Object[] copy = elements.clone();
        copy[i] = Terms.normalize(value);
        return new Tuple(copy);
    }

    @Override
    public int compareTo(Tuple o) {
        return Terms.compare(this, o);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tuple t) || t.elements.length != elements.length) {
            return false;
        }
        return Arrays.equals(elements, t.elements);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(elements);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Terms.format(elements[i]));
        }
        return sb.append('}').toString();
    }
}
