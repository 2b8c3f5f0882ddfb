package dev.mnemo.calcite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A FOREIGN KEY constraint as stored in the referencing (child) table's user property
 * {@value SqlShape#FOREIGN_KEYS}: the child's columns reference the primary key of the parent table.
 *
 * @param name          the constraint name, unique among the child table's constraints
 * @param table         the child table
 * @param columns       the child's columns, in the order of the parent's key
 * @param parent        the parent table
 * @param parentColumns the parent's primary key columns
 * @param onDelete      what deleting a referenced parent row does
 * @param onUpdate      what changing a referenced parent key does
 */
record ForeignKey(String name, String table, List<String> columns, String parent, List<String> parentColumns,
                  Action onDelete, Action onUpdate) {

    /** A referential action; NO ACTION checks at the end of the statement, RESTRICT at once. */
    enum Action {
        NO_ACTION, RESTRICT, CASCADE, SET_NULL;

        /** As SQL writes it: {@code NO ACTION}, {@code SET NULL}, … */
        String sql() {
            return name().replace('_', ' ');
        }

        /** The JDBC {@code DatabaseMetaData.importedKey…} code. */
        short jdbc() {
            return (short) switch (this) {
                case CASCADE -> java.sql.DatabaseMetaData.importedKeyCascade;
                case SET_NULL -> java.sql.DatabaseMetaData.importedKeySetNull;
                case RESTRICT -> java.sql.DatabaseMetaData.importedKeyRestrict;
                case NO_ACTION -> java.sql.DatabaseMetaData.importedKeyNoAction;
            };
        }

        static Action of(String sql) {
            return valueOf(sql.toUpperCase(Locale.ROOT).replace(' ', '_'));
        }
    }

    ForeignKey {
        columns = List.copyOf(columns);
        parentColumns = List.copyOf(parentColumns);
    }

    /** The stored form, a map of Mnemo values. */
    Map<String, Object> toProperty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("columns", columns);
        m.put("parent", parent);
        m.put("parent_columns", parentColumns);
        m.put("on_delete", onDelete.sql());
        m.put("on_update", onUpdate.sql());
        return m;
    }

    /** The constraints of {@code table} in its user properties. */
    @SuppressWarnings("unchecked")
    static List<ForeignKey> of(String table, Map<String, Object> userProperties) {
        Object stored = userProperties.get(SqlShape.FOREIGN_KEYS);
        if (!(stored instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(o -> (Map<String, Object>) o).map(m -> new ForeignKey((String) m.get("name"), table,
                (List<String>) m.get("columns"), (String) m.get("parent"), (List<String>) m.get("parent_columns"),
                Action.of((String) m.get("on_delete")), Action.of((String) m.get("on_update")))).toList();
    }

    /** {@code fk (a, b) REFERENCES p (x, y)}, for messages. */
    String describe() {
        return "foreign key " + name + " (" + String.join(", ", columns) + ") references " + parent + " ("
                + String.join(", ", parentColumns) + ")";
    }
}
