package dev.mnemo.calcite;

import dev.mnemo.calcite.DdlToken.Kind;
import dev.mnemo.engine.AttrType;

/** SQL type names of DDL column definitions and the engine {@link AttrType} each maps to. */
final class DdlTypes {
    /** The accepted type names, for error messages and documentation. */
    static final String ACCEPTED = "BIGINT, INT, INTEGER, SMALLINT, TINYINT, DOUBLE [PRECISION], FLOAT, REAL, "
            + "DECIMAL, NUMERIC, VARCHAR, CHAR, CHARACTER [VARYING], TEXT, STRING, BOOLEAN, VARBINARY, BINARY, BLOB, "
            + "BYTEA, DATE, TIME, TIMESTAMP, TIMESTAMP WITH [LOCAL] TIME ZONE, ANY";

    private DdlTypes() {
    }

    /**
     * Reads a type name with its optional length or precision, which is accepted and ignored. An unknown name is a
     * 42000 error at its position naming it and listing the accepted types.
     */
    static AttrType parse(DdlCursor c, String column) {
        DdlToken t = c.peek();
        if (t.kind() != Kind.WORD) {
            if (t.kind() == Kind.QUOTED) {
                throw unknown(t, column);
            }
            throw DdlError.expected(t, "a type for column " + column);
        }
        c.next();
        switch (t.upper()) {
            case "BIGINT", "INT", "INTEGER", "SMALLINT", "TINYINT":
                return AttrType.INTEGER;
            case "DOUBLE":
                c.acceptWord("PRECISION");
                return AttrType.DOUBLE;
            case "REAL":
                return AttrType.DOUBLE;
            case "FLOAT":
                return sized(c, 1, AttrType.DOUBLE);
            case "DECIMAL", "NUMERIC":
                return sized(c, 2, AttrType.DECIMAL);
            case "CHARACTER":
                c.acceptWord("VARYING");
                return sized(c, 1, AttrType.STRING);
            case "VARCHAR", "CHAR":
                return sized(c, 1, AttrType.STRING);
            case "TEXT", "STRING":
                return AttrType.STRING;
            case "BOOLEAN":
                return AttrType.BOOLEAN;
            case "VARBINARY", "BINARY":
                return sized(c, 1, AttrType.BINARY);
            case "BLOB", "BYTEA":
                return AttrType.BINARY;
            case "DATE":
                return AttrType.DATE;
            case "TIME":
                return sized(c, 1, AttrType.TIME);
            case "TIMESTAMP":
                sized(c, 1, AttrType.DATETIME);
                return timeZone(c);
            case "ANY":
                return AttrType.ANY;
            default:
                throw unknown(t, column);
        }
    }

    private static DdlError unknown(DdlToken t, String column) {
        return DdlError.at(t, DdlError.INVALID, "unknown type " + t.describe() + " for column " + column
                + "; accepted types are " + ACCEPTED);
    }

    /** Skips an optional {@code (n)} or, with {@code max} 2, {@code (p, s)}; returns {@code type}. */
    private static AttrType sized(DdlCursor c, int max, AttrType type) {
        if (!c.acceptSymbol("(")) {
            return type;
        }
        for (int i = 0; i < max; i++) {
            if (c.peek().kind() != Kind.NUMBER || !c.peek().text().chars().allMatch(Character::isDigit)) {
                throw DdlError.expected(c.peek(), i == 0 ? "a length (a whole number)" : "a scale (a whole number)");
            }
            c.next();
            if (i + 1 == max || !c.acceptSymbol(",")) {
                break;
            }
        }
        if (!c.peek().isSymbol(")")) {
            throw DdlError.expected(c.peek(), max > 1 ? "',' or ')'" : "')'");
        }
        c.next();
        return type;
    }

    /** After TIMESTAMP: {@code WITH [LOCAL] TIME ZONE} is an instant, {@code WITHOUT TIME ZONE} or nothing not. */
    private static AttrType timeZone(DdlCursor c) {
        if (c.acceptWord("WITH")) {
            c.acceptWord("LOCAL");
            c.expectWord("TIME");
            c.expectWord("ZONE");
            return AttrType.INSTANT;
        }
        if (c.acceptWord("WITHOUT")) {
            c.expectWord("TIME");
            c.expectWord("ZONE");
        }
        return AttrType.DATETIME;
    }
}
