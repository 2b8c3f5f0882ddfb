package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;

/**
 * Computes a grouped aggregate only for the groups its join can use: in {@code L JOIN (SELECT g, agg(…) FROM X GROUP
 * BY g) A ON L.k = A.g}, where {@code L.k} comes from a selective input {@code T} of {@code L} (a filtered table, say),
 * the distinct {@code T.k} are joined to the input of {@code X} that {@code g} comes from (a table), so the aggregate
 * reads the rows of the groups that can join instead of all of {@code X}. This is what a correlated scalar subquery
 * decorrelates into (TPC-H q2: the lowest supply cost per part, wanted for about a hundred parts, was computed for all
 * of them). It runs after the join order is chosen, so the keys stay next to that table, where a few keys become key
 * lookups or key-prefix walks into it.
 *
 * <p>Correct for any {@code T} from which {@code L.k} is passed on unchanged (through joins and projections): every
 * value of {@code L.k} is a value of {@code T.k}, the keys are distinct (so no row of {@code X} is repeated), and the
 * reduction keeps or drops whole groups (it filters on the group key). Applied where {@code T} is not a whole table
 * (a filter, a join…), has at most a tenth of {@code X}'s estimated rows and costs less to read again than {@code X},
 * once per aggregate.
 */
final class AggregateKeyReductionRule extends RelRule<MnemoRuleConfig> {
    static final AggregateKeyReductionRule INSTANCE = (AggregateKeyReductionRule) MnemoRuleConfig.of(
            "AggregateKeyReductionRule", b -> b.operand(LogicalJoin.class).anyInputs(),
            AggregateKeyReductionRule::new).toRule();

    /** How many aggregates this thread's planning reduced (see MnemoPrograms: trimmed again only then). */
    static final ThreadLocal<int[]> REDUCED = ThreadLocal.withInitial(() -> new int[1]);

    private AggregateKeyReductionRule(MnemoRuleConfig config) {
        super(config);
    }

    /** At most this many reductions per statement: a safety net against a plan this rule could keep rewriting. */
    private static final int MAX_PER_STATEMENT = 8;

    @Override
    public void onMatch(RelOptRuleCall call) {
        Join join = call.rel(0);
        if (join.getJoinType() != JoinRelType.INNER || REDUCED.get()[0] >= MAX_PER_STATEMENT) {
            return;
        }
        int leftCount = join.getLeft().getRowType().getFieldCount();
        for (RexNode c : RelOptUtil.conjunctions(join.getCondition())) {
            if (!c.isA(SqlKind.EQUALS) || !(((RexCall) c).getOperands().get(0) instanceof RexInputRef a)
                    || !(((RexCall) c).getOperands().get(1) instanceof RexInputRef b)) {
                continue;
            }
            int lo = Math.min(a.getIndex(), b.getIndex());
            int hi = Math.max(a.getIndex(), b.getIndex());
            if (lo >= leftCount || hi < leftCount) {
                continue; // both on one side
            }
            int[] columns = {lo, hi - leftCount};
            for (int side = 1; side >= 0; side--) { // the aggregate on the right, then on the left
                List<RelNode> inputs = new ArrayList<>(join.getInputs());
                RelNode reduced = reduce(call, inputs.get(side).stripped(), columns[side], inputs.get(1 - side),
                        columns[1 - side]);
                if (reduced != null) {
                    REDUCED.get()[0]++;
                    inputs.set(side, reduced);
                    call.transformTo(join.copy(join.getTraitSet(), inputs));
                    return;
                }
            }
        }
    }

