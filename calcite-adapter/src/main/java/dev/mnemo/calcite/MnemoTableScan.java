package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/** A scan of a Mnemo table in Mnemo's convention; EXPLAIN shows the engine access path it takes. */
final class MnemoTableScan extends TableScan implements MnemoRel {
    final MnemoTable mnemoTable;
    final AccessPath path;

    MnemoTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, MnemoTable mnemoTable) {
        this(cluster, traits, table, mnemoTable, AccessPath.FULL_SCAN);
    }

    private MnemoTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, MnemoTable mnemoTable,
                           AccessPath path) {
        super(cluster, traits, List.of(), table);
        this.mnemoTable = mnemoTable;
        this.path = path;
    }

    /**
     * The same scan declaring the order it delivers rows in, the table's key order, as its collation trait (a merge
     * join's input); null if this path does not walk keys forward from the first (lookups, index reads, limited or
     * reversed walks) or the key's SQL order is not the engine's. Scans are otherwise made without a collation, so
     * that Calcite's operators above them never ask their inputs for an order they do not need.
     */
    MnemoTableScan ordered() {
        org.apache.calcite.rel.RelCollation key = mnemoTable.keyCollation();
        if (key == null || !path.walks() || path.reverse || path.limit > 0) {
            return null;
        }
        return new MnemoTableScan(getCluster(), getTraitSet().replace(key), getTable(), mnemoTable, path);
    }

    /** The same scan restricted to {@code p}. */
    MnemoTableScan withPath(AccessPath p) {
        return new MnemoTableScan(getCluster(), getTraitSet(), getTable(), mnemoTable, p);
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        return path.estimateRows(super.estimateRowCount(mq));
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return this;
    }

    @Override
    public void register(RelOptPlanner planner) {
        planner.addRule(MnemoRules.TO_ENUMERABLE);
        planner.addRule(MnemoFilterRule.INSTANCE);
        planner.addRule(MnemoSortRule.INSTANCE);
        planner.addRule(MnemoProjectRule.INSTANCE);
        planner.addRule(MnemoLookupJoinRule.INSTANCE);
        planner.addRule(MnemoMergeJoinRule.INSTANCE);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).item("path", path.toString());
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double work = estimateRowCount(mq) * path.guardedWork();
        return planner.getCostFactory().makeCost(work, work, 0);
    }

    @Override
    public void implement(ScanSpec.Builder spec) {
        spec.table(mnemoTable).path(path);
    }
}
