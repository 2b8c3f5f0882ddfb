package dev.mnemo.engine;

/** A write was attempted on a read_only table. */
public final class ReadOnlyTableException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyTableException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "read_only";
    }
}
