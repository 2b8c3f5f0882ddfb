package dev.mnemo.calcite;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * Pulls the conditions every branch of an OR shares out of it: {@code (a AND b) OR (a AND c)} becomes
 * {@code a AND (b OR c)}. TPC-H q19 writes its join condition {@code p_partkey = l_partkey} inside each of three OR
 * branches; pulled out, it becomes an equi-join instead of a filter over a cross product.
 */
final class OrFactorRule extends RelRule<MnemoRuleConfig> {
    static final OrFactorRule INSTANCE = (OrFactorRule) MnemoRuleConfig.of("OrFactorRule",
            b -> b.operand(LogicalFilter.class).anyInputs(), OrFactorRule::new).toRule();

    private OrFactorRule(MnemoRuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalFilter filter = call.rel(0);
        RexNode condition = filter.getCondition();
        if (!RexUtil.find(org.apache.calcite.sql.SqlKind.OR).anyContain(java.util.List.of(condition))) {
            return;
        }
        RexNode factored = RexUtil.pullFactors(filter.getCluster().getRexBuilder(), condition);
        // only when something was pulled out (so the rule cannot loop on an equivalent rewrite)
        if (RelOptUtil.conjunctions(factored).size() > RelOptUtil.conjunctions(condition).size()) {
            call.transformTo(filter.copy(filter.getTraitSet(), filter.getInput(), factored));
        }
    }
}
