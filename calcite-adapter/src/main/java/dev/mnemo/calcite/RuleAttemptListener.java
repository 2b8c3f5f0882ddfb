package dev.mnemo.calcite;

import org.apache.calcite.plan.RelOptListener;

/** A planner listener that hears only of rule attempts ({@link #ruleAttempted}); the other events are ignored. */
abstract class RuleAttemptListener implements RelOptListener {
    @Override
    public void relEquivalenceFound(RelEquivalenceEvent event) {
    }

    @Override
    public void ruleProductionSucceeded(RuleProductionEvent event) {
    }

    @Override
    public void relDiscarded(RelDiscardedEvent event) {
    }

    @Override
    public void relChosen(RelChosenEvent event) {
    }
}
