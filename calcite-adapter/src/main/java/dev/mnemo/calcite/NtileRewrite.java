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
import org.apache.calcite.rex.RexCall;
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
 * {@code (i - r) / q + 1}. It also makes {@code CAST(string AS TIME)} check the string first ({@link TimeStrings}):
 * Calcite alone read {@code '25:99:99'} as 26:40:39. A program step that runs before Calcite's standard program.
 * (A cast of a constant that Calcite folds while converting the statement, such as {@code '12:60:00'}, is done
 * before this step: {@link TimeCheckingExecutor} checks those.)
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

    /** {@link TimeStrings#check} as a function of plans. */
    private static final org.apache.calcite.sql.validate.SqlUserDefinedFunction CHECK_TIME =
            new org.apache.calcite.sql.validate.SqlUserDefinedFunction(
                    new org.apache.calcite.sql.SqlIdentifier("MNEMO_CHECK_TIME",
                            org.apache.calcite.sql.parser.SqlParserPos.ZERO),
                    org.apache.calcite.sql.type.ReturnTypes.ARG0, null, null, List.of(),
                    org.apache.calcite.schema.impl.ScalarFunctionImpl.create(TimeStrings.class, "check"));

    /** Rewrites the NTILE calls and string-to-TIME casts of one node's expressions, and of its subqueries' plans. */
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

        /** {@code CAST(string AS TIME)} checks the string first ({@link TimeStrings}). */
        @Override
        public RexNode visitCall(RexCall call) {
            RexNode visited = super.visitCall(call);
            if (visited instanceof RexCall c && c.getKind() == SqlKind.CAST && c.getOperands().size() == 1 // no FORMAT
                    && c.getType().getSqlTypeName() == SqlTypeName.TIME
                    && SqlTypeName.CHAR_TYPES.contains(c.getOperands().get(0).getType().getSqlTypeName())) {
                RexNode checked = rex.makeCall(c.getOperands().get(0).getType(), CHECK_TIME,
                        List.of(c.getOperands().get(0)));
                return rex.makeCall(c.getType(), c.getOperator(), List.of(checked));
            }
            return visited;
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
