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
 * The constant reducer Calcite uses while it converts a statement, which does not fold a cast of a string constant
 * to TIME that {@link TimeStrings#check} refuses: folded, {@code CAST('12:60:00' AS TIME)} became 13:00:00 before
 * any of Mnemo's rewrites saw it. Left as it is, the cast is checked when it runs (see {@link NtileRewrite}), so a
 * branch that never runs does not fail, as Calcite's reducer does with the failures it meets. Everything else is
 * the wrapped reducer's.
 */
final class TimeCheckingExecutor implements RexExecutor {
    private final RexExecutor delegate;

    TimeCheckingExecutor(RexExecutor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void reduce(RexBuilder rexBuilder, List<RexNode> constExps, List<RexNode> reducedValues) {
        List<RexNode> foldable = constExps.stream().filter(e -> !hasBadTime(e)).toList();
        if (foldable.size() == constExps.size()) {
            delegate.reduce(rexBuilder, constExps, reducedValues);
            return;
        }
        List<RexNode> folded = new java.util.ArrayList<>();
        delegate.reduce(rexBuilder, foldable, folded);
        java.util.Iterator<RexNode> next = folded.iterator();
        int kept = 0;
        for (RexNode e : constExps) { // foldable is constExps without the bad ones, in order
            boolean fold = kept < foldable.size() && foldable.get(kept) == e;
            reducedValues.add(fold ? next.next() : e);
            kept += fold ? 1 : 0;
        }
    }

    /** Whether {@code e} casts a string constant to TIME that {@link TimeStrings#check} refuses. */
    private static boolean hasBadTime(RexNode e) {
        boolean[] bad = {false};
        e.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                if (call.getKind() == SqlKind.CAST && call.getOperands().size() == 1 // not CAST … FORMAT
                        && call.getType().getSqlTypeName() == SqlTypeName.TIME
                        && call.getOperands().get(0) instanceof RexLiteral l
                        && SqlTypeName.CHAR_TYPES.contains(l.getType().getSqlTypeName())) {
                    try {
                        TimeStrings.check(l.getValueAs(String.class));
                    } catch (IllegalArgumentException invalid) {
                        bad[0] = true;
                    }
                }
                return super.visitCall(call);
            }
        });
        return bad[0];
    }
}
