package dev.mnemo.calcite;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.util.CancelFlag;

/**
 * The time one statement's cost-based phase may take. The Volcano planner checks its cancel flag before every rule
 * it fires and, when the flag is set, stops and keeps the cheapest plan it has found (Calcite's
 * {@code VolcanoTimeoutException}). This listener sets the flag at the first rule attempted after the deadline, so
 * no thread or timer is involved. The budget is 1,000 ms, or the system property {@code mnemo.planningBudgetMillis}
 * as it is when the statement is planned.
 */
final class PlanningBudget extends RuleAttemptListener {
    /** The system property that sets the budget, in milliseconds. */
    static final String PROPERTY = "mnemo.planningBudgetMillis";

    private final AtomicBoolean cancel = new AtomicBoolean();
    private final CancelFlag flag = new CancelFlag(cancel);
    private final long budgetNanos;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile boolean exhausted;

    PlanningBudget() {
        this(Long.getLong(PROPERTY, 1000L));
    }

    PlanningBudget(long millis) {
        this.budgetNanos = millis * 1_000_000L;
    }

    /** The flag to give the planner (in its context). */
    CancelFlag cancelFlag() {
        return flag;
    }

    /** Starts the clock. */
    void start() {
        exhausted = false;
        cancel.set(false);
        deadline = System.nanoTime() + budgetNanos;
    }

    /** Stops the clock; the flag is cleared so that later phases run. */
    void stop() {
        deadline = Long.MAX_VALUE;
        cancel.set(false);
    }

    /** Whether the phase ran out of time (and stopped with the best plan found by then, if any). */
    boolean exhausted() {
        return exhausted;
    }

    @Override
    public void ruleAttempted(RuleAttemptedEvent event) {
        if (System.nanoTime() > deadline) {
            exhausted = true;
            cancel.set(true);
        }
    }
}
