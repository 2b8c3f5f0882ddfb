package dev.mnemo.calcite;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalTableModify;

/** The planner rules of the Mnemo convention. {@link MnemoPrepare} adds them to every planner. */
final class MnemoRules {
    private MnemoRules() {
    }

    static final ConverterRule TO_ENUMERABLE = ConverterRule.Config.INSTANCE
            .withConversion(RelNode.class, MnemoRel.CONVENTION, EnumerableConvention.INSTANCE,
                    "MnemoToEnumerableConverterRule")
            .withRuleFactory(ToEnumerable::new)
            .toRule(ToEnumerable.class);

    static final ConverterRule MODIFY = ConverterRule.Config.INSTANCE
            .withConversion(LogicalTableModify.class, Convention.NONE, EnumerableConvention.INSTANCE,
                    "MnemoTableModifyRule")
            .withRuleFactory(ModifyRule::new)
            .toRule(ModifyRule.class);

    /** Puts a converter on top of Mnemo operators. */
    static final class ToEnumerable extends ConverterRule {
        ToEnumerable(Config config) {
            super(config);
        }

        @Override
        public RelNode convert(RelNode rel) {
            return new MnemoToEnumerableConverter(rel.getCluster(),
                    rel.getTraitSet().replace(EnumerableConvention.INSTANCE), rel);
        }
    }

    /**
     * Whether a MERGE's ON condition is exactly equality of every primary-key column of the target with a source
     * expression. Calcite's MERGE input is a projection over a join of source and target; each side of each
     * equality is traced back (through projections and filters) to see whether it is a target key column.
     */
    static boolean mergeOnKey(LogicalTableModify m, SqlShape shape) {
        RelNode project = original(m.getInput());
        if (!(project instanceof org.apache.calcite.rel.core.Project p)) {
            return false;
        }
        RelNode join = original(p.getInput());
        if (!(join instanceof org.apache.calcite.rel.core.Join j)) {
            return false;
        }
        String target = shape.def().name();
        int left = j.getLeft().getRowType().getFieldCount();
        java.util.Set<Integer> key = new java.util.HashSet<>();
        for (int k : shape.keyColumns()) {
            key.add(k);
        }
        java.util.Set<Integer> covered = new java.util.HashSet<>();
        for (org.apache.calcite.rex.RexNode e : org.apache.calcite.plan.RelOptUtil.conjunctions(j.getCondition())) {
            if (!e.isA(org.apache.calcite.sql.SqlKind.EQUALS)) {
                return false;
            }
            int keyColumn = -1;
            int others = 0;
            for (org.apache.calcite.rex.RexNode o : ((org.apache.calcite.rex.RexCall) e).getOperands()) {
                org.apache.calcite.rex.RexNode x = org.apache.calcite.rex.RexUtil.removeCast(o);
                if (!(x instanceof org.apache.calcite.rex.RexInputRef ref)) {
                    return false;
                }
                int col = ref.getIndex() < left ? columnOf(j.getLeft(), ref.getIndex(), target)
                        : columnOf(j.getRight(), ref.getIndex() - left, target);
                if (col >= 0 && key.contains(col) && keyColumn < 0) {
                    keyColumn = col;
                } else if (col < 0) {
                    others++;
                }
            }
            if (keyColumn < 0 || others != 1) {
                return false;
            }
            covered.add(keyColumn);
        }
        return covered.equals(key);
    }

    /** The column of table {@code target} that field {@code index} of {@code n} is, or -1. */
    private static int columnOf(RelNode n, int index, String target) {
        RelNode r = original(n);
        if (r instanceof MnemoTableScan scan) {
            return scan.mnemoTable.name().equals(target) ? index : -1;
        }
        if (r instanceof org.apache.calcite.rel.core.Project p) {
            org.apache.calcite.rex.RexNode e = p.getProjects().get(index);
            return e instanceof org.apache.calcite.rex.RexInputRef ref ? columnOf(p.getInput(), ref.getIndex(), target)
                    : -1;
        }
        if (r instanceof org.apache.calcite.rel.core.Filter f) {
            return columnOf(f.getInput(), index, target);
        }
        return -1;
    }

    private static RelNode original(RelNode n) {
        return n instanceof org.apache.calcite.plan.volcano.RelSubset s ? s.getOriginal() : n;
    }

    /** Turns Mnemo's logical modification into its enumerable implementation. */
    static final class ModifyRule extends ConverterRule {
        ModifyRule(Config config) {
            super(config);
        }

        @Override
        public RelNode convert(RelNode rel) {
            LogicalTableModify m = (LogicalTableModify) rel;
            if (m.getTable().unwrap(MnemoTable.class) == null) {
                return null;
            }
            var traits = m.getTraitSet().replace(EnumerableConvention.INSTANCE);
            if (m.getOperation() == org.apache.calcite.rel.core.TableModify.Operation.MERGE
                    && !mergeOnKey(m, m.getTable().unwrap(MnemoTable.class).shape)) {
                return new MnemoTableModify(m.getCluster(), traits, m.getTable(), m.getCatalogReader(),
                        convert(m.getInput(), m.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE)),
                        m.getOperation(), m.getUpdateColumnList(), m.getSourceExpressionList(), m.isFlattened(),
                        "MERGE on table " + m.getTable().unwrap(MnemoTable.class).name() + " must match ON the "
                                + "primary key (the upsert form); other ON conditions are not supported"
                                + (m.getTable().unwrap(MnemoTable.class).shape.rowId() ? ", and the table has no "
                                + "PRIMARY KEY" : ""));
            }
            return new MnemoTableModify(m.getCluster(), traits, m.getTable(), m.getCatalogReader(),
                    convert(m.getInput(), m.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE)),
                    m.getOperation(), m.getUpdateColumnList(), m.getSourceExpressionList(), m.isFlattened());
        }
    }
}
