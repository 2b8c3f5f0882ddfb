package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;

/**
 * A range of keys in term order; a null bound is open. Bounds may be tuples holding
 * {@link Terms#MIN_BOUND}/{@link Terms#MAX_BOUND} to express "all tuples with this prefix".
 */
record KeyRange(Object lower, boolean lowerInclusive, Object upper, boolean upperInclusive) {
    static final KeyRange ALL = new KeyRange(null, true, null, true);

    boolean isAll() {
        return lower == null && upper == null;
    }

    boolean aboveLower(Object key) {
        if (lower == null) {
            return true;
        }
        int c = Terms.compare(key, lower);
        return c > 0 || (c == 0 && lowerInclusive);
    }

    boolean belowUpper(Object key) {
        if (upper == null) {
            return true;
        }
        int c = Terms.compare(key, upper);
        return c < 0 || (c == 0 && upperInclusive);
    }

    boolean contains(Object key) {
        return aboveLower(key) && belowUpper(key);
    }

    /** The entries of {@code map} (in term order) whose keys are in this range, descending if {@code reverse}. */
    <V> java.util.NavigableMap<Object, V> of(java.util.NavigableMap<Object, V> map, boolean reverse) {
        java.util.NavigableMap<Object, V> view = map;
        if (lower != null && upper != null) {
            if (Terms.compare(lower, upper) > 0) {
                return java.util.Collections.emptyNavigableMap();
            }
            view = map.subMap(lower, lowerInclusive, upper, upperInclusive);
        } else if (lower != null) {
            view = map.tailMap(lower, lowerInclusive);
        } else if (upper != null) {
            view = map.headMap(upper, upperInclusive);
        }
        return reverse ? view.descendingMap() : view;
    }

    /** The part of this range strictly after {@code key} (forward) or strictly before it (reverse). */
    KeyRange resumeAfter(Object key, boolean reverse) {
        return reverse ? new KeyRange(lower, lowerInclusive, key, false) : new KeyRange(key, false, upper, upperInclusive);
    }
}
