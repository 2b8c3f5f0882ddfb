package org.apache.calcite.jdbc;

import dev.mnemo.calcite.TableMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.MetaImpl.MetaColumn;
import org.apache.calcite.avatica.MetaImpl.MetaIndexInfo;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL standard's {@code information_schema} of one connection: SCHEMATA, TABLES, COLUMNS, VIEWS,
 * TABLE_CONSTRAINTS, KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS, read live at each query from the same metadata
 * as {@link java.sql.DatabaseMetaData} ({@link TableMetadata}, the column descriptions of {@link MnemoTypeMeta},
 * primary keys named {@code <table>_pk}, foreign keys by their constraint names). Engine tables are
 * {@code BASE TABLE}s; the tables of {@code metadata} and {@code information_schema} are {@code SYSTEM TABLE}s.
 * Stored views are {@code VIEW}s, listed in VIEWS with their query. Mnemo adds PRIMARY_KEYS, INDEXES and
 * FOREIGN_KEYS, whose columns are those of {@code getPrimaryKeys}, {@code getIndexInfo} and {@code getImportedKeys}:
 * a remote client's DatabaseMetaData answers from them; SYSTEM_INFO (NAME, INFO_VALUE: Mnesia's {@code system_info} and
 * the database's figures, {@link dev.mnemo.engine.Mnemo#metrics}) and TABLE_SIZES (TABLE_NAME, RECORDS).
 */
final class InformationSchema extends AbstractSchema {
    /** The schema's name as SQL sees it (identifiers are matched case-insensitively). */
    static final String NAME = "information_schema";
    private static final String V = "VARCHAR";
    private static final String I = "INTEGER";

    private final CalciteConnectionImpl connection;

    InformationSchema(CalciteConnectionImpl connection) {
        this.connection = connection;
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> m = new LinkedHashMap<>();
        m.put("SCHEMATA", table(this::schemata, "CATALOG_NAME", V, "SCHEMA_NAME", V, "SCHEMA_OWNER", V));
        m.put("TABLES", table(this::tableRows, "TABLE_CATALOG", V, "TABLE_SCHEMA", V, "TABLE_NAME", V,
                "TABLE_TYPE", V, "REMARKS", V));
        m.put("COLUMNS", table(this::columns, "TABLE_CATALOG", V, "TABLE_SCHEMA", V, "TABLE_NAME", V,
                "COLUMN_NAME", V, "ORDINAL_POSITION", I, "COLUMN_DEFAULT", V, "IS_NULLABLE", V, "DATA_TYPE", V,
                "CHARACTER_MAXIMUM_LENGTH", I, "NUMERIC_PRECISION", I, "NUMERIC_PRECISION_RADIX", I,
                "NUMERIC_SCALE", I, "DATETIME_PRECISION", I, "IS_IDENTITY", V, "DECLARED_DATA_TYPE", V));
        m.put("VIEWS", table(this::views, "TABLE_CATALOG", V, "TABLE_SCHEMA", V, "TABLE_NAME", V,
                "VIEW_DEFINITION", V, "CHECK_OPTION", V, "IS_UPDATABLE", V));
        m.put("TABLE_CONSTRAINTS", table(this::tableConstraints, "CONSTRAINT_CATALOG", V, "CONSTRAINT_SCHEMA", V,
                "CONSTRAINT_NAME", V, "TABLE_CATALOG", V, "TABLE_SCHEMA", V, "TABLE_NAME", V, "CONSTRAINT_TYPE", V,
                "IS_DEFERRABLE", V, "INITIALLY_DEFERRED", V));
        m.put("KEY_COLUMN_USAGE", table(this::keyColumnUsage, "CONSTRAINT_CATALOG", V, "CONSTRAINT_SCHEMA", V,
                "CONSTRAINT_NAME", V, "TABLE_CATALOG", V, "TABLE_SCHEMA", V, "TABLE_NAME", V, "COLUMN_NAME", V,
                "ORDINAL_POSITION", I, "POSITION_IN_UNIQUE_CONSTRAINT", I));
        m.put("REFERENTIAL_CONSTRAINTS", table(this::referentialConstraints, "CONSTRAINT_CATALOG", V,
                "CONSTRAINT_SCHEMA", V, "CONSTRAINT_NAME", V, "UNIQUE_CONSTRAINT_CATALOG", V,
                "UNIQUE_CONSTRAINT_SCHEMA", V, "UNIQUE_CONSTRAINT_NAME", V, "MATCH_OPTION", V, "UPDATE_RULE", V,
                "DELETE_RULE", V));
        // Mnemo's own, with the columns of the JDBC result sets: what remote clients' DatabaseMetaData reads, since
        // Avatica's protocol has no call for keys and indexes
        m.put("PRIMARY_KEYS", table(() -> jdbcRows(MnemoKeyMeta.primaryKeys(engineTables()),
                MnemoMetaRows.PrimaryKey.class, PRIMARY_KEYS), PRIMARY_KEYS));
        m.put("INDEXES", table(() -> jdbcRows(MnemoKeyMeta.indexInfo(engineTables(), false), MetaIndexInfo.class,
                INDEXES), INDEXES));
        m.put("FOREIGN_KEYS", table(() -> jdbcRows(MnemoKeyMeta.importedKeys(engineTables()),
                MnemoMetaRows.ForeignKeyColumn.class, FOREIGN_KEYS), FOREIGN_KEYS));
        // Mnesia's system_info and the database's figures (Mnemo.metrics), one per row
        m.put("SYSTEM_INFO", table(this::systemInfo, "NAME", V, "INFO_VALUE", V));
        m.put("TABLE_SIZES", table(this::tableSizes, "TABLE_NAME", V, "RECORDS", "BIGINT"));
        return m;
    }

