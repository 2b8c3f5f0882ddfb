package dev.mnemo.calcite;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;

/**
 * ORDER BY the key and/or LIMIT/OFFSET, done by the engine: the scan walks keys in order (descending if asked)
 * and stops after OFFSET + LIMIT rows; {@link ScanSpec} then skips OFFSET rows and keeps LIMIT.
 * Created by {@link MnemoSortRule} only where the engine's key order is SQL's order.
 */
final class MnemoLimit extends Sort implements MnemoRel {
    final boolean descending;

    MnemoLimit(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelCollation collation, RexNode offset,
               RexNode fetch, boolean descending) {
        super(cluster, traits, input, collation, offset, fetch);
        this.descending = descending;
    }

    @Override
    public Sort copy(RelTraitSet traitSet, RelNode newInput, RelCollation newCollation, RexNode newOffset,
                     RexNode newFetch) {
        return new MnemoLimit(getCluster(), traitSet, newInput, newCollation, newOffset, newFetch, descending);
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        // the engine stops reading at the limit: this also makes the scan below cheap, which the planner's
        // cumulative cost cannot see, so the limit itself costs (almost) nothing
        return planner.getCostFactory().makeTinyCost();
    }

    @Override
    public void implement(ScanSpec.Builder spec) {
        ((MnemoRel) getInput()).implement(spec);
        spec.limit(MnemoSortRule.intValue(offset, 0), MnemoSortRule.intValue(fetch, Integer.MAX_VALUE), descending);
    }

}
