package dev.mnemo.engine.match;

import java.util.List;

/** A tuple built at evaluation time, Erlang's {@code {{A, B}}}; elements are canonical expressions. */
record TupleCtor(List<Object> elements) {
    @Override
    public String toString() {
        return Format.expr(this);
    }
}
