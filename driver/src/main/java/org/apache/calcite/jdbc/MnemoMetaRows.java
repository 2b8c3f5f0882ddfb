package org.apache.calcite.jdbc;

import dev.mnemo.calcite.TableMetadata;
import org.apache.calcite.avatica.MetaImpl.ColumnNoNulls;
import org.apache.calcite.avatica.MetaImpl.MetaTable;

/**
 * Rows of Mnemo's JDBC metadata result sets that Avatica's own row classes cannot hold. Avatica reads a row's
 * public fields by reflection, named after the result set's columns in camel case, so these types are public.
 */
public final class MnemoMetaRows {
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
}
