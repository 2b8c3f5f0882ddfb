package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an engine table looks as a SQL table: its columns in SQL order and how a SQL row maps to a record.
 *
 * <p>A table made by the engine API has one column per attribute, key first. A table made by SQL DDL records its
 * shape in user properties (and a set or ordered_set table declared without a PRIMARY KEY has the hidden key
 * attribute {@value #ROW_ID}, a row id no SQL column shows: such a table is a multiset of rows, as SQL's tables
 * are, and has no key columns):
 * <ul>
 *   <li>{@value #COLUMNS}: the column names in declared SQL order (the attributes hold them key first);</li>
 *   <li>{@value #KEY}: for a composite PRIMARY KEY, its columns in key order; the engine key is then the hidden
 *       attribute {@value #TUPLE_KEY} holding a tuple of those values (ordered by its columns, so an ordered_set
 *       walks keys in PRIMARY KEY order), and the key columns are not stored again;</li>
 *   <li>{@value #NOT_NULL}: columns declared NOT NULL (the key columns always are);</li>
 *   <li>{@value #INDEXES}: map from SQL index name to the indexed column;</li>
 *   <li>{@value #TYPES}: map from column name to its type as declared ({@code DECIMAL(10,2)}); a DECIMAL's
 *       precision and scale are the SQL column's type, and values are read at that scale;</li>
 *   <li>{@value #IDENTITY}: the identity column ({@code {column, always, increment}}), whose values come from the
 *       table's counter in {@code mnemo_sequences};</li>
 *   <li>{@value #DEFAULTS}: map from column name to its DEFAULT ({@link DdlDefault});</li>
 *   <li>{@value #FOREIGN_KEYS}: the table's FOREIGN KEY constraints ({@link ForeignKey}).</li>
 * </ul>
 *
 * @param def     the engine definition
 * @param columns the SQL columns in SQL order
 * @param keyColumns the positions (in {@code columns}) of the PRIMARY KEY columns, in key order
 * @param identity  the identity column, or null
 * @param defaults  column position to its stored DEFAULT ({@link DdlDefault})
 * @param foreignKeys the table's foreign keys
 */
record SqlShape(TableDef def, List<Column> columns, int[] keyColumns, Identity identity,
                Map<Integer, List<?>> defaults, List<ForeignKey> foreignKeys) {
    static final String COLUMNS = "sql.columns";
    static final String KEY = "sql.key";
    static final String NOT_NULL = "sql.not_null";
    static final String INDEXES = "sql.indexes";
    static final String TYPES = "sql.types";
    static final String IDENTITY = "sql.identity";
    static final String DEFAULTS = "sql.defaults";
    static final String FOREIGN_KEYS = "sql.foreign_keys";

    /**
     * An identity column.
     *
     * @param column    its position in {@code columns}
     * @param always    GENERATED ALWAYS (no value may be given) rather than BY DEFAULT
     * @param increment the step between values
     */
    record Identity(int column, boolean always, long increment) {
    }
    static final String TUPLE_KEY = "$key";
    /** The hidden key attribute of a table declared in SQL without a PRIMARY KEY: its rows' ids ({@link RowIds}). */
    static final String ROW_ID = "$rowid";

    /**
     * One SQL column.
     *
     * @param name      column name
     * @param type      declared engine type
     * @param attribute 0-based attribute index in the engine record (the record tuple holds it at attribute + 1)
     * @param keyPart   for a composite key: the column's index inside the key tuple; otherwise -1
     * @param notNull   whether the column rejects null
     * @param precision a DECIMAL's declared precision, a TIME(p)'s or TIMESTAMP(p)'s declared fraction digits p, or
     *                  -1 if none was declared
     * @param scale     a DECIMAL's declared scale, or -1 if none was declared
     * @param declared  the type as declared in SQL ({@code VARCHAR(100)}, {@code SMALLINT}), or null
     * @param maxLength the most characters (VARCHAR(n), CHAR(n)) or bytes (VARBINARY(n), BINARY(n)) of a value, or -1
     * @param integerBits the bits of a declared INTEGER (32), SMALLINT (16) or TINYINT (8), else 0
     */
    record Column(String name, AttrType type, int attribute, int keyPart, boolean notNull, int precision,
                  int scale, String declared, int maxLength, int integerBits) {
        /** Whether the column is a DECIMAL of declared precision and scale. */
        boolean scaled() {
            return type == AttrType.DECIMAL && scale >= 0;
        }
    }

    /** The SQL shape of an engine table. */
    @SuppressWarnings("unchecked")
    static SqlShape of(TableDef def) {
        Map<String, Object> props = def.userProperties();
        List<String> order = props.get(COLUMNS) instanceof List<?> l ? (List<String>) l : null;
        List<String> key = props.get(KEY) instanceof List<?> l ? (List<String>) l : null;
        List<String> notNull = props.get(NOT_NULL) instanceof List<?> l ? (List<String>) l : List.of();
        Map<String, Object> declared = props.get(TYPES) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (order == null) {
            order = def.attributes();
        }
        List<Column> cols = new ArrayList<>(order.size());
        boolean rowId = key == null && ROW_ID.equals(def.attributes().get(0));
        for (String name : order) {
            int keyPart = key == null ? -1 : key.indexOf(name);
            int attr = keyPart >= 0 ? 0 : def.attributeIndex(name);
            AttrType type = keyPart >= 0 ? keyType(def, name) : def.types().get(attr);
            boolean isKey = keyPart >= 0 || (key == null && attr == 0);
            int[] decimal = type == AttrType.DECIMAL ? decimal(declared.get(name)) : NOT_DECLARED;
            String d = declared.get(name) instanceof String t ? t : null;
            int precision = type == AttrType.DECIMAL ? decimal[0] : fraction(d);
            cols.add(new Column(name, type, attr, keyPart, isKey || notNull.contains(name), precision, decimal[1],
                    d, maxLength(d), integerBits(d)));
        }
        int[] keyPositions;
        if (rowId) {
            keyPositions = new int[0];
        } else if (key == null) {
            keyPositions = new int[] {indexOf(def, cols, def.attributes().get(0))};
        } else {
            keyPositions = new int[key.size()];
            for (int i = 0; i < key.size(); i++) {
                keyPositions[i] = indexOf(def, cols, key.get(i));
            }
        }
        Identity identity = null;
        if (props.get(IDENTITY) instanceof Map<?, ?> id) {
            identity = new Identity(indexOf(def, cols, (String) id.get("column")), Boolean.TRUE.equals(id.get("always")),
                    ((Number) id.get("increment")).longValue());
        }
        Map<Integer, List<?>> defaults = new java.util.HashMap<>();
        if (props.get(DEFAULTS) instanceof Map<?, ?> d) {
            d.forEach((column, stored) -> defaults.put(indexOf(def, cols, (String) column), (List<?>) stored));
        }
        return new SqlShape(def, List.copyOf(cols), keyPositions, identity, Map.copyOf(defaults),
                ForeignKey.of(def.name(), props));
    }

    /** The position of column {@code name}, or -1. */
    int column(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static final int[] NOT_DECLARED = {-1, -1};
    private static final java.util.regex.Pattern LENGTH = java.util.regex.Pattern.compile(
            "(VARCHAR|CHAR|VARBINARY|BINARY)\\((\\d+)\\)");
    private static final java.util.regex.Pattern FRACTION = java.util.regex.Pattern.compile(
            "(TIME|TIMESTAMP)\\((\\d+)\\)");
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile(
            "DECIMAL\\((\\d+),(\\d+)\\)");

    /** The n of a declaration {@code VARCHAR(n)}, {@code CHAR(n)}, {@code VARBINARY(n)} or {@code BINARY(n)}, else -1. */
    private static int maxLength(String declaration) {
        java.util.regex.Matcher m = declaration == null ? null : LENGTH.matcher(declaration);
        return m != null && m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }

    /** The p of a declaration {@code TIME(p)} or {@code TIMESTAMP(p)} (with or without time zone), else -1. */
    private static int fraction(String declaration) {
        java.util.regex.Matcher m = declaration == null ? null : FRACTION.matcher(declaration);
        return m != null && m.lookingAt() ? Integer.parseInt(m.group(2)) : -1;
    }

    /** 32, 16 or 8 for a declaration INTEGER, SMALLINT or TINYINT, else 0 (BIGINT, undeclared). */
    private static int integerBits(String declaration) {
        return declaration == null ? 0 : switch (declaration) {
            case "INTEGER" -> 32;
            case "SMALLINT" -> 16;
            case "TINYINT" -> 8;
            default -> 0;
        };
    }

    /** The precision and scale of a declaration {@code DECIMAL(p,s)}, else {@link #NOT_DECLARED}. */
    private static int[] decimal(Object declaration) {
        java.util.regex.Matcher m = declaration instanceof String s ? DECIMAL.matcher(s) : null;
        return m != null && m.matches() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))}
                : NOT_DECLARED;
    }

    @SuppressWarnings("unchecked")
    private static AttrType keyType(TableDef def, String column) {
        Object types = def.userProperties().get(KEY + ".types");
        List<String> key = (List<String>) def.userProperties().get(KEY);
        if (types instanceof List<?> l && l.size() == key.size()) {
            return AttrType.valueOf(String.valueOf(l.get(key.indexOf(column))));
        }
        return AttrType.ANY;
    }

    private static int indexOf(TableDef def, List<Column> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("table " + def.name() + ": its SQL shape (" + COLUMNS + ") has no column "
                + name);
    }

    /** The engine attribute behind {@code column} if it has a secondary index (never a key column), else null. */
    String indexedAttribute(int column) {
        Column c = columns.get(column);
        if (c.keyPart() >= 0 || c.attribute() <= 0) {
            return null;
        }
        String attribute = def.attributes().get(c.attribute());
        return def.indexes().contains(attribute) ? attribute : null;
    }

    /** Whether the engine key is a hidden row id ({@value #ROW_ID}): the table has no key columns. */
    boolean rowId() {
        return keyColumns.length == 0;
    }

    /** Whether the engine key is a tuple of several columns. */
    boolean compositeKey() {
        return keyColumns.length > 1;
    }

    /** The SQL row of a record. */
    Object[] toRow(Tuple record) {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            Column c = columns.get(i);
            Object v = record.get(c.attribute() + 1);
            row[i] = c.keyPart() >= 0 ? ((Tuple) v).get(c.keyPart()) : v;
        }
        return row;
    }

    /** The record of a SQL row (values already converted to engine values). */
    Tuple toRecord(Object[] row) {
        Object[] rec = new Object[def.attributeCount() + 1];
        rec[0] = def.recordName();
        Object[] keyParts = compositeKey() ? new Object[keyColumns.length] : null;
        for (int i = 0; i < row.length; i++) {
            Column c = columns.get(i);
            if (c.keyPart() >= 0) {
                keyParts[c.keyPart()] = row[i];
            } else {
                rec[c.attribute() + 1] = row[i];
            }
        }
        if (keyParts != null) {
            rec[1] = Tuple.of(keyParts);
        }
        return Tuple.of(rec);
    }

    /**
     * The record of a SQL row that replaces the stored record {@code replacing} (null for a new row): a table with
     * row ids keeps the replaced row's id (a new row has none yet, see {@link RowIds#withNew}).
     */
    Tuple toRecord(Object[] row, Tuple replacing) {
        Tuple record = toRecord(row);
        return rowId() && replacing != null ? record.with(1, replacing.get(1)) : record;
    }

    /** The engine key of a SQL row's key values, given in key order. */
    Object key(Object[] keyValues) {
        return compositeKey() ? Tuple.of(keyValues) : keyValues[0];
    }
}
