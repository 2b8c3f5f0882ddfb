package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilder;

/**
 * A correlated {@code EXISTS} or {@code NOT EXISTS} whose correlation is all in the subquery's WHERE, as a semi or
 * anti join of the outer query with the subquery's FROM on that condition.
 *
 * <p>Calcite's subquery removal makes {@code EXISTS (select … from x where c)} a correlate over
 * {@code Aggregate(group by TRUE) ← Project(TRUE) ← Filter(c) ← x} (inner for EXISTS; left, with an
 * {@code IS NULL} filter above, for NOT EXISTS), and its decorrelator then turns the correlate into joins with the
 * distinct values of the outer columns, computing the outer query several times over (TPC-H q21: three times,
 * with an aggregate each). As a semi or anti join the subquery becomes one lookup join per outer row
 * ({@link MnemoLookupJoin}) where {@code c} equates a key of {@code x} with outer columns, and otherwise a hash
 * semi or anti join.
 */
final class CorrelatedExistsRule extends RelRule<MnemoRuleConfig> {
    /** {@code EXISTS}: the inner correlate, as a semi join. */
    static final CorrelatedExistsRule EXISTS = (CorrelatedExistsRule) MnemoRuleConfig.of("CorrelatedExistsRule",
            b -> b.operand(LogicalCorrelate.class).anyInputs(), CorrelatedExistsRule::new).toRule();
    /** {@code NOT EXISTS}: the left correlate under a filter on {@code IS NULL} of its marker, as an anti join. */
    static final CorrelatedExistsRule NOT_EXISTS = (CorrelatedExistsRule) MnemoRuleConfig.of(
            "CorrelatedNotExistsRule", b -> b.operand(LogicalFilter.class)
                    .oneInput(c -> c.operand(LogicalCorrelate.class).anyInputs()),
            CorrelatedExistsRule::new).toRule();

    private CorrelatedExistsRule(MnemoRuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        if (call.getRelList().size() == 1) {
            exists(call, call.rel(0));
        } else {
            notExists(call, call.rel(0), call.rel(1));
        }
    }

    private static void exists(RelOptRuleCall call, LogicalCorrelate correlate) {
        if (correlate.getJoinType() != JoinRelType.INNER) {
            return;
        }
        RelNode semi = join(correlate, JoinRelType.SEMI);
        if (semi == null) {
            return;
        }
        RexBuilder rex = correlate.getCluster().getRexBuilder();
        call.transformTo(withMarker(call.builder().push(semi), correlate, rex.makeLiteral(true)).build());
    }

    private static void notExists(RelOptRuleCall call, LogicalFilter filter, LogicalCorrelate correlate) {
        if (correlate.getJoinType() != JoinRelType.LEFT) {
            return;
        }
        int marker = correlate.getLeft().getRowType().getFieldCount();
        List<RexNode> rest = new ArrayList<>();
        boolean absent = false;
        for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
            if (!absent && c.getKind() == SqlKind.IS_NULL && ((RexCall) c).getOperands().get(0) instanceof RexInputRef r
                    && r.getIndex() == marker) {
                absent = true;
            } else if (RelOptUtil.InputFinder.bits(c).get(marker)) {
                return; // the marker used otherwise: not a plain NOT EXISTS
            } else {
                rest.add(c);
            }
        }
        RelNode anti = absent ? join(correlate, JoinRelType.ANTI) : null;
        if (anti == null) {
            return;
        }
        RexBuilder rex = correlate.getCluster().getRexBuilder();
        RelDataTypeField markerField = correlate.getRowType().getFieldList().get(marker);
        RelBuilder b = withMarker(call.builder().push(anti), correlate, rex.makeNullLiteral(markerField.getType()));
        call.transformTo(b.filter(rest).build());
    }

    /** The correlate's columns over {@code b}'s top (the correlate's left side): its own, then the marker. */
    private static RelBuilder withMarker(RelBuilder b, LogicalCorrelate correlate, RexNode marker) {
        List<RexNode> exprs = new ArrayList<>(b.fields());
        exprs.add(marker);
        return b.project(exprs, correlate.getRowType().getFieldNames(), true);
    }

    /**
     * The join of the correlate's left side with the FROM of its right side ({@code Aggregate ← Project(TRUE) ←
     * Filter ← from}) on the filter's condition, its correlation variables made references to the left side; null
     * if the right side has another shape or the correlation goes deeper than that filter.
     */
    private static RelNode join(LogicalCorrelate correlate, JoinRelType type) {
        if (!(correlate.getRight().stripped() instanceof Aggregate agg) || agg.getGroupCount() != 1
                || !agg.getAggCallList().isEmpty()
                || !(agg.getInput().stripped() instanceof Project project) || project.getProjects().size() != 1
                || !project.getProjects().get(0).isAlwaysTrue()
                || !(project.getInput().stripped() instanceof Filter filter) || correlated(filter.getInput())) {
            return null;
        }
        CorrelationId id = correlate.getCorrelationId();
        int leftCount = correlate.getLeft().getRowType().getFieldCount();
        boolean[] foreign = {false};
        RexNode condition = filter.getCondition().accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return new RexInputRef(leftCount + ref.getIndex(), ref.getType());
            }

            @Override
            public RexNode visitFieldAccess(RexFieldAccess access) {
                if (access.getReferenceExpr() instanceof RexCorrelVariable v && v.id.equals(id)) {
                    return new RexInputRef(access.getField().getIndex(), access.getType());
                }
                foreign[0] = true;
                return access;
            }

            @Override
            public RexNode visitCorrelVariable(RexCorrelVariable variable) {
                foreign[0] = true;
                return variable;
            }
        });
        if (foreign[0]) {
            return null;
        }
        return LogicalJoin.create(correlate.getLeft(), filter.getInput(), List.of(), condition, Set.of(), type);
    }

    /** Whether anything in {@code rel}'s tree refers to a correlation variable. */
    private static boolean correlated(RelNode rel) {
        RelNode r = rel.stripped();
        boolean[] found = {false};
        r.accept(new RexShuttle() {
            @Override
            public RexNode visitCorrelVariable(RexCorrelVariable variable) {
                found[0] = true;
                return variable;
            }
        });
        if (found[0]) {
            return true;
        }
        for (RelNode input : r.getInputs()) {
            if (correlated(input)) {
                return true;
            }
        }
        return false;
    }
}
