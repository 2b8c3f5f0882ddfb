package dev.mnemo.calcite;

import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;

/** Relational expressions evaluated by the Mnemo engine (its access paths), before Calcite takes over. */
interface MnemoRel extends RelNode {
    /** The calling convention of Mnemo's engine-side operators. */
    Convention CONVENTION = new Convention.Impl("MNEMO", MnemoRel.class);

    /** Adds this operator's part to the scan being built. */
    void implement(ScanSpec.Builder spec);
}
