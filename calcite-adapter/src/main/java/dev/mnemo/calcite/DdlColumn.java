package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;

/**
 * A column definition: {@code name type [NOT NULL] [PRIMARY KEY]} in CREATE TABLE, {@code name type [NOT NULL]
 * [DEFAULT literal]} in ALTER TABLE ADD.
 *
 * @param nameToken    the column name as a token (for error positions)
 * @param type         the engine type of the SQL type
 * @param notNull      whether NOT NULL was given
 * @param defaultValue the DEFAULT literal, or null if none was given
 */
record DdlColumn(DdlToken nameToken, AttrType type, boolean notNull, DdlLiteral defaultValue) {
    /** The column name, case as written. */
    String name() {
        return nameToken.value();
    }
}
