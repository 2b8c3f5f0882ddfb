package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.List;

/**
 * What one clause says about the value at a position: an exact value, a tuple shape, or bounds. Mutable, used only
 * while deriving a hint. Intersecting (several guards of one clause) keeps the tighter bound; {@link #union} (several
 * clauses) keeps the looser one.
 */
final class KeyConstraint {
    boolean hasExact;
    Object exact;
    Integer tupleSize;
    List<Object> prefix;
    boolean hasLower;
    Object lower;
    boolean lowerInclusive;
    boolean hasUpper;
    Object upper;
    boolean upperInclusive;

    /** Fixes the value; a second, different value would mean no match at all, so keeping the first only widens. */
    void exact(Object v) {
        if (!hasExact) {
            hasExact = true;
            exact = v;
        }
    }

    /** The tuple prefix this clause gives: a ground tuple key's elements, or a tuple pattern's ground prefix. */
    List<Object> tuplePrefix() {
        if (hasExact) {
            return exact instanceof Tuple t ? t.toList() : null;
        }
        return tupleSize == null ? null : prefix;
    }

    void lower(Object v, boolean inclusive) {
        int c = hasLower ? Terms.compare(v, lower) : 1;
        if (c > 0 || (c == 0 && !inclusive)) {
            hasLower = true;
            lower = v;
            lowerInclusive = inclusive;
        }
    }

    void upper(Object v, boolean inclusive) {
        int c = hasUpper ? Terms.compare(v, upper) : -1;
        if (c < 0 || (c == 0 && !inclusive)) {
            hasUpper = true;
            upper = v;
            upperInclusive = inclusive;
        }
    }

    /** Turns an exact value into the range [v, v], which is what it contributes to a union of ranges. */
    void exactAsRange() {
        if (hasExact) {
            hasLower = hasUpper = true;
            lower = upper = exact;
            lowerInclusive = upperInclusive = true;
        }
    }

    /** The smallest range containing both; unbounded on a side where either is. */
    KeyConstraint union(KeyConstraint o) {
        KeyConstraint u = new KeyConstraint();
        if (hasLower && o.hasLower) {
            int c = Terms.compare(lower, o.lower);
            u.hasLower = true;
            u.lower = c <= 0 ? lower : o.lower;
            u.lowerInclusive = c < 0 ? lowerInclusive : c > 0 ? o.lowerInclusive : lowerInclusive || o.lowerInclusive;
        }
        if (hasUpper && o.hasUpper) {
            int c = Terms.compare(upper, o.upper);
            u.hasUpper = true;
            u.upper = c >= 0 ? upper : o.upper;
            u.upperInclusive = c > 0 ? upperInclusive : c < 0 ? o.upperInclusive : upperInclusive || o.upperInclusive;
        }
        return u;
    }
}
