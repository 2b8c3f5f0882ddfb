package dev.mnemo.calcite;

import java.lang.reflect.Type;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalcitePrepareImpl;

/**
 * Calcite's statement preparation with Mnemo's rules in every planner (so that INSERT without a scan, and
 * UPDATE/DELETE, are implemented by Mnemo), and with SQLStates on parse and validation errors. The JDBC driver
 * prepares with this.
 */
public final class MnemoPrepare extends CalcitePrepareImpl {
    @Override
    public <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context context, Query<T> query, Type elementType,
                                               long maxRowCount) {
        try {
            return super.prepareSql(context, query, elementType, maxRowCount);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        } catch (AssertionError e) {
            throw SqlErrors.plannerAssertion(e);
        }
    }

    @Override
    protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext, org.apache.calcite.plan.Context externalContext,
                                          RelOptCostFactory costFactory) {
        RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
        planner.addRule(MnemoRules.MODIFY);
        planner.addRule(MnemoRules.TO_ENUMERABLE);
        planner.addRule(MnemoFilterRule.INSTANCE);
        planner.addRule(MnemoSortRule.INSTANCE);
        planner.addRule(MnemoProjectRule.INSTANCE);
        planner.addRule(MnemoLookupJoinRule.INSTANCE);
        return planner;
    }
}
