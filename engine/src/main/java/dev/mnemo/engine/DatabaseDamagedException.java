package dev.mnemo.engine;

/**
 * The database's files cannot be read as a database: a data file was deleted or moved, or bytes of one were changed
 * (a failing disk, a copy taken while the database was open). Nothing was changed by the attempt to open it;
 * restore the files or a backup.
 */
public final class DatabaseDamagedException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public DatabaseDamagedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return "damaged";
    }
}
