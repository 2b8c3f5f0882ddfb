package dev.mnemo.cluster;

import dev.mnemo.engine.CommitGate;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.OperationInterruptedException;
import dev.mnemo.engine.SchemaException;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableNotLoadedException;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.TransactionConflictException;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gate of a node's SQL view of its copies ({@code jdbc:mnemo:node:<name>}): a transaction's writes go through
 * the cluster as one log entry, checked at apply against what it read as of its read point (the entry this node had
 * applied when it began), exactly as {@link MnemoNode#transaction} bodies are; CREATE TABLE and DROP TABLE are the
 * cluster's schema changes. Reads are of this node's copies, which must be loaded.
 */
final class NodeGate implements CommitGate {
    private final MnemoNode node;

    NodeGate(MnemoNode node) {
        this.node = node;
    }

    @Override
    public long readPoint() {
        return node.replica().state().applied();
    }

    @Override
    public long generation() {
        return node.replica().generation();
    }

    @Override
    public void checkUsable(String table) {
        if (node.replica().installing()) {
            throw new TableNotLoadedException("node '" + node.name() + "' is installing a snapshot of the cluster's "
                    + "tables: table '" + table + "' is usable again once it is done; retry");
        }
        if (table.equals(NodeState.TABLE)) {
            throw new NoSuchTableException("table '" + table + "' is the cluster's own state: it is not readable on "
                    + "node '" + node.name() + "''s SQL view");
        }
        node.localCopy(table);
    }

    @Override
    public void checkUsable(String table, long generation) {
        checkUsable(table);
        if (generation != node.replica().generation()) {
            // 40001 through SQL: a retry reads the copies as they are now
            throw new TransactionConflictException("node '" + node.name() + "' reloaded a copy, or "
                    + "installed a snapshot, since this transaction began: it cannot read table '" + table + "' any "
                    + "more without mixing what it read before with what is there now; run it again");
        }
    }

    @Override
    public boolean commit(Commit commit) {
        NodeState state = node.replica().state();
        if (commit.generation() != node.replica().generation()) {
            return false; // a copy was reloaded (or a snapshot installed) while it ran: it may have read it half done
        }
        List<Entries.KeyRead> keys = new ArrayList<>(commit.keyReads().size());
        for (KeyRead r : commit.keyReads()) {
            keys.add(new Entries.KeyRead(r.table(), r.key()));
        }
        if (commit.writes().isEmpty()) {
            // it only read, without locks, so it may have seen part of the entry being written to the copies now:
            // once that (and any before it) is published, what it read is one state if nothing of it was written
            // after its read point
            if (commit.keyReads().isEmpty() && commit.tableReads().isEmpty()) {
                return true;
            }
            NodeState.Applying writing = state.applying();
            if (touches(writing.tables(), commit) && !published(writing.index())) {
                throw new ClusterUnavailableException("node '" + node.name() + "' could not check a read-only "
                        + "transaction: entry " + writing.index() + ", being applied here, was not applied within "
                        + node.requestTimeout(), false, null);
            }
            // checked as the log's entries are; a snapshot installed meanwhile reloads the versions, so then the
            // check says nothing
            return !state.writtenSince(commit.readPoint(), keys, commit.tableReads())
                    && commit.generation() == node.replica().generation() && !node.replica().installing();
        }
        List<Entries.Op> ops = new ArrayList<>();
        for (Write w : commit.writes()) {
            if (state.table(w.table()).isEmpty()) {
                return false; // dropped since it began: its re-run finds no such table
            }
            ops.addAll(opsOf(w));
        }
        Entries.Tx entry = new Entries.Tx(commit.readPoint(), keys, List.copyOf(commit.tableReads()), ops);
        return node.committed(node.submit(Entries.tx(entry), null), ops);
    }

    /** The log's writes that leave {@code w.key()} with exactly {@code w.records()}. */
    private List<Entries.Op> opsOf(Write w) {
        List<Entries.Op> ops = new ArrayList<>(w.records().size() + 1);
        TableType type = node.replica().state().table(w.table()).orElseThrow().def().type();
        boolean bag = type == TableType.BAG || type == TableType.DUPLICATE_BAG;
        if (w.records().isEmpty() || bag) {
            ops.add(new Entries.Op(Entries.DELETE_KEY, w.table(), w.key()));
        }
        for (Tuple r : w.records()) {
            ops.add(new Entries.Op(Entries.WRITE, w.table(), r));
        }
        return ops;
    }

    /** Whether {@code commit} read any of {@code tables}. */
    private static boolean touches(java.util.Set<String> tables, Commit commit) {
        if (commit.tableReads().stream().anyMatch(tables::contains)) {
            return true;
        }
        return commit.keyReads().stream().anyMatch(r -> tables.contains(r.table()));
    }

    /** Whether this node has applied entry {@code index} within the request timeout. */
    private boolean published(long index) {
        try {
            return node.replica().awaitApplied(index, System.nanoTime() + node.requestTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while checking a read-only "
                    + "transaction on node '" + node.name() + "'", e);
        }
    }

    /**
     * Creates the table with copies where its copy lists ({@link CommitGate#COPY_LISTS}) say; without any, a copy on
     * every node of the cluster of the definition's storage type.
     */
    @Override
    public void createTable(TableDef def) {
        Map<String, Object> props = new HashMap<>(def.userProperties());
        Map<String, List<String>> lists = new HashMap<>();
        for (String l : COPY_LISTS) {
            Object v = props.remove(l);
            lists.put(l, v == null ? List.of() : names(def.name(), l, v));
        }
        Copies copies;
        if (lists.values().stream().allMatch(List::isEmpty)) {
            List<String> all = List.copyOf(node.replica().state().nodes().keySet());
            StorageType s = def.storage();
            copies = new Copies(s == StorageType.RAM_COPIES ? all : List.of(),
                    s == StorageType.DISC_COPIES ? all : List.of(),
                    s == StorageType.DISC_ONLY_COPIES ? all : List.of());
        } else {
            copies = new Copies(lists.get("ram_copies"), lists.get("disc_copies"), lists.get("disc_only_copies"));
        }
        TableDef plain = def.toBuilder().userProperties(props).build();
        node.createTable(plain, copies);
    }

    private static List<String> names(String table, String list, Object value) {
        List<String> out = new ArrayList<>();
        for (String n : String.valueOf(value).split(",", -1)) {
            if (n.isBlank()) {
                throw new SchemaException("table '" + table + "': " + list + " '" + value + "' names no node between"
                        + " two commas; expected node names separated by commas");
            }
            out.add(n.trim());
        }
        return out;
    }

    @Override
    public void deleteTable(String table) {
        node.deleteTable(table);
    }
}