    /**
     * {@code side} (an aggregate, or a projection of one) with its aggregate reduced to the keys column
     * {@code otherColumn} of {@code other} takes, if {@code column} is a group key and the reduction pays; else null.
     */
    private static RelNode reduce(RelOptRuleCall call, RelNode side, int column, RelNode other, int otherColumn) {
        Project project = side instanceof Project p ? p : null;
        RelNode below = project != null ? project.getInput().stripped() : side;
        if (!(below instanceof Aggregate agg) || agg.getGroupType() != Aggregate.Group.SIMPLE) {
            return null;
        }
        int aggColumn = column;
        if (project != null) {
            if (!(project.getProjects().get(column) instanceof RexInputRef ref)) {
                return null;
            }
            aggColumn = ref.getIndex();
        }
        if (aggColumn >= agg.getGroupCount()) {
            return null; // an aggregated value, not a group key
        }
        int inputColumn = agg.getGroupSet().nth(aggColumn);
        RelNode input = agg.getInput().stripped();
        int[] leafColumn = {otherColumn};
        RelNode leaf = origin(other.stripped(), leafColumn, null, null);
        // where in the aggregate's input the group key comes from: the keys are joined right there
        List<RelNode> path = new ArrayList<>();
        List<Integer> ordinals = new ArrayList<>(); // which input of each node on the path leads to the target
        int[] targetColumn = {inputColumn};
        RelNode target = leaf == null ? null : origin(input, targetColumn, path, ordinals);
        if (target == null || leaf instanceof org.apache.calcite.rel.core.TableScan
                || reducedAlready(path, ordinals, leaf)) {
            return null; // a whole table's keys rarely leave out a group (TPC-H q15: every supplier)
        }
        RelMetadataQuery mq = call.getMetadataQuery();
        Double leafRows = mq.getRowCount(leaf);
        Double inputRows = mq.getRowCount(input);
        RelOptCost leafCost = mq.getCumulativeCost(leaf);
        RelOptCost inputCost = mq.getCumulativeCost(input);
        if (leafRows == null || inputRows == null || leafRows * 10 > inputRows || leafCost == null
                || inputCost == null || !leafCost.isLt(inputCost)) {
            return null; // not selective, or reading the keys' input once more costs more than the aggregate's
        }
        RelBuilder b = call.builder();
        List<String> names = target.getRowType().getFieldNames();
        b.push(leaf).aggregate(b.groupKey(leafColumn[0])); // distinct keys: the join must not repeat rows
        b.push(target);
        b.join(JoinRelType.INNER, b.equals(b.field(2, 0, 0), b.field(2, 1, targetColumn[0])));
        List<RexNode> fields = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            fields.add(b.field(1 + i));
        }
        b.project(fields, names, true);
        RelNode replaced = b.build();
        // the path from the aggregate's input down to the target, copied with the target replaced
        for (int i = path.size() - 1; i >= 0; i--) {
            RelNode parent = path.get(i);
            // by position: in a self-join both inputs may be the same node, and only one leads to the group key
            List<RelNode> inputs = new ArrayList<>(parent.getInputs());
            inputs.set(ordinals.get(i), replaced);
            replaced = parent.copy(parent.getTraitSet(), inputs);
        }
        RelNode newAgg = agg.copy(agg.getTraitSet(), List.of(replaced));
        return project == null ? newAgg : project.copy(project.getTraitSet(), List.of(newAgg));
    }

    /**
     * The input of {@code rel} that column {@code column[0]} comes from unchanged, through joins and projections
     * (the column's index there put into {@code column[0]}): the first that is neither; null if the column is
     * computed on the way. The joins and projections passed are added to {@code path} (if not null), top first, and
     * the input each was left by to {@code ordinals}.
     */
    private static RelNode origin(RelNode rel, int[] column, List<RelNode> path, List<Integer> ordinals) {
        RelNode r = rel;
        while (true) {
            if (r instanceof Project p) {
                if (!(p.getProjects().get(column[0]) instanceof RexInputRef ref)) {
                    return null;
                }
                column[0] = ref.getIndex();
            } else if (!(r instanceof Join j) || !j.getJoinType().projectsRight()) {
                return r;
            }
            if (path != null) {
                path.add(r);
            }
            int ordinal = 0;
            if (r instanceof Join j && column[0] >= j.getLeft().getRowType().getFieldCount()) {
                column[0] -= j.getLeft().getRowType().getFieldCount();
                ordinal = 1;
            }
            if (ordinals != null) {
                ordinals.add(ordinal);
            }
            r = r.getInput(ordinal).stripped();
        }
    }

    /**
     * Whether a join on {@code path} already joins {@code leaf} or its distinct keys (this rule did, or the
     * decorrelator's value generator) to the branch of the group key.
     */
    private static boolean reducedAlready(List<RelNode> path, List<Integer> ordinals, RelNode leaf) {
        for (int i = 0; i < path.size(); i++) {
            if (!(path.get(i) instanceof Join j)) {
                continue;
            }
            RelNode sibling = j.getInput(1 - ordinals.get(i)).stripped(); // the input not on the path
            // the keys as this rule made them: an aggregate on them, or a projection where they are unique
            while (sibling instanceof Project || sibling instanceof Aggregate keys
                    && keys.getAggCallList().isEmpty()) {
                sibling = sibling.getInput(0).stripped();
            }
            if (sibling.getDigest().equals(leaf.getDigest())) {
                return true;
            }
        }
        return false;
    }
}
