package dev.mnemo.cluster;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a node knows of the replicated state besides its copies, kept in a hidden table of its engine so that it
 * commits with the copies it describes: the index of the last entry applied, the cluster's schema (every table's
 * definition and copy lists, known to every node), and the write versions against which transactions are checked.
 *
 * <p>A write version is the index of the last entry that wrote something: per table, and per bucket of
 * {@code (table, key)} hashes. A transaction that read a key (or scanned a table) as of entry {@code r} conflicts
 * when that key's bucket (or the table) was written by an entry after {@code r}. Every node sees every entry, so
 * every node keeps the same versions, with or without a copy of the table, and decides alike. Two keys sharing a
 * bucket can make a false conflict (a re-run), never a missed one.
 *
 * <p>Written by the apply thread only; the schema and the applied index are read by any thread.
 */
final class NodeState {
    static final String TABLE = "mnemo_cluster";
    static final int BUCKETS = 1 << 16;
    private static final Tuple APPLIED = Tuple.of("applied");

    private final Mnemo engine;
    private final long[] buckets = new long[BUCKETS];
    // read by SQL threads checking read-only transactions too (NodeGate), while the apply thread publishes
    private final Map<String, Long> tableVersions = new ConcurrentHashMap<>();
    private final Map<String, Long> defVersions = new ConcurrentHashMap<>();
    private final Map<String, Replicated> schema = new ConcurrentHashMap<>();
    private volatile long applied;
    /**
     * The nodes the cluster was first started with: every entry is decided against them and the nodes added since,
     * so a node that replays the log from its start must begin with them. Kept as a row; a node joining learns them
     * from the cluster.
     */
    private volatile Map<String, String> genesis;
    private static final Tuple GENESIS = Tuple.of("genesis");
    /** The cluster's nodes (db_nodes), name to address: those every node started with, then those joined. */
    private volatile Map<String, String> nodes = Map.of();
    private static final Tuple NODES = Tuple.of("nodes");
    private List<String> snapshotTables = List.of();
    private final java.util.Set<String> unloadedRows = new java.util.HashSet<>();
    private static final Tuple SNAPSHOT_TABLES = Tuple.of("snapshot_tables");

    /** A replicated table: its definition (the storage type in it is the creator's) and where its copies are. */
    record Replicated(TableDef def, Copies copies) {
        Object toValue() {
            return Tuple.of(def.toValue(), Entries.copies(copies));
        }

        static Replicated fromValue(Object v) {
            Tuple t = (Tuple) v;
            return new Replicated(TableDef.fromValue(t.get(0)), Entries.copiesOf(t.get(1)));
        }

        /** The definition of {@code node}'s copy, if it has one. */
        Optional<TableDef> defOn(String node) {
            return copies.storageOn(node).map(s -> def.toBuilder().storage(s).build());
        }
    }

    NodeState(Mnemo engine, Map<String, String> initialNodes) {
        this.engine = engine;
        if (!engine.tables(true).contains(TABLE)) {
            engine.createTable(TableDef.builder(TABLE).attributes("k", "v").type(TableType.SET)
                    .storage(StorageType.DISC_COPIES).userProperty(TableDef.HIDDEN, true).build());
        }
        this.genesis = new java.util.LinkedHashMap<>(initialNodes);
        reload();
        if (!hasGenesisRow) {
            Map<String, String> g = new java.util.LinkedHashMap<>(initialNodes);
            engine.transaction(tx -> {
                tx.write(TABLE, Tuple.of(TABLE, GENESIS, g));
                return null;
            });
            hasGenesisRow = true;
        }
    }

    private boolean hasGenesisRow;

    /** The nodes the cluster was first started with. */
    Map<String, String> genesis() {
        return java.util.Collections.unmodifiableMap(genesis);
    }

    /** Reads the state afresh from the engine's table (after a snapshot replaced it). Apply thread only. */
    void reload() {
        Arrays.fill(buckets, 0L);
        tableVersions.clear();
        defVersions.clear();
        snapshotTables = List.of();
        unloadedRows.clear();
        Map<String, Replicated> read = new HashMap<>();
        applied = 0;
        hasGenesisRow = false;
        nodesRow = null;
        engine.snapshot(tx -> {
            tx.foldl(TABLE, null, (rec, acc) -> {
                load((Tuple) rec.get(1), rec.get(2), read);
                return null;
            });
            return null;
        });
        schema.keySet().retainAll(read.keySet());
        schema.putAll(read);
        nodes = nodesRow != null ? nodesRow : new java.util.LinkedHashMap<>(genesis);
    }