    private static final String S = "SMALLINT";
    private static final String[] PRIMARY_KEYS = {"TABLE_CAT", V, "TABLE_SCHEM", V, "TABLE_NAME", V,
        "COLUMN_NAME", V, "KEY_SEQ", S, "PK_NAME", V};
    private static final String[] INDEXES = {"TABLE_CAT", V, "TABLE_SCHEM", V, "TABLE_NAME", V, "NON_UNIQUE",
        "BOOLEAN", "INDEX_QUALIFIER", V, "INDEX_NAME", V, "TYPE", S, "ORDINAL_POSITION", S, "COLUMN_NAME", V,
        "ASC_OR_DESC", V, "CARDINALITY", "BIGINT", "PAGES", "BIGINT", "FILTER_CONDITION", V};
    private static final String[] FOREIGN_KEYS = {"PKTABLE_CAT", V, "PKTABLE_SCHEM", V, "PKTABLE_NAME", V,
        "PKCOLUMN_NAME", V, "FKTABLE_CAT", V, "FKTABLE_SCHEM", V, "FKTABLE_NAME", V, "FKCOLUMN_NAME", V,
        "KEY_SEQ", S, "UPDATE_RULE", S, "DELETE_RULE", S, "FK_NAME", V, "PK_NAME", V, "DEFERRABILITY", S};

    private List<MnemoKeyMeta.Located> engineTables() {
        List<MnemoKeyMeta.Located> out = new ArrayList<>();
        for (Found f : all()) {
            TableMetadata.of(f.table()).ifPresent(t -> out.add(new MnemoKeyMeta.Located(f.schema(), t)));
        }
        return out;
    }

