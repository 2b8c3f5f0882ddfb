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

    private TableMetadata(MnemoTable table) {
        this.table = table;
    }

    /** The metadata of {@code table} if it is an engine table, else empty. */
    public static Optional<TableMetadata> of(Table table) {
        return table instanceof MnemoTable m ? Optional.of(new TableMetadata(m)) : Optional.empty();
    }

    /** The SQL types of engine columns: one per distinct type engine attribute types map to. */
    public static List<SqlTypeName> sqlTypes() {
        RelDataTypeFactory f = new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT);
        Set<SqlTypeName> out = new LinkedHashSet<>();
        for (AttrType t : AttrType.values()) {
            out.add(SqlValues.sqlType(f, t, true).getSqlTypeName());
        }
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

    /** Whether a key identifies at most one row: true for set and ordered_set tables, false for bags. */
    public boolean keyUnique() {
        return table.shape.def().type().isUnique();
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

    /** {@code type=<table type> storage=<storage type>}, in Mnesia's names. */
    public String remarks() {
        TableDef def = table.shape.def();
        return "type=" + def.type().mnesiaName() + " storage=" + def.storage().mnesiaName();
    }
}
