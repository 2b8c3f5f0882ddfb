package dev.mnemo.engine;

/** A table of that name already exists (Mnesia's {already_exists, Tab}). */
public final class TableExistsException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public TableExistsException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "already_exists";
    }
}
