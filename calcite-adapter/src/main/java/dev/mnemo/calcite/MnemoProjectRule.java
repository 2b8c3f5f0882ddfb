package dev.mnemo.calcite;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilderFactory;

/**
 * Pushes a projection of plain columns into the engine side ({@link MnemoProject}) over whatever Mnemo operators
 * are below it, so that only those columns of each record are turned into SQL values.
 */
final class MnemoProjectRule extends RelRule<MnemoProjectRule.Config> {
    static final MnemoProjectRule INSTANCE = new Config(RelFactories.LOGICAL_BUILDER, "MnemoProjectRule",
            b0 -> b0.operand(LogicalProject.class).predicate(MnemoProjectRule::plainColumns).anyInputs()).toRule();

    private MnemoProjectRule(Config config) {
        super(config);
    }

    private static boolean plainColumns(LogicalProject p) {
        for (RexNode e : p.getProjects()) {
            if (!(e instanceof RexInputRef)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalProject project = call.rel(0);
        RelNode input = convert(project.getInput(), project.getInput().getTraitSet().replace(MnemoRel.CONVENTION));
        call.transformTo(new MnemoProject(project.getCluster(), project.getTraitSet().replace(MnemoRel.CONVENTION),
                input, project.getProjects(), project.getRowType()));
    }

    /** The rule's configuration (written out: Calcite's rule configs are normally generated). */
    record Config(RelBuilderFactory relBuilderFactory, String description, OperandTransform operandSupplier)
            implements RelRule.Config {
        @Override
        public MnemoProjectRule toRule() {
            return new MnemoProjectRule(this);
        }

        @Override
        public Config withRelBuilderFactory(RelBuilderFactory factory) {
            return new Config(factory, description, operandSupplier);
        }

        @Override
        public Config withDescription(String d) {
            return new Config(relBuilderFactory, d, operandSupplier);
        }

        @Override
        public Config withOperandSupplier(OperandTransform transform) {
            return new Config(relBuilderFactory, description, transform);
        }
    }
}
