package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The constant reducer Calcite uses while it converts a statement, checking each cast of a string constant to TIME
 * before it folds it ({@link TimeStrings#check}): folded, {@code CAST('12:60:00' AS TIME)} became 13:00:00 before
 * any of Mnemo's rewrites saw it. Everything else is the wrapped reducer's.
 */
final class TimeCheckingExecutor implements RexExecutor {
    private final RexExecutor delegate;

    TimeCheckingExecutor(RexExecutor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void reduce(RexBuilder rexBuilder, List<RexNode> constExps, List<RexNode> reducedValues) {
        for (RexNode e : constExps) {
            e.accept(CHECK);
        }
        delegate.reduce(rexBuilder, constExps, reducedValues);
    }

    private static final RexVisitorImpl<Void> CHECK = new RexVisitorImpl<>(true) {
        @Override
        public Void visitCall(RexCall call) {
            if (call.getKind() == SqlKind.CAST && call.getType().getSqlTypeName() == SqlTypeName.TIME
                    && call.getOperands().get(0) instanceof RexLiteral l
                    && SqlTypeName.CHAR_TYPES.contains(l.getType().getSqlTypeName())) {
                TimeStrings.check(l.getValueAs(String.class));
            }
            return super.visitCall(call);
        }
    };
}
