package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import java.util.List;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * The one key a direct plan reads: its table (with the definition seen at prepare time) and, per key column, a
 * literal or a {@code ?} parameter.
 */
final class DirectKey {
    final MnemoTable table;
    /** The key columns' values, in key order. */
    private final List<AccessPath.ValueRef> refs;

    DirectKey(MnemoTable table, List<AccessPath.ValueRef> refs) {
        this.table = table;
        this.refs = refs;
    }

    /** The key of a scan that looks up exactly one key with nothing else (no guard, no limit), or null. */
    static DirectKey of(MnemoTableScan scan) {
        AccessPath path = scan.path;
        if (path.kind != AccessPath.Kind.KEY_LOOKUP || path.keys.size() != 1 || !path.guard.isEmpty()
                || path.limit != 0 || path.keys.get(0).size() != scan.mnemoTable.shape.keyColumns().length) {
            return null;
        }
        return new DirectKey(scan.mnemoTable, List.copyOf(path.keys.get(0)));
    }

    String name() {
        return table.name();
    }

    /**
     * Whether every parameter is bound and the key's parameters are there, as Calcite's path requires; fails if
     * {@code session} is not the one the statement's tables were planned in (its connection's).
     */
    boolean bound(MnemoSession session, List<TypedValue> parameters) {
        requireOwnSession(table, session);
        for (TypedValue v : parameters) {
            if (v == null) {
                return false; // Calcite reports the unbound parameter
            }
        }
        for (AccessPath.ValueRef ref : refs) {
            if (ref.param() >= parameters.size()) {
                return false;
            }
        }
        return true;
    }

    /** Fails if {@code session} is not the one {@code table} was planned in (its connection's). */
    static void requireOwnSession(MnemoTable table, MnemoSession session) {
        if (session != table.session) {
            throw new IllegalArgumentException("statement on table " + table.name() + " was prepared for another "
                    + "session");
        }
    }

    /**
     * The engine key the literals and {@code parameters} name, converted as the scan converts them (a value that
     * does not fit is an {@link IllegalArgumentException}), or null if a key column is NULL, which matches nothing.
     */
    Object resolve(List<TypedValue> parameters) {
        Object[] values = AccessPath.keyValues(refs, table.shape,
                ref -> ref.param() >= 0 ? parameters.get(ref.param()).toLocal() : ref.literal());
        return values == null ? null : table.shape.key(values);
    }

    /** Whether the table still has the definition the statement was planned for. */
    boolean current(Mnemo db) {
        return DirectDecline.current(table, db);
    }

    @Override
    public String toString() {
        return "key_lookup" + refs + " on " + table.name();
    }
}
