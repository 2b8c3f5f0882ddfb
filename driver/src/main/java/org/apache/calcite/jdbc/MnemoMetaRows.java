package org.apache.calcite.jdbc;

import dev.mnemo.calcite.TableMetadata;
import org.apache.calcite.avatica.MetaImpl.ColumnNoNulls;
import org.apache.calcite.avatica.MetaImpl.MetaTable;

/**
 * Rows of Mnemo's JDBC metadata result sets that Avatica's own row classes cannot hold. Avatica reads a row's
 * public fields by reflection, named after the result set's columns in camel case, so these types are public.
 */
public final class MnemoMetaRows {
    /** The public field of metadata row class {@code clazz} that holds JDBC column {@code column} (its camel case). */
    static java.lang.reflect.Field field(Class<?> clazz, String column) {
        String name = org.apache.calcite.avatica.AvaticaUtils.toCamelCase(column);
        try {
            return clazz.getField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(clazz.getName() + " has no field " + name, e);
        }
    }

    private MnemoMetaRows() {
    }

    /**
     * A row of {@code getTables}: Calcite's, plus REMARKS describing an engine table
     * ({@code type=set storage=disc_copies}); null for other tables.
     */
    public static final class Table extends CalciteMetaImpl.CalciteMetaTable {
        /** Hides {@link MetaTable#remarks}, which is always null. */
        public final String remarks;
        final org.apache.calcite.schema.Table table;

        Table(org.apache.calcite.schema.Table table, String tableCat, String tableSchem, String tableName) {
            super(table, tableCat, tableSchem, tableName);
            this.table = table;
            this.remarks = TableMetadata.of(table).map(TableMetadata::remarks).orElse(null);
        }
    }

    /** Makes {@link Table} rows. */
    static final class TableFactory implements CalciteMetaTableFactory {
        static final TableFactory INSTANCE = new TableFactory();

        @Override
        public MetaTable createTable(org.apache.calcite.schema.Table table, String tableCat, String tableSchem,
                String tableName) {
            return new Table(table, tableCat, tableSchem, tableName);
        }

        @Override
        public Class<? extends MetaTable> getMetaTableClass() {
            return Table.class;
        }
    }

    /**
     * A row of {@code getPrimaryKeys}, as Avatica's {@code MetaImpl.MetaPrimaryKey} (whose constructor is not
     * public).
     */
    public static final class PrimaryKey {
        /** TABLE_CAT. */
        public final String tableCat;
        /** TABLE_SCHEM. */
        public final String tableSchem;
        /** TABLE_NAME. */
        @ColumnNoNulls
        public final String tableName;
        /** COLUMN_NAME. */
        @ColumnNoNulls
        public final String columnName;
        /** KEY_SEQ, from 1. */
        public final short keySeq;
        /** PK_NAME. */
        public final String pkName;

        PrimaryKey(String tableCat, String tableSchem, String tableName, String columnName, short keySeq,
                String pkName) {
            this.tableCat = tableCat;
            this.tableSchem = tableSchem;
            this.tableName = tableName;
            this.columnName = columnName;
            this.keySeq = keySeq;
            this.pkName = pkName;
        }
    }

    /**
     * A row of {@code getColumns}: Avatica's, plus COLUMN_DEF (the column's DEFAULT as SQL text), IS_AUTOINCREMENT
     * (YES for an identity column) and IS_GENERATEDCOLUMN (likewise).
     */
    public static final class Column extends org.apache.calcite.avatica.MetaImpl.MetaColumn {
        /** Hides {@code MetaColumn.columnDef}, which is always null. */
        public final String columnDef;

        Column(org.apache.calcite.avatica.MetaImpl.MetaColumn c, String columnDef, boolean autoIncrement) {
            super(c.tableCat, c.tableSchem, c.tableName, c.columnName, c.dataType, c.typeName, c.columnSize,
                    c.decimalDigits, c.numPrecRadix, c.nullable, c.charOctetLength, c.ordinalPosition, c.isNullable,
                    autoIncrement ? "YES" : "NO", autoIncrement ? "YES" : "NO");
            this.columnDef = columnDef;
        }
    }

    /** Declares {@link Column} as the getColumns row class (rows are made by MnemoMeta.columns). */
    static final class ColumnFactory implements CalciteMetaColumnFactory {
        static final ColumnFactory INSTANCE = new ColumnFactory();

        @Override
        public org.apache.calcite.avatica.MetaImpl.MetaColumn createColumn(org.apache.calcite.schema.Table table,
                String tableCat, String tableSchem, String tableName, String columnName, int dataType,
                String typeName, Integer columnSize, Integer decimalDigits, int numPrecRadix, int nullable,
                Integer charOctetLength, int ordinalPosition, String isNullable) {
            return CalciteMetaColumnFactoryImpl.INSTANCE.createColumn(table, tableCat, tableSchem, tableName,
                    columnName, dataType, typeName, columnSize, decimalDigits, numPrecRadix, nullable,
                    charOctetLength, ordinalPosition, isNullable);
        }

        @Override
        public Class<? extends org.apache.calcite.avatica.MetaImpl.MetaColumn> getMetaColumnClass() {
            return Column.class;
        }
    }

    /** A row of {@code getImportedKeys}, {@code getExportedKeys} and {@code getCrossReference}. */
    public static final class ForeignKeyColumn {
        /** PKTABLE_CAT. */
        public final String pktableCat = null;
        /** PKTABLE_SCHEM. */
        public final String pktableSchem;
        /** PKTABLE_NAME. */
        @ColumnNoNulls
        public final String pktableName;
        /** PKCOLUMN_NAME. */
        @ColumnNoNulls
        public final String pkcolumnName;
        /** FKTABLE_CAT. */
        public final String fktableCat = null;
        /** FKTABLE_SCHEM. */
        public final String fktableSchem;
        /** FKTABLE_NAME. */
        @ColumnNoNulls
        public final String fktableName;
        /** FKCOLUMN_NAME. */
        @ColumnNoNulls
        public final String fkcolumnName;
        /** KEY_SEQ, from 1. */
        public final short keySeq;
        /** UPDATE_RULE. */
        public final short updateRule;
        /** DELETE_RULE. */
        public final short deleteRule;
        /** FK_NAME. */
        public final String fkName;
        /** PK_NAME. */
        public final String pkName;
        /** DEFERRABILITY: never deferrable. */
        public final short deferrability = (short) java.sql.DatabaseMetaData.importedKeyNotDeferrable;

        ForeignKeyColumn(String schema, TableMetadata.Reference fk, int i) {
            this.pktableSchem = schema;
            this.pktableName = fk.parent();
            this.pkcolumnName = fk.parentColumns().get(i);
            this.fktableSchem = schema;
            this.fktableName = fk.table();
            this.fkcolumnName = fk.columns().get(i);
            this.keySeq = (short) (i + 1);
            this.updateRule = fk.updateRule();
            this.deleteRule = fk.deleteRule();
            this.fkName = fk.name();
            this.pkName = fk.parentKeyName();
        }
    }
}
