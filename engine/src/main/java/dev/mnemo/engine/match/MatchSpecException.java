package dev.mnemo.engine.match;

/**
 * An invalid match specification or a failure while testing one. Thrown by {@link MatchSpec#parse} (then
 * {@link #offset()} is the character offset of the problem in the parsed text, and the message names it and what
 * was expected), by {@link MatchSpec#compile()} (unbound variable, unknown function, wrong arity, misplaced
 * marker) and by the {@code test} methods ({@link MatchSpec#test}, {@link CompiledMatchSpec#test}) for an error
 * raised in a clause body. It is an {@link IllegalArgumentException}, so callers may catch either.
 */
public final class MatchSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    MatchSpecException(String message) {
        this(message, -1);
    }

    MatchSpecException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** The character offset in the parsed text where the problem was found, or -1 when the error is not a parse error. */
    public int offset() {
        return offset;
    }
}
