package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Takes a long IN list ({@value #THRESHOLD} values or more, literals or {@code ?} parameters; Calcite writes it as
 * {@code c = v1 OR c = v2 OR …}, or as a SEARCH over points) out of a WHERE clause before any other rule sees it, so
 * that planning, simplification and code generation stay linear in the list: on the single key column of a Mnemo
 * table scan it becomes that scan's key lookups; elsewhere a {@link MnemoInList}, a hash-set filter.
 */
final class InListRule extends RelRule<MnemoRuleConfig> {
    /** From this many values on, an IN list is taken out (Calcite's own IN-to-join threshold is 20). */
    static final int THRESHOLD = 20;

    static final InListRule INSTANCE = (InListRule) MnemoRuleConfig.of("InListRule",
            b -> b.operand(LogicalFilter.class).anyInputs(), InListRule::new).toRule();

    private InListRule(MnemoRuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalFilter filter = call.rel(0);
        RexBuilder rex = filter.getCluster().getRexBuilder();
        List<RexNode> conjuncts = RelOptUtil.conjunctions(filter.getCondition());
        for (int i = 0; i < conjuncts.size(); i++) {
            List<RexNode> equalities = equalities(rex, conjuncts.get(i));
            int column = equalities == null ? -1 : commonColumn(equalities);
            if (column < 0) {
                continue;
            }
            List<RexNode> rest = new ArrayList<>(conjuncts);
            rest.remove(i);
            RelNode input = filter.getInput().stripped();
            RelNode narrowed = keyLookup(input, column, equalities);
            if (narrowed == null) {
                List<Object> literals = new ArrayList<>();
                List<Integer> params = new ArrayList<>();
                for (RexNode e : equalities) {
                    RexNode v = ((RexCall) e).getOperands().get(1);
                    if (v instanceof RexDynamicParam p) {
                        params.add(p.getIndex());
                    } else {
                        literals.add(((RexLiteral) v).getValue3());
                    }
                }
                narrowed = new MnemoInList(filter.getCluster(), filter.getTraitSet(), filter.getInput(),
                        InListSpec.of(column, literals, params));
            }
            call.transformTo(rest.isEmpty() ? narrowed
                    : filter.copy(filter.getTraitSet(), narrowed, RexUtil.composeConjunction(rex, rest)));
            return;
        }
    }

    /**
     * The disjuncts of {@code conjunct}, each {@code $column = literal-or-parameter} (normalised to that order), if
     * it is such a disjunction of at least {@value #THRESHOLD}; else null.
     */
    private static List<RexNode> equalities(RexBuilder rex, RexNode conjunct) {
        RexNode c = conjunct;
        if (c.isA(SqlKind.SEARCH)) {
            org.apache.calcite.util.Sarg<?> sarg = ((RexLiteral) ((RexCall) c).getOperands().get(1))
                    .getValueAs(org.apache.calcite.util.Sarg.class);
            if (sarg == null || !sarg.isPoints() || sarg.pointCount < THRESHOLD) {
                return null;
            }
            c = RexUtil.expandSearch(rex, null, c);
        }
        if (!c.isA(SqlKind.OR)) {
            return null;
        }
        List<RexNode> disjuncts = RelOptUtil.disjunctions(c);
        if (disjuncts.size() < THRESHOLD) {
            return null;
        }
        List<RexNode> out = new ArrayList<>(disjuncts.size());
        for (RexNode d : disjuncts) {
            if (!d.isA(SqlKind.EQUALS)) {
                return null;
            }
            RexCall eq = (RexCall) d;
            boolean flipped = !(eq.getOperands().get(0) instanceof RexInputRef);
            RexNode a = eq.getOperands().get(flipped ? 1 : 0);
            RexNode b = eq.getOperands().get(flipped ? 0 : 1);
            if (!(a instanceof RexInputRef) || !(b instanceof RexLiteral || b instanceof RexDynamicParam)) {
                return null;
            }
            out.add(flipped ? rex.makeCall(eq.getOperator(), a, b) : eq);
        }
        return out;
    }

    /** The one column all equalities compare, or -1. */
    private static int commonColumn(List<RexNode> equalities) {
        int column = -1;
        for (RexNode e : equalities) {
            int c = ((RexInputRef) ((RexCall) e).getOperands().get(0)).getIndex();
            if (column >= 0 && c != column) {
                return -1;
            }
            column = c;
        }
        return column;
    }

    /**
     * The scan reading just these keys, if {@code input} is a full scan (or a projection of one) and the column its
     * single key column.
     */
    private static RelNode keyLookup(RelNode input, int column, List<RexNode> equalities) {
        if (input instanceof org.apache.calcite.rel.core.Project project) {
            // through a projection that passes the column on (SQL's view of the table's columns)
            RexNode e = project.getProjects().get(column);
            RelNode below = e instanceof RexInputRef ref
                    ? keyLookup(project.getInput().stripped(), ref.getIndex(), equalities) : null;
            return below == null ? null : project.copy(project.getTraitSet(), List.of(below));
        }
        if (!(input instanceof MnemoTableScan scan) || scan.path.kind != AccessPath.Kind.FULL_SCAN
                || !scan.path.guard.isEmpty()) {
            return null;
        }
        SqlShape shape = scan.mnemoTable.shape;
        if (shape.keyColumns().length != 1 || shape.keyColumns()[0] != column) {
            return null;
        }
        dev.mnemo.engine.AttrType type = shape.columns().get(column).type();
        List<List<AccessPath.ValueRef>> keys = new ArrayList<>(equalities.size());
        for (RexNode e : equalities) {
            AccessPath.ValueRef v = MnemoFilterRule.value(((RexCall) e).getOperands().get(1), type);
            if (v == null) {
                return null;
            }
            keys.add(List.of(v));
        }
        return scan.withPath(AccessPath.keyLookup(keys));
    }
}
