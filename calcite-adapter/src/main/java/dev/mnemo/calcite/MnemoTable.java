package dev.mnemo.calcite;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.java.AbstractQueryableTable;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.Queryable;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * One engine table as a Calcite table: its row type from the {@link SqlShape}, its key in the statistic, scans
 * in Mnemo's convention ({@link MnemoTableScan}). It is deliberately not a ModifiableTable, so that Calcite's
 * EnumerableTableModify never takes its INSERT/UPDATE/DELETE: {@link MnemoRules#MODIFY} does.
 */
final class MnemoTable extends AbstractQueryableTable implements TranslatableTable {
    final MnemoSession session;
    final SqlShape shape;

    MnemoTable(MnemoSession session, SqlShape shape) {
        super(Object[].class);
        this.session = session;
        this.shape = shape;
    }

    String name() {
        return shape.def().name();
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (SqlShape.Column c : shape.columns()) {
            b.add(c.name(), SqlValues.sqlType(typeFactory, c));
        }
        return b.build();
    }

    @Override
    public Statistic getStatistic() {
        // the key is unique only in set tables (a bag holds many rows per key), and no column is where it is hidden
        List<ImmutableBitSet> keys = shape.def().type().isUnique() && !shape.rowId()
                ? List.of(ImmutableBitSet.of(shape.keyColumns())) : List.of();
        return Statistics.of(session.database().tableInfo(name()).size(), keys);
    }

    /**
     * The order a walk of the table's keys comes in, as a collation of its key columns (ascending, in key order):
     * every table's store walks keys in term order. Null where a key column's SQL order is not the engine's
     * ({@link SqlValues#ordersAlike}: strings, untyped values).
     */
    org.apache.calcite.rel.RelCollation keyCollation() {
        List<org.apache.calcite.rel.RelFieldCollation> fields = new ArrayList<>();
        for (int k : shape.keyColumns()) {
            if (!SqlValues.ordersAlike(shape.columns().get(k).type())) {
                return null;
            }
            fields.add(new org.apache.calcite.rel.RelFieldCollation(k));
        }
        return fields.isEmpty() ? null : org.apache.calcite.rel.RelCollations.of(fields);
    }

    /**
     * The engine's estimate of the distinct values of {@code column} (null counting as one), where the column is an
     * indexed attribute; null for any other column.
     */
    Long distinctValues(int column) {
        String attribute = shape.indexedAttribute(column);
        if (attribute == null) {
            return null;
        }
        try {
            return session.database().distinctValues(name(), attribute);
        } catch (RuntimeException e) {
            return null; // an estimate is not worth failing a plan for (the index or table went away meanwhile)
        }
    }

    /** Calcite asks the table what an INSERT puts in the columns it leaves out ({@link MnemoInitializers}). */
    @Override
    public <C> C unwrap(Class<C> aClass) {
        if (aClass == org.apache.calcite.sql2rel.InitializerExpressionFactory.class
                && (shape.identity() != null || !shape.defaults().isEmpty())) {
            return aClass.cast(new MnemoInitializers(shape));
        }
        return super.unwrap(aClass);
    }

    /** A scan of the table; conversion to relational algebra looks here whether its statement is still wanted. */
    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        dev.mnemo.engine.Mnemo.checkCanceled(); // a join of 60 tables takes a while to convert
        RelOptCluster cluster = context.getCluster();
        return new MnemoTableScan(cluster, cluster.traitSetOf(MnemoRel.CONVENTION), relOptTable, this);
    }

    @Override
    public <T> Queryable<T> asQueryable(QueryProvider queryProvider, SchemaPlus schema, String tableName) {
        throw new UnsupportedOperationException("table " + tableName + " is read through SQL plans, not as a "
                + "Queryable");
    }

    @Override
    public Type getElementType() {
        return Object[].class;
    }

    /** The SQL rows of a list of records (Calcite's internal values), only the {@code projection} columns if given. */
    List<Object[]> toRows(List<dev.mnemo.engine.value.Tuple> records, int[] projection) {
        List<Object[]> out = new ArrayList<>(records.size());
        for (dev.mnemo.engine.value.Tuple r : records) {
            out.add(projection == null ? toRow(r) : toRow(r, projection));
        }
        return out;
    }

    private Object[] toRow(dev.mnemo.engine.value.Tuple record, int[] projection) {
        Object[] row = new Object[projection.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = sqlValue(record, projection[i]);
        }
        return row;
    }

    /** The SQL value (Calcite's internal value) of column {@code column} of a record. */
    Object sqlValue(dev.mnemo.engine.value.Tuple record, int column) {
        SqlShape.Column c = shape.columns().get(column);
        Object v = record.get(c.attribute() + 1);
        return SqlValues.toSql(c, c.keyPart() >= 0 ? ((dev.mnemo.engine.value.Tuple) v).get(c.keyPart()) : v);
    }

    Object[] toRow(dev.mnemo.engine.value.Tuple record) {
        Object[] row = shape.toRow(record);
        for (int i = 0; i < row.length; i++) {
            row[i] = SqlValues.toSql(shape.columns().get(i), row[i]);
        }
        return row;
    }
}
