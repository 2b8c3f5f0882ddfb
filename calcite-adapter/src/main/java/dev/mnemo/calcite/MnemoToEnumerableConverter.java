package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterImpl;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/**
 * Hands the rows of Mnemo's operators to Calcite's enumerable operators. The generated code only calls
 * {@link ScanSpec#execute} on the spec built at plan time (stashed, not compiled into the code).
 */
final class MnemoToEnumerableConverter extends ConverterImpl implements EnumerableRel {
    MnemoToEnumerableConverter(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
        super(cluster, ConventionTraitDef.INSTANCE, traits, input);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new MnemoToEnumerableConverter(getCluster(), traitSet, sole(inputs));
    }

    /**
     * Building each row's SQL values, one per column it carries: a scan that carries only the columns the query uses
     * ({@link MnemoProject} under this converter) costs less than one that converts every column (a date column's
     * conversion alone was a fifth of TPC-H q18's time, which uses 2 of lineitem's 16 columns).
     */
    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        RelOptCost cost = super.computeSelfCost(planner, mq);
        return cost == null ? null : cost.multiplyBy(0.02 * getRowType().getFieldCount());
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        ScanSpec.Builder builder = new ScanSpec.Builder();
        ((MnemoRel) getInput()).implement(builder);
        ScanSpec spec = builder.build();
        // Calcite wants a one-column row as the bare value (SCALAR), wider ones as Object[] (ARRAY)
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
        BlockBuilder block = new BlockBuilder();
        Expression stashed = implementor.stash(spec, ScanSpec.class);
        String method = physType.getFormat() == JavaRowFormat.SCALAR ? "executeScalar" : "execute";
        block.add(Expressions.return_(null, Expressions.call(stashed, method, DataContext.ROOT)));
        return implementor.result(physType, block.toBlock());
    }
}
