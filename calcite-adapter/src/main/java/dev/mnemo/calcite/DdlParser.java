package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for the statements {@link MnemoDdl} documents. Syntax errors name the line, column,
 * what was expected and what was found; a few definition errors that are visible in the text (an unknown type, a
 * second PRIMARY KEY, a repeated option) are reported here too, with their position.
 */
final class DdlParser {
    private static final String END = "';' or end of statement";
    private final String sql;
    private final DdlCursor c;

    private DdlParser(String sql) {
        this.sql = sql;
        this.c = new DdlCursor(sql);
    }

    /** Parses one statement, optionally followed by ';'. */
    static DdlStatement parse(String sql) {
        return new DdlParser(sql).statement();
    }

    /** Returns {@code s} if the statement ends here (after an optional ';'); else a syntax error. */
    private DdlStatement ended(DdlStatement s, String expected) {
        boolean semicolon = c.acceptSymbol(";");
        if (c.peek().kind() != DdlToken.Kind.END) {
            throw DdlError.expected(c.peek(), semicolon ? "end of statement (one statement at a time)" : expected);
        }
        return s;
    }

    private DdlStatement statement() {
        DdlToken t = c.next();
        switch (t.kind() == DdlToken.Kind.WORD ? t.upper() : "") {
            case "CREATE":
                if (c.acceptWord("TABLE")) {
                    return createTable();
                }
                if (c.acceptWord("INDEX")) {
                    return createIndex();
                }
                if (c.acceptWord("OR")) {
                    c.expectWord("REPLACE");
                    c.expectWord("VIEW");
                    return createView(true);
                }
                if (c.acceptWord("VIEW")) {
                    return createView(false);
                }
                throw DdlError.expected(c.peek(), "TABLE, INDEX, VIEW or OR REPLACE VIEW");
            case "DROP":
                if (c.acceptWord("TABLE")) {
                    return ended(new TableDdl.DropTable(c.ifExists(), c.tableName("a table name")), END);
                }
                if (c.acceptWord("INDEX")) {
                    return dropIndex();
                }
                if (c.acceptWord("VIEW")) {
                    return ended(new ViewDdl.Drop(c.ifExists(), c.tableName("a view name")), END);
                }
                throw DdlError.expected(c.peek(), "TABLE, INDEX or VIEW");
            case "TRUNCATE":
                c.acceptWord("TABLE");
                return ended(new TableDdl.Truncate(c.tableName("a table name")), END);
            case "ALTER":
                c.expectWord("TABLE");
                return alterTable();
            case "CHECKPOINT":
                // H2's CHECKPOINT [SYNC]: both put every commit so far on the device (Mnesia's sync_log)
                return ended(Mnemo::syncLog, c.acceptWord("SYNC") ? END : "SYNC, " + END);
            case "BACKUP": {
                c.expectWord("TO");
                java.nio.file.Path path = file("the backup's file");
                return ended(db -> db.backup(path), END);
            }
            case "DUMP": {
                c.expectWord("TO");
                java.nio.file.Path path = file("the dump's file");
                return ended(db -> db.dump(path), END);
            }
            case "LOAD": {
                c.expectWord("FROM");
                java.nio.file.Path path = file("the dump's file");
                dev.mnemo.engine.RestoreMode mode = c.acceptWord("RECREATE") ? dev.mnemo.engine.RestoreMode.RECREATE_TABLES
                        : c.acceptWord("KEEP") ? dev.mnemo.engine.RestoreMode.KEEP_TABLES
                        : c.acceptWord("CLEAR") ? dev.mnemo.engine.RestoreMode.CLEAR_TABLES : null;
                dev.mnemo.engine.RestoreMode m = mode == null ? dev.mnemo.engine.RestoreMode.CLEAR_TABLES : mode;
                return ended(db -> db.load(path, m), mode == null ? "CLEAR, KEEP, RECREATE, " + END : END);
            }
            default:
                throw DdlError.expected(t, "CREATE, DROP, TRUNCATE, ALTER, CHECKPOINT, BACKUP, DUMP or LOAD");
        }
    }

