package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.records.Sequences;

/** DROP TABLE and TRUNCATE, and how DDL statements look up a table's definition. */
final class TableDdl {

    private TableDdl() {
    }

    /**
     * {@code DROP TABLE [IF EXISTS] name}: deletes the table, its records and its identity counter; refused (2BP01)
     * while a foreign key of another table references it.
     */
    record DropTable(boolean ifExists, DdlToken name) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            try {
                notAView(db, name, "DROP VIEW");
                definition(db, name.value());
                notReferenced(db, name, "drop");
                db.deleteTable(name.value());
                Sequences.drop(db, name.value());
            } catch (NoSuchTableException e) {
                if (!ifExists) {
                    throw e;
                }
            }
        }
    }

    /**
     * {@code TRUNCATE [TABLE] name}: removes every record, keeping the definition (an identity goes on counting);
     * refused (2BP01) while a foreign key of another table references it.
     */
    record Truncate(DdlToken name) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            notAView(db, name, "a DELETE on its tables");
            definition(db, name.value());
            notReferenced(db, name, "truncate");
            db.clearTable(name.value());
        }
    }

    /** Fails (42809) if {@code name} is a view and no table. */
    static void notAView(Mnemo db, DdlToken name, String instead) {
        if (!db.tables(false).contains(name.value()) && Views.find(db, name.value()).isPresent()) {
            throw DdlError.at(name, DdlError.WRONG_OBJECT, name.value() + " is a view, not a table: use " + instead);
        }
    }

    /** Fails (2BP01) if a foreign key of another table references table {@code name}. */
    static void notReferenced(Mnemo db, DdlToken name, String what) {
        for (ForeignKey fk : ForeignKeys.of(db).referencing(name.value())) {
            if (!fk.table().equals(name.value())) {
                throw DdlError.at(name, DdlError.DEPENDENT, "cannot " + what + " table " + name.value() + ": "
                        + fk.describe() + " of table " + fk.table() + " depends on it; drop that constraint (ALTER "
                        + "TABLE " + fk.table() + " DROP CONSTRAINT " + fk.name() + ") or that table first");
            }
        }
    }

    /**
     * Checks that a table or column name is a valid engine name ({@link TableDef#nameProblem}: any identifier SQL
     * allows, up to 128 characters); a 42000 error at the name otherwise.
     */
    static void checkName(DdlToken name, String what) {
        String bad = TableDef.nameProblem(name.value());
        if (bad != null) {
            throw DdlError.at(name, DdlError.INVALID, "bad " + what + " name " + name.describe() + ": " + bad);
        }
        if (name.kind() == DdlToken.Kind.WORD && SQL.isReservedWord(name.value().toUpperCase(java.util.Locale.ROOT))) {
            throw DdlError.at(name, DdlError.INVALID, name.value() + " is a reserved word in SQL, so queries could not "
                    + "name this " + what + " unquoted: write it quoted (\"" + name.value() + "\", and so in every "
                    + "query) or choose another name");
        }
    }

    /** What SQL's parser knows of its words (which of them are reserved). */
    private static final org.apache.calcite.sql.parser.SqlAbstractParserImpl.Metadata SQL =
            org.apache.calcite.sql.parser.SqlParser.create("").getMetadata();

    /** The definition of a table; {@link NoSuchTableException} if there is none. */
    static TableDef definition(Mnemo db, String table) {
        return visible(db.tableDef(table));
    }

    /**
     * {@code def}, unless its table is internal to Mnemo ({@link TableDef#hidden()}): SQL sees no such table, so
     * {@link NoSuchTableException} then.
     */
    static TableDef visible(TableDef def) {
        if (def.hidden()) {
            throw new NoSuchTableException("table " + def.name() + " is internal to Mnemo and not visible to SQL");
        }
        return def;
    }

    /** The SQL column of {@code shape} called {@code column}, or a 42S22 error at its token. */
    static SqlShape.Column column(SqlShape shape, DdlToken column) {
        for (SqlShape.Column c : shape.columns()) {
            if (c.name().equals(column.value())) {
                return c;
            }
        }
        throw DdlError.at(column, DdlError.NO_COLUMN, "table " + shape.def().name() + " has no column "
                + column.value() + "; its columns are " + shape.columns().stream().map(SqlShape.Column::name).toList());
    }

    /** Whether the column is (part of) the PRIMARY KEY. */
    static boolean isKey(SqlShape shape, SqlShape.Column c) {
        for (int k : shape.keyColumns()) {
            if (shape.columns().get(k) == c) {
                return true;
            }
        }
        return false;
    }
}
