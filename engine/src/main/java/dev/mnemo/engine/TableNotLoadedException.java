package dev.mnemo.engine;

/** A table was not loaded within the allowed time. */
public final class TableNotLoadedException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public TableNotLoadedException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "not_loaded";
    }
}
