package dev.mnemo.engine;

/**
 * A value, key or record is larger than Mnemo stores (see {@link Mnemo#MAX_VALUE_LENGTH} and the other limits
 * there). The message names the table, the attribute, the size and the limit. Nothing was written.
 */
public final class ValueTooLargeException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public ValueTooLargeException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "value_too_large";
    }
}