    /** A file path given as a 'string'. */
    private java.nio.file.Path file(String what) {
        DdlToken file = c.next();
        if (file.kind() != DdlToken.Kind.STRING || file.value().isBlank()) {
            throw DdlError.expected(file, what + " as a 'string'");
        }
        try {
            return java.nio.file.Path.of(file.value());
        } catch (java.nio.file.InvalidPathException e) {
            throw DdlError.expected(file, "a file path (" + e.getReason() + ")");
        }
    }

    // ---------------------------------------------------------------- CREATE VIEW

    /** {@code view [( column, … )] AS query}: the query is the rest of the statement, as written. */
    private DdlStatement createView(boolean orReplace) {
        DdlToken name = c.tableName("a view name");
        List<DdlToken> columns = new ArrayList<>();
        if (c.acceptSymbol("(")) {
            do {
                columns.add(c.identifier("a column name"));
            } while (c.acceptSymbol(","));
            c.expectSymbol(")");
        }
        c.expectWord("AS");
        DdlToken start = c.peek();
        if (start.kind() == DdlToken.Kind.END) {
            throw DdlError.expected(start, "the view's query");
        }
        String query = sql.substring(offset(start.line(), start.column())).strip();
        if (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        return new ViewDdl.Create(orReplace, name, List.copyOf(columns), query);
    }

    /** The index in the statement of a 1-based line and column. */
    private int offset(int line, int column) {
        int at = 0;
        for (int l = 1; l < line; l++) {
            at = sql.indexOf('\n', at) + 1;
        }
        return at + column - 1;
    }

    // ---------------------------------------------------------------- CREATE TABLE

    private DdlStatement createTable() {
        boolean ifNotExists = c.ifNotExists();
        DdlToken name = c.tableName("a table name");
        c.expectSymbol("(");
        List<DdlColumn> columns = new ArrayList<>();
        List<CreateTableDdl.PrimaryKey> keys = new ArrayList<>();
        List<DdlForeignKey> foreignKeys = new ArrayList<>();
        while (true) {
            boolean constraint = startsConstraint();
            if (constraint) {
                tableConstraint(keys, foreignKeys);
            } else {
                columns.add(columnDef(keys, foreignKeys));
            }
            if (c.acceptSymbol(")")) {
                break;
            }
            if (!c.acceptSymbol(",")) {
                throw DdlError.expected(c.peek(), constraint ? "',' or ')'"
                        : "NOT NULL, PRIMARY KEY, DEFAULT, GENERATED, REFERENCES, ',' or ')'");
            }
        }
        boolean with = c.acceptWord("WITH");
        List<CreateTableDdl.Option> options = with ? options() : List.of();
        return ended(new CreateTableDdl(name, ifNotExists, columns, keys, foreignKeys, options),
                with ? END : "WITH, " + END);
    }

    /** Whether a table constraint starts here: {@code CONSTRAINT}, {@code PRIMARY KEY} or {@code FOREIGN KEY}. */
    private boolean startsConstraint() {
        DdlToken t = c.peek();
        return t.isWord("CONSTRAINT") || (t.isWord("PRIMARY") || t.isWord("FOREIGN")) && c.peek(1).isWord("KEY");
    }

    /** {@code [CONSTRAINT name] PRIMARY KEY (cols)} or {@code [CONSTRAINT name] FOREIGN KEY (cols) REFERENCES …}. */
    private void tableConstraint(List<CreateTableDdl.PrimaryKey> keys, List<DdlForeignKey> foreignKeys) {
        DdlToken name = c.acceptWord("CONSTRAINT") ? c.identifier("a constraint name") : null;
        DdlToken at = c.peek();
        if (c.acceptWord("PRIMARY")) {
            c.expectWord("KEY");
            keys.add(new CreateTableDdl.PrimaryKey(at, identifierList("a column name")));
        } else if (c.acceptWord("FOREIGN")) {
            c.expectWord("KEY");
            foreignKeys.add(DdlForeignKey.references(c, at, name, identifierList("a column name")));
        } else {
            throw DdlError.expected(at, "PRIMARY KEY or FOREIGN KEY");
        }
    }

    /**
     * {@code name type} then, in any order, NOT NULL, NULL, PRIMARY KEY, DEFAULT value, an identity
     * ({@code GENERATED … AS IDENTITY}, AUTO_INCREMENT, AUTOINCREMENT, IDENTITY; the types SERIAL and BIGSERIAL
     * imply one) and {@code REFERENCES parent …}; a PRIMARY KEY goes to keys, a REFERENCES to foreignKeys.
     */
    private DdlColumn columnDef(List<CreateTableDdl.PrimaryKey> keys, List<DdlForeignKey> foreignKeys) {
        DdlToken name = c.identifier("a column name or a table constraint");
        DdlToken typeToken = c.peek();
        var type = DdlTypes.parse(c, name.value());
        boolean notNull = false;
        boolean primaryKey = false;
        DdlDefault dflt = null;
        DdlIdentity identity = typeToken.isWord("SERIAL") || typeToken.isWord("BIGSERIAL")
                || typeToken.isWord("SMALLSERIAL") ? new DdlIdentity(typeToken, false, 1, 1) : null;
        while (true) {
            DdlToken t = c.peek();
            if (t.isWord("NOT")) {
                notNull = once(notNull, t, "NOT NULL");
                c.next();
                c.expectWord("NULL");
            } else if (t.isWord("NULL")) {
                c.next();
            } else if (t.isWord("PRIMARY")) {
                primaryKey = once(primaryKey, t, "PRIMARY KEY");
                c.next();
                c.expectWord("KEY");
                keys.add(new CreateTableDdl.PrimaryKey(t, List.of(name)));
            } else if (t.isWord("DEFAULT")) {
                once(dflt != null, t, "DEFAULT");
                c.next();
                dflt = DdlDefault.parse(c);
            } else if (t.isWord("GENERATED")) {
                once(identity != null, t, "an identity");
                c.next();
                identity = DdlIdentity.generated(c, t);
            } else if (t.isWord("AUTO_INCREMENT") || t.isWord("AUTOINCREMENT") || t.isWord("IDENTITY")) {
                once(identity != null, t, "an identity");
                c.next();
                identity = DdlIdentity.options(c, t, false);
            } else if (t.isWord("REFERENCES")) {
                foreignKeys.add(DdlForeignKey.references(c, t, null, List.of(name)));
            } else {
                return new DdlColumn(name, type, notNull, dflt, identity);
            }
        }
    }

    private static boolean once(boolean seen, DdlToken at, String what) {
        if (seen) {
            throw DdlError.at(at, DdlError.INVALID, what + " is given twice");
        }
        return true;
    }

    /** {@code ( name [, name]* )}. */
    private List<DdlToken> identifierList(String what) {
        c.expectSymbol("(");
        List<DdlToken> names = new ArrayList<>();
        do {
            names.add(c.identifier(what));
        } while (c.acceptSymbol(","));
        if (!c.acceptSymbol(")")) {
            throw DdlError.expected(c.peek(), "',' or ')'");
        }
        return names;
    }

    /** {@code ( option = value [, option = value]* )} after WITH. */
    private List<CreateTableDdl.Option> options() {
        c.expectSymbol("(");
        List<CreateTableDdl.Option> options = new ArrayList<>();
        do {
            DdlToken at = c.identifier("an option name");
            StringBuilder name = new StringBuilder(at.value());
            while (c.acceptSymbol(".")) {
                name.append('.').append(c.identifier("an option name after '.'").value());
            }
            c.expectSymbol("=");
            options.add(new CreateTableDdl.Option(name.toString(), at, optionValue()));
        } while (c.acceptSymbol(","));
        if (!c.acceptSymbol(")")) {
            throw DdlError.expected(c.peek(), "',' or ')'");
        }
        return options;
    }

    /** A literal, or a bare identifier standing for its name as a string. */
    private DdlLiteral optionValue() {
        if (!DdlLiteral.startsAt(c) && c.peek().isIdentifier()) {
            DdlToken t = c.next();
            return new DdlLiteral(t.value(), t, t.text());
        }
        return DdlLiteral.parse(c, "an option value (a string, number, name, TRUE or FALSE)");
    }

    // ---------------------------------------------------------------- indexes

    private DdlStatement createIndex() {
        boolean ifNotExists = c.ifNotExists();
        DdlToken name = c.peek().isWord("ON") ? null : c.identifier("an index name or ON");
        c.expectWord("ON");
        DdlToken table = c.tableName("a table name");
        return ended(new IndexDdl.CreateIndex(name, ifNotExists, table, identifierList("a column name")), END);
    }

    private DdlStatement dropIndex() {
        boolean ifExists = c.ifExists();
        DdlToken name = c.identifier("an index name");
        DdlToken table = c.acceptWord("ON") ? c.tableName("a table name") : null;
        return ended(new IndexDdl.DropIndex(name, ifExists, table), table == null ? "ON, " + END : END);
    }

    // ---------------------------------------------------------------- ALTER TABLE

    private DdlStatement alterTable() {
        DdlToken table = c.tableName("a table name");
        if (c.acceptWord("ADD")) {
            if (startsConstraint()) {
                List<CreateTableDdl.PrimaryKey> keys = new ArrayList<>();
                List<DdlForeignKey> foreignKeys = new ArrayList<>();
                DdlToken at = c.peek();
                tableConstraint(keys, foreignKeys);
                if (!keys.isEmpty()) {
                    throw DdlError.at(keys.get(0).at(), DdlError.INVALID, "ALTER TABLE cannot add a PRIMARY KEY: the "
                            + "key of a table is fixed when it is created");
                }
                return ended(new ForeignKeyDdl.AddForeignKey(table, at, foreignKeys.get(0)), END);
            }
            c.acceptWord("COLUMN");
            return ended(new AlterTableDdl.AddColumn(table, addedColumn()), END);
        }
        if (c.acceptWord("DROP")) {
            if (c.acceptWord("CONSTRAINT")) {
                boolean ifExists = c.ifExists();
                return ended(new ForeignKeyDdl.DropConstraint(table, c.identifier("a constraint name"), ifExists),
                        END);
            }
            c.acceptWord("COLUMN");
            return ended(new AlterTableDdl.DropColumn(table, c.identifier("a column name")), END);
        }
        throw DdlError.expected(c.peek(), "ADD or DROP");
    }

    /** {@code name type [NOT NULL] [DEFAULT literal]}, the two in any order. */
    private DdlColumn addedColumn() {
        DdlToken name = c.identifier("a column name");
        var type = DdlTypes.parse(c, name.value());
        boolean notNull = false;
        DdlDefault dflt = null;
        while (true) {
            DdlToken t = c.peek();
            if (t.isWord("NOT")) {
                notNull = once(notNull, t, "NOT NULL");
                c.next();
                c.expectWord("NULL");
            } else if (t.isWord("NULL")) {
                c.next();
            } else if (t.isWord("DEFAULT")) {
                once(dflt != null, t, "DEFAULT");
                c.next();
                dflt = DdlDefault.parse(c);
            } else if (t.kind() == DdlToken.Kind.END || t.isSymbol(";")) {
                return new DdlColumn(name, type, notNull, dflt, null);
            } else {
                throw DdlError.expected(t, "NOT NULL, DEFAULT, " + END);
            }
        }
    }
}
