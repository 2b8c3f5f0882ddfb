package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.schema.Table;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * What JDBC metadata tells about one engine table seen as a SQL table: its key columns in key order, whether the
 * key is unique (a primary key) or not (bag and duplicate_bag tables hold many records per key), its secondary
 * indexes and a remark naming the engine table type and storage ({@code type=set storage=disc_copies}).
 *
 * <p>A secondary index has the name {@code CREATE INDEX} gave it, else (made through the engine API)
 * {@code <table>_<column>_idx}.
 */
public final class TableMetadata {
    private final MnemoTable table;

    /**
     * One secondary index.
     *
     * @param name   the SQL index name
     * @param column the indexed column
     */
    public record Index(String name, String column) {
    }

    /**
     * A foreign key.
     *
     * @param name          the constraint name
     * @param table         the referencing table
     * @param columns       its referencing columns, in the order of the parent's key
     * @param parent        the referenced table
     * @param parentColumns the parent's primary key columns
     * @param parentKeyName the parent's primary key name
     * @param updateRule    ON UPDATE, as a {@code DatabaseMetaData.importedKey…} code
     * @param deleteRule    ON DELETE, likewise
     * @param updateAction  ON UPDATE as SQL writes it ({@code NO ACTION}, {@code CASCADE}, …)
     * @param deleteAction  ON DELETE likewise
     */
    public record Reference(String name, String table, List<String> columns, String parent, List<String> parentColumns,
                            String parentKeyName, short updateRule, short deleteRule, String updateAction,
                            String deleteAction) {
        static Reference of(ForeignKey fk) {
            return new Reference(fk.name(), fk.table(), fk.columns(), fk.parent(), fk.parentColumns(),
                    fk.parent() + "_pk", fk.onUpdate().jdbc(), fk.onDelete().jdbc(), fk.onUpdate().sql(),
                    fk.onDelete().sql());
        }
    }

    private TableMetadata(MnemoTable table) {
        this.table = table;
    }

    /** The metadata of {@code table} if it is an engine table, else empty. */
    public static Optional<TableMetadata> of(Table table) {
        return table instanceof MnemoTable m ? Optional.of(new TableMetadata(m)) : Optional.empty();
    }

    /**
     * The SQL types a column can have: one per distinct type engine attribute types map to, and the narrower types a
     * DDL declaration keeps (see {@link SqlValues#declaredType}): INTEGER, SMALLINT, TINYINT, REAL, CHAR, BINARY.
     */
    public static List<SqlTypeName> sqlTypes() {
        RelDataTypeFactory f = new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT);
        Set<SqlTypeName> out = new LinkedHashSet<>();
        for (AttrType t : AttrType.values()) {
            out.add(SqlValues.sqlType(f, t, true).getSqlTypeName());
        }
        out.addAll(List.of(SqlTypeName.INTEGER, SqlTypeName.SMALLINT, SqlTypeName.TINYINT, SqlTypeName.REAL,
                SqlTypeName.CHAR, SqlTypeName.BINARY));
        return List.copyOf(out);
    }

    /** The table name. */
    public String name() {
        return table.name();
    }

    /** The key columns in key order. */
    public List<String> keyColumns() {
        List<String> out = new ArrayList<>();
        for (int i : table.shape.keyColumns()) {
            out.add(table.shape.columns().get(i).name());
        }
        return out;
    }

    /**
     * Whether the key columns identify at most one row: true for set and ordered_set tables with a PRIMARY KEY,
     * false for bags and for tables without key columns (a hidden row id keys them).
     */
    public boolean keyUnique() {
        return table.shape.def().type().isUnique() && !table.shape.rowId();
    }

    /** Whether rows are kept in ascending key order (ordered_set tables). */
    public boolean keyOrdered() {
        return table.shape.def().type() == TableType.ORDERED_SET;
    }

    /** The secondary indexes, ordered by name. */
    public List<Index> indexes() {
        List<Index> out = new ArrayList<>();
        SqlIndexes.of(table.shape.def()).forEach((name, column) -> out.add(new Index(name, column)));
        out.sort(Comparator.comparing(Index::name));
        return out;
    }

    /** The number of records. */
    public long rowCount() {
        return table.session.database().tableInfo(name()).size();
    }

    /** The foreign keys of this table (it references their parents), ordered by name. */
    public List<Reference> foreignKeys() {
        List<Reference> out = new ArrayList<>();
        table.shape.foreignKeys().forEach(fk -> out.add(Reference.of(fk)));
        out.sort(Comparator.comparing(Reference::name));
        return out;
    }

    /** The foreign keys of every table that reference this one, ordered by referencing table and name. */
    public List<Reference> referencedBy() {
        List<Reference> out = new ArrayList<>();
        ForeignKeys.of(table.session.database()).referencing(name()).forEach(fk -> out.add(Reference.of(fk)));
        out.sort(Comparator.comparing(Reference::table).thenComparing(Reference::name));
        return out;
    }

    /** Whether {@code column} is the identity column (its values come from the table's counter). */
    public boolean autoIncrement(String column) {
        SqlShape.Identity id = table.shape.identity();
        return id != null && table.shape.columns().get(id.column()).name().equals(column);
    }

    /** The column's DEFAULT as SQL text ({@code 'new'}, {@code 0}, {@code CURRENT_TIMESTAMP}), or null if none. */
    public String columnDefault(String column) {
        int i = table.shape.column(column);
        List<?> stored = i < 0 ? null : table.shape.defaults().get(i);
        if (stored == null) {
            return null;
        }
        return "function".equals(stored.get(0)) ? String.valueOf(stored.get(1)) : sqlLiteral(stored.get(1));
    }

    /**
     * The SQL type of {@code column} as its DDL declared it ({@code INTEGER}, {@code CHAR(3)}, see
     * {@link SqlValues#declaredType}), for metadata; the type queries see for a column declared otherwise or not at
     * all; null if there is no such column.
     */
    public RelDataType declaredSqlType(RelDataTypeFactory f, String column) {
        int i = table.shape.column(column);
        return i < 0 ? null : SqlValues.declaredType(f, table.shape.columns().get(i));
    }

    /** The column's type as its DDL declared it ({@code DECIMAL(10,2)}), or null for a table made by the engine API. */
    public String declaredType(String column) {
        Object m = table.shape.def().userProperties().get(SqlShape.TYPES);
        return m instanceof java.util.Map<?, ?> map && map.get(column) instanceof String s ? s : null;
    }

    private static String sqlLiteral(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Boolean || v instanceof Number) {
            return v.toString().toUpperCase(java.util.Locale.ROOT);
        }
        if (v instanceof java.time.LocalDate) {
            return "DATE '" + v + "'";
        }
        if (v instanceof java.time.LocalTime) {
            return "TIME '" + v + "'";
        }
        if (v instanceof java.time.LocalDateTime t) {
            return "TIMESTAMP '" + t.toString().replace('T', ' ') + "'";
        }
        if (v instanceof java.time.Instant t) {
            return "TIMESTAMP '" + t.toString().replace('T', ' ') + "'";
        }
        if (v instanceof dev.mnemo.engine.value.Binary b) {
            return "X'" + java.util.HexFormat.of().formatHex(b.toByteArray()) + "'";
        }
        return dev.mnemo.engine.value.Terms.format(v);
    }

    /** {@code type=<table type> storage=<storage type>}, in Mnesia's names. */
    public String remarks() {
        TableDef def = table.shape.def();
        return "type=" + def.type().mnesiaName() + " storage=" + def.storage().mnesiaName();
    }
}
