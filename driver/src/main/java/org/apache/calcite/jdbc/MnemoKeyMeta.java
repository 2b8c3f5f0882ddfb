package org.apache.calcite.jdbc;

import dev.mnemo.calcite.TableMetadata;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.avatica.MetaImpl.MetaIndexInfo;

/**
 * The rows of {@code getPrimaryKeys} and {@code getIndexInfo} for engine tables. The key of a set or ordered_set
 * table is its primary key {@code <table>_pk} and a unique index of that name; the key of a bag is no primary key,
 * only the non-unique index {@code <table>_key}; each secondary index is a non-unique one-column index. Index
 * cardinality is the row count for the primary key and 0 (unknown) otherwise; pages are 0 (unknown).
 */
final class MnemoKeyMeta {
    private static final short OTHER = DatabaseMetaData.tableIndexOther;

    private MnemoKeyMeta() {
    }

    /** An engine table found in a schema. */
    record Located(String schema, TableMetadata table) {
    }

    static String pkName(TableMetadata t) {
        return t.name() + "_pk";
    }

    /** Primary key columns ordered by COLUMN_NAME, as JDBC asks; KEY_SEQ gives the key order. */
    static List<MnemoMetaRows.PrimaryKey> primaryKeys(List<Located> tables) {
        List<MnemoMetaRows.PrimaryKey> out = new ArrayList<>();
        for (Located l : tables) {
            TableMetadata t = l.table();
            if (!t.keyUnique()) {
                continue;
            }
            List<String> key = t.keyColumns();
            for (int i = 0; i < key.size(); i++) {
                out.add(new MnemoMetaRows.PrimaryKey(null, l.schema(), t.name(), key.get(i), (short) (i + 1),
                        pkName(t)));
            }
        }
        out.sort(Comparator.comparing((MnemoMetaRows.PrimaryKey k) -> k.tableSchem)
                .thenComparing(k -> k.tableName).thenComparing(k -> k.columnName));
        return out;
    }

    /**
     * Index columns ordered by NON_UNIQUE, TYPE, INDEX_NAME and ORDINAL_POSITION, as JDBC asks; only unique
     * indexes if {@code unique}.
     */
    static List<MetaIndexInfo> indexInfo(List<Located> tables, boolean unique) {
        List<MetaIndexInfo> out = new ArrayList<>();
        for (Located l : tables) {
            TableMetadata t = l.table();
            boolean keyUnique = t.keyUnique();
            if (keyUnique || !unique) {
                String name = keyUnique ? pkName(t) : t.name() + "_key";
                long cardinality = keyUnique ? t.rowCount() : 0;
                List<String> key = t.keyColumns();
                for (int i = 0; i < key.size(); i++) {
                    out.add(new MetaIndexInfo(null, l.schema(), t.name(), !keyUnique, null, name, OTHER,
                            (short) (i + 1), key.get(i), t.keyOrdered() ? "A" : null, cardinality, 0, null));
                }
            }
            if (!unique) {
                for (TableMetadata.Index ix : t.indexes()) {
                    out.add(new MetaIndexInfo(null, l.schema(), t.name(), true, null, ix.name(), OTHER, (short) 1,
                            ix.column(), null, 0, 0, null));
                }
            }
        }
        out.sort(Comparator.comparing((MetaIndexInfo r) -> r.nonUnique).thenComparing(r -> r.type)
                .thenComparing(r -> r.indexName).thenComparing(r -> r.ordinalPosition));
        return out;
    }

    /** The JDBC column names of the foreign key result sets. */
    static final List<String> FOREIGN_KEY_COLUMNS = List.of("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME",
            "PKCOLUMN_NAME", "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ",
            "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY");

    /** The foreign keys of {@code tables} (getImportedKeys), ordered by parent table and KEY_SEQ. */
    static List<MnemoMetaRows.ForeignKeyColumn> importedKeys(List<Located> tables) {
        List<MnemoMetaRows.ForeignKeyColumn> out = new ArrayList<>();
        for (Located l : tables) {
            for (TableMetadata.Reference fk : l.table().foreignKeys()) {
                add(out, l.schema(), fk);
            }
        }
        out.sort(Comparator.comparing((MnemoMetaRows.ForeignKeyColumn r) -> r.pktableName)
                .thenComparing(r -> r.fkName).thenComparing(r -> r.keySeq));
        return out;
    }

    /**
     * The foreign keys that reference {@code tables} (getExportedKeys), or only those of table {@code child} if
     * not null (getCrossReference), ordered by referencing table and KEY_SEQ.
     */
    static List<MnemoMetaRows.ForeignKeyColumn> exportedKeys(List<Located> tables, String child) {
        List<MnemoMetaRows.ForeignKeyColumn> out = new ArrayList<>();
        for (Located l : tables) {
            for (TableMetadata.Reference fk : l.table().referencedBy()) {
                if (child == null || child.equals(fk.table())) {
                    add(out, l.schema(), fk);
                }
            }
        }
        out.sort(Comparator.comparing((MnemoMetaRows.ForeignKeyColumn r) -> r.fktableName)
                .thenComparing(r -> r.fkName).thenComparing(r -> r.keySeq));
        return out;
    }

    private static void add(List<MnemoMetaRows.ForeignKeyColumn> out, String schema, TableMetadata.Reference fk) {
        for (int i = 0; i < fk.columns().size(); i++) {
            out.add(new MnemoMetaRows.ForeignKeyColumn(schema, fk, i));
        }
    }
}