    private Map<String, String> nodesRow;

    @SuppressWarnings("unchecked")
    private void load(Tuple key, Object value, Map<String, Replicated> read) {
        switch ((String) key.get(0)) {
            case "snapshot_tables" -> snapshotTables = List.copyOf((List<String>) value);
            case "nodes" -> nodesRow = new java.util.LinkedHashMap<>((Map<String, String>) value);
            case "genesis" -> {
                genesis = new java.util.LinkedHashMap<>((Map<String, String>) value);
                hasGenesisRow = true;
            }
            case "unloaded" -> unloadedRows.add((String) key.get(1));
            case "applied" -> applied = (Long) value;
            case "b" -> buckets[((Long) key.get(1)).intValue()] = (Long) value;
            case "tv" -> tableVersions.put((String) key.get(1), (Long) value);
            case "dv" -> defVersions.put((String) key.get(1), (Long) value);
            case "schema" -> read.put((String) key.get(1), Replicated.fromValue(value));
            default -> throw new IllegalStateException("unknown cluster state row " + key);
        }
    }

    long applied() {
        return applied;
    }

    /** An entry whose writes are reaching the copies, and the tables it writes. */
    record Applying(long index, java.util.Set<String> tables) {
    }

    /**
     * The entry whose writes are reaching the copies now (or the last one that wrote): set before they do, since a
     * reader without locks may see them before {@link #applied()} and the versions say so.
     */
    Applying applying() {
        return applying;
    }

    void applying(long index, java.util.Set<String> tables) {
        applying = new Applying(index, tables);
    }

    private volatile Applying applying = new Applying(0, java.util.Set.of());

    /** The cluster's nodes, name to address, in the order they joined. */
    Map<String, String> nodes() {
        return java.util.Collections.unmodifiableMap(nodes);
    }

    Map<String, Replicated> schema() {
        return schema;
    }

    Optional<Replicated> table(String name) {
        return Optional.ofNullable(schema.get(name));
    }

    static int bucket(String table, Object key) {
        int h = table.hashCode() * 0x9E3779B1 ^ Arrays.hashCode(TermCodec.encode(Terms.normalize(key)));
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & (BUCKETS - 1);
    }

    /** The last entry that wrote {@code key}'s bucket of {@code table}, or changed the table's definition. */
    long keyVersion(String table, Object key) {
        return Math.max(buckets[bucket(table, key)], defVersions.getOrDefault(table, 0L));
    }

    /**
     * Whether anything of what a transaction read as of entry {@code readIndex} (keys, and whole tables) was written
     * by a later entry, or its table is gone: then the transaction conflicts.
     */
    boolean writtenSince(long readIndex, Collection<Entries.KeyRead> keys, Collection<String> tables) {
        for (Entries.KeyRead r : keys) {
            if (table(r.table()).isEmpty() || keyVersion(r.table(), r.key()) > readIndex) {
                return true;
            }
        }
        for (String t : tables) {
            if (table(t).isEmpty() || tableVersion(t) > readIndex) {
                return true;
            }
        }
        return false;
    }

    /** The last entry that created, deleted or redefined {@code table}, or changed its copies. */
    long defVersion(String table) {
        return defVersions.getOrDefault(table, 0L);
    }

    /** The last entry that wrote anything in {@code table}, or changed its definition. */
    long tableVersion(String table) {
        return tableVersions.getOrDefault(table, 0L);
    }

    /**
     * A change being applied as entry {@code index}: the caller writes the copies through {@link #tx}, and the
     * versions and applied index are written with them; {@link #publish} makes them current once committed.
     */
    final class Change {
        final long index;
        final Tx tx;
        private final Map<Integer, Long> newBuckets = new HashMap<>();
        private final Map<String, Long> newTables = new HashMap<>();
        private final Map<String, Replicated> newSchema = new HashMap<>();
        private final Map<String, Long> newDefs = new HashMap<>();
        private Map<String, String> newNodes;

