package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * The phases every Mnemo statement is planned in, as Calcite-based engines that plan big joins do (Hive, Hazelcast,
 * Calcite's own {@link Programs#heuristicJoinOrder}):
 *
 * <ol>
 *   <li>Mnemo's rewrites for standard answers ({@link NtileRewrite}), and long IN lists taken out of WHERE
 *       clauses ({@link InListRule});
 *   <li>subqueries to joins and correlates; correlated EXISTS and NOT EXISTS to semi and anti joins
 *       ({@link CorrelatedExistsRule}); decorrelation of the rest, field trimming (as Calcite's standard program);
 *   <li>logical rewrites in a {@code HepPlanner}: conditions common to every branch of an OR pulled out of it
 *       ({@link OrFactorRule}), filters pushed into and through joins, projections and
 *       aggregates, constants in filters reduced, projections merged (projections keep their column references:
 *       a key column known to be constant is not replaced by the constant, so key lookups and joins keep their
 *       shape);
 *   <li>join order, once per query: the inner joins of three or more inputs are gathered into a {@code MultiJoin}
 *       and {@code LoptOptimizeJoinRule} orders them by the tables' statistics (row counts, unique keys,
 *       selectivity), greedily rather than by exhaustive search;
 *   <li>a grouped aggregate joined on a group key computed only for the keys that can join
 *       ({@link AggregateKeyReductionRule}: the decorrelated form of a correlated scalar subquery);
 *   <li>the physical, cost-based phase in the Volcano planner, without the rules that reorder joins (associate,
 *       push-through), so its search grows with the size of the plan and not with the number of join orders. A
 *       join may still be commuted, so a lookup or hash join can pick its sides. The phase has a time budget
 *       ({@link PlanningBudget}): past it the planner stops and keeps the cheapest plan found (if it has none yet,
 *       it goes on until it has one);
 *   <li>Calcite's physical tweaks (projections and filters to {@code Calc}).
 * </ol>
 */
final class MnemoPrograms {
    /**
     * Rules the physical phase does without: those that enumerate join orders (exponential in the number of joins),
     * and merge joins, whose sorts (on composite keys through Calcite's generic list comparator) took half of the
     * TPC-H execution time; hash and lookup joins do the same work without sorting.
     */
    private static final List<RelOptRule> SEARCH_RULES = List.of(CoreRules.JOIN_ASSOCIATE,
            JoinPushThroughJoinRule.LEFT, JoinPushThroughJoinRule.RIGHT, CoreRules.AGGREGATE_JOIN_TRANSPOSE,
            CoreRules.AGGREGATE_JOIN_TRANSPOSE_EXTENDED,
            org.apache.calcite.adapter.enumerable.EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);

    /**
     * The rules taken out of the planner for the physical phase: {@link #SEARCH_RULES}, and those of Calcite's
     * default set that have nothing to do in a Mnemo plan (materialized views, streams, star tables, the
     * interpreter's table scans) or whose work the logical phase has done (filter push-down, constant reduction,
     * semi-joins), or that only add alternatives no Mnemo plan is better for (projections under filters, sorts
     * through joins), so the phase does not spend its time matching them (with these gone it took about 40% less
     * time on TPC-H q4, q5 and q16, a few percent less over all 22).
     */
    private static final java.util.function.Predicate<RelOptRule> NOT_PHYSICAL = rule -> {
        String name = rule.getClass().getSimpleName();
        return SEARCH_RULES.contains(rule) || name.startsWith("MaterializedView") || name.startsWith("Delta")
                || name.contains("StarTable")
                || name.contains("Exchange") || name.startsWith("Sample") || name.startsWith("FilterSample")
                || name.equals("BindableTableScanRule") || name.equals("ProjectTableScanRule")
                || name.equals("FilterTableScanRule") || name.equals("EnumerableInterpreterRule")
                || rule == CoreRules.FILTER_INTO_JOIN || rule == CoreRules.JOIN_CONDITION_PUSH
                || rule == CoreRules.FILTER_PROJECT_TRANSPOSE || rule == CoreRules.FILTER_MERGE
                || rule == CoreRules.FILTER_AGGREGATE_TRANSPOSE || rule == CoreRules.FILTER_REDUCE_EXPRESSIONS
                || rule == CoreRules.PROJECT_FILTER_TRANSPOSE || rule == CoreRules.SORT_JOIN_TRANSPOSE
                || rule == CoreRules.PROJECT_TO_SEMI_JOIN || rule == CoreRules.JOIN_TO_SEMI_JOIN
                || rule == CoreRules.JOIN_ON_UNIQUE_TO_SEMI_JOIN
                || rule == CoreRules.AGGREGATE_PROJECT_PULL_UP_CONSTANTS;
    };

    /** Long IN lists out of WHERE clauses, before anything else looks at (and grows with) them. */
    private static final HepProgram IN_LISTS = new HepProgramBuilder()
            .addRuleInstance(InListRule.INSTANCE)
            .build();

    /** Correlated EXISTS and NOT EXISTS as semi and anti joins, before the decorrelator sees them. */
    private static final HepProgram EXISTS = new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleCollection(List.of(CorrelatedExistsRule.EXISTS, CorrelatedExistsRule.NOT_EXISTS))
            .build();

    /** Rewrites that always pay off, applied to a fixpoint before joins are ordered. */
    private static final HepProgram LOGICAL = new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleCollection(List.of(
                    InListRule.INSTANCE,
                    OrFactorRule.INSTANCE,
                    CoreRules.FILTER_REDUCE_EXPRESSIONS,
                    CoreRules.FILTER_MERGE,
                    CoreRules.FILTER_INTO_JOIN,
                    CoreRules.JOIN_CONDITION_PUSH,
                    CoreRules.FILTER_PROJECT_TRANSPOSE,
                    CoreRules.FILTER_AGGREGATE_TRANSPOSE,
                    CoreRules.FILTER_SET_OP_TRANSPOSE,
                    CoreRules.PROJECT_MERGE,
                    CoreRules.PROJECT_REMOVE,
                    CoreRules.PROJECT_TO_SEMI_JOIN,
                    CoreRules.JOIN_TO_SEMI_JOIN))
            .build();

    /** Grouped aggregates joined on a group key reduced to the keys that can join (AggregateKeyReductionRule). */
    private static final HepProgram AGGREGATE_KEYS = new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleInstance(AggregateKeyReductionRule.INSTANCE)
            .build();

    /** Gathers the inner joins of a tree, bottom up, into MultiJoins. */
    private static final HepProgram TO_MULTI_JOIN = new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleCollection(List.of(CoreRules.JOIN_TO_MULTI_JOIN, CoreRules.PROJECT_MULTI_JOIN_MERGE,
                    CoreRules.FILTER_MULTI_JOIN_MERGE))
            .build();

    /** Expands each MultiJoin into the join order its statistics favour. */
    private static final HepProgram ORDER_JOINS = new HepProgramBuilder()
            .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
            .build();

    /** Every phase, in order, each begun only if the statement is still wanted ({@link #checked}). */
    static final Program ALL = Programs.sequence(
            checked(NtileRewrite.INSTANCE),
            checked(hep(IN_LISTS, true)),
            checked(Programs.subQuery(MnemoMetadata.PROVIDER)),
            checked(hep(EXISTS, true)),
            checked(Programs.decorrelate()),
            checked(Programs.trim()),
            checked(hep(LOGICAL, true)),
            checked(MnemoPrograms::orderJoins),
            checked(MnemoPrograms::reduceAggregates),
            checked(MnemoPrograms::physical),
            checked(Programs.calc(MnemoMetadata.PROVIDER)));

    private MnemoPrograms() {
    }

    /**
     * {@code program} in a Hep planner, as Calcite's {@code Programs.of(program, noDag, metadata)} with Mnemo's
     * metadata, that looks before each rule it fires whether the statement was canceled or ran past its query
     * timeout ({@link dev.mnemo.engine.Mnemo#checkCanceled}): Calcite's Hep planners have no cancel flag.
     */
    private static Program hep(HepProgram program, boolean noDag) {
        return (planner, rel, traits, materializations, lattices) -> {
            org.apache.calcite.plan.hep.HepPlanner hep = new org.apache.calcite.plan.hep.HepPlanner(program, null,
                    noDag, null, org.apache.calcite.plan.RelOptCostImpl.FACTORY);
            List<org.apache.calcite.rel.metadata.RelMetadataProvider> providers =
                    new java.util.ArrayList<>(List.of(MnemoMetadata.PROVIDER));
            hep.registerMetadataProviders(providers);
            materializations.forEach(hep::addMaterialization);
            lattices.forEach(hep::addLattice);
            rel.getCluster().setMetadataProvider(
                    org.apache.calcite.rel.metadata.ChainedRelMetadataProvider.of(providers));
            hep.addListener(CANCEL_CHECK);
            hep.setRoot(rel);
            return hep.findBestExp();
        };
    }

    /** Looks, before each rule a Hep planner fires, whether the statement is still wanted. */
    private static final org.apache.calcite.plan.RelOptListener CANCEL_CHECK = new RuleAttemptListener() {
        @Override
        public void ruleAttempted(RuleAttemptedEvent event) {
            if (event.isBefore()) {
                dev.mnemo.engine.Mnemo.checkCanceled();
            }
        }
    };

    /**
     * {@code phase}, begun after a look at whether the statement was canceled or ran past its query timeout
     * ({@link dev.mnemo.engine.Mnemo#checkCanceled}): the Hep phases' planners have no cancel flag, and a phase of a
     * join of 60 tables takes a few hundred milliseconds. (Join ordering looks more often, see
     * {@link MnemoMetadata.RowCounts}.)
     */
    private static Program checked(Program phase) {
        return (planner, rel, traits, materializations, lattices) -> {
            dev.mnemo.engine.Mnemo.checkCanceled();
            return phase.run(planner, rel, traits, materializations, lattices);
        };
    }

    /**
     * Aggregates reduced to the keys that can join ({@link AggregateKeyReductionRule}); where one was, the plan's
     * unused columns trimmed again, so the table the keys now join carries only the columns used. (Only then: trimming
     * an untouched plan again would put projections between filters and scans that the access-path rules read.)
     */
    private static RelNode reduceAggregates(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                                            List<RelOptMaterialization> materializations,
                                            List<RelOptLattice> lattices) {
        int[] reduced = AggregateKeyReductionRule.REDUCED.get();
        reduced[0] = 0;
        RelNode out = REDUCE_AGGREGATES.run(planner, rel, requiredOutputTraits, materializations, lattices);
        if (reduced[0] == 0) {
            return out;
        }
        RelNode trimmed = TRIM.run(planner, out, requiredOutputTraits, materializations, lattices);
        return FILTERS_DOWN.run(planner, trimmed, requiredOutputTraits, materializations, lattices);
    }

    private static final Program REDUCE_AGGREGATES = hep(AGGREGATE_KEYS, true);

    private static final Program TRIM = Programs.trim();

    /** Filters back under the projections trimming put above them, next to their scans (engine guards). */
    private static final Program FILTERS_DOWN = hep(new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleInstance(CoreRules.FILTER_PROJECT_TRANSPOSE)
            .build(), true);

    /** Join ordering, where there is an order to choose: three or more inputs joined. */
    private static RelNode orderJoins(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                                      List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
        if (RelOptUtil.countJoins(rel) < 2) {
            return rel;
        }
        RelNode multi = hep(TO_MULTI_JOIN, false)
                .run(planner, rel, requiredOutputTraits, materializations, lattices);
        return hep(ORDER_JOINS, false)
                .run(planner, multi, requiredOutputTraits, materializations, lattices);
    }

    /** The cost-based physical phase in the Volcano planner, within the statement's planning budget. */
    private static RelNode physical(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                                    List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
        for (RelOptRule rule : List.copyOf(planner.getRules())) {
            if (NOT_PHYSICAL.test(rule)) {
                planner.removeRule(rule);
            }
        }
        planner.setRoot(rel);
        RelNode root = rel.getTraitSet().equals(requiredOutputTraits) ? rel
                : planner.changeTraits(rel, requiredOutputTraits);
        planner.setRoot(root);
        PlanningBudget budget = planner.getContext().maybeUnwrap(PlanningBudget.class).orElse(null);
        if (budget != null) {
            budget.start();
        }
        try {
            return planner.chooseDelegate().findBestExp();
        } catch (RelOptPlanner.CannotPlanException e) {
            if (budget == null || !budget.exhausted()) {
                throw e;
            }
            // out of time before any complete plan: go on (from where the search stopped) until there is one
            budget.stop();
            return planner.chooseDelegate().findBestExp();
        } finally {
            if (budget != null) {
                budget.stop();
            }
        }
    }
}
