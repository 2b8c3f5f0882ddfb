package dev.mnemo.calcite;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.function.Predicate2;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgramBuilder;

/**
 * A join (INNER or LEFT) whose inner side is a Mnemo table read per outer row by key, index or key prefix
 * ({@link LookupJoinSpec}), instead of a scan of the whole table. Its one input is the outer side; its rows are
 * the outer row followed by {@code columns} of the inner table. The residual condition is written over the outer
 * row followed by the inner table's whole row.
 */
final class MnemoLookupJoin extends SingleRel implements EnumerableRel {
    /**
     * What one key lookup costs, in the planner's rows (a scanned row costs about 1, Calcite's hash or merge join
     * 2 to 3 more per row of its inner side): a B-tree descent and a record lock. Measured on two tables of
     * 100,000 rows joined on the key, the lookups ran 1.5 times as long as Calcite's merge join; this makes them
     * cost 1.4 times as much. (Measured again on 2026-12-05, after the engine's reads got faster, the lookups took
     * 78 ms against the merge join's 102; merge joins are no longer planned, see MnemoPrograms.)
     */
    static final double KEY_LOOKUP_COST = 8;
    /**
     * What one index read or key-prefix walk costs: a table read lock, the index (or a key range) and several
     * records, measured at about twice a key lookup.
     */
    static final double WALK_COST = 16;

    final RelOptTable table;
    final LookupJoinSpec spec;
    final JoinRelType joinType;
    final RexNode residual;
    /** The join this one implements, whose row count Calcite's joins of the same inputs are costed with. */
    private final Join logical;
    /** The inner table's columns appended to each outer row, by name (EXPLAIN and the planner's digest). */
    private final List<String> columns;

    MnemoLookupJoin(RelOptCluster cluster, RelTraitSet traits, RelNode outer, RelOptTable table, LookupJoinSpec spec,
                    JoinRelType joinType, RexNode residual, RelDataType rowType, Join logical) {
        super(cluster, traits, outer);
        this.table = table;
        this.spec = spec;
        this.joinType = joinType;
        this.residual = residual;
        this.rowType = rowType;
        this.logical = logical;
        List<String> names = table.getRowType().getFieldNames();
        this.columns = Arrays.stream(spec.output()).mapToObj(names::get).toList();
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new MnemoLookupJoin(getCluster(), traitSet, sole(inputs), table, spec, joinType, residual, rowType,
                logical);
    }

    @Override
    protected RelDataType deriveRowType() {
        return rowType;
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        double outer = mq.getRowCount(getInput());
        if (!joinType.projectsRight()) {
            return Math.max(1, outer * 0.5); // SEMI, ANTI: some of the outer rows, each once
        }
        double rows = joinRows(getCluster().getPlanner(), mq);
        return joinType == JoinRelType.LEFT ? Math.max(rows, outer) : rows;
    }

    /**
     * A lookup per outer row ({@link #KEY_LOOKUP_COST}, {@link #WALK_COST}) plus the rows produced, counted as for
     * any join of the same inputs ({@link MnemoMetadata.RowCounts}): the difference from a hash join is the work, a lookup per
     * outer row where the hash join reads (and hashes) the whole inner side, so this wins when the outer side is
     * small and loses on a join of two whole tables.
     */
    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double outer = mq.getRowCount(getInput());
        double perLookup = spec.kind() == LookupJoinSpec.Kind.KEY_LOOKUP ? KEY_LOOKUP_COST : WALK_COST;
        return planner.getCostFactory().makeCost(outer * perLookup + mq.getRowCount(this), 0, 0);
    }

    /** The row count of a join of this outer input and the join's (enumerable) right side. */
    private double joinRows(RelOptPlanner planner, RelMetadataQuery mq) {
        RelNode right = logical.getRight();
        if (planner instanceof VolcanoPlanner volcano) {
            RelSubset physical = volcano.getSubset(right, right.getTraitSet().replace(EnumerableConvention.INSTANCE));
            right = physical != null ? physical : right;
        }
        Double rows = mq.getRowCount(logical.copy(logical.getTraitSet(), List.of(getInput(), right)));
        return rows == null ? 0 : rows;
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).item("table", table.getQualifiedName()).item("path", spec.toString())
                .item("joinType", joinType.lowerName).itemIf("condition", residual, residual != null)
                .item("columns", columns);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        BlockBuilder block = new BlockBuilder();
        Result outer = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
        Expression outerRows = outer.physType.convertTo(block.append("outer", outer.block), JavaRowFormat.ARRAY);
        Expression predicate = residual == null ? Expressions.constant(null, Predicate2.class) : predicate(implementor);
        Expression stashed = implementor.stash(spec, LookupJoinSpec.class);
        // Calcite wants a one-column row as the bare value (SCALAR), wider ones as Object[] (ARRAY)
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
        String method = physType.getFormat() == JavaRowFormat.SCALAR ? "joinScalar" : "join";
        // the outer expression's static type may be any Enumerable subclass: name the method, not its arguments
        Method m = Types.lookupMethod(LookupJoinSpec.class, method, Enumerable.class, Predicate2.class);
        block.add(Expressions.return_(null, Expressions.call(stashed, m, outerRows, predicate)));
        return implementor.result(physType, block.toBlock());
    }

    /** The residual condition as a {@code Predicate2<Object[], Object[]>} of the outer row and the inner row. */
    private Expression predicate(EnumerableRelImplementor implementor) {
        PhysType outerType = PhysTypeImpl.of(implementor.getTypeFactory(), getInput().getRowType(),
                JavaRowFormat.ARRAY, false);
        PhysType innerType = PhysTypeImpl.of(implementor.getTypeFactory(), table.getRowType(), JavaRowFormat.ARRAY,
                false);
        ParameterExpression outerRow = Expressions.parameter(Object[].class, "outerRow");
        ParameterExpression innerRow = Expressions.parameter(Object[].class, "innerRow");
        Map<Expression, PhysType> inputs = new LinkedHashMap<>(); // in field order
        inputs.put(outerRow, outerType);
        inputs.put(innerRow, innerType);
        RexProgramBuilder program = new RexProgramBuilder(implementor.getTypeFactory().builder()
                .addAll(getInput().getRowType().getFieldList()).addAll(table.getRowType().getFieldList())
                .uniquify().build(), getCluster().getRexBuilder());
        program.addCondition(residual);
        BlockBuilder body = new BlockBuilder();
        Expression condition = RexToLixTranslator.translateCondition(program.getProgram(),
                implementor.getTypeFactory(), body,
                new RexToLixTranslator.InputGetterImpl(inputs),
                implementor::getCorrelVariableGetter, implementor.getConformance());
        body.add(Expressions.return_(null, condition));
        return Expressions.lambda(Predicate2.class, body.toBlock(), outerRow, innerRow);
    }
}
