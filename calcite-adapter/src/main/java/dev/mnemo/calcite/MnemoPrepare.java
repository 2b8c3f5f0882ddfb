package dev.mnemo.calcite;

import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalcitePrepareImpl;

/**
 * Calcite's statement preparation with Mnemo's rules in every planner (so that INSERT without a scan, and
 * UPDATE/DELETE, are implemented by Mnemo). The JDBC driver prepares with this.
 */
public final class MnemoPrepare extends CalcitePrepareImpl {
    @Override
    protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext, org.apache.calcite.plan.Context externalContext,
                                          RelOptCostFactory costFactory) {
        RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
        planner.addRule(MnemoRules.MODIFY);
        planner.addRule(MnemoRules.TO_ENUMERABLE);
        planner.addRule(MnemoFilterRule.INSTANCE);
        return planner;
    }
}
