package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A FOREIGN KEY as written: {@code [CONSTRAINT name] FOREIGN KEY (c, …) REFERENCES parent [(p, …)] [ON DELETE
 * action] [ON UPDATE action]}, or a column's {@code REFERENCES parent [(p)] …}; action is NO ACTION (the default),
 * RESTRICT, CASCADE or SET NULL.
 *
 * @param at            where it was written
 * @param name          CONSTRAINT name, or null for the default {@code <table>_<columns>_fkey}
 * @param columns       the referencing columns
 * @param parent        the referenced table
 * @param parentColumns the referenced columns (empty: the parent's primary key)
 * @param onDelete      ON DELETE
 * @param onUpdate      ON UPDATE
 */
record DdlForeignKey(DdlToken at, DdlToken name, List<DdlToken> columns, DdlToken parent,
                     List<DdlToken> parentColumns, ForeignKey.Action onDelete, ForeignKey.Action onUpdate) {

    /** Reads {@code REFERENCES parent [(cols)] [ON DELETE a] [ON UPDATE a]} (after the referencing columns). */
    static DdlForeignKey references(DdlCursor c, DdlToken at, DdlToken name, List<DdlToken> columns) {
        c.expectWord("REFERENCES");
        DdlToken parent = c.tableName("the referenced table's name");
        List<DdlToken> parentColumns = new ArrayList<>();
        if (c.acceptSymbol("(")) {
            do {
                parentColumns.add(c.identifier("a referenced column name"));
            } while (c.acceptSymbol(","));
            c.expectSymbol(")");
        }
        ForeignKey.Action onDelete = null;
        ForeignKey.Action onUpdate = null;
        while (c.peek().isWord("ON")) {
            DdlToken on = c.next();
            if (c.acceptWord("DELETE")) {
                onDelete = once(onDelete, on, "ON DELETE", action(c));
            } else if (c.acceptWord("UPDATE")) {
                onUpdate = once(onUpdate, on, "ON UPDATE", action(c));
            } else {
                throw DdlError.expected(c.peek(), "DELETE or UPDATE");
            }
        }
        if (c.peek().isWord("MATCH") || c.peek().isWord("DEFERRABLE") || c.peek().isWord("INITIALLY")) {
            throw DdlError.at(c.peek(), "0A000", c.peek().describe() + " is not supported: Mnemo's foreign keys are "
                    + "MATCH SIMPLE and checked at the end of each statement (NO ACTION) or at once (RESTRICT)");
        }
        return new DdlForeignKey(at, name, columns, parent, parentColumns,
                onDelete == null ? ForeignKey.Action.NO_ACTION : onDelete,
                onUpdate == null ? ForeignKey.Action.NO_ACTION : onUpdate);
    }

    private static ForeignKey.Action once(ForeignKey.Action seen, DdlToken at, String what, ForeignKey.Action a) {
        if (seen != null) {
            throw DdlError.at(at, DdlError.INVALID, what + " is given twice");
        }
        return a;
    }

    private static ForeignKey.Action action(DdlCursor c) {
        if (c.acceptWord("CASCADE")) {
            return ForeignKey.Action.CASCADE;
        }
        if (c.acceptWord("RESTRICT")) {
            return ForeignKey.Action.RESTRICT;
        }
        if (c.peek().isWord("NO")) {
            c.next();
            c.expectWord("ACTION");
            return ForeignKey.Action.NO_ACTION;
        }
        if (c.peek().isWord("SET")) {
            c.next();
            if (c.peek().isWord("DEFAULT")) {
                throw DdlError.at(c.peek(), "0A000", "SET DEFAULT is not supported as a referential action; use "
                        + "NO ACTION, RESTRICT, CASCADE or SET NULL");
            }
            c.expectWord("NULL");
            return ForeignKey.Action.SET_NULL;
        }
        throw DdlError.expected(c.peek(), "NO ACTION, RESTRICT, CASCADE or SET NULL");
    }

    /**
     * The constraint of table {@code child} (whose shape is {@code shape}; a table referencing itself needs no
     * other), checked: the columns exist; the parent exists, has a unique key (set or ordered_set) and the columns
     * given are exactly its primary key (in any order: the referencing columns are put in key order); types match;
     * SET NULL needs nullable columns outside the child's key.
     */
    ForeignKey resolve(Mnemo db, SqlShape shape) {
        String child = shape.def().name();
        SqlShape parentShape = parent.value().equals(child) ? shape
                : SqlShape.of(TableDdl.definition(db, parent.value()));
        String p = parentShape.def().name();
        if (!parentShape.def().type().isUnique()) {
            throw DdlError.at(parent, DdlError.INVALID, "table " + p + " is a " + parentShape.def().type()
                    .mnesiaName() + ": a foreign key must reference a table whose key is unique (set or ordered_set)");
        }
        if (parentShape.rowId()) {
            throw DdlError.at(parent, DdlError.INVALID, "table " + p + " has no PRIMARY KEY: a foreign key must "
                    + "reference a table's primary key");
        }
        List<String> key = new ArrayList<>();
        for (int k : parentShape.keyColumns()) {
            key.add(parentShape.columns().get(k).name());
        }
        List<String> given = new ArrayList<>();
        for (DdlToken t : parentColumns) {
            given.add(TableDdl.column(parentShape, t).name());
        }
        List<String> referenced = given.isEmpty() ? key : given;
        if (referenced.size() != key.size() || !referenced.containsAll(key)) {
            throw DdlError.at(parentColumns.isEmpty() ? parent : parentColumns.get(0), DdlError.INVALID,
                    "a foreign key must reference the primary key " + key + " of table " + p + ", not " + referenced);
        }
        if (columns.size() != key.size()) {
            throw DdlError.at(at, DdlError.INVALID, columns.size() + " referencing column(s) for the " + key.size()
                    + "-column primary key " + key + " of table " + p);
        }
        List<String> ordered = new ArrayList<>(key.size());
        for (String k : key) {
            DdlToken t = columns.get(referenced.indexOf(k));
            SqlShape.Column c = TableDdl.column(shape, t);
            SqlShape.Column pc = TableDdl.column(parentShape, new DdlToken(DdlToken.Kind.WORD, k, k, t.line(),
                    t.column()));
            if (c.type() != pc.type()) {
                throw DdlError.at(t, DdlError.INVALID, "column " + c.name() + " (" + c.type().name() + ") cannot "
                        + "reference " + p + "." + k + " (" + pc.type().name() + "): the types must be the same");
            }
            boolean setNull = onDelete == ForeignKey.Action.SET_NULL || onUpdate == ForeignKey.Action.SET_NULL;
            if (setNull && (c.notNull() || TableDdl.isKey(shape, c))) {
                throw DdlError.at(t, DdlError.INVALID, "ON … SET NULL needs column " + c.name() + " of table " + child
                        + " to be nullable and not part of its primary key");
            }
            ordered.add(c.name());
        }
        String n = name != null ? name.value()
                : (child + "_" + String.join("_", ordered) + "_fkey").toLowerCase(Locale.ROOT);
        return new ForeignKey(n, child, ordered, p, key, onDelete, onUpdate);
    }
}
