package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Turns ORDER BY the key (all ascending or all descending, in key order), with or without LIMIT/OFFSET, or a
 * bare LIMIT, into a {@link MnemoLimit} over a Mnemo scan: the engine walks keys in that order (no sort) and
 * reads only about OFFSET + LIMIT rows. Only
 * where the key types order alike in SQL and in the engine (see {@link SqlValues#ordersAlike}); where the input
 * has no walking Mnemo scan (a filter remains above it, say), the MnemoLimit cannot be implemented and Calcite's
 * own sort is used.
 */
final class MnemoSortRule extends RelRule<MnemoRuleConfig> {
    static final MnemoSortRule INSTANCE = (MnemoSortRule) MnemoRuleConfig.of("MnemoSortRule",
            b0 -> b0.operand(LogicalSort.class)
                    .predicate(s -> s.fetch != null || !s.getCollation().getFieldCollations().isEmpty())
                    .anyInputs(), MnemoSortRule::new).toRule();

    private MnemoSortRule(MnemoRuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalSort sort = call.rel(0);
        if (intValue(sort.fetch, Integer.MAX_VALUE) < 0 || intValue(sort.offset, 0) < 0) {
            return; // a ? limit or offset: left to Calcite
        }
        RelNode below = sort.getInput() instanceof RelSubset subset ? subset.getOriginal() : sort.getInput();
        if (sort.getCollation().getFieldCollations().isEmpty() && below instanceof Project project
                && tableUnder(project.getInput()) != null) {
            // a bare LIMIT goes under a projection: Project(MnemoLimit(scan))
            RelNode input = convert(project.getInput(),
                    project.getInput().getTraitSet().replace(MnemoRel.CONVENTION));
            RelNode limit = new MnemoLimit(sort.getCluster(), input.getTraitSet(), input, sort.getCollation(),
                    sort.offset, sort.fetch, false);
            call.transformTo(project.copy(project.getTraitSet(), List.of(limit)));
            return;
        }
        MnemoTable table = tableUnder(sort.getInput());
        if (table == null) {
            return;
        }
        Boolean descending = keyOrder(sort.getCollation(), table.shape);
        if (descending == null) {
            return;
        }
        RelTraitSet traits = sort.getTraitSet().replace(MnemoRel.CONVENTION);
        RelNode input = convert(sort.getInput(), sort.getInput().getTraitSet().replace(MnemoRel.CONVENTION));
        call.transformTo(new MnemoLimit(sort.getCluster(), traits, input, sort.getCollation(), sort.offset,
                sort.fetch, descending));
    }

    /** The Mnemo table whose columns {@code n} passes through unchanged (through filters only), or null. */
    private static MnemoTable tableUnder(RelNode n) {
        RelNode r = n;
        while (r != null) {
            if (r instanceof RelSubset subset) {
                r = subset.getOriginal();
            } else if (r instanceof MnemoTableScan scan) {
                return scan.mnemoTable;
            } else if (r instanceof MnemoProject) {
                return null; // columns renumbered: the collation's field indices are not the table's
            } else if (r instanceof Filter f) {
                r = f.getInput();
            } else {
                return null;
            }
        }
        return null;
    }

    /** A literal's int value, {@code dflt} if absent, -1 if not a literal (a ? parameter). */
    static int intValue(RexNode n, int dflt) {
        if (n == null) {
            return dflt;
        }
        Integer v = n instanceof RexLiteral lit ? lit.getValueAs(Integer.class) : null;
        return v == null ? -1 : v;
    }

    /** False (ascending) or true (descending) if the collation is empty or the key in key order; else null. */
    private static Boolean keyOrder(RelCollation collation, SqlShape shape) {
        List<RelFieldCollation> fields = collation.getFieldCollations();
        if (fields.isEmpty()) {
            return false;
        }
        int[] key = shape.keyColumns();
        if (fields.size() > key.length) {
            return null;
        }
        boolean desc = fields.get(0).getDirection().isDescending();
        for (int i = 0; i < fields.size(); i++) {
            RelFieldCollation f = fields.get(i);
            if (f.getFieldIndex() != key[i] || f.getDirection().isDescending() != desc
                    || !SqlValues.ordersAlike(shape.columns().get(key[i]).type())) {
                return null;
            }
        }
        return desc;
    }
}
