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
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import dev.mnemo.engine.AttrType;

/**
 * Lowers a WHERE clause on a Mnemo table into the engine's most selective access path: every key column {@code =}
 * (or the key {@code IN (…)}) → key lookups; an indexed column {@code =} → index read; {@code < <= > >= BETWEEN} on
 * a single-column key → range walk; {@code =} on leading columns of a composite key → prefix walk. Values may be
 * literals or {@code ?} parameters. Conditions the path fully implies leave the filter (key and index equalities,
 * and range bounds on a key whose type orders alike in SQL and the engine); everything else stays in a filter
 * above the scan, so results never depend on the engine's order matching SQL's where it may not.
 */
final class MnemoFilterRule extends RelRule<MnemoRuleConfig> {
    MnemoFilterRule(MnemoRuleConfig config) {
        super(config);
    }

    static final MnemoFilterRule INSTANCE = (MnemoFilterRule) MnemoRuleConfig.of("MnemoFilterRule",
            b0 -> b0.operand(LogicalFilter.class).oneInput(b1 -> b1.operand(MnemoTableScan.class)
                    .predicate(s -> s.path.kind == AccessPath.Kind.FULL_SCAN).noInputs()), MnemoFilterRule::new)
            .toRule();

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalFilter filter = call.rel(0);
        MnemoTableScan scan = call.rel(1);
        SqlShape shape = scan.mnemoTable.shape;
        // Calcite folds ranges and IN lists into SEARCH(column, Sarg): expand them to comparisons first
        RexNode condition = RexUtil.expandSearch(filter.getCluster().getRexBuilder(), null, filter.getCondition());
        List<RexNode> conjuncts = RelOptUtil.conjunctions(condition);
        Map<Integer, ValueAt> equal = new HashMap<>();
        List<List<AccessPath.ValueRef>> inList = null;
        int inConjunct = -1;
        AccessPath.ValueRef lower = null;
        AccessPath.ValueRef upper = null;
        boolean lowerInc = false;
        boolean upperInc = false;
        int[] rangeConjuncts = {-1, -1};
        int single = shape.keyColumns().length == 1 ? shape.keyColumns()[0] : -1;
        for (int i = 0; i < conjuncts.size(); i++) {
            RexNode c = conjuncts.get(i);
            Comparison cmp = comparison(c, shape);
            if (cmp != null && cmp.kind == SqlKind.EQUALS) {
                equal.putIfAbsent(cmp.column, new ValueAt(cmp.value, i));
            } else if (cmp != null && cmp.column == single) {
                switch (cmp.kind) {
                    case GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                        if (lower == null) {
                            lower = cmp.value;
                            lowerInc = cmp.kind == SqlKind.GREATER_THAN_OR_EQUAL;
                            rangeConjuncts[0] = i;
                        }
                    }
                    case LESS_THAN, LESS_THAN_OR_EQUAL -> {
                        if (upper == null) {
                            upper = cmp.value;
                            upperInc = cmp.kind == SqlKind.LESS_THAN_OR_EQUAL;
                            rangeConjuncts[1] = i;
                        }
                    }
                    default -> { }
                }
            } else if (single >= 0 && inList == null && c.isA(SqlKind.OR)) {
                inList = keyAlternatives(c, shape, single);
                inConjunct = inList == null ? -1 : i;
            }
        }
        List<Integer> consumed = new ArrayList<>();
        AccessPath path = choose(shape, equal, inList, inConjunct, lower, lowerInc, upper, upperInc, consumed);
        if (path != null && path.kind == AccessPath.Kind.RANGE_WALK
                && SqlValues.ordersAlike(shape.columns().get(single).type())) {
            // the walk visits exactly the keys in range: its bounds need no re-check
            for (int c : rangeConjuncts) {
                if (c >= 0) {
                    consumed.add(c);
                }
            }
        }
        EngineGuard guard = guard(conjuncts, shape, consumed);
        if (path == null && !guard.isEmpty()) {
            path = AccessPath.FULL_SCAN;
        }
        if (path == null) {
            return;
        }
        MnemoTableScan narrowed = scan.withPath(path.guarded(guard));
        List<RexNode> rest = new ArrayList<>();
        for (int i = 0; i < conjuncts.size(); i++) {
            if (!consumed.contains(i)) {
                rest.add(conjuncts.get(i));
            }
        }
        RelNode out = rest.isEmpty() ? narrowed
                : filter.copy(filter.getTraitSet(), narrowed, RexUtil.composeConjunction(
                        filter.getCluster().getRexBuilder(), rest));
        call.transformTo(out);
    }

    private static AccessPath choose(SqlShape shape, Map<Integer, ValueAt> equal, List<List<AccessPath.ValueRef>> inList,
                                     int inConjunct, AccessPath.ValueRef lower, boolean lowerInc,
                                     AccessPath.ValueRef upper, boolean upperInc, List<Integer> consumed) {
        int[] key = shape.keyColumns();
        List<AccessPath.ValueRef> keyValues = new ArrayList<>();
        for (int k : key) {
            ValueAt v = equal.get(k);
            if (v == null) {
                break;
            }
            keyValues.add(v.value);
        }
        if (key.length > 0 && keyValues.size() == key.length) {
            for (int k : key) {
                consumed.add(equal.get(k).conjunct);
            }
            return AccessPath.keyLookup(List.of(keyValues));
        }
        if (inList != null) {
            consumed.add(inConjunct);
            return AccessPath.keyLookup(inList);
        }
        for (Map.Entry<Integer, ValueAt> e : equal.entrySet()) {
            if (shape.indexedAttribute(e.getKey()) != null) {
                consumed.add(e.getValue().conjunct);
                return new AccessPath(AccessPath.Kind.INDEX_READ, List.of(), e.getKey(), e.getValue().value, null, false,
                        null, false);
            }
        }
        if (key.length == 1 && (lower != null || upper != null)
                && SqlValues.ordersAlike(shape.columns().get(key[0]).type())) {
            return new AccessPath(AccessPath.Kind.RANGE_WALK, List.of(), -1, null, lower, lowerInc, upper, upperInc);
        }
        if (key.length > 1 && !keyValues.isEmpty()) {
            for (int i = 0; i < keyValues.size(); i++) {
                consumed.add(equal.get(key[i]).conjunct);
            }
            return new AccessPath(AccessPath.Kind.PREFIX_WALK, List.of(keyValues), -1, null, null, false, null, false);
        }
        return null;
    }

    /**
     * The conjuncts not consumed by the path that the engine can pre-check: {@code =} on a typed column,
     * {@code < <= > >=} on a column whose type orders alike in SQL and the engine. They stay in the filter too.
     */
    private static EngineGuard guard(List<RexNode> conjuncts, SqlShape shape, List<Integer> consumed) {
        List<EngineGuard.Condition> out = new ArrayList<>();
        for (int i = 0; i < conjuncts.size(); i++) {
            if (consumed.contains(i)) {
                continue;
            }
            Comparison cmp = comparison(conjuncts.get(i), shape);
            if (cmp == null) {
                continue;
            }
            boolean ordered = SqlValues.ordersAlike(shape.columns().get(cmp.column).type());
            String op = switch (cmp.kind) {
                case EQUALS -> "==";
                case LESS_THAN -> ordered ? "<" : null;
                case LESS_THAN_OR_EQUAL -> ordered ? "=<" : null;
                case GREATER_THAN -> ordered ? ">" : null;
                case GREATER_THAN_OR_EQUAL -> ordered ? ">=" : null;
                default -> null;
            };
            if (op != null) {
                out.add(new EngineGuard.Condition(cmp.column, op, cmp.value));
            }
        }
        return new EngineGuard(out);
    }

    /** key = v1 OR key = v2 OR …, as Calcite writes a short IN list. */
    private static List<List<AccessPath.ValueRef>> keyAlternatives(RexNode or, SqlShape shape, int keyColumn) {
        List<List<AccessPath.ValueRef>> out = new ArrayList<>();
        for (RexNode d : RelOptUtil.disjunctions(or)) {
            Comparison cmp = comparison(d, shape);
            if (cmp == null || cmp.kind != SqlKind.EQUALS || cmp.column != keyColumn) {
                return null;
            }
            out.add(List.of(cmp.value));
        }
        return out;
    }

    private record ValueAt(AccessPath.ValueRef value, int conjunct) {
    }

    private record Comparison(SqlKind kind, int column, AccessPath.ValueRef value) {
    }

    /** {@code column op value} or {@code value op column} (flipped), with a pushable value; else null. */
    private static Comparison comparison(RexNode node, SqlShape shape) {
        if (!(node instanceof RexCall call) || call.getOperands().size() != 2) {
            return null;
        }
        SqlKind kind = call.getKind();
        if (kind != SqlKind.EQUALS && kind != SqlKind.LESS_THAN && kind != SqlKind.LESS_THAN_OR_EQUAL
                && kind != SqlKind.GREATER_THAN && kind != SqlKind.GREATER_THAN_OR_EQUAL) {
            return null;
        }
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        if (!(a instanceof RexInputRef) && b instanceof RexInputRef) {
            RexNode t = a;
            a = b;
            b = t;
            kind = kind.reverse();
        }
        if (!(a instanceof RexInputRef ref)) {
            return null;
        }
        SqlShape.Column col = shape.columns().get(ref.getIndex());
        if (!comparesAsStored(col.type())) {
            return null;
        }
        AccessPath.ValueRef v = value(b, col.type());
        return v == null ? null : new Comparison(kind, ref.getIndex(), v);
    }

    /**
     * Whether SQL compares values of a column of type {@code t} as the engine compares the stored terms, so that a
     * comparison can become a key or index lookup: not for untyped or compound columns (SQL's 1 = 1.0 holds, the
     * engine's Long 1 and Double 1.0 are different keys).
     */
    static boolean comparesAsStored(AttrType t) {
        return t != AttrType.ANY && t != AttrType.TUPLE && t != AttrType.LIST && t != AttrType.MAP;
    }

    static AccessPath.ValueRef value(RexNode node, AttrType type) {
        if (node instanceof RexDynamicParam p) {
            return AccessPath.ValueRef.param(p.getIndex());
        }
        RexNode n = node;
        while (n.isA(SqlKind.CAST)) {
            n = ((RexCall) n).getOperands().get(0);
        }
        if (n instanceof RexDynamicParam) {
            return null; // CAST(? AS …) may change the value (truncate, round): leave it to Calcite
        }
        if (n instanceof RexLiteral lit) {
            Object v = switch (type) {
                case INTEGER -> integral(lit);
                case DOUBLE -> lit.getValueAs(Double.class);
                case DECIMAL -> lit.getValueAs(java.math.BigDecimal.class);
                case STRING -> lit.getValueAs(String.class);
                case BOOLEAN -> lit.getValueAs(Boolean.class);
                case DATE, TIME -> lit.getValueAs(Integer.class);
                case DATETIME, INSTANT -> lit.getValueAs(Long.class);
                default -> null;
            };
            return v == null && !lit.isNull() ? null : AccessPath.ValueRef.literal(v);
        }
        return null;
    }

    /** An exact integer literal's value, or null (a fraction, say, which no integer key equals). */
    private static Long integral(RexLiteral lit) {
        java.math.BigDecimal bd = lit.getValueAs(java.math.BigDecimal.class);
        if (bd == null) {
            return null;
        }
        try {
            return bd.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
