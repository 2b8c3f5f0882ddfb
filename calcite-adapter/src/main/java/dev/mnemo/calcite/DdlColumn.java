package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;

/**
 * A column definition: {@code name type [NOT NULL] [PRIMARY KEY]} in CREATE TABLE, {@code name type [NOT NULL]
 * [DEFAULT literal]} in ALTER TABLE ADD.
 *
 * @param nameToken    the column name as a token (for error positions)
 * @param declaredType the SQL type as declared, with the engine type that holds it
 * @param notNull      whether NOT NULL was given
 * @param defaultValue the DEFAULT, or null if none was given
 * @param identity     the identity column definition, or null
 */
record DdlColumn(DdlToken nameToken, DdlType declaredType, boolean notNull, DdlDefault defaultValue,
                 DdlIdentity identity) {
    /** The column name, case as written. */
    String name() {
        return nameToken.value();
    }

    /** The engine type of the column's values. */
    AttrType type() {
        return declaredType.type();
    }
}
