package dev.mnemo.calcite;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexWindow;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Program;

/**
 * Replaces {@code NTILE(n) OVER (PARTITION BY p ORDER BY o)} by the standard bucket numbers computed from
 * {@code ROW_NUMBER() OVER (PARTITION BY p ORDER BY o)} and {@code COUNT(*) OVER (PARTITION BY p)}: with N rows in
 * the partition, the first {@code N mod n} buckets get {@code N / n + 1} rows and the others {@code N / n}, so 10
 * rows in 4 buckets are 3, 3, 2, 2 rows (Calcite's own NTILE gives 3, 2, 3, 2). With i = row number - 1,
 * q = N / n and r = N mod n, row i is in bucket {@code i / (q + 1) + 1} if {@code i < r * (q + 1)}, else in
 * {@code (i - r) / q + 1}. A program step that runs before Calcite's standard program.
 */
final class NtileRewrite implements Program {
    static final NtileRewrite INSTANCE = new NtileRewrite();

    private NtileRewrite() {
    }

    /**
     * A new visitor per plan: a shuttle keeps the path it is walking in a field, so one shared by connections
     * planning at the same time failed now and then (NoSuchElementException from its stack).
     */
    @Override
    public RelNode run(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                       List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
        return rel.accept(new Visitor());
    }

    /** Walks one plan, rewriting each node's NTILE calls. */
    private static final class Visitor extends RelHomogeneousShuttle {
        @Override
        public RelNode visit(RelNode other) {
            RelNode n = super.visit(other);
            return n.accept(new Rewriter(n.getCluster().getRexBuilder(), this));
        }
    }

    /** Rewrites the NTILE calls of one node's expressions, and of the plans of its subqueries. */
    private static final class Rewriter extends RexShuttle {
        private final RexBuilder rex;
        private final Visitor plans;

        Rewriter(RexBuilder rex, Visitor plans) {
            this.rex = rex;
            this.plans = plans;
        }

        @Override
        public RexNode visitSubQuery(RexSubQuery subQuery) {
            RexSubQuery s = (RexSubQuery) super.visitSubQuery(subQuery);
            RelNode rel = s.rel.accept(plans);
            return rel == s.rel ? s : s.clone(rel);
        }

        @Override
        public RexNode visitOver(RexOver over) {
            RexNode visited = super.visitOver(over);
            if (!(visited instanceof RexOver o) || o.getOperator().getKind() != SqlKind.NTILE) {
                return visited;
            }
            return buckets(o);
        }

        private RexNode buckets(RexOver ntile) {
            RexWindow w = ntile.getWindow();
            RelDataType bigint = rex.getTypeFactory().createSqlType(SqlTypeName.BIGINT);
            RexNode rowNumber = rex.makeOver(bigint, SqlStdOperatorTable.ROW_NUMBER, List.of(), w.partitionKeys,
                    w.orderKeys, RexWindowBounds.UNBOUNDED_PRECEDING, RexWindowBounds.CURRENT_ROW, true, true, false,
                    false, false);
            RexNode rows = rex.makeOver(bigint, SqlStdOperatorTable.COUNT, List.of(), w.partitionKeys,
                    ImmutableList.of(), RexWindowBounds.UNBOUNDED_PRECEDING, RexWindowBounds.UNBOUNDED_FOLLOWING,
                    true, true, false, false, false);
            RexNode n = rex.makeCast(rex.getTypeFactory().createTypeWithNullability(bigint,
                    ntile.getOperands().get(0).getType().isNullable()), ntile.getOperands().get(0));
            RexNode one = rex.makeBigintLiteral(java.math.BigDecimal.ONE);
            RexNode i = call(SqlStdOperatorTable.MINUS, rowNumber, one);
            RexNode q = call(SqlStdOperatorTable.DIVIDE, rows, n);
            RexNode r = call(SqlStdOperatorTable.MOD, rows, n);
            RexNode big = call(SqlStdOperatorTable.PLUS, q, one);
            RexNode inBig = call(SqlStdOperatorTable.LESS_THAN, i, call(SqlStdOperatorTable.MULTIPLY, r, big));
            RexNode bigBucket = call(SqlStdOperatorTable.PLUS, call(SqlStdOperatorTable.DIVIDE, i, big), one);
            RexNode smallBucket = call(SqlStdOperatorTable.PLUS,
                    call(SqlStdOperatorTable.DIVIDE, call(SqlStdOperatorTable.MINUS, i, r), q), one);
            RexNode bucket = rex.makeCall(SqlStdOperatorTable.CASE, inBig, bigBucket, smallBucket);
            return rex.makeCast(ntile.getType(), bucket, false, false);
        }

        private RexNode call(org.apache.calcite.sql.SqlOperator op, RexNode a, RexNode b) {
            return rex.makeCall(op, a, b);
        }
    }
}
