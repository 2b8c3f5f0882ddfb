package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableExistsException;
import dev.mnemo.engine.records.Sequences;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CREATE TABLE: checks the columns and PRIMARY KEY, lays them out as engine attributes the way {@link SqlShape}
 * reads them, and creates the table.
 *
 * @param name        table name
 * @param ifNotExists whether an existing table makes this a no-op
 * @param columns     the column definitions in declared order
 * @param keys        every PRIMARY KEY given (column-level or table-level); more than one is an error
 * @param foreignKeys the FOREIGN KEY constraints (column-level REFERENCES or table-level)
 * @param options     the WITH options
 */
record CreateTableDdl(DdlToken name, boolean ifNotExists, List<DdlColumn> columns, List<PrimaryKey> keys,
                      List<DdlForeignKey> foreignKeys, List<Option> options) implements DdlStatement {

    /** A PRIMARY KEY: where it was written and its columns in key order. */
    record PrimaryKey(DdlToken at, List<DdlToken> columns) {
    }

    /** A WITH option: its name (dotted parts joined by '.'), where it was written and its value. */
    record Option(String name, DdlToken at, DdlLiteral value) {
    }

    @Override
    public void execute(Mnemo db) {
        String table = name.value();
        TableDef def = withForeignKeys(db, definition(db.systemInfo().directory() == null));
        if (!db.isGated()) {
            for (Option o : options) {
                if (dev.mnemo.engine.CommitGate.COPY_LISTS.contains(o.name().toLowerCase(java.util.Locale.ROOT))) {
                    throw DdlError.at(o.at(), DdlError.INVALID, "option " + o.name() + " of table " + table + " "
                            + "names the cluster nodes of its copies: it needs a cluster node's connection "
                            + "(jdbc:mnemo:node:<name>); on a single database use storage = '" + o.name() + "'");
                }
            }
        }
        if (ifNotExists && db.tables().contains(table)) {
            return;
        }
        Views.find(db, table).ifPresent(view -> {
            throw DdlError.at(name, DdlError.TABLE_EXISTS, "cannot create table " + table + ": view " + view.name()
                    + " has that name");
        });
        DdlIdentity identity = identity();
        if (identity != null) {
            Sequences.ensure(db);
        }
        try {
            db.createTable(def);
        } catch (TableExistsException e) {
            if (!ifNotExists) {
                throw e;
            }
            return;
        }
        if (identity != null) {
            // a table of this name dropped before left no counter (DROP TABLE forgets it): start afresh
            Sequences.restart(db, table, identity.start() - identity.increment());
        }
    }

    /**
     * {@code def} with its foreign keys resolved against the database (a table may reference itself) and an index
     * on each one-column foreign key that is not the key and not indexed yet, so that deleting a parent row finds
     * the rows referencing it without a scan.
     */
    private TableDef withForeignKeys(Mnemo db, TableDef def) {
        if (foreignKeys.isEmpty()) {
            return def;
        }
        SqlShape shape = SqlShape.of(def);
        List<Object> stored = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<String> indexes = new ArrayList<>(def.indexes());
        for (DdlForeignKey fk : foreignKeys) {
            ForeignKey resolved = fk.resolve(db, shape);
            if (!names.add(resolved.name())) {
                throw DdlError.at(fk.at(), DdlError.INVALID, "table " + def.name() + " has two constraints named "
                        + resolved.name());
            }
            stored.add(resolved.toProperty());
            String single = resolved.columns().size() == 1 ? resolved.columns().get(0) : null;
            if (single != null && !TableDdl.isKey(shape, shape.columns().get(shape.column(single)))
                    && !indexes.contains(single)) {
                indexes.add(single);
            }
        }
        TableDef.Builder b = def.toBuilder().userProperty(SqlShape.FOREIGN_KEYS, stored);
        for (String i : indexes) {
            if (!def.indexes().contains(i)) {
                b.index(i);
            }
        }
        return b.build();
    }

    /** The one identity column's definition, or null. */
    private DdlIdentity identity() {
        DdlIdentity found = null;
        for (DdlColumn col : columns) {
            if (col.identity() != null) {
                if (found != null) {
                    throw DdlError.at(col.identity().at(), DdlError.INVALID, "table " + name.value() + " has more "
                            + "than one identity column");
                }
                found = col.identity();
            }
        }
        return found;
    }

    /** The engine definition; {@code inMemory} picks the default storage. */
    TableDef definition(boolean inMemory) {
        checkColumns();
        List<String> key = primaryKey();
        TableDef.Builder b = TableDef.builder(name.value());
        if (key.isEmpty()) {
            b.attribute(SqlShape.ROW_ID, AttrType.INTEGER);
        } else if (key.size() > 1) {
            compositeKey(b, key);
        } else {
            attribute(b, column(key.get(0)));
        }
        List<String> sqlColumns = new ArrayList<>();
        List<String> notNull = new ArrayList<>();
        java.util.Map<String, String> declared = new java.util.LinkedHashMap<>();
        java.util.Map<String, Object> defaults = new java.util.LinkedHashMap<>();
        for (DdlColumn col : columns) {
            sqlColumns.add(col.name());
            declared.put(col.name(), col.declaredType().declared());
            if (col.defaultValue() != null) {
                if (col.identity() != null) {
                    throw DdlError.at(col.defaultValue().at(), DdlError.INVALID, "identity column " + col.name()
                            + " cannot have a DEFAULT");
                }
                defaults.put(col.name(), col.defaultValue().stored(col.type(), col.name()));
            }
            if (col.identity() != null) {
                b.userProperty(SqlShape.IDENTITY, identityProperty(col, key));
            }
            if (col.notNull() || key.contains(col.name())) {
                notNull.add(col.name());
            }
            if (!key.contains(col.name())) {
                attribute(b, col);
            }
        }
        b.userProperty(SqlShape.COLUMNS, sqlColumns).userProperty(SqlShape.NOT_NULL, notNull)
                .userProperty(SqlShape.TYPES, declared);
        if (!defaults.isEmpty()) {
            b.userProperty(SqlShape.DEFAULTS, defaults);
        }
        TableOptions.apply(b, name.value(), options, inMemory);
        return b.build();
    }

    /**
     * The stored identity of {@code col}: it must be an integer column that is the table's whole primary key (the
     * engine key, which the counter hands out).
     */
    private java.util.Map<String, Object> identityProperty(DdlColumn col, List<String> key) {
        if (col.type() != AttrType.INTEGER || key.size() != 1 || !key.get(0).equals(col.name())) {
            throw DdlError.at(col.identity().at(), DdlError.INVALID, "identity column " + col.name() + " of table "
                    + name.value() + " must be an integer column that is the whole primary key (Mnemo's identity "
                    + "values are the keys its counter hands out)");
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("column", col.name());
        m.put("always", col.identity().always());
        m.put("start", col.identity().start());
        m.put("increment", col.identity().increment());
        return m;
    }

    private static void attribute(TableDef.Builder b, DdlColumn col) {
        b.attribute(col.name(), col.type());
    }

    /** The hidden tuple attribute first, and the key columns and their types in user properties. */
    private void compositeKey(TableDef.Builder b, List<String> key) {
        List<String> types = new ArrayList<>();
        for (String k : key) {
            types.add(column(k).type().name());
        }
        b.attribute(SqlShape.TUPLE_KEY, AttrType.TUPLE);
        b.userProperty(SqlShape.KEY, key).userProperty(SqlShape.KEY + ".types", types);
    }

    /** Names are valid engine names; column names are distinct and not the reserved name of the tuple key. */
    private void checkColumns() {
        TableDdl.checkName(name, "table");
        Set<String> seen = new HashSet<>();
        for (DdlColumn col : columns) {
            TableDdl.checkName(col.nameToken(), "column");
            if (col.name().equals(SqlShape.TUPLE_KEY) || col.name().equals(SqlShape.ROW_ID)) {
                throw DdlError.at(col.nameToken(), DdlError.INVALID, "column name " + col.name() + " is reserved (it "
                        + "holds " + (col.name().equals(SqlShape.TUPLE_KEY) ? "a composite primary key" : "the row ids "
                        + "of a table without a primary key") + ")");
            }
            if (!seen.add(col.name())) {
                throw DdlError.at(col.nameToken(), DdlError.INVALID, "column " + col.name() + " of table "
                        + name.value() + " is declared twice");
            }
        }
    }

    /**
     * The PRIMARY KEY columns in key order. Without a PRIMARY KEY, a bag or duplicate_bag table's key is its first
     * column (Mnesia's rule), and a set or ordered_set table has none (empty): its key is a hidden row id, so that it
     * holds any rows, duplicates too, as a SQL table does.
     */
    private List<String> primaryKey() {
        if (keys.size() > 1) {
            throw DdlError.at(keys.get(1).at(), DdlError.INVALID, "table " + name.value() + " has more than one "
                    + "PRIMARY KEY; declare one, listing all its columns: PRIMARY KEY (col, ...)");
        }
        if (keys.isEmpty()) {
            return TableOptions.bag(options) ? List.of(columns.get(0).name()) : List.of();
        }
        List<String> key = new ArrayList<>();
        for (DdlToken k : keys.get(0).columns()) {
            if (columns.stream().noneMatch(c -> c.name().equals(k.value()))) {
                throw DdlError.at(k, DdlError.NO_COLUMN, "PRIMARY KEY column " + k.value() + " is not a column of "
                        + "table " + name.value());
            }
            if (key.contains(k.value())) {
                throw DdlError.at(k, DdlError.INVALID, "column " + k.value() + " appears twice in the PRIMARY KEY");
            }
            key.add(k.value());
        }
        return key;
    }

    private DdlColumn column(String col) {
        for (DdlColumn c : columns) {
            if (c.name().equals(col)) {
                return c;
            }
        }
        throw new IllegalStateException("no column " + col);
    }
}
