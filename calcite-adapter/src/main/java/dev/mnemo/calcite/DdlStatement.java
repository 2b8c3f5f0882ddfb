package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;

/** One parsed DDL statement, ready to run. */
interface DdlStatement {
    /**
     * Runs the statement against {@code db}. Fails with {@link DdlError} for SQL-level problems; engine exceptions
     * pass through (the caller translates them).
     */
    void execute(Mnemo db);
}
