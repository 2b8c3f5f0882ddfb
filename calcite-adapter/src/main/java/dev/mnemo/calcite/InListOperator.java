package dev.mnemo.calcite;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * {@code column [NOT] IN (v1, …, vn)}, a long list of literals and {@code ?} parameters in a WHERE clause, as one
 * call whose operands are the column and the values ({@link InListRewrite} puts it in the parse tree), so that
 * validating and converting the list is a pass over its values: Calcite's own IN becomes {@code n} comparisons, each
 * validated and converted as an expression of its own, then an OR of them. {@link InListRule} takes the call out of
 * the plan (key lookups or a hash-set filter); nothing implements it as an expression, and a statement whose plan
 * still holds one is prepared again with Calcite's IN ({@link MnemoPrepare}).
 *
 * <p>Each value must be of the column's kind (numbers with numbers, strings with strings, a date with a date, …),
 * so that comparing by value is what SQL's {@code =} would do; where Calcite would convert one (a string for a
 * number column), the operator refuses the call and the statement is prepared with Calcite's IN.
 */
final class InListOperator extends SqlSpecialOperator {
    static final InListOperator IN = new InListOperator(false);
    static final InListOperator NOT_IN = new InListOperator(true);

    final boolean negated;

    private InListOperator(boolean negated) {
        super(negated ? "$NOT_IN_LIST" : "$IN_LIST", SqlKind.OTHER_FUNCTION, 32, true, ReturnTypes.BOOLEAN_NULLABLE,
                InferTypes.FIRST_KNOWN, null);
        this.negated = negated;
    }

    /** Whether a call to either operator is left anywhere in {@code plan}'s expressions. */
    static boolean occursIn(RelNode plan) {
        boolean[] found = {false};
        RexShuttle finder = new RexShuttle() {
            @Override
            public RexNode visitCall(RexCall call) {
                found[0] |= call.getOperator() instanceof InListOperator;
                return found[0] ? call : super.visitCall(call);
            }
        };
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                node.accept(finder);
                if (!found[0]) {
                    super.visit(node, ordinal, parent);
                }
            }
        }.go(plan);
        return found[0];
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
        return SqlOperandCountRanges.from(2);
    }

    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
        // the operands' types are derived by the call binding, as checkOperandTypes asks for them
        return validateOperands(validator, scope, call);
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
        RelDataType column = binding.getOperandType(0);
        for (int i = 1; i < binding.getOperandCount(); i++) {
            RelDataType value = binding.getOperandType(i);
            if (value.getSqlTypeName() != SqlTypeName.NULL && !sameKind(column, value)) {
                if (throwOnFailure) {
                    throw binding.newValidationSignatureError();
                }
                return false;
            }
        }
        return true;
    }

    /** Whether values of these types compare by value as SQL's {@code =} compares them, without a conversion. */
    static boolean sameKind(RelDataType a, RelDataType b) {
        if (SqlTypeUtil.isExactNumeric(a) || SqlTypeUtil.isApproximateNumeric(a)) {
            // exact with exact, approximate with approximate: SQL compares a mix as DOUBLE, the list by exact value
            return SqlTypeUtil.isExactNumeric(a) ? SqlTypeUtil.isExactNumeric(b) : SqlTypeUtil.isApproximateNumeric(b);
        }
        if (SqlTypeUtil.isCharacter(a)) {
            return SqlTypeUtil.isCharacter(b);
        }
        SqlTypeName t = a.getSqlTypeName();
        return (t == SqlTypeName.BOOLEAN || t == SqlTypeName.DATE || t == SqlTypeName.TIMESTAMP)
                && b.getSqlTypeName() == t;
    }

    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
        call.operand(0).unparse(writer, getLeftPrec(), getRightPrec());
        writer.keyword(negated ? "NOT IN" : "IN");
        SqlWriter.Frame list = writer.startList("(", ")");
        for (int i = 1; i < call.operandCount(); i++) {
            writer.sep(",");
            call.operand(i).unparse(writer, 0, 0);
        }
        writer.endList(list);
    }
}
