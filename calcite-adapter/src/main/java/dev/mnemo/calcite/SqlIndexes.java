package dev.mnemo.calcite;

import dev.mnemo.engine.TableDef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SQL index names. The engine indexes attributes; user property {@value SqlShape#INDEXES} maps a SQL index name to
 * its column. An indexed column without a name there (indexed through the engine API) is known by its default
 * name {@code <table>_<column>_idx}; a name whose column is no longer indexed is ignored and dropped at the next
 * change.
 */
final class SqlIndexes {
    private SqlIndexes() {
    }

    /** The default name of the index on {@code column}. */
    static String defaultName(String table, String column) {
        return table + "_" + column + "_idx";
    }

    /** Index name to column, for every index the table has, in the engine's index order. */
    static Map<String, String> of(TableDef def) {
        Map<?, ?> named = def.userProperties().get(SqlShape.INDEXES) instanceof Map<?, ?> m ? m : Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (String column : def.indexes()) {
            String name = defaultName(def.name(), column);
            for (Map.Entry<?, ?> e : named.entrySet()) {
                if (column.equals(e.getValue())) {
                    name = String.valueOf(e.getKey());
                    break;
                }
            }
            out.put(name, column);
        }
        return out;
    }

    /** A copy of {@code props} whose index names are {@code names} (the property is left out when empty). */
    static Map<String, Object> withNames(Map<String, Object> props, Map<String, String> names) {
        Map<String, Object> out = new LinkedHashMap<>(props);
        if (names.isEmpty()) {
            out.remove(SqlShape.INDEXES);
        } else {
            out.put(SqlShape.INDEXES, new LinkedHashMap<>(names));
        }
        return out;
    }
}
