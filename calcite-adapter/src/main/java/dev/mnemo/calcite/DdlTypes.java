package dev.mnemo.calcite;

import dev.mnemo.calcite.DdlToken.Kind;
import dev.mnemo.engine.AttrType;

/** SQL type names of DDL column definitions and the engine {@link AttrType} each maps to. */
final class DdlTypes {
    /** The accepted type names, for error messages and documentation. */
    static final String ACCEPTED = "BIGINT, INT, INTEGER, SMALLINT, TINYINT, SERIAL, BIGSERIAL, DOUBLE [PRECISION], FLOAT, REAL, "
            + "DECIMAL, NUMERIC, VARCHAR, CHAR, CHARACTER [VARYING], TEXT, STRING, CLOB, NCLOB, LONGVARCHAR, BOOLEAN, "
            + "VARBINARY, BINARY, BLOB, BYTEA, LONGVARBINARY, DATE, TIME, TIMESTAMP, TIMESTAMP WITH [LOCAL] TIME ZONE, ANY";

    private DdlTypes() {
    }

    /**
     * Reads a type name with its optional length or precision and scale. An unknown name is a 42000 error at its
     * position naming it and listing the accepted types.
     */
    static DdlType parse(DdlCursor c, String column) {
        DdlToken t = c.peek();
        if (t.kind() != Kind.WORD) {
            if (t.kind() == Kind.QUOTED) {
                throw unknown(t, column);
            }
            throw DdlError.expected(t, "a type for column " + column);
        }
        c.next();
        String name = t.upper();
        switch (name) {
            case "BIGINT", "INT", "INTEGER", "SMALLINT", "TINYINT":
                return plain(AttrType.INTEGER, name.equals("INT") ? "INTEGER" : name);
            case "SERIAL", "BIGSERIAL", "SMALLSERIAL": // identity columns (see DdlParser)
                return plain(AttrType.INTEGER, name.equals("SERIAL") ? "INTEGER" : name.replace("SERIAL", "INT"));
            case "DOUBLE":
                c.acceptWord("PRECISION");
                return plain(AttrType.DOUBLE, "DOUBLE");
            case "REAL":
                return plain(AttrType.DOUBLE, "REAL");
            case "FLOAT":
                return sized(c, 1, AttrType.DOUBLE, "FLOAT");
            case "DECIMAL", "NUMERIC":
                return sized(c, 2, AttrType.DECIMAL, "DECIMAL");
            case "CHARACTER":
                return sized(c, 1, AttrType.STRING, c.acceptWord("VARYING") ? "VARCHAR" : "CHAR");
            case "VARCHAR", "CHAR":
                return sized(c, 1, AttrType.STRING, name);
            case "TEXT", "STRING", "CLOB", "NCLOB", "LONGVARCHAR":
                return plain(AttrType.STRING, "VARCHAR");
            case "BOOLEAN":
                return plain(AttrType.BOOLEAN, "BOOLEAN");
            case "VARBINARY", "BINARY":
                return sized(c, 1, AttrType.BINARY, name);
            case "BLOB", "BYTEA", "LONGVARBINARY":
                return plain(AttrType.BINARY, "VARBINARY");
            case "DATE":
                return plain(AttrType.DATE, "DATE");
            case "TIME":
                return sized(c, 1, AttrType.TIME, "TIME");
            case "TIMESTAMP": {
                DdlType size = sized(c, 1, AttrType.DATETIME, "TIMESTAMP");
                AttrType type = timeZone(c);
                String declared = type == AttrType.INSTANT ? size.declared() + " WITH LOCAL TIME ZONE" : size.declared();
                return new DdlType(type, declared, size.precision(), -1);
            }
            case "ANY":
                return plain(AttrType.ANY, "ANY");
            default:
                throw unknown(t, column);
        }
    }

    private static DdlType plain(AttrType type, String declared) {
        return new DdlType(type, declared, -1, -1);
    }

    private static DdlError unknown(DdlToken t, String column) {
        return DdlError.at(t, DdlError.INVALID, "unknown type " + t.describe() + " for column " + column
                + "; accepted types are " + ACCEPTED);
    }

    /**
     * An optional {@code (n)} or, with {@code max} 2, {@code (p[, s])} after type {@code name}. A DECIMAL's
     * precision is 1 to {@value MnemoTypeSystem#MAX_DECIMAL} and its scale 0 to the precision.
     */
    private static DdlType sized(DdlCursor c, int max, AttrType type, String name) {
        if (!c.acceptSymbol("(")) {
            return plain(type, name);
        }
        int[] sizes = {-1, -1};
        for (int i = 0; i < max; i++) {
            DdlToken n = c.peek();
            if (n.kind() != Kind.NUMBER || !n.text().chars().allMatch(Character::isDigit)) {
                throw DdlError.expected(n, i == 0 ? "a length (a whole number)" : "a scale (a whole number)");
            }
            c.next();
            sizes[i] = number(n);
            if (i + 1 == max || !c.acceptSymbol(",")) {
                break;
            }
        }
        if (!c.peek().isSymbol(")")) {
            throw DdlError.expected(c.peek(), max > 1 ? "',' or ')'" : "')'");
        }
        DdlToken close = c.next();
        if (type == AttrType.DECIMAL) {
            return decimal(close, sizes[0], Math.max(sizes[1], 0));
        }
        return new DdlType(type, name + "(" + sizes[0] + ")", sizes[0], -1);
    }

    private static DdlType decimal(DdlToken at, int precision, int scale) {
        if (precision < 1 || precision > MnemoTypeSystem.MAX_DECIMAL || scale > precision) {
            throw DdlError.at(at, DdlError.INVALID, "DECIMAL(" + precision + "," + scale + "): the precision must be "
                    + "1 to " + MnemoTypeSystem.MAX_DECIMAL + " and the scale 0 to the precision");
        }
        return new DdlType(AttrType.DECIMAL, "DECIMAL(" + precision + "," + scale + ")", precision, scale);
    }

    private static int number(DdlToken n) {
        try {
            return Integer.parseInt(n.text());
        } catch (NumberFormatException e) {
            throw DdlError.at(n, DdlError.INVALID, "size " + n.text() + " is too large");
        }
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
