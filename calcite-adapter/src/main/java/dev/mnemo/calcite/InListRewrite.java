package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Rewrites, in a parse tree, each long {@code column [NOT] IN (v1, …, vn)} that is a conjunct of a WHERE clause (of a
 * SELECT, UPDATE or DELETE, at any depth) into an {@link InListOperator} call, in place: {@value InListRule#THRESHOLD}
 * values or more, each a literal (a negative number too) or a {@code ?}, compared with a column named as such.
 * In a WHERE clause a comparison that is unknown filters the row out, which is what the list's hash-set filter
 * does; elsewhere (a select list, a CASE, under an OR or a NOT) IN stays Calcite's.
 */
final class InListRewrite extends SqlBasicVisitor<Void> {
    private int rewritten;

    private InListRewrite() {
    }

    /** Rewrites the long IN lists of {@code statement}; how many it rewrote. */
    static int rewrite(SqlNode statement) {
        InListRewrite visitor = new InListRewrite();
        statement.accept(visitor);
        return visitor.rewritten;
    }

    @Override
    public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getWhere() != null) {
            select.setWhere(conjuncts(select.getWhere()));
        } else if (call instanceof SqlDelete delete && delete.getCondition() != null) {
            delete.setOperand(1, conjuncts(delete.getCondition()));
        } else if (call instanceof SqlUpdate update && update.getCondition() != null) {
            update.setOperand(3, conjuncts(update.getCondition()));
        }
        return super.visit(call);
    }

    /** {@code condition} with its long IN conjuncts rewritten (the AND calls above them are changed in place). */
    private SqlNode conjuncts(SqlNode condition) {
        if (condition.getKind() == SqlKind.AND && condition instanceof SqlBasicCall and) {
            for (int i = 0; i < and.operandCount(); i++) {
                and.setOperand(i, conjuncts(and.operand(i)));
            }
            return and;
        }
        SqlNode list = inList(condition);
        return list != null ? list : condition;
    }

    /** The {@link InListOperator} call for {@code node}, if it is a long IN or NOT IN on a column; else null. */
    private SqlNode inList(SqlNode node) {
        if (!(node instanceof SqlBasicCall in) || (node.getKind() != SqlKind.IN && node.getKind() != SqlKind.NOT_IN)
                || !(in.operand(0) instanceof SqlIdentifier column) || !(in.operand(1) instanceof SqlNodeList values)
                || values.size() < InListRule.THRESHOLD) {
            return null;
        }
        List<SqlNode> operands = new ArrayList<>(values.size() + 1);
        operands.add(column);
        for (SqlNode v : values) {
            SqlNode value = value(v);
            if (value == null) {
                return null;
            }
            operands.add(value);
        }
        rewritten++;
        return new SqlBasicCall(node.getKind() == SqlKind.IN ? InListOperator.IN : InListOperator.NOT_IN, operands,
                node.getParserPosition());
    }

    /** {@code v} as a list value (a negative number as one literal), or null if it is not a literal or a {@code ?}. */
    private static SqlNode value(SqlNode v) {
        if (v instanceof SqlDynamicParam || (v instanceof SqlLiteral && !(v instanceof SqlIntervalLiteral))) {
            return v;
        }
        if (v.getKind() == SqlKind.MINUS_PREFIX && ((SqlCall) v).operand(0) instanceof SqlNumericLiteral n) {
            return SqlLiteral.createNegative(n, v.getParserPosition());
        }
        return null;
    }
}
