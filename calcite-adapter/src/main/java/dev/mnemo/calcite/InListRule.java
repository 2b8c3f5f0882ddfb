package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.Sarg;

/**
 * Takes a long IN or NOT IN list ({@value #THRESHOLD} values or more, literals or {@code ?} parameters; Calcite writes
 * IN as {@code c = v1 OR c = v2 OR …} or a SEARCH over points, and NOT IN as the NOT of that, a SEARCH for all but
 * the points, or conjuncts {@code c <> v1 AND c <> v2 AND …}) out of a WHERE clause before any other rule sees it, so
 * that planning, simplification and code generation stay linear in the list (10,000 {@code <>} conjuncts overflowed
 * the stack of Calcite's code generator): an IN list on the single key column of a Mnemo table scan becomes that
 * scan's key lookups; any other list a {@link MnemoInList}, a hash-set filter.
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
            RexNode c = conjuncts.get(i);
            if (c instanceof RexCall list && list.getOperator() instanceof InListOperator op) {
                // written as a list in the parse tree (InListRewrite): the column and the values
                List<RexNode> operands = list.getOperands();
                if (operands.get(0) instanceof RexInputRef ref && operands.subList(1, operands.size()).stream()
                        .allMatch(v -> v instanceof RexLiteral || v instanceof RexDynamicParam)) {
                    List<RexNode> rest = new ArrayList<>(conjuncts);
                    rest.remove(i);
                    replaceValues(call, filter, ref.getIndex(), operands.subList(1, operands.size()), op.negated, rest);
                    return;
                }
                continue;
            }
            List<RexNode> equalities = equalities(rex, c);
            boolean negated = false;
            if (equalities == null) {
                // NOT IN: NOT (c = v1 OR …), or a SEARCH for everything but the points
                equalities = c.isA(SqlKind.NOT) ? equalities(rex, ((RexCall) c).getOperands().get(0))
                        : complementedPoints(rex, c);
                negated = equalities != null;
            }
            int column = equalities == null ? -1 : commonColumn(equalities);
            if (column >= 0) {
                List<RexNode> rest = new ArrayList<>(conjuncts);
                rest.remove(i);
                replace(call, filter, column, equalities, negated, rest);
                return;
            }
        }
        // NOT IN simplified into conjuncts c <> v1 AND c <> v2 AND …
        Map<Integer, Map<RexNode, RexNode>> unequal = new HashMap<>(); // column -> (conjunct -> its equality)
        for (RexNode c : conjuncts) {
            RexNode eq = c.isA(SqlKind.NOT_EQUALS) ? normalised(rex, (RexCall) c, SqlStdOperatorTable.EQUALS) : null;
            if (eq != null) {
                unequal.computeIfAbsent(((RexInputRef) ((RexCall) eq).getOperands().get(0)).getIndex(),
                        k -> new java.util.LinkedHashMap<>()).put(c, eq);
            }
        }
        for (Map.Entry<Integer, Map<RexNode, RexNode>> e : unequal.entrySet()) {
            if (e.getValue().size() >= THRESHOLD) {
                List<RexNode> rest = new ArrayList<>(conjuncts);
                rest.removeAll(e.getValue().keySet());
                replace(call, filter, e.getKey(), new ArrayList<>(e.getValue().values()), true, rest);
                return;
            }
        }
    }

    /** Replaces {@code filter} with the list taken out of it ({@code equalities}) and the {@code rest}. */
    private static void replace(RelOptRuleCall call, LogicalFilter filter, int column, List<RexNode> equalities,
                                boolean negated, List<RexNode> rest) {
        List<RexNode> values = new ArrayList<>(equalities.size());
        for (RexNode e : equalities) {
            values.add(((RexCall) e).getOperands().get(1));
        }
        replaceValues(call, filter, column, values, negated, rest);
    }

    /** Replaces {@code filter} with the list ({@code values}: literals and parameters) and the {@code rest}. */
    private static void replaceValues(RelOptRuleCall call, LogicalFilter filter, int column, List<RexNode> values,
                                      boolean negated, List<RexNode> rest) {
        RexBuilder rex = filter.getCluster().getRexBuilder();
        RelNode narrowed = negated ? null : keyLookup(filter.getInput().stripped(), column, values);
        if (narrowed == null) {
            List<Object> literals = new ArrayList<>();
            List<Integer> params = new ArrayList<>();
            for (RexNode v : values) {
                if (v instanceof RexDynamicParam p) {
                    params.add(p.getIndex());
                } else {
                    literals.add(((RexLiteral) v).getValue3());
                }
            }
            narrowed = new MnemoInList(filter.getCluster(), filter.getTraitSet(), filter.getInput(),
                    InListSpec.of(column, literals, params, negated));
        }
        call.transformTo(rest.isEmpty() ? narrowed
                : filter.copy(filter.getTraitSet(), narrowed, RexUtil.composeConjunction(rex, rest)));
    }

    /**
     * For a SEARCH that keeps every value but some points (and no NULL): the equalities to those points, if at least
     * {@value #THRESHOLD}; else null.
     */
    private static List<RexNode> complementedPoints(RexBuilder rex, RexNode conjunct) {
        if (!conjunct.isA(SqlKind.SEARCH)) {
            return null;
        }
        RexCall search = (RexCall) conjunct;
        RexLiteral literal = (RexLiteral) search.getOperands().get(1);
        Sarg<?> sarg = literal.getValueAs(Sarg.class);
        if (sarg == null || !sarg.isComplementedPoints() || sarg.nullAs == RexUnknownAs.TRUE) {
            return null;
        }
        RexNode points = rex.makeCall(SqlStdOperatorTable.SEARCH, search.getOperands().get(0),
                rex.makeSearchArgumentLiteral(sarg.negate(), literal.getType()));
        return equalities(rex, points);
    }

    /**
     * {@code call} ({@code a op b}) as {@code $column op2 value} with the column first, if one side is a column and
     * the other a literal or parameter; else null.
     */
    private static RexNode normalised(RexBuilder rex, RexCall call, SqlOperator op2) {
        boolean flipped = !(call.getOperands().get(0) instanceof RexInputRef);
        RexNode a = call.getOperands().get(flipped ? 1 : 0);
        RexNode b = call.getOperands().get(flipped ? 0 : 1);
        if (!(a instanceof RexInputRef) || !(b instanceof RexLiteral || b instanceof RexDynamicParam)) {
            return null;
        }
        return rex.makeCall(op2, a, b);
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
            RexNode eq = normalised(rex, (RexCall) d, ((RexCall) d).getOperator());
            if (eq == null) {
                return null;
            }
            out.add(eq);
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
    private static RelNode keyLookup(RelNode input, int column, List<RexNode> values) {
        if (input instanceof org.apache.calcite.rel.core.Project project) {
            // through a projection that passes the column on (SQL's view of the table's columns)
            RexNode e = project.getProjects().get(column);
            RelNode below = e instanceof RexInputRef ref
                    ? keyLookup(project.getInput().stripped(), ref.getIndex(), values) : null;
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
        List<List<AccessPath.ValueRef>> keys = new ArrayList<>(values.size());
        for (RexNode e : values) {
            AccessPath.ValueRef v = MnemoFilterRule.value(e, type);
            if (v == null) {
                return null;
            }
            keys.add(List.of(v));
        }
        return scan.withPath(AccessPath.keyLookup(keys));
    }
}
