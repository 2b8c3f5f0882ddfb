package dev.mnemo.cluster;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.RestoreMode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of a node: applies each committed entry to the node's copies, in log order, one local
 * commit per entry (with the entry's index, so a restart replays only what the copies lack).
 */
final class Replica extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);

    private final String me;
    private final Mnemo engine;
    private final NodeState state;
    private final Object appliedMonitor = new Object();
    private final CopySources sources;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    /**
     * Held shared by every transaction body and read on this node's copies, and exclusively while copies are replaced
     * (a snapshot installed, a copy emptied for a load): a body never reads a copy half replaced.
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock installLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    private volatile Runnable onFailure = () -> { };
    private File installingMarker;
    private final java.util.concurrent.atomic.AtomicInteger installs = new java.util.concurrent.atomic.AtomicInteger();
    /** This node's copies that have no contents yet: ram copies after a restart, copies whose load failed. */
    private final Set<String> unloaded = ConcurrentHashMap.newKeySet();
    private volatile Fetcher fetcher;
    private volatile Consumer<String> reloadWanted = t -> { };
    private volatile Throwable failure;
    private volatile boolean stopping;

    /** Reads a chunk of a copy from another node, once that node has applied entry {@code minIndex}. */
    interface Fetcher {
        Tuple fetch(String node, long minIndex, Tuple request) throws Exception;
    }

    Replica(String me, Map<String, String> nodes, Mnemo engine) {
        this.me = me;
        this.engine = engine;
        this.state = new NodeState(engine, nodes);
        this.sources = new CopySources(engine);
        unloaded.addAll(state.unloadedRows());
        // a ram copy comes back from a restart empty: it is loaded from another copy before it is used
        state.schema().forEach((t, r) -> {
            if (r.copies().storageOn(me).orElse(null) == StorageType.RAM_COPIES) {
                unloaded.add(t);
            }
        });
    }

    /** Wires the node's way to read other nodes' copies, and to ask the cluster for a fresh load of a copy here. */
    void connect(Fetcher f, Consumer<String> reload) {
        this.fetcher = f;
        this.reloadWanted = reload;
    }

    /** The lock bodies and reads hold shared. */
    java.util.concurrent.locks.Lock readers() {
        return installLock.readLock();
    }

    /** What the node does when this copy stops applying the log (leaves the group). */
    void onFailure(Runnable r) {
        this.onFailure = r;
    }

    /** The node is closing: a load in progress gives up (the entry is applied again after a restart). */
    void stopping() {
        stopping = true;
    }

    /** The copies here not loaded yet. */
    Set<String> unloaded() {
        return unloaded;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        installingMarker = new File(raftStorage.getStorageDir().getStateMachineDir(), "mnemo-installing");
        SingleFileSnapshotInfo s = storage.getLatestSnapshot();
        if (s != null) {
            if (state.applied() < s.getIndex() || installingMarker.exists()) {
                // the copies here lost commits the snapshot has (the log before it may be gone)
                install(s);
            }
            setLastAppliedTermIndex(s.getTermIndex());
        }
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader. */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** A snapshot was installed from the leader (this node was too far behind for the log). */
    @Override
    public void reinitialize() throws IOException {
        SingleFileSnapshotInfo s = storage.loadLatestSnapshot();
        if (s != null && s.getIndex() > state.applied()) {
            install(s);
            setLastAppliedTermIndex(s.getTermIndex());
        }
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /**
     * A snapshot is a backup of this node's loaded copies and its cluster state, taken between two entries (Ratis
     * calls this on the apply thread), once the copies are durable up to it; the Raft log before it can then go.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (failure != null || stopping || last == null || last.getIndex() <= 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        List<String> tables = new java.util.ArrayList<>();
        state.schema().forEach((t, r) -> {
            if (r.copies().storageOn(me).isPresent() && !unloaded.contains(t)) {
                tables.add(t);
            }
        });
        state.beforeSnapshot(last.getIndex(), tables);
        List<String> backedUp = new java.util.ArrayList<>(tables);
        backedUp.add(NodeState.TABLE);
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        engine.syncLog();
        engine.backup(file.toPath(), backedUp, null);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        LOG.info("node {} took a snapshot at entry {} of {}", me, last.getIndex(), tables);
        return last.getIndex();
    }

    /**
     * Replaces this node's copies and cluster state with a snapshot's: the state first, then every copy this node
     * should have (as the snapshot's schema says) is made with this node's storage type and filled from the
     * snapshot, or, for a table the snapshot's node had no copy of, loaded from another node.
     */
    int installs() {
        return installs.get();
    }

    private void install(SingleFileSnapshotInfo s) throws IOException {
        installs.incrementAndGet();
        installLock.writeLock().lock();
        installing = true;
        generation.incrementAndGet();
        try {
            // a crash before the end leaves this mark: the next start installs the snapshot again
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(installingMarker.toPath(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(
                    installingMarker.getParentFile().toPath(), java.nio.file.StandardOpenOption.READ)) {
                dir.force(true);
            }
            replace(s);
            java.nio.file.Files.deleteIfExists(installingMarker.toPath());
        } finally {
            generation.incrementAndGet();
            installing = false;
            installLock.writeLock().unlock();
        }
        for (String t : List.copyOf(unloaded)) {
            reloadWanted.accept(t);
        }
    }

    private void replace(SingleFileSnapshotInfo s) throws IOException {
        Path file = s.getFile().getPath();
        MD5Hash md5 = s.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(file.toFile(), md5);
        }
        sources.closeAll();
        engine.restore(file, RestoreMode.CLEAR_TABLES, List.of(NodeState.TABLE), null);
        state.reload();
        List<String> inSnapshot = state.snapshotTables();
        for (String t : engine.tables(false)) {
            if (storageHere(t).isEmpty()) {
                engine.deleteTable(t);
            }
        }
        List<String> restore = new java.util.ArrayList<>();
        unloaded.clear();
        state.clearUnloadedRows(); // the snapshot's node's own, not this one's
        state.schema().forEach((t, r) -> r.defOn(me).ifPresent(def -> {
            if (engine.tables(true).contains(t) && engine.tableDef(t).storage() != def.storage()) {
                engine.deleteTable(t);
            }
            if (!engine.tables(true).contains(t)) {
                engine.createTable(def);
            }
            if (inSnapshot.contains(t)) {
                restore.add(t);
            } else if (r.copies().nodes().size() == 1) {
                // the only copy, which the snapshot's node cannot carry: kept as it is (emptying it would lose it)
                LOG.error("node {} keeps its copy of {} as it was: the snapshot at {} lacks it and no other node has"
                        + " one", me, t, s.getIndex());
            } else {
                engine.clearTable(t);
                unloaded.add(t);
            }
        }));
        if (!restore.isEmpty()) {
            engine.restore(file, RestoreMode.CLEAR_TABLES, restore, null);
        }
        for (String t : unloaded) {
            state.recordLoaded(t, false);
        }
        state.installed(s.getIndex());
        LOG.info("node {} installed the snapshot at entry {}: {} from it, {} to load from other nodes", me,
                s.getIndex(), restore, unloaded);
    }

    /** Closed by the Raft server as it stops: the copies it serves are released. */
    @Override
    public void close() throws java.io.IOException {
        sources.closeAll();
        super.close();
    }

    NodeState state() {
        return state;
    }

    /** Why this copy stopped applying entries, or null. */
    Throwable failure() {
        return failure;
    }

    /** Waits until entry {@code index} is applied here, or {@code deadlineNanos} passes; true if it is. */
    boolean awaitApplied(long index, long deadlineNanos) throws InterruptedException {
        synchronized (appliedMonitor) {
            while (state.applied() < index && failure == null) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                appliedMonitor.wait(Math.max(1, left / 1_000_000));
            }
        }
        return state.applied() >= index;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        byte[] reply;
        if (failure != null) {
            // stopped: nothing more is applied here (a restart replays it); the rest of the cluster goes on
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Entries.error("stopped",
                    "node " + me + " stopped applying the log: " + failure))));
        }
        if (index <= state.applied()) {
            reply = Entries.ok(index); // a replay after a restart of what the copies already hold
        } else {
            try {
                reply = apply(index, Entries.decode(entry.getStateMachineLogEntry().getLogData().toByteArray()));
            } catch (Refused r) {
                state.skipped(index);
                reply = Entries.error(r.kind, r.getMessage());
            } catch (RuntimeException | Error e) {
                // the copies here can no longer follow the log: stop applying rather than diverge from the other
                // nodes (throwing would make Ratis close the server from its own apply thread, and hang)
                failure = e;
                if (!stopping) {
                    LOG.error("node {} cannot apply entry {} and stops applying: {}", me, index, e.toString(), e);
                    onFailure.run();
                }
                synchronized (appliedMonitor) {
                    appliedMonitor.notifyAll();
                }
                return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Entries.error("stopped",
                        "node " + me + " stopped applying the log: " + e))));
            }
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        sources.sweepNow();
        synchronized (appliedMonitor) {
            appliedMonitor.notifyAll();
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        Tuple q = (Tuple) TermCodec.decode(request.getContent().toByteArray());
        Object answer = switch ((String) q.get(0)) {
            case "applied" -> state.applied();
            case "loaded" -> hasLoadedCopy((String) q.get(1));
            case "genesis" -> new java.util.LinkedHashMap<>(state.genesis());
            case "fetch" -> {
                String table = (String) q.get(1);
                Tuple t = sources.read(table, (String) q.get(2), (Long) q.get(3), (Long) q.get(4));
                yield t.get(0).equals("none") ? Tuple.of("none", hasLoadedCopy(table)) : t;
            }
            default -> throw new IllegalArgumentException("unknown query " + q);
        };
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(TermCodec.encode(answer))));
    }

    private byte[] apply(long index, Tuple e) {
        switch ((String) e.get(0)) {
            case Entries.TX -> {
                return applyTx(index, Entries.txOf(e));
            }
            case Entries.DIRTY -> {
                long readIndex = (Long) e.get(1);
                List<Entries.Op> ops = Entries.opsOf(e.get(2));
                if (redefinedSince(ops, readIndex)) {
                    state.skipped(index);
                    return Entries.conflict();
                }
                commit(index, ops, c -> { });
                return Entries.ok(index);
            }
            case Entries.CREATE -> {
                NodeState.Replicated r = new NodeState.Replicated(TableDef.fromValue(e.get(1)),
                        Entries.copiesOf(e.get(2)));
                String name = r.def().name();
                if (name.equals(NodeState.TABLE)) {
                    throw new Refused("bad_name", "'" + name + "' is the name of the cluster's own state table");
                }
                if (state.table(name).isPresent()) {
                    throw new Refused("exists", "table '" + name + "' already exists in the cluster");
                }
                checkNodes(r.copies());
                r.defOn(me).ifPresent(def -> {
                    if (!engine.tables(true).contains(name)) {
                        engine.createTable(def);
                    }
                });
                commit(index, List.of(), c -> c.schema(name, r));
                return Entries.ok(index);
            }
            case Entries.DELETE -> {
                String name = (String) e.get(1);
                replicated(name);
                sources.dropTable(name);
                markLoaded(name);
                if (engine.tables(true).contains(name)) {
                    engine.deleteTable(name);
                }
                commit(index, List.of(), c -> c.schema(name, null));
                return Entries.ok(index);
            }
            case Entries.SET_COPY -> {
                String name = (String) e.get(1);
                String node = (String) e.get(2);
                StorageType storage = StorageType.valueOf((String) e.get(3));
                NodeState.Replicated r = replicated(name);
                checkNode(node);
                Optional<StorageType> now = r.copies().storageOn(node);
                if (now.isEmpty()) {
                    throw new Refused("unsupported", "node '" + node + "' has no copy of table '" + name
                            + "' whose type could change");
                }
                if (node.equals(me) && engine.tables(true).contains(name)
                        && engine.tableDef(name).storage() != storage) { // done already if replayed after a crash
                    sources.dropTable(name);
                    engine.changeTableCopyType(name, storage);
                    if (storage == StorageType.RAM_COPIES || now.get() == StorageType.RAM_COPIES) {
                        // a ram copy restarts empty: it is reloaded then, as any other
                        LOG.debug("copy of {} on {} is now {}", name, me, storage);
                    }
                }
                commit(index, List.of(), c -> c.schema(name, new NodeState.Replicated(r.def(),
                        r.copies().with(node, storage))));
                return Entries.ok(index);
            }
            case Entries.DEL_COPY -> {
                String name = (String) e.get(1);
                String node = (String) e.get(2);
                NodeState.Replicated r = replicated(name);
                if (r.copies().storageOn(node).isEmpty()) {
                    throw new Refused("no_copy", "node '" + node + "' has no copy of table '" + name + "'");
                }
                Copies left;
                try {
                    left = r.copies().without(node);
                } catch (IllegalArgumentException x) {
                    throw new Refused("last_copy", x.getMessage() + " (table '" + name + "')");
                }
                if (node.equals(me)) {
                    sources.dropTable(name);
                    markLoaded(name);
                    if (engine.tables(true).contains(name)) {
                        engine.deleteTable(name);
                    }
                }
                commit(index, List.of(), c -> c.schema(name, new NodeState.Replicated(r.def(), left)));
                return Entries.ok(index);
            }
            case Entries.ADD_COPY -> {
                String name = (String) e.get(1);
                String node = (String) e.get(2);
                StorageType storage = StorageType.valueOf((String) e.get(3));
                NodeState.Replicated r = replicated(name);
                checkNode(node);
                if (r.copies().storageOn(node).isPresent()) {
                    throw new Refused("has_copy", "node '" + node + "' already has a copy of table '" + name + "'");
                }
                NodeState.Replicated next = new NodeState.Replicated(r.def(), r.copies().with(node, storage));
                if (node.equals(me)) {
                    if (engine.tables(true).contains(name)) {
                        engine.deleteTable(name); // left by a load cut short by a crash
                    }
                    markUnloaded(name);
                    engine.createTable(next.defOn(me).orElseThrow());
                    load(name, index, r.copies().nodes());
                } else {
                    serve(name, node, index);
                }
                commit(index, List.of(), c -> c.schema(name, next));
                return Entries.ok(index);
            }
            case Entries.LOAD -> {
                String name = (String) e.get(1);
                String node = (String) e.get(2);
                NodeState.Replicated r = replicated(name);
                if (r.copies().storageOn(node).isEmpty()) {
                    throw new Refused("no_copy", "node '" + node + "' has no copy of table '" + name + "'");
                }
                if (node.equals(me)) {
                    List<String> peers = r.copies().nodes().stream().filter(n -> !n.equals(me)).toList();
                    if (!unloaded.contains(name)) {
                        LOG.debug("node {}: its copy of {} is loaded already; the load at {} is moot", me, name, index);
                    } else if (peers.isEmpty()) {
                        // the only copy: nothing to load it from. A ram copy starts empty, as in Mnesia; a disc copy
                        // is left as it is, never emptied for a load that cannot fill it
                        if (r.copies().storageOn(me).orElse(null) == StorageType.RAM_COPIES) {
                            markLoaded(name);
                        } else {
                            LOG.error("node {}: its copy of {} is the only one, is not loaded, and cannot be", me,
                                    name);
                        }
                    } else {
                        emptyForLoad(name);
                        load(name, index, peers);
                    }
                } else {
                    serve(name, node, index);
                }
                commit(index, List.of(), c -> { });
                return Entries.ok(index);
            }
            case Entries.ADD_NODE -> {
                String node = (String) e.get(1);
                String address = (String) e.get(2);
                String known = state.nodes().get(node);
                if (known != null && !known.equals(address)) {
                    throw new Refused("bad_node", "node '" + node + "' is already in the cluster at " + known);
                }
                if (known == null) {
                    commit(index, List.of(), c -> c.addNode(node, address));
                } else {
                    state.skipped(index);
                }
                return Entries.ok(index);
            }
            default -> throw new Refused("bad_entry", "unknown entry " + e.get(0));
        }
    }

    private byte[] applyTx(long index, Entries.Tx tx) {
        if (state.writtenSince(tx.readIndex(), tx.keyReads(), tx.tableReads())
                || redefinedSince(tx.ops(), tx.readIndex())) {
            state.skipped(index);
            return Entries.conflict();
        }
        commit(index, tx.ops(), c -> { });
        return Entries.ok(index);
    }

    /**
     * Whether a table written by {@code ops} is gone, or was created, redefined or given other copies after entry
     * {@code readIndex}: its writes were checked here against another definition, so every node refuses them alike
     * (the writer re-runs) rather than the copies failing on them while nodes without a copy go on.
     */
    private boolean redefinedSince(List<Entries.Op> ops, long readIndex) {
        for (Entries.Op op : ops) {
            if (state.table(op.table()).isEmpty() || state.defVersion(op.table()) > readIndex) {
                return true;
            }
        }
        return false;
    }

    /** This node's copy of {@code table} is about to be (re)loaded: no body uses it from now on, then it is emptied. */
    private void emptyForLoad(String table) {
        installLock.writeLock().lock();
        try {
            markUnloaded(table);
            sources.dropTable(table);
            engine.clearTable(table);
        } finally {
            installLock.writeLock().unlock();
        }
    }

    /**
     * Changed whenever copies here are replaced under running transactions: a copy marked unloaded (before it is
     * emptied) or loaded again, a snapshot installed (before and after). The SQL gate refuses a commit begun in
     * another generation, since what it read may have been a copy half replaced.
     */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean installing;

    long generation() {
        return generation.get();
    }

    /** Whether a snapshot is being installed here now (every copy may be half replaced). */
    boolean installing() {
        return installing;
    }

    private void markUnloaded(String table) {
        if (unloaded.add(table)) {
            generation.incrementAndGet(); // after: a transaction beginning between the two finds the table unloaded
            state.recordLoaded(table, false);
        }
    }

    private void markLoaded(String table) {
        if (unloaded.remove(table)) {
            state.recordLoaded(table, true);
            generation.incrementAndGet(); // not when nothing was unloaded: a DROP of any table would bump it
        }
    }

    /** A node loads a copy as of entry {@code index}: if this node's copy is loaded, it serves it. */
    private void serve(String table, String node, long index) {
        if (hasLoadedCopy(table)) {
            sources.open(table, node, index);
        }
    }

    private boolean hasLoadedCopy(String table) {
        return storageHere(table).isPresent() && !unloaded.contains(table);
    }

    /** The storage type of this node's copy of {@code table}, if it has one. */
    private Optional<StorageType> storageHere(String table) {
        return state.table(table).flatMap(r -> r.copies().storageOn(me));
    }

    /**
     * Fills this node's (empty) copy of {@code table} with the table as of entry {@code index}, read from one of
     * {@code peers} (the other nodes with a copy; at least one). The apply thread waits for it, so that later entries
     * apply on top. If no node can serve it (none has a loaded copy, or none answers in time), the copy is left
     * unloaded and a fresh load is asked of the cluster; an empty table is loaded empty when every other copy says
     * it has nothing to serve and none is loaded.
     */
    private void load(String table, long index, List<String> peers) {
        markUnloaded(table);
        Fetcher f = fetcher;
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> outcomes = new java.util.ArrayList<>();
        while (f != null && System.nanoTime() - deadline < 0) {
            if (stopping) {
                throw new IllegalStateException("node " + me + " is closing; the load of " + table + " stops");
            }
            int emptyHanded = 0;
            int answered = 0;
            outcomes.clear();
            for (String peer : peers) {
                try {
                    Boolean done = loadFrom(f, peer, table, index);
                    if (Boolean.TRUE.equals(done)) {
                        markLoaded(table);
                        return;
                    }
                    answered++;
                    if (done == null) {
                        emptyHanded++;
                    }
                    outcomes.add(peer + (done == null ? ": no loaded copy" : ": no copy kept for this load"));
                } catch (Exception ex) {
                    outcomes.add(peer + ": " + ex);
                }
                engine.clearTable(table);
            }
            if (emptyHanded == peers.size()) {
                // every other copy answered and none has contents (all ram copies restarted): Mnesia's empty table
                LOG.warn("node {}: no copy of table {} has contents to load; it starts empty", me, table);
                markLoaded(table);
                return;
            }
            if (answered == peers.size()) {
                break; // every copy answered, none serves this entry's load (restarted since, say): a fresh one
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.warn("node {} could not load table {} as of entry {} ({}); it asks for a fresh load", me, table,
                index, outcomes);
        reloadWanted.accept(table);
    }

    /** True once loaded; false if {@code peer} has no source for it; null if {@code peer}'s copy is not loaded. */
    private Boolean loadFrom(Fetcher f, String peer, String table, long index) throws Exception {
        for (long chunk = 0; ; chunk++) {
            Tuple reply = f.fetch(peer, index, Tuple.of("fetch", table, me, index, chunk));
            if (!"chunk".equals(reply.get(0))) {
                return chunk == 0 && Boolean.FALSE.equals(reply.get(1)) ? null : Boolean.FALSE;
            }
            @SuppressWarnings("unchecked")
            List<Object> records = (List<Object>) reply.get(1);
            engine.transaction(tx -> {
                for (Object rec : records) {
                    tx.write(table, (Tuple) rec);
                }
                return null;
            });
            if (!(Boolean) reply.get(2)) {
                return true;
            }
        }
    }

    /** Applies {@code ops} to the copies here, and the change to the cluster state, in one local commit. */
    private void commit(long index, List<Entries.Op> ops, Consumer<NodeState.Change> more) {
        // before its writes reach the copies: see NodeState.applying
        state.applying(index, ops.stream().map(Entries.Op::table).collect(java.util.stream.Collectors.toSet()));
        NodeState.Change done = engine.transaction(tx -> {
            NodeState.Change c = state.new Change(index, tx);
            for (Entries.Op op : ops) {
                if (storageHere(op.table()).isPresent()) {
                    switch (op.op()) {
                        case Entries.WRITE -> tx.write(op.table(), (Tuple) op.arg());
                        case Entries.DELETE_KEY -> tx.delete(op.table(), op.arg());
                        case Entries.DELETE_OBJECT -> tx.deleteObject(op.table(), (Tuple) op.arg());
                        default -> throw new IllegalStateException("unknown op " + op.op());
                    }
                }
                c.wroteKey(op.table(), op.key());
            }
            more.accept(c);
            return c;
        });
        done.publish();
    }

    private NodeState.Replicated replicated(String table) {
        return state.table(table).orElseThrow(() -> new Refused("no_table",
                "no replicated table '" + table + "'"));
    }

    private void checkNodes(Copies copies) {
        for (String n : copies.nodes()) {
            checkNode(n);
        }
    }

    private void checkNode(String node) {
        if (!state.nodes().containsKey(node)) {
            throw new Refused("bad_node", "'" + node + "' is not a node of this cluster " + state.nodes().keySet());
        }
    }

    /** An entry every node refuses alike, before changing anything. */
    static final class Refused extends RuntimeException {
        final String kind;

        Refused(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }
}
