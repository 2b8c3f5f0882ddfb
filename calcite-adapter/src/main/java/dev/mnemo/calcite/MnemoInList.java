package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/**
 * The rows of its input whose column {@link #spec}{@code .column()} equals one of a long list of values (literals or
 * {@code ?} parameters), or none of them: a {@code column [NOT] IN (v1, …, vn)} conjunct of a WHERE clause, kept out of Calcite's
 * expressions so that planning and code generation do not grow with the list ({@link InListRule}). Logical here
 * ({@link EnumerableInList} implements it with a hash set).
 */
class MnemoInList extends SingleRel {
    final InListSpec spec;

    MnemoInList(RelOptCluster cluster, RelTraitSet traits, RelNode input, InListSpec spec) {
        super(cluster, traits, input);
        this.spec = spec;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new MnemoInList(getCluster(), traitSet, sole(inputs), spec);
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        // like an index read per value (about ten rows each), never more than half the input; NOT IN keeps the rest
        double in = mq.getRowCount(getInput());
        if (spec.negated()) {
            return Math.max(1, in - Math.min(in * 0.5, spec.size() * AccessPath.indexRowsPerValue(in)));
        }
        return Math.max(1, Math.min(in * 0.5, spec.size() * AccessPath.indexRowsPerValue(in)));
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double in = mq.getRowCount(getInput());
        return planner.getCostFactory().makeCost(in, in + spec.size(), 0);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).item("column", "$" + spec.column()).item("values", spec.describe());
    }
}
