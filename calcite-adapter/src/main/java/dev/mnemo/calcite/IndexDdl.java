package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CREATE INDEX and DROP INDEX. An index is an engine index on one attribute; its SQL name is kept in user property
 * {@value SqlShape#INDEXES} (see {@link SqlIndexes}). Index names are unique in the database.
 */
final class IndexDdl {
    private IndexDdl() {
    }

    /** An index found by name. */
    private record Found(String table, String column) {
    }

    /** {@code CREATE INDEX [IF NOT EXISTS] [name] ON table (column)}. */
    record CreateIndex(DdlToken name, boolean ifNotExists, DdlToken table, List<DdlToken> columns)
            implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            if (columns.size() > 1) {
                throw DdlError.at(columns.get(1), DdlError.INVALID, "an index covers exactly one column (the engine "
                        + "indexes one attribute per index); create one index per column");
            }
            SqlShape shape = SqlShape.of(TableDdl.definition(db, table.value()));
            SqlShape.Column col = TableDdl.column(shape, columns.get(0));
            if (TableDdl.isKey(shape, col)) {
                throw DdlError.at(columns.get(0), DdlError.INVALID, "cannot index column " + col.name() + " of table "
                        + table.value() + ": it is " + (shape.compositeKey() ? "part of " : "") + "the primary key, "
                        + "and the key is always indexed");
            }
            String index = name != null ? name.value() : SqlIndexes.defaultName(table.value(), col.name());
            List<Found> same = find(db, index, null);
            if (!same.isEmpty()) {
                if (ifNotExists) {
                    return;
                }
                throw DdlError.at(name != null ? name : table, DdlError.INDEX_EXISTS, "index " + index
                        + " already exists (on table " + same.get(0).table() + ", column " + same.get(0).column()
                        + ")");
            }
            checkNotIndexed(shape.def(), col.name());
            db.addTableIndex(table.value(), col.name());
            TableDef now = TableDdl.definition(db, table.value());
            Map<String, String> names = SqlIndexes.of(now);
            names.values().remove(col.name());
            names.put(index, col.name());
            db.setUserProperties(table.value(), SqlIndexes.withNames(now.userProperties(), names));
        }

        private void checkNotIndexed(TableDef def, String column) {
            for (Map.Entry<String, String> e : SqlIndexes.of(def).entrySet()) {
                if (e.getValue().equals(column)) {
                    throw DdlError.at(columns.get(0), DdlError.INDEX_EXISTS, "column " + column + " of table "
                            + def.name() + " is already indexed by index " + e.getKey() + " (a column has at most "
                            + "one index)");
                }
            }
        }
    }

    /** {@code DROP INDEX [IF EXISTS] name [ON table]}. */
    record DropIndex(DdlToken name, boolean ifExists, DdlToken table) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            List<Found> found = find(db, name.value(), table == null ? null : table.value());
            if (found.isEmpty()) {
                if (ifExists) {
                    return;
                }
                throw DdlError.at(name, DdlError.NO_INDEX, "index " + name.value() + " does not exist"
                        + (table == null ? "" : " on table " + table.value()));
            }
            if (found.size() > 1) {
                throw DdlError.at(name, DdlError.INVALID, "index name " + name.value() + " is ambiguous: it names "
                        + "indexes on tables " + found.stream().map(Found::table).toList() + "; add ON table");
            }
            Found f = found.get(0);
            db.delTableIndex(f.table(), f.column());
            TableDef now = TableDdl.definition(db, f.table());
            db.setUserProperties(f.table(), SqlIndexes.withNames(now.userProperties(), SqlIndexes.of(now)));
        }
    }

    /** The indexes called {@code index} on {@code table}, or on any table if it is null. */
    private static List<Found> find(Mnemo db, String index, String table) {
        List<Found> out = new ArrayList<>();
        for (String t : table == null ? db.tables() : List.of(table)) {
            TableDef def;
            try {
                def = TableDdl.definition(db, t);
            } catch (NoSuchTableException e) {
                if (table != null) {
                    throw e;
                }
                continue; // dropped meanwhile
            }
            String column = SqlIndexes.of(def).get(index);
            if (column != null) {
                out.add(new Found(t, column));
            }
        }
        return out;
    }
}
