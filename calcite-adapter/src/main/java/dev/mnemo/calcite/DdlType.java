package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;

/**
 * A column type as DDL declared it: the engine type that holds its values and the SQL declaration
 * ({@code DECIMAL(10,2)}, {@code VARCHAR(100)}, {@code INTEGER}), kept in the table's {@value SqlShape#TYPES}.
 *
 * @param type      the engine type
 * @param declared  the declaration in canonical form: the type name upper-case, then its length or precision and
 *                  scale in parentheses if given
 * @param precision the declared length or precision, or -1
 * @param scale     the declared scale (0 for {@code DECIMAL(p)}), or -1
 */
record DdlType(AttrType type, String declared, int precision, int scale) {
}
