package dev.mnemo.calcite;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;

/**
 * Pushes a projection of plain columns into the engine side ({@link MnemoProject}) over whatever Mnemo operators
 * are below it, so that only those columns of each record are turned into SQL values.
 */
final class MnemoProjectRule extends RelRule<MnemoRuleConfig> {
    static final MnemoProjectRule INSTANCE = (MnemoProjectRule) MnemoRuleConfig.of("MnemoProjectRule",
            b0 -> b0.operand(LogicalProject.class).predicate(MnemoProjectRule::plainColumns).anyInputs(),
            MnemoProjectRule::new).toRule();

    private MnemoProjectRule(MnemoRuleConfig config) {
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
}
