package dev.mnemo.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;

/**
 * A named, consistent, read-only view of chosen tables as they were when it was activated (Mnesia's
 * {@code activate_checkpoint}), read while writers go on, until it is {@link #close released}. Its tables cannot be
 * cleared, rewritten ({@code transform_table}, {@code alter_table}, a copy-type change, a restore) or deleted while
 * it is active: those schema changes are refused, naming it. The old records of every key changed since it was
 * activated are kept in memory while it is active (as Mnesia's retainers keep them), so release it when done.
 * Thread-safe: {@link #read} calls run one at a time.
 */
public final class Checkpoint implements AutoCloseable {
    private final Database db;
    private final String name;
    private final String label;
    private final List<String> tables;
    private final List<Table> tableObjects;
    /** Its tables' definitions when it was activated (an index may be added meanwhile; the records stay). */
    private final java.util.Map<String, TableDef> defs = new java.util.HashMap<>();
    private final Set<String> allowed;
    private final Transaction snapshot;
    private final Tx restricted;
    private volatile boolean active = true;

    Checkpoint(Database db, String name, String label, List<String> tables, List<Table> tableObjects,
               Transaction snapshot) {
        this.db = db;
        this.name = name;
        this.label = label;
        this.tables = List.copyOf(tables);
        this.tableObjects = List.copyOf(tableObjects);
        for (Table t : tableObjects) {
            defs.put(t.name(), t.def);
        }
        this.allowed = Set.copyOf(tables);
        this.snapshot = snapshot;
        this.restricted = (Tx) Proxy.newProxyInstance(Tx.class.getClassLoader(), new Class<?>[] {Tx.class},
                (proxy, method, args) -> {
                    String table = null;
                    if (args != null && args.length > 0 && args[0] instanceof String s
                            && method.getParameterTypes()[0] == String.class) {
                        table = s;
                    } else if (args != null && args.length > 0 && args[0] instanceof Continuation k) {
                        table = k.table; // a select's next chunk: of a table of the checkpoint's only
                    }
                    if (table != null && !allowed.contains(table)) {
                        throw new IllegalArgumentException(label + " has tables " + this.tables
                                + ", not " + table);
                    }
                    try {
                        return method.invoke(snapshot, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /** Its tables, in the order given. */
    public List<String> tables() {
        return tables;
    }

    /** Whether it is still active (not released, and its database not stopped). */
    public boolean isActive() {
        return active && snapshot.isActive();
    }

    /**
     * Runs {@code fn} on the checkpoint's view: every read sees its tables as they were when it was activated
     * (a select's continuation too, across calls). A read of another table is an {@link IllegalArgumentException};
     * a write is a {@link ReadOnlyTransactionException}.
     */
    public synchronized <T> T read(TxFunction<T> fn) {
        if (!active) {
            throw new MnemoException(label + " was released");
        }
        return snapshot.subTransaction(tx -> fn.apply(restricted));
    }

    /** Releases it (Mnesia's {@code deactivate_checkpoint}): its tables may be changed as a whole again. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (!active) {
                return;
            }
            active = false;
            snapshot.close();
        }
        db.released(this);
    }

    @Override
    public String toString() {
        return label + " of " + tables + (active ? "" : " (released)");
    }

    /** Table {@code table}'s definition when the checkpoint was activated. */
    TableDef def(String table) {
        return defs.get(table);
    }

    /** How it is named in messages ("checkpoint x"). */
    String label() {
        return label;
    }

    /** Its tables' objects, as they were when it was activated (none can be deleted or replaced while it is). */
    List<Table> tableObjects() {
        return tableObjects;
    }
}
