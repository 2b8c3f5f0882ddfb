package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;

/**
 * {@link MnemoInList} in Calcite's enumerable convention: the generated code calls {@link InListSpec#filter} once
 * on the input's rows; the list itself is stashed, never compiled, and its parameters are resolved into a hash set
 * once per execution.
 */
final class EnumerableInList extends MnemoInList implements EnumerableRel {
    EnumerableInList(RelOptCluster cluster, RelTraitSet traits, RelNode input, InListSpec spec) {
        super(cluster, traits, input, spec);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new EnumerableInList(getCluster(), traitSet, sole(inputs), spec);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        // rows as arrays (or a bare value for one column), never a generated row class, so filter can read them
        Result in = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), in.format);
        BlockBuilder block = new BlockBuilder();
        Expression rows = block.append("rows", in.block);
        Expression stashed = implementor.stash(spec, InListSpec.class);
        block.add(Expressions.return_(null, Expressions.call(stashed, "filter", rows, DataContext.ROOT,
                Expressions.constant(in.format == JavaRowFormat.SCALAR))));
        return implementor.result(physType, block.toBlock());
    }

    /** Converts the logical operator, with its input in the enumerable convention. */
    static final class Rule extends org.apache.calcite.rel.convert.ConverterRule {
        static final Rule INSTANCE = Config.INSTANCE
                .withConversion(MnemoInList.class, org.apache.calcite.plan.Convention.NONE,
                        EnumerableConvention.INSTANCE, "EnumerableInListRule")
                .withRuleFactory(Rule::new)
                .toRule(Rule.class);

        Rule(Config config) {
            super(config);
        }

        @Override
        public RelNode convert(RelNode rel) {
            MnemoInList in = (MnemoInList) rel;
            RelTraitSet traits = in.getTraitSet().replace(EnumerableConvention.INSTANCE);
            return new EnumerableInList(in.getCluster(), traits,
                    convert(in.getInput(), in.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE)),
                    in.spec);
        }
    }
}
