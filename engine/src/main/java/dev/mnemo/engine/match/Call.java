package dev.mnemo.engine.match;

import java.util.List;

/** A guard or body function call {@code {fn, Arg...}}; arguments are canonical expressions (see {@link Canon}). */
record Call(String fn, List<Object> args) {
    @Override
    public String toString() {
        return Format.expr(this);
    }
}
