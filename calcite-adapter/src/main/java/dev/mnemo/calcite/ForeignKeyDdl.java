package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableTransform;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code ALTER TABLE t ADD [CONSTRAINT n] FOREIGN KEY …} and {@code ALTER TABLE t DROP CONSTRAINT [IF EXISTS] n}. */
final class ForeignKeyDdl {
    private ForeignKeyDdl() {
    }

    /**
     * Adds a foreign key, with an index on a one-column one (as CREATE TABLE does). Decided under the table's write
     * lock in one atomic step: every row already there must reference an existing parent row (else 23503 naming
     * the first that does not, and nothing changes).
     */
    record AddForeignKey(DdlToken table, DdlToken at, DdlForeignKey fk) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            SqlShape shape = SqlShape.of(TableDdl.definition(db, table.value()));
            ForeignKey resolved = fk.resolve(db, shape);
            for (ForeignKey existing : shape.foreignKeys()) {
                if (existing.name().equals(resolved.name())) {
                    throw DdlError.at(fk.name() != null ? fk.name() : at, DdlError.INVALID, "table "
                            + table.value() + " already has a constraint named " + resolved.name());
                }
            }
            boolean self = resolved.parent().equals(resolved.table());
            db.alterTable(table.value(), def -> {
                SqlShape now = SqlShape.of(def);
                List<Object> fks = new ArrayList<>();
                now.foreignKeys().forEach(f -> fks.add(f.toProperty()));
                fks.add(resolved.toProperty());
                TableDef.Builder b = def.toBuilder().userProperty(SqlShape.FOREIGN_KEYS, fks);
                String single = resolved.columns().size() == 1 ? resolved.columns().get(0) : null;
                if (single != null && !TableDdl.isKey(now, now.columns().get(now.column(single)))
                        && !def.indexes().contains(single)) {
                    b.index(single);
                }
                Function<Tuple, Tuple> check = r -> {
                    Object[] row = now.toRow(r);
                    Object[] values = new Object[resolved.columns().size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = row[now.column(resolved.columns().get(i))];
                        if (values[i] == null) {
                            return r;
                        }
                    }
                    Object key = values.length == 1 ? values[0] : Tuple.of(values);
                    boolean found = self ? hasKey(db, def, key) : !db.dirtyRead(resolved.parent(), key).isEmpty();
                    if (!found) {
                        throw DdlError.at(at, DdlError.FOREIGN_KEY, "cannot add " + resolved.describe() + ": row "
                                + dev.mnemo.engine.value.Terms.format(r) + " of table " + table.value()
                                + " references a key that is not in table " + resolved.parent());
                    }
                    return r;
                };
                return new TableTransform(b.build(), check);
            });
        }

        private static boolean hasKey(Mnemo db, TableDef def, Object key) {
            return !db.dirtyRead(def.name(), key).isEmpty();
        }
    }

    /** Drops a foreign key by name; 42704 if the table has none of that name (nothing with IF EXISTS). */
    record DropConstraint(DdlToken table, DdlToken name, boolean ifExists) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            SqlShape shape = SqlShape.of(TableDdl.definition(db, table.value()));
            List<Object> kept = new ArrayList<>();
            boolean found = false;
            for (ForeignKey fk : shape.foreignKeys()) {
                if (fk.name().equalsIgnoreCase(name.value())) {
                    found = true;
                } else {
                    kept.add(fk.toProperty());
                }
            }
            if (!found) {
                if (ifExists) {
                    return;
                }
                throw DdlError.at(name, DdlError.NO_CONSTRAINT, "table " + table.value() + " has no constraint "
                        + name.value() + (shape.foreignKeys().isEmpty() ? "" : "; its foreign keys are "
                        + shape.foreignKeys().stream().map(ForeignKey::name).toList())
                        + " (its primary key cannot be dropped)");
            }
            Map<String, Object> props = new LinkedHashMap<>(shape.def().userProperties());
            props.put(SqlShape.FOREIGN_KEYS, kept);
            db.setUserProperties(table.value(), props);
        }
    }
}
