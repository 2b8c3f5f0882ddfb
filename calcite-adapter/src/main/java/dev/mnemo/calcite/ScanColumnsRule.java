package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexPermuteInputsShuttle;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mappings;

/**
 * A projection over a filter over a Mnemo scan (guarded or not): the columns the two use are projected under the
 * filter, next to the scan, where {@link MnemoProjectRule} makes them the only columns the scan converts to SQL
 * values. A filtered scan of TPC-H's lineitem converted all 16 columns, strings and dates among them, for the 7 that
 * q1 reads (the filter has to stay next to the scan for its engine guard, so trimming puts the projection above it).
 */
final class ScanColumnsRule extends RelRule<MnemoRuleConfig> {
    static final ScanColumnsRule INSTANCE = (ScanColumnsRule) MnemoRuleConfig.of("ScanColumnsRule",
            b0 -> b0.operand(LogicalProject.class).oneInput(b1 -> b1.operand(LogicalFilter.class)
                    .oneInput(b2 -> b2.operand(MnemoTableScan.class).noInputs())), ScanColumnsRule::new).toRule();

    private ScanColumnsRule(MnemoRuleConfig config) {
        super(config);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalProject project = call.rel(0);
        LogicalFilter filter = call.rel(1);
        MnemoTableScan scan = call.rel(2);
        int width = scan.getRowType().getFieldCount();
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(project.getProjects(), filter.getCondition());
        if (used.cardinality() == width) {
            return;
        }
        Mappings.TargetMapping mapping = Mappings.target(used.toList(), width);
        RexPermuteInputsShuttle remap = new RexPermuteInputsShuttle(mapping, scan);
        RelBuilder b = call.builder();
        b.push(scan);
        List<RexNode> columns = new ArrayList<>();
        for (int c : used) {
            columns.add(b.field(c));
        }
        b.project(columns, List.of(), true);
        b.filter(filter.getCondition().accept(remap));
        List<RexNode> projects = new ArrayList<>();
        for (RexNode e : project.getProjects()) {
            projects.add(e.accept(remap));
        }
        b.project(projects, project.getRowType().getFieldNames(), true);
        call.transformTo(b.build());
    }
}
