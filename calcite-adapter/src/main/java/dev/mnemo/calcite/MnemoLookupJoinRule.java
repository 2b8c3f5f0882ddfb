package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableBitSet;
import dev.mnemo.engine.AttrType;

/**
 * Offers a {@link MnemoLookupJoin} for an INNER, LEFT, SEMI or ANTI join (EXISTS and NOT EXISTS, once
 * decorrelated) whose right side is a Mnemo table (under projections
 * and filters) and whose condition equates, exactly ({@link LookupKeys}), every key column of that table, or an
 * indexed column, or the leading columns of a composite key, with fields of the left side. The right side's
 * filters and the rest of the condition become the residual condition. The planner keeps it only where it is
 * cheaper than Calcite's joins, which read the whole right table: when the left side is small.
 */
final class MnemoLookupJoinRule extends RelRule<MnemoRuleConfig> {
    static final MnemoLookupJoinRule INSTANCE = (MnemoLookupJoinRule) MnemoRuleConfig.of("MnemoLookupJoinRule",
            b0 -> b0.operand(LogicalJoin.class).predicate(j -> j.getJoinType() == JoinRelType.INNER
                    || j.getJoinType() == JoinRelType.LEFT || j.getJoinType() == JoinRelType.SEMI
                    || j.getJoinType() == JoinRelType.ANTI).anyInputs(), MnemoLookupJoinRule::new).toRule();

    private MnemoLookupJoinRule(MnemoRuleConfig config) {
        super(config);
    }

    /**
     * The right side of a join as a Mnemo table: the scan, the right side's fields and filter conditions as
     * expressions over the table's row. Only projections and filters that work row by row qualify (no windows, no
     * random values, no correlation): they give the same result on the rows looked up as on the whole table.
     */
    private record Inner(MnemoTableScan scan, List<RexNode> fields, List<RexNode> conditions) {
        /** The Mnemo table under {@code n} (its first, logical form), or null if there is none or more is done. */
        static Inner of(RelNode n) {
            RelNode r = n instanceof RelSubset s ? s.getOriginal() : n;
            if (r instanceof MnemoTableScan scan) {
                if (scan.path.kind != AccessPath.Kind.FULL_SCAN || !scan.path.guard.isEmpty() || scan.path.limit > 0) {
                    return null;
                }
                RexBuilder rex = scan.getCluster().getRexBuilder();
                List<RexNode> fields = new ArrayList<>();
                for (int i = 0; i < scan.getRowType().getFieldCount(); i++) {
                    fields.add(rex.makeInputRef(scan, i));
                }
                return new Inner(scan, fields, List.of());
            }
            if (r instanceof Filter f && f.getVariablesSet().isEmpty() && RexUtil.isDeterministic(f.getCondition())) {
                Inner in = of(f.getInput());
                if (in == null) {
                    return null;
                }
                List<RexNode> conditions = new ArrayList<>(in.conditions);
                conditions.add(substitute(f.getCondition(), in.fields));
                return new Inner(in.scan, in.fields, conditions);
            }
            // a window (or a random value) is computed over the whole table: not over the rows looked up
            if (r instanceof Project p && p.getVariablesSet().isEmpty() && !p.containsOver()
                    && p.getProjects().stream().allMatch(RexUtil::isDeterministic)) {
                Inner in = of(p.getInput());
                if (in == null) {
                    return null;
                }
                List<RexNode> fields = new ArrayList<>();
                for (RexNode e : p.getProjects()) {
                    fields.add(substitute(e, in.fields));
                }
                return new Inner(in.scan, fields, in.conditions);
            }
            return null;
        }
    }

