package dev.mnemo.engine;

/** The database directory is in use by another process or another open database. */
public final class DatabaseLockedException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public DatabaseLockedException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "locked";
    }
}