        Change(long index, Tx tx) {
            this.index = index;
            this.tx = tx;
            tx.write(TABLE, Tuple.of(TABLE, APPLIED, index));
        }

        void wroteKey(String table, Object key) {
            int b = bucket(table, key);
            if (newBuckets.put(b, index) == null) {
                tx.write(TABLE, Tuple.of(TABLE, Tuple.of("b", (long) b), index));
            }
            wroteTable(table);
        }

        void wroteTable(String table) {
            if (newTables.put(table, index) == null) {
                tx.write(TABLE, Tuple.of(TABLE, Tuple.of("tv", table), index));
            }
        }

        /** Sets (or with null removes) a table's schema entry; every reader of the table conflicts from now on. */
        void schema(String table, Replicated r) {
            newSchema.put(table, r);
            if (newDefs.put(table, index) == null) {
                tx.write(TABLE, Tuple.of(TABLE, Tuple.of("dv", table), index));
            }
            if (r == null) {
                tx.delete(TABLE, Tuple.of("schema", table));
            } else {
                tx.write(TABLE, Tuple.of(TABLE, Tuple.of("schema", table), r.toValue()));
            }
            wroteTable(table);
        }

        /** Adds a node to the cluster's nodes. */
        void addNode(String name, String address) {
            Map<String, String> next = new java.util.LinkedHashMap<>(newNodes == null ? nodes : newNodes);
            next.put(name, address);
            newNodes = next;
            tx.write(TABLE, Tuple.of(TABLE, NODES, new java.util.LinkedHashMap<>(next)));
        }

        void publish() {
            if (newNodes != null) {
                nodes = newNodes;
            }
            newBuckets.forEach((b, v) -> buckets[b] = v);
            tableVersions.putAll(newTables);
            defVersions.putAll(newDefs);
            newSchema.forEach((t, r) -> {
                if (r == null) {
                    schema.remove(t);
                } else {
                    schema.put(t, r);
                }
            });
            applied = index;
        }
    }

    /**
     * Records, in this node's own state, that entries up to {@code index} are applied and which tables a snapshot
     * about to be taken holds (the ones this node has loaded copies of): a node installing the snapshot loads the
     * others from their copies.
     */
    void beforeSnapshot(long index, List<String> tables) {
        engine.transaction(tx -> {
            tx.write(TABLE, Tuple.of(TABLE, SNAPSHOT_TABLES, List.copyOf(tables)));
            // Ratis's own entries (configurations, a new leader's first entry) count as applied too
            tx.write(TABLE, Tuple.of(TABLE, APPLIED, Math.max(applied, index)));
            return null;
        });
        snapshotTables = List.copyOf(tables);
        applied = Math.max(applied, index);
    }

    /** The copies here recorded as not loaded (empty or partly loaded), as of the last start or reload. */
    java.util.Set<String> unloadedRows() {
        return java.util.Set.copyOf(unloadedRows);
    }

    /** Forgets every copy recorded as not loaded. */
    void clearUnloadedRows() {
        for (String t : unloadedRows) {
            recordLoaded(t, true);
        }
        unloadedRows.clear();
    }

    /** Records durably whether this node's copy of {@code table} is loaded. */
    void recordLoaded(String table, boolean loaded) {
        engine.transaction(tx -> {
            if (loaded) {
                tx.delete(TABLE, Tuple.of("unloaded", table));
            } else {
                tx.write(TABLE, Tuple.of(TABLE, Tuple.of("unloaded", table), true));
            }
            return null;
        });
    }

    /** The tables the snapshot this state came from holds. */
    List<String> snapshotTables() {
        return snapshotTables;
    }

    /** Marks entries up to {@code index} applied (a snapshot of them was installed), durably. */
    void installed(long index) {
        engine.transaction(tx -> {
            tx.write(TABLE, Tuple.of(TABLE, APPLIED, index));
            return null;
        });
        applied = index;
    }

    /** Marks entry {@code index} applied without a change (a conflict, a refused entry, a Raft entry of its own). */
    void skipped(long index) {
        applied = index;
    }
}
