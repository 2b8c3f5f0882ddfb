package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableFilter;
import org.apache.calcite.adapter.enumerable.EnumerableMergeJoin;
import org.apache.calcite.adapter.enumerable.EnumerableProject;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * Offers a merge join ({@link EnumerableMergeJoin}) for an inner equi-join whose two sides both come in the order
 * of their join keys without sorting: each side a walk of a Mnemo table's keys (the whole table, as the side's first
 * form reads it), under filters and projections that keep the key columns, joined on the leading key columns of both
 * tables (orders and their lines on the order key, say). Neither side is hashed or sorted; the planner keeps it
 * where it is cheaper than a hash or lookup join. Sides that are not in key order get no merge join: Calcite's
 * merge join with sorts stays out of the planner (see {@link MnemoPrograms}).
 */
final class MnemoMergeJoinRule extends RelRule<MnemoRuleConfig> {
    static final MnemoMergeJoinRule INSTANCE = (MnemoMergeJoinRule) MnemoRuleConfig.of("MnemoMergeJoinRule",
            b0 -> b0.operand(LogicalJoin.class).predicate(j -> j.getJoinType() == JoinRelType.INNER).anyInputs(),
            MnemoMergeJoinRule::new).toRule();

    /** How deep under a join side the rule looks for the scan (filters and projections). */
    private static final int MAX_DEPTH = 8;

    private MnemoMergeJoinRule(MnemoRuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalJoin join = call.rel(0);
        JoinInfo info = join.analyzeCondition();
        if (!info.isEqui() || info.leftKeys.isEmpty()) {
            return;
        }
        for (int i = 0; i < info.leftKeys.size(); i++) {
            if (!join.getLeft().getRowType().getFieldList().get(info.leftKeys.get(i)).getType().getSqlTypeName()
                    .equals(join.getRight().getRowType().getFieldList().get(info.rightKeys.get(i)).getType()
                            .getSqlTypeName())) {
                return; // keys compared across types: leave it to the hash join
            }
        }
        RelNode left = ordered(join.getLeft(), 0);
        RelNode right = left == null ? null : ordered(join.getRight(), 0);
        if (right == null) {
            return;
        }
        left = enumerable(left);
        right = enumerable(right);
        if (!leads(left, info.leftKeys) || !leads(right, info.rightKeys)) {
            return;
        }
        EnumerableMergeJoin merge = EnumerableMergeJoin.create(left, right, join.getCondition(), info.leftKeys,
                info.rightKeys, JoinRelType.INNER);
        // the order it declares: not Calcite's, which keeps the right side's order even where left keys repeat
        List<RelCollation> order = MnemoMetadata.mergeJoinCollations(join.getCluster().getMetadataQuery(), left,
                right, info.leftKeys);
        call.transformTo(merge.copy(merge.getTraitSet().replaceIfs(
                org.apache.calcite.rel.RelCollationTraitDef.INSTANCE, () -> order), merge.getCondition(), left, right,
                JoinRelType.INNER, merge.isSemiJoinDone()));
    }

    /**
     * Whether {@code side}'s order begins with {@code keys} in that order (the merge join compares its keys in the
     * order of the condition's equalities).
     */
    private static boolean leads(RelNode side, List<Integer> keys) {
        List<RelCollation> collations = side.getCluster().getMetadataQuery().collations(side);
        if (collations == null) {
            return false;
        }
        for (RelCollation c : collations) {
            List<RelFieldCollation> fields = c.getFieldCollations();
            if (fields.size() < keys.size()) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < keys.size() && match; i++) {
                match = fields.get(i).getFieldIndex() == keys.get(i)
                        && fields.get(i).getDirection() == RelFieldCollation.Direction.ASCENDING;
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code n} (a join side in its first, logical form) as physical operators that deliver its rows in its
     * table's key order, or null: a Mnemo scan that walks keys, with the filters and projections above it.
     */
    private static RelNode ordered(RelNode n, int depth) {
        RelNode r = n instanceof RelSubset s ? s.getOriginal() : n;
        if (r == null || depth > MAX_DEPTH) {
            return null;
        }
        if (r instanceof MnemoTableScan scan) {
            return scan.ordered();
        }
        if (r instanceof LogicalFilter f && f.getVariablesSet().isEmpty()) {
            RelNode in = ordered(f.getInput(), depth + 1);
            return in == null ? null : EnumerableFilter.create(enumerable(in), f.getCondition());
        }
        if (r instanceof LogicalProject p && p.getVariablesSet().isEmpty() && !p.containsOver()
                && p.getProjects().stream().allMatch(RexUtil::isDeterministic)) {
            RelNode in = ordered(p.getInput(), depth + 1);
            if (in == null) {
                return null;
            }
            List<RelCollation> order = MnemoMetadata.projectCollations(p.getCluster().getMetadataQuery(), in,
                    p.getProjects());
            if (in.getConvention() == MnemoRel.CONVENTION
                    && p.getProjects().stream().allMatch(e -> e instanceof RexInputRef)) {
                // plain columns: the engine side converts only those (as MnemoProjectRule does)
                return new MnemoProject(p.getCluster(), in.getTraitSet().replaceIfs(
                        org.apache.calcite.rel.RelCollationTraitDef.INSTANCE, () -> order), in,
                        p.getProjects(), p.getRowType());
            }
            RelNode input = enumerable(in);
            return new EnumerableProject(p.getCluster(), input.getTraitSet().replaceIfs(
                    org.apache.calcite.rel.RelCollationTraitDef.INSTANCE, () -> order), input, p.getProjects(),
                    p.getRowType());
        }
        return null;
    }

    /** Mnemo operators under a converter to Calcite's convention, keeping their order. */
    private static RelNode enumerable(RelNode in) {
        return in.getConvention() == MnemoRel.CONVENTION
                ? new MnemoToEnumerableConverter(in.getCluster(), in.getTraitSet().replace(
                        EnumerableConvention.INSTANCE), in)
                : in;
    }
}
