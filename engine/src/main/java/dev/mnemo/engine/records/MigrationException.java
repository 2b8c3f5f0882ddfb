package dev.mnemo.engine.records;

import dev.mnemo.engine.MnemoException;

/**
 * A table could not be brought to the shape its record class declares: a migration step does not fit the table,
 * failed on a record, or the table's shape differs from the class with no migration to explain it. The table is
 * left exactly as it was.
 */
public final class MigrationException extends MnemoException {
    private static final long serialVersionUID = 1L;

    MigrationException(String message) {
        super(message);
    }

    MigrationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return "migration_failed";
    }
}
