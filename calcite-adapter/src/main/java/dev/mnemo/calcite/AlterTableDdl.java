package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ALTER TABLE ADD and DROP COLUMN: one engine transform_table each, which rewrites the records, changes the typed
 * attributes and the SQL shape's user properties in one atomic step.
 */
final class AlterTableDdl {
    private AlterTableDdl() {
    }

    /**
     * {@code ALTER TABLE t ADD [COLUMN] c type [NOT NULL] [DEFAULT value]}: appends attribute c; every record
     * gets the default (a function's value now) or null, and later INSERTs that leave c out get the DEFAULT. NOT NULL
     * without a (non-null) DEFAULT needs an empty table.
     */
    record AddColumn(DdlToken table, DdlColumn column) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            TableDef def = TableDdl.definition(db, table.value());
            SqlShape shape = SqlShape.of(def);
            String c = column.name();
            TableDdl.checkName(column.nameToken(), "column");
            if (c.equals(SqlShape.TUPLE_KEY) || c.equals(SqlShape.ROW_ID) || def.attributeIndex(c) >= 0
                    || names(shape, false).contains(c)) {
                throw DdlError.at(column.nameToken(), DdlError.COLUMN_EXISTS, "table " + def.name()
                        + " already has a column " + c);
            }
            List<Object> stored = column.defaultValue() == null ? null
                    : column.defaultValue().stored(column.type(), c);
            Object dflt = stored == null ? null : DdlDefault.valueNow(stored, column.type());
            boolean needsEmpty = column.notNull() && dflt == null;
            if (needsEmpty && db.tableInfo(def.name()).size() > 0) {
                throw notNullOnRows(def.name());
            }
            List<String> attributes = new ArrayList<>(def.attributes());
            attributes.add(c);
            List<AttrType> types = new ArrayList<>(def.types());
            types.add(column.type());
            List<String> notNull = names(shape, true);
            if (column.notNull()) {
                notNull.add(c);
            }
            List<String> columns = names(shape, false);
            columns.add(c);
            Map<String, Object> declared = declaredTypes(def);
            declared.put(c, column.declaredType().declared());
            Map<String, Object> props = shape(def, columns, notNull, declared, SqlIndexes.of(def));
            if (stored != null) {
                Map<String, Object> defaults = map(def, SqlShape.DEFAULTS);
                defaults.put(c, stored);
                props.put(SqlShape.DEFAULTS, defaults);
            }
            db.transformTable(def.name(), r -> {
                if (needsEmpty) {
                    throw notNullOnRows(def.name()); // a record arrived after the check
                }
                Object[] a = Arrays.copyOf(r.toArray(), r.size() + 1);
                a[r.size()] = dflt;
                return Tuple.of(a);
            }, attributes, types, props);
        }

        private DdlError notNullOnRows(String t) {
            return DdlError.at(column.nameToken(), DdlError.INVALID, "cannot add NOT NULL column " + column.name()
                    + " without a DEFAULT to table " + t + ": it has rows, which would hold null; give a DEFAULT");
        }
    }

    /**
     * {@code ALTER TABLE t DROP [COLUMN] c}: removes attribute c from the records, with its index, its index name
     * and its NOT NULL; a PRIMARY KEY column cannot be dropped.
     */
    record DropColumn(DdlToken table, DdlToken column) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            TableDef def = TableDdl.definition(db, table.value());
            SqlShape shape = SqlShape.of(def);
            SqlShape.Column col = TableDdl.column(shape, column);
            String c = col.name();
            if (TableDdl.isKey(shape, col)) {
                throw DdlError.at(column, DdlError.INVALID, "cannot drop column " + c + " of table " + def.name()
                        + ": it is " + (shape.compositeKey() ? "part of " : "") + "the primary key");
            }
            if (shape.columns().size() == 1) {
                throw DdlError.at(column, DdlError.INVALID, "cannot drop column " + c + " of table " + def.name()
                        + ": it is the table's only column (DROP TABLE drops the table)");
            }
            int position = def.attributeIndex(c) + 1;
            List<String> attributes = new ArrayList<>(def.attributes());
            List<AttrType> types = new ArrayList<>(def.types());
            attributes.remove(position - 1);
            types.remove(position - 1);
            List<String> columns = names(shape, false);
            columns.remove(c);
            List<String> notNull = names(shape, true);
            notNull.remove(c);
            Map<String, String> indexes = SqlIndexes.of(def);
            indexes.values().remove(c);
            Map<String, Object> declared = declaredTypes(def);
            declared.remove(c);
            Map<String, Object> props = shape(def, columns, notNull, declared, indexes);
            Map<String, Object> defaults = map(def, SqlShape.DEFAULTS);
            defaults.remove(c);
            props.put(SqlShape.DEFAULTS, defaults);
            // a foreign key on the column goes with it, as in PostgreSQL
            List<Object> fks = new ArrayList<>();
            for (ForeignKey fk : shape.foreignKeys()) {
                if (!fk.columns().contains(c)) {
                    fks.add(fk.toProperty());
                }
            }
            props.put(SqlShape.FOREIGN_KEYS, fks);
            db.transformTable(def.name(), r -> {
                List<Object> a = new ArrayList<>(r.toList());
                a.remove(position);
                return Tuple.ofList(a);
            }, attributes, types, props);
        }
    }

    /** The column names of {@code shape} in SQL order, only the NOT NULL ones if {@code notNull}. */
    private static List<String> names(SqlShape shape, boolean notNull) {
        List<String> out = new ArrayList<>();
        for (SqlShape.Column c : shape.columns()) {
            if (!notNull || c.notNull()) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** The declared column types of a table ({@value SqlShape#TYPES}), as a map that can be changed. */
    private static Map<String, Object> declaredTypes(TableDef def) {
        return map(def, SqlShape.TYPES);
    }

    /** A map-valued user property of a table, as a map that can be changed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(TableDef def, String property) {
        Object m = def.userProperties().get(property);
        return m instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
    }

    /** The table's user properties with its SQL shape replaced. */
    private static Map<String, Object> shape(TableDef def, List<String> columns, List<String> notNull,
                                             Map<String, Object> declared, Map<String, String> indexes) {
        Map<String, Object> props = new LinkedHashMap<>(def.userProperties());
        props.put(SqlShape.COLUMNS, columns);
        props.put(SqlShape.NOT_NULL, notNull);
        props.put(SqlShape.TYPES, declared);
        return SqlIndexes.withNames(props, indexes);
    }
}