    /** The rows of a JDBC metadata result as arrays: the public field of each column's camel-case name. */
    private static <E> List<Object[]> jdbcRows(List<? extends E> rows, Class<E> clazz, String[] columns) {
        java.lang.reflect.Field[] fields = new java.lang.reflect.Field[columns.length / 2];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = MnemoMetaRows.field(clazz, columns[2 * i]);
        }
        List<Object[]> out = new ArrayList<>(rows.size());
        for (E r : rows) {
            Object[] row = new Object[fields.length];
            for (int i = 0; i < row.length; i++) {
                try {
                    row[i] = fields[i].get(r);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + fields[i], e);
                }
            }
            out.add(row);
        }
        return out;
    }

    /** A table found in a schema of the connection. */
    private record Found(String schema, String name, Table table) {
    }

    /** Every table of every schema, schemas and tables in name order (as getTables lists them). */
    private List<Found> all() {
        List<Found> out = new ArrayList<>();
        for (CalciteSchema s : new java.util.TreeMap<>(connection.rootSchema.getSubSchemaMap()).values()) {
            for (String t : new java.util.TreeSet<>(s.getTableNames())) {
                CalciteSchema.TableEntry e = s.getTable(t, true);
                if (e != null) {
                    out.add(new Found(s.getName(), t, e.getTable()));
                }
            }
        }
        return out;
    }

    private List<Object[]> systemInfo() {
        dev.mnemo.engine.Mnemo db = MnemoMeta.sessionOf(connection).database();
        Map<String, Object> all = new LinkedHashMap<>(db.systemInfo().asMap());
        all.remove("tables"); // in TABLE_SIZES
        all.putAll(db.metrics().asMap());
        List<Object[]> out = new ArrayList<>();
        all.forEach((k, v) -> out.add(new Object[] {k, String.valueOf(v)}));
        return out;
    }

    private List<Object[]> tableSizes() {
        List<Object[]> out = new ArrayList<>();
        MnemoMeta.sessionOf(connection).database().metrics().tableSizes()
                .forEach((t, n) -> out.add(new Object[] {t, n}));
        return out;
    }

    private List<Object[]> schemata() {
        List<Object[]> out = new ArrayList<>();
        for (String s : new java.util.TreeSet<>(connection.rootSchema.getSubSchemaMap().keySet())) {
            out.add(new Object[] {null, s, null});
        }
        return out;
    }

    private List<Object[]> tableRows() {
        List<Object[]> out = new ArrayList<>();
        for (Found f : all()) {
            java.util.Optional<TableMetadata> m = TableMetadata.of(f.table());
            String type = m.isPresent() ? "BASE TABLE"
                    : f.table() instanceof org.apache.calcite.schema.impl.ViewTable ? "VIEW" : "SYSTEM TABLE";
            out.add(new Object[] {null, f.schema(), f.name(), type, m.map(TableMetadata::remarks).orElse(null)});
        }
        return out;
    }

    private List<Object[]> views() {
        List<Object[]> out = new ArrayList<>();
        for (Found f : all()) {
            if (f.table() instanceof org.apache.calcite.schema.impl.ViewTable v) {
                out.add(new Object[] {null, f.schema(), f.name(), v.getViewSql(), "NONE", "NO"});
            }
        }
        return out;
    }

    private List<Object[]> columns() {
        RelDataTypeFactory types = connection.getTypeFactory();
        RelDataTypeSystem ts = types.getTypeSystem();
        List<Object[]> out = new ArrayList<>();
        for (Found f : all()) {
            java.util.Optional<TableMetadata> m = TableMetadata.of(f.table());
            MnemoMetaRows.Table row = new MnemoMetaRows.Table(f.table(), null, f.schema(), f.name());
            for (RelDataTypeField field : f.table().getRowType(types).getFieldList()) {
                org.apache.calcite.rel.type.RelDataType type = m.map(t -> t.declaredSqlType(types, field.getName()))
                        .orElse(field.getType());
                MetaColumn c = MnemoTypeMeta.column(row, field, type, ts);
                SqlTypeName n = type.getSqlTypeName();
                boolean text = n == SqlTypeName.CHAR || n == SqlTypeName.VARCHAR || n == SqlTypeName.BINARY
                        || n == SqlTypeName.VARBINARY;
                boolean number = SqlTypeName.NUMERIC_TYPES.contains(n);
                boolean time = SqlTypeName.DATETIME_TYPES.contains(n);
                String name = field.getName();
                out.add(new Object[] {null, f.schema(), f.name(), name, c.ordinalPosition,
                        m.map(t -> t.columnDefault(name)).orElse(null), c.isNullable, c.typeName,
                        text ? c.columnSize : null, number ? c.columnSize : null, number ? c.numPrecRadix : null,
                        number ? c.decimalDigits : null, time ? c.decimalDigits : null,
                        m.map(t -> t.autoIncrement(name)).orElse(false) ? "YES" : "NO",
                        m.map(t -> t.declaredType(name)).orElse(null)});
            }
        }
        return out;
    }

    private List<Object[]> tableConstraints() {
        List<Object[]> out = new ArrayList<>();
        for (Found f : all()) {
            TableMetadata.of(f.table()).ifPresent(t -> {
                if (t.keyUnique()) {
                    out.add(constraint(f, MnemoKeyMeta.pkName(t), "PRIMARY KEY"));
                }
                for (TableMetadata.Reference fk : t.foreignKeys()) {
                    out.add(constraint(f, fk.name(), "FOREIGN KEY"));
                }
            });
        }
        return out;
    }

    private static Object[] constraint(Found f, String name, String type) {
        return new Object[] {null, f.schema(), name, null, f.schema(), f.name(), type, "NO", "NO"};
    }

    private List<Object[]> keyColumnUsage() {
        List<Object[]> out = new ArrayList<>();
        for (Found f : all()) {
            TableMetadata.of(f.table()).ifPresent(t -> {
                if (t.keyUnique()) {
                    List<String> key = t.keyColumns();
                    for (int i = 0; i < key.size(); i++) {
                        out.add(new Object[] {null, f.schema(), MnemoKeyMeta.pkName(t), null, f.schema(), f.name(),
                                key.get(i), i + 1, null});
                    }
                }
                for (TableMetadata.Reference fk : t.foreignKeys()) {
                    for (int i = 0; i < fk.columns().size(); i++) {
                        out.add(new Object[] {null, f.schema(), fk.name(), null, f.schema(), f.name(),
                                fk.columns().get(i), i + 1, i + 1});
                    }
                }
            });
        }
        return out;
    }

    private List<Object[]> referentialConstraints() {
        List<Object[]> out = new ArrayList<>();
        for (Found f : all()) {
            TableMetadata.of(f.table()).ifPresent(t -> {
                for (TableMetadata.Reference fk : t.foreignKeys()) {
                    out.add(new Object[] {null, f.schema(), fk.name(), null, f.schema(), fk.parentKeyName(),
                            "NONE", fk.updateAction(), fk.deleteAction()});
                }
            });
        }
        return out;
    }

    /** A system table of {@code columns} (name, SQL type name pairs), its rows made by {@code rows} per scan. */
    private static Table table(Supplier<List<Object[]>> rows, String... columns) {
        return new SystemTable(rows, columns);
    }

    private static final class SystemTable extends AbstractTable implements ScannableTable {
        private final Supplier<List<Object[]>> rows;
        private final String[] columns;

        SystemTable(Supplier<List<Object[]>> rows, String[] columns) {
            this.rows = rows;
            this.columns = columns;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            RelDataTypeFactory.Builder b = f.builder();
            for (int i = 0; i < columns.length; i += 2) {
                b.add(columns[i], f.createTypeWithNullability(f.createSqlType(SqlTypeName.valueOf(columns[i + 1])),
                        true));
            }
            return b.build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            return Linq4j.asEnumerable(rows.get());
        }

        @Override
        public Schema.TableType getJdbcTableType() {
            return Schema.TableType.SYSTEM_TABLE;
        }
    }

    /** Registers the schema on a new connection. */
    static void register(CalciteConnectionImpl connection) {
        connection.getRootSchema().add(NAME, new InformationSchema(connection));
    }
}
