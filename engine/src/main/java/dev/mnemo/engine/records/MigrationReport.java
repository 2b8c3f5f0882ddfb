package dev.mnemo.engine.records;

import java.util.List;

/**
 * What {@link Memento#openTable} did to a table.
 *
 * @param table       the table name
 * @param fromVersion the version the table was at (0 when it was created now or had none)
 * @param toVersion   the version it is at now
 * @param created     whether the table did not exist and was created at {@code toVersion} (no step ran)
 * @param applied     the steps that ran, as "version n: step", in order
 */
public record MigrationReport(String table, long fromVersion, long toVersion, boolean created, List<String> applied) {
    public MigrationReport {
        applied = List.copyOf(applied);
    }

    /** Whether migration steps ran. */
    public boolean migrated() {
        return !created && toVersion != fromVersion;
    }
}
