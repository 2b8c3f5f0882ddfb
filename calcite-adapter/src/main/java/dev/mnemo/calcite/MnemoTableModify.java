package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rex.RexNode;

/**
 * INSERT, UPDATE and DELETE on a Mnemo table, written through the engine in the session's transaction with
 * Mnesia's semantics per table type and exact update counts (Calcite's own EnumerableTableModify cannot update,
 * compares array rows by identity on delete and counts by collection size). The generated code only feeds the
 * input rows to {@link ModifyPlan#execute}.
 */
final class MnemoTableModify extends TableModify implements EnumerableRel {
    /** Why this modification cannot run (reported as 0A000 when executed), or null. */
    private final String unsupported;

    MnemoTableModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, Prepare.CatalogReader reader,
                     RelNode input, Operation operation, List<String> updateColumns, List<RexNode> sources,
                     boolean flattened) {
        this(cluster, traits, table, reader, input, operation, updateColumns, sources, flattened, null);
    }

    MnemoTableModify(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, Prepare.CatalogReader reader,
                     RelNode input, Operation operation, List<String> updateColumns, List<RexNode> sources,
                     boolean flattened, String unsupported) {
        super(cluster, traits, table, reader, input, operation, updateColumns, sources, flattened);
        this.unsupported = unsupported;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new MnemoTableModify(getCluster(), traitSet, getTable(), getCatalogReader(), sole(inputs),
                getOperation(), getUpdateColumnList(), getSourceExpressionList(), isFlattened(), unsupported);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        BlockBuilder builder = new BlockBuilder();
        Result input = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
        Expression child = builder.append("child", input.block);
        Expression rows = input.physType.convertTo(child, JavaRowFormat.ARRAY);
        MnemoTable table = getTable().unwrapOrThrow(MnemoTable.class);
        ModifyPlan plan = new ModifyPlan(table, getOperation(), getUpdateColumnList(), unsupported);
        Expression stashed = implementor.stash(plan, ModifyPlan.class);
        builder.add(Expressions.return_(null, Expressions.call(stashed,
                Types.lookupMethod(ModifyPlan.class, "execute", Enumerable.class), rows)));
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
                pref.prefer(JavaRowFormat.SCALAR));
        return implementor.result(physType, builder.toBlock());
    }
}
