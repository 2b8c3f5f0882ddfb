package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;

/** A projection of plain columns done by the engine scan: only those columns of each record become SQL values. */
final class MnemoProject extends Project implements MnemoRel {
    MnemoProject(RelOptCluster cluster, RelTraitSet traits, RelNode input, List<? extends RexNode> projects,
                 RelDataType rowType) {
        super(cluster, traits, List.of(), input, projects, rowType, java.util.Set.of());
    }

    @Override
    public Project copy(RelTraitSet traitSet, RelNode input, List<RexNode> projects, RelDataType rowType) {
        return new MnemoProject(getCluster(), traitSet, input, projects, rowType);
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        // cheaper than converting every column: fewer values per row
        double share = getRowType().getFieldCount() / (double) Math.max(1, getInput().getRowType().getFieldCount());
        return planner.getCostFactory().makeTinyCost().multiplyBy(share);
    }

    @Override
    public void implement(ScanSpec.Builder spec) {
        ((MnemoRel) getInput()).implement(spec);
        int[] columns = new int[getProjects().size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = ((RexInputRef) getProjects().get(i)).getIndex();
        }
        spec.projection(columns);
    }
}
