package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;

/**
 * Thrown inside a direct plan's transaction, before anything is written, when the direct path must decline after
 * all (the table changed since prepare, a value Calcite's code would treat otherwise): the statement then runs
 * through Calcite.
 */
final class DirectDecline extends RuntimeException {
    DirectDecline(String why) {
        super(why, null, false, false);
    }

    /** Whether {@code table} still has, in {@code db}, the definition the statement was planned for. */
    static boolean current(MnemoTable table, Mnemo db) {
        TableDef now = db.tableDef(table.name());
        TableDef then = table.shape.def();
        return now == then || now.equals(then);
    }
}
