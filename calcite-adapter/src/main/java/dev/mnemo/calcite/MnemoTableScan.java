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

    MnemoTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, MnemoTable mnemoTable) {
        super(cluster, traits, List.of(), table);
        this.mnemoTable = mnemoTable;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return this;
    }

    @Override
    public void register(RelOptPlanner planner) {
        planner.addRule(MnemoRules.TO_ENUMERABLE);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).item("path", "full_scan");
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        return super.computeSelfCost(planner, mq);
    }

    @Override
    public void implement(ScanSpec.Builder spec) {
        spec.table(mnemoTable);
    }
}
