package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * A prepared statement that reads or changes one key of one table, executed without Calcite's run-time path (no
 * data context, no generated code), with exactly the results and errors that path gives. Made at prepare time
 * by {@link MnemoPrepare} and carried by a {@link MnemoSignature}.
 */
public sealed interface DirectPlan permits DirectRead, DirectModify, DirectInsert {
    /**
     * The rows of one execution in {@code session} (that of the connection the statement was prepared on) with
     * {@code parameters} (the statement's bound values, in order), as Calcite's enumerable of the statement would
     * give them (a DML statement: one row, its update count). Null when the direct path declines (the table was
     * deleted or redefined since prepare, a parameter is unbound or of a kind it does not convert as Calcite does)
     * before doing anything: the caller then runs the statement through Calcite. Failures are thrown as Calcite's
     * path throws them.
     */
    List<Object> rows(MnemoSession session, List<TypedValue> parameters);
}
