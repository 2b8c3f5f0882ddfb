package dev.mnemo.engine;

/** The named table does not exist (Mnesia's {no_exists, Tab}). */
public final class NoSuchTableException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public NoSuchTableException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "no_exists";
    }
}
