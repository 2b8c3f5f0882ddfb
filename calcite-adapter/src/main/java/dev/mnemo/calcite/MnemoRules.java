package dev.mnemo.calcite;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalTableModify;

/** The planner rules of the Mnemo convention. {@link MnemoPrepare} adds them to every planner. */
final class MnemoRules {
    private MnemoRules() {
    }

    static final ConverterRule TO_ENUMERABLE = ConverterRule.Config.INSTANCE
            .withConversion(RelNode.class, MnemoRel.CONVENTION, EnumerableConvention.INSTANCE,
                    "MnemoToEnumerableConverterRule")
            .withRuleFactory(ToEnumerable::new)
            .toRule(ToEnumerable.class);

    static final ConverterRule MODIFY = ConverterRule.Config.INSTANCE
            .withConversion(LogicalTableModify.class, Convention.NONE, EnumerableConvention.INSTANCE,
                    "MnemoTableModifyRule")
            .withRuleFactory(ModifyRule::new)
            .toRule(ModifyRule.class);

    /** Puts a converter on top of Mnemo operators. */
    static final class ToEnumerable extends ConverterRule {
        ToEnumerable(Config config) {
            super(config);
        }

        @Override
        public RelNode convert(RelNode rel) {
            return new MnemoToEnumerableConverter(rel.getCluster(),
                    rel.getTraitSet().replace(EnumerableConvention.INSTANCE), rel);
        }
    }

    /** Turns Mnemo's logical modification into its enumerable implementation. */
    static final class ModifyRule extends ConverterRule {
        ModifyRule(Config config) {
            super(config);
        }

        @Override
        public RelNode convert(RelNode rel) {
            LogicalTableModify m = (LogicalTableModify) rel;
            if (m.getTable().unwrap(MnemoTable.class) == null) {
                return null;
            }
            var traits = m.getTraitSet().replace(EnumerableConvention.INSTANCE);
            return new MnemoTableModify(m.getCluster(), traits, m.getTable(), m.getCatalogReader(),
                    convert(m.getInput(), m.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE)),
                    m.getOperation(), m.getUpdateColumnList(), m.getSourceExpressionList(), m.isFlattened());
        }
    }
}