    /** How the right table is read for one left row, and which conjuncts that settles. */
    private record Access(LookupJoinSpec.Kind kind, int[] columns, int[] outerFields, Set<Integer> consumed) {
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalJoin join = call.rel(0);
        Inner inner = Inner.of(join.getRight());
        int width = join.getLeft().getRowType().getFieldCount();
        if (inner == null || width == 0) {
            return;
        }
        SqlShape shape = inner.scan.mnemoTable.shape;
        RexBuilder rex = join.getCluster().getRexBuilder();
        // the condition over the left row followed by the table's row
        List<RexNode> conjuncts = new ArrayList<>(RelOptUtil.conjunctions(onTableRow(join.getCondition(), width,
                inner.fields)));
        for (RexNode c : inner.conditions) {
            conjuncts.addAll(RelOptUtil.conjunctions(RexUtil.shift(c, width)));
        }
        Access access = access(conjuncts, width, shape);
        boolean plain = inner.fields.stream().allMatch(f -> f instanceof RexInputRef);
        if (access == null || !plain && join.getJoinType() == JoinRelType.LEFT) {
            return; // a LEFT join's computed right columns must be null where nothing matched: not done here
        }
        List<RexNode> rest = new ArrayList<>();
        for (int i = 0; i < conjuncts.size(); i++) {
            if (!access.consumed.contains(i)) {
                rest.add(conjuncts.get(i));
            }
        }
        RexNode residual = RexUtil.composeConjunction(rex, rest, true);
        int tableWidth = shape.columns().size();
        boolean filtering = !join.getJoinType().projectsRight(); // SEMI, ANTI: the outer rows only
        int[] output = filtering ? new int[0]
                : plain ? inner.fields.stream().mapToInt(f -> ((RexInputRef) f).getIndex()).toArray()
                : ImmutableBitSet.range(tableWidth).toArray();
        int[] needed = residual == null ? new int[0] : RelOptUtil.InputFinder.bits(residual)
                .get(width, width + tableWidth).toList().stream().mapToInt(i -> i - width).toArray();
        LookupJoinSpec spec = new LookupJoinSpec(inner.scan.mnemoTable, access.kind, access.outerFields,
                access.columns, join.getJoinType(), output, needed);
        RelDataType rowType = plain || filtering ? join.getRowType() : join.getCluster().getTypeFactory().builder()
                .addAll(join.getLeft().getRowType().getFieldList()).addAll(inner.scan.getRowType().getFieldList())
                .uniquify().build();
        RelNode outer = convert(join.getLeft(), join.getLeft().getTraitSet().replace(EnumerableConvention.INSTANCE));
        RelNode lookup = new MnemoLookupJoin(join.getCluster(), join.getTraitSet().replace(EnumerableConvention.INSTANCE),
                outer, inner.scan.getTable(), spec, join.getJoinType(), residual, rowType, join);
        call.transformTo(plain || filtering ? lookup : computed(lookup, width, inner.fields, join.getRowType()));
    }

    /** An INNER join's computed right columns, over the lookup join's outer row and table row. */
    private static RelNode computed(RelNode lookup, int width, List<RexNode> rightFields, RelDataType joinRowType) {
        RexBuilder rex = lookup.getCluster().getRexBuilder();
        List<RexNode> exprs = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            exprs.add(rex.makeInputRef(lookup, i));
        }
        for (RexNode f : rightFields) {
            exprs.add(RexUtil.shift(f, width));
        }
        return LogicalProject.create(lookup, List.of(), exprs, joinRowType.getFieldNames(), Set.of());
    }

    /**
     * The lookup the conjuncts allow: every key column equated → key lookup; else an indexed column → index read;
     * else leading columns of a composite key → prefix walk; else none (null).
     */
    private static Access access(List<RexNode> conjuncts, int width, SqlShape shape) {
        Map<Integer, LookupKeys.Equality> equal = new LinkedHashMap<>();
        for (int i = 0; i < conjuncts.size(); i++) {
            LookupKeys.Equality e = LookupKeys.equality(conjuncts.get(i), i, width, shape);
            if (e != null) {
                equal.putIfAbsent(e.column(), e);
            }
        }
        int[] key = shape.keyColumns();
        int prefix = 0;
        while (prefix < key.length && equal.containsKey(key[prefix])) {
            prefix++;
        }
        if (key.length > 0 && prefix == key.length) {
            return access(LookupJoinSpec.Kind.KEY_LOOKUP, key, equal, shape);
        }
        for (LookupKeys.Equality e : equal.values()) {
            if (shape.indexedAttribute(e.column()) != null) {
                return access(LookupJoinSpec.Kind.INDEX_READ, new int[] {e.column()}, equal, shape);
            }
        }
        if (prefix > 0) {
            return access(LookupJoinSpec.Kind.PREFIX_WALK, Arrays.copyOf(key, prefix), equal, shape);
        }
        return null;
    }

    private static Access access(LookupJoinSpec.Kind kind, int[] columns, Map<Integer, LookupKeys.Equality> equal,
                                 SqlShape shape) {
        int[] outerFields = new int[columns.length];
        Set<Integer> consumed = new HashSet<>();
        for (int i = 0; i < columns.length; i++) {
            LookupKeys.Equality e = equal.get(columns[i]);
            outerFields[i] = e.outerField();
            if (shape.columns().get(columns[i]).type() != AttrType.DOUBLE) {
                consumed.add(e.conjunct()); // a DOUBLE is checked again (NaN, -0.0 may compare otherwise)
            }
        }
        return new Access(kind, columns, outerFields, consumed);
    }

    /** A join condition over the left row followed by the table's row (the right side's fields replaced). */
    private static RexNode onTableRow(RexNode condition, int width, List<RexNode> rightFields) {
        return condition.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return ref.getIndex() < width ? ref : RexUtil.shift(rightFields.get(ref.getIndex() - width), width);
            }
        });
    }

    /** {@code e} with each input reference replaced by the expression it stands for. */
    private static RexNode substitute(RexNode e, List<RexNode> fields) {
        return e.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return fields.get(ref.getIndex());
            }
        });
    }
}
