package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Tuple;

/** A compiled guard or body expression; evaluation may throw (guards treat that as false, bodies as 'EXIT'). */
@FunctionalInterface
interface Expr {
    /** The value for the matched {@code object}, with head variables in {@code vars} (by slot). */
    Object eval(Object[] vars, Tuple object);
}
