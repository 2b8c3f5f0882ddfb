package dev.mnemo.cluster;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoConfig;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.SchemaException;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableExistsException;
import dev.mnemo.engine.TableNotLoadedException;
import dev.mnemo.engine.Transaction;
import dev.mnemo.engine.TransactionAbortedException;
import dev.mnemo.engine.TransactionConflictException;
import dev.mnemo.engine.TxFunction;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a replicated Mnemo cluster, and the cluster module's entry point: Mnesia's distributed tables on
 * Raft (Apache Ratis).
 *
 * <p>Every node is started with the same list of the cluster's nodes ({@link NodeConfig#nodes()}, Mnesia's
 * {@code db_nodes}). A replicated table has copies on the nodes its {@link Copies} name, each of its own storage
 * type. Every transaction that writes goes through the Raft log as one entry, and is applied by every node in log
 * order; it returns once a majority of the cluster's nodes has the entry in its log and the leader has applied it.
 * Its body runs on this node's copies; the entry carries what the body read, and a later entry's write to any of
 * that makes the transaction conflict, so it is re-run (Mnesia's restart) here with fresh reads: serializable across
 * nodes, with no distributed locks.
 *
 * <p>Reads are local (Mnesia's behaviour, possibly a little behind the cluster); {@link #linearizableRead} first
 * learns the leader's commit index (Raft's ReadIndex) and waits until this node has applied it. A node that cannot
 * reach a majority refuses writes with {@link ClusterUnavailableException}, where Mnesia would split its brain; once
 * it reaches the majority again it catches up on its own.
 *
 * <p>Thread-safe: share one node between threads. Close it to leave the cluster (the others go on while they are a
 * majority).
 */
public final class MnemoNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MnemoNode.class);
    /** How long a node goes on trusting the leader's (or followers') last word, in milliseconds. */
    private static final long STALE_MS = 1_500;
    /** Without word from a majority for this long, a write is refused at once rather than waited for. */
    private static final long GIVE_UP_MS = 3_000;
    /**
     * Even then, a write waits this long for word from a majority: a partition that has just healed is a heartbeat
     * away from being usable again.
     */
    private static final long GRACE_MS = 1_000;
    private static final int MAX_RERUNS = 1_000;

    private final NodeConfig config;
    private final Mnemo engine;
    private final Replica replica;
    private final RaftGroup group;
    private final RaftServer server;
    private final RaftClient client;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Started by {@link #join} for the first time: the cluster has yet to add it. */
    private final boolean joiningNow;
    /** The SQL view of this node's copies, whose commits go through the cluster ({@link #jdbcUrl}). */
    private final Mnemo sqlView;
    /** Asks copy holders whether they have applied a write ({@link #awaitCopies}), a thread per node asked. */
    private final ExecutorService confirmers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mnemo-confirm");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService reloads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mnemo-reload");
        t.setDaemon(true);
        return t;
    });
    /** When this node last saw word from a majority (System.nanoTime); its start counts as such. */
    private volatile long lastContact = System.nanoTime();
    private volatile boolean contactSeen;

    private MnemoNode(NodeConfig config, Consumer<RaftProperties> tuning, boolean joining) throws IOException {
        this.config = config;
        Path dir = config.directory();
        Files.createDirectories(dir);
        this.engine = Mnemo.open(MnemoConfig.disc(dir.resolve("db")).withWriteDelay(Duration.ofMillis(50)));
        try {
            this.group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                    ("mnemo-cluster:" + config.clusterName()).getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                    peers(config));
            RaftProperties props = properties(config);
            tuning.accept(props);
            Path raftDir = dir.resolve("raft");
            boolean formatted = Files.isDirectory(raftDir.resolve(group.getGroupId().getUuid().toString()));
            // a node joining replays the log from its start: it asks the cluster which nodes that start had
            Map<String, String> initial = joining && !formatted ? genesisOf(props) : config.nodes();
            this.replica = new Replica(config.name(), initial, engine);
            this.server = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(config.name()))
                    // a node joining starts outside the group; the group's leader adds it (setConfiguration)
                    .setGroup(joining && !formatted ? RaftGroup.valueOf(group.getGroupId()) : group)
                    .setStateMachine(replica)
                    .setProperties(props)
                    .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                    .build();
            this.client = RaftClient.newBuilder()
                    .setProperties(props)
                    .setRaftGroup(group)
                    .setClientId(clientId)
                    .setRetryPolicy(retryPolicy(config.requestTimeout()))
                    .build();
            replica.connect(this::fetch, this::reload);
            // a copy that cannot follow the log takes its node out of the group, as a crash would (a restart replays
            // from its last commit): it must not stay a leader whose every write then fails
            replica.onFailure(() -> new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    LOG.warn("node {}: closing its Raft server after a failure: {}", config.name(), e.toString());
                }
            }, "mnemo-stop-" + config.name()).start());
            this.joiningNow = joining && !formatted;
            this.sqlView = engine.gatedBy(new NodeGate(this));
            try {
                Mnemo.attach(config.name(), sqlView); // a second node of this name in the JVM: refused here
                server.start();
            } catch (IOException | RuntimeException e) {
                Mnemo.detach(config.name(), sqlView);
                closeQuietly(client, e);
                closeQuietly(server, e);
                throw e;
            }
            for (String t : replica.unloaded()) {
                reload(t);
            }
        } catch (IOException | RuntimeException e) {
            reloads.shutdownNow();
            confirmers.shutdownNow();
            closeQuietly(engine, e);
            throw e;
        }
    }

    /** The nodes the running cluster was first started with, asked of it (by a node about to join it). */
    @SuppressWarnings("unchecked")
    private Map<String, String> genesisOf(RaftProperties props) throws IOException {
        List<RaftPeer> others = new ArrayList<>(group.getPeers());
        others.removeIf(peer -> peer.getId().toString().equals(config.name()));
        try (RaftClient asking = RaftClient.newBuilder().setProperties(props)
                .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), others))
                .setRetryPolicy(retryPolicy(config.requestTimeout())).build()) {
            RaftClientReply reply = asking.io().sendReadOnly(
                    message(TermCodec.encode(Tuple.of("genesis"))));
            if (!reply.isSuccess()) {
                throw new ClusterUnavailableException("node '" + config.name() + "' could not learn the cluster's"
                        + " nodes to join it: " + reply.getException(), false, reply.getException());
            }
            return (Map<String, String>) TermCodec.decode(reply.getMessage().getContent().toByteArray());
        }
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(ByteString.copyFrom(bytes));
    }

    private static void closeQuietly(AutoCloseable c, Exception into) {
        try {
            c.close();
        } catch (Exception e) {
            into.addSuppressed(e);
        }
    }

    /**
     * Starts (or restarts) node {@code config.name()}: opens its copies, joins the cluster's Raft group and catches
     * up on what it missed. Returns at once; {@link #waitForTables} waits until tables are usable here.
     */
    public static MnemoNode start(NodeConfig config) {
        return start(config, p -> { }, false);
    }

    /**
     * Starts a node that is not yet one of the cluster's nodes and adds it ({@code mnesia:change_config}
     * {@code extra_db_nodes}): {@code config.nodes()} names the running cluster's nodes and this one. The node is
     * caught up from the log, or from a snapshot if the log it needs is gone, and is then a node of the cluster
     * (it counts in every majority); it has no copies until {@link #addTableCopy} gives it some. Once joined, it is
     * restarted with {@link #start}. Throws {@link ClusterUnavailableException} if the cluster could not add it.
     */
    public static MnemoNode join(NodeConfig config) {
        return start(config, p -> { }, true);
    }

    /** As {@link #start(NodeConfig)}, with Ratis's properties tuned further (tests: small log segments). */
    static MnemoNode start(NodeConfig config, Consumer<RaftProperties> tuning, boolean joining) {
        try {
            MnemoNode node = new MnemoNode(config, tuning, joining);
            if (node.joiningNow) {
                try {
                    node.join();
                } catch (IOException | RuntimeException e) {
                    try {
                        node.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node '" + config.name() + "' in " + config.directory(), e);
        }
    }

    private static List<RaftPeer> peers(NodeConfig config) {
        List<RaftPeer> peers = new ArrayList<>();
        config.nodes().forEach((name, address) -> peers.add(RaftPeer.newBuilder().setId(name).setAddress(address)
                .setClientAddress(address).setAdminAddress(address).build()));
        return peers;
    }

    /**
     * Retries a request (on another server, once a leader is known) until the request timeout, then gives it up:
     * a request given up must not stay in the client's ordered window, holding back the requests after it.
     */
    private static RetryPolicy retryPolicy(Duration timeout) {
        RetryPolicy again = RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(50, TimeUnit.MILLISECONDS));
        TimeDuration t = TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS);
        RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftClientRequestProto.TypeCase type : List.of(RaftClientRequestProto.TypeCase.WRITE,
                RaftClientRequestProto.TypeCase.READ, RaftClientRequestProto.TypeCase.STALEREAD)) {
            b.setRetryPolicy(type, again).setTimeout(type, t);
        }
        return b.build();
    }

    private static RaftProperties properties(NodeConfig config) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        String address = config.address();
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        RaftServerConfigKeys.setStorageDir(p, List.of(config.directory().resolve("raft").toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(800, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // a snapshot (a backup of the copies here) every 100,000 entries; the log before it is purged only once every
        // node has it: a node's snapshot lacks the tables it has no copy of, so a node that was down catches up from
        // the log (a new node, or one whose disc was replaced, installs a snapshot and loads the rest from copies)
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, 100_000L);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, false);
        // without sync, an entry counts as written once the operating system has it (fsync follows in the background)
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, !config.sync());
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(
                Math.min(3_000, config.requestTimeout().toMillis()), TimeUnit.MILLISECONDS));
        return p;
    }

    private void join() throws IOException {
        RaftClientReply reply = client.admin().setConfiguration(peers(config));
        if (!reply.isSuccess()) {
            throw new ClusterUnavailableException("node '" + name() + "' could not join the cluster "
                    + config.nodes().keySet() + ": " + reply.getException(), false, reply.getException());
        }
        if (!committed(submit(Entries.addNode(name(), config.address()), null))) {
            throw new IllegalStateException("node '" + name() + "' could not be added to the cluster");
        }
    }

    /** This node's name. */
    public String name() {
        return config.name();
    }

    /**
     * The JDBC URL of this node's SQL view, {@code jdbc:mnemo:node:<name>}, for the Mnemo driver in this JVM: its
     * tables are the replicated tables this node has a copy of, read locally (as {@link #read}) and written through
     * the cluster (as {@link #transaction}: one log entry per transaction, checked against what it read; a
     * transaction that conflicts is re-run in autocommit, else its commit fails with SQLState 40001). CREATE TABLE
     * takes Mnesia's copy lists ({@code WITH (disc_copies = 'n1,n2,n3')}; without them a copy on every node) and
     * DROP TABLE deletes every copy; other schema changes are refused (0A000). A node without a majority refuses
     * writes with 08006, or 40003 when their outcome is unknown.
     */
    public String jdbcUrl() {
        return "jdbc:mnemo:node:" + name();
    }

    /** How long a request to the cluster may take. */
    Duration requestTimeout() {
        return config.requestTimeout();
    }

    /** The replica of this node's copies (for its SQL gate). */
    Replica replica() {
        return replica;
    }

    // ---------------------------------------------------------------- schema

    /**
     * Creates a replicated table with copies where {@code copies} says ({@code mnesia:create_table} with
     * {@code ram_copies}, {@code disc_copies}, {@code disc_only_copies}); the storage type in {@code def} is ignored.
     * Returns once the cluster has it (and this node's copy, if it has one, exists).
     */
    public void createTable(TableDef def, Copies copies) {
        schemaChange(Entries.create(def, copies), def.name());
    }

    /** Deletes a replicated table and every copy of it. */
    public void deleteTable(String table) {
        schemaChange(Entries.delete(table), table);
    }

    /** Changes the storage type of {@code node}'s copy of {@code table} ({@code change_table_copy_type}). */
    public void changeTableCopyType(String table, String node, StorageType storage) {
        schemaChange(Entries.setCopy(table, node, storage), table);
    }

    /**
     * Adds a copy of {@code table} on {@code node}, of type {@code storage} ({@code add_table_copy}): the new copy
     * is loaded from an existing one, as the table stood at the change, then follows the log like every copy.
     * Returns once the cluster has the change; {@link #waitForTables} on {@code node} waits for the load.
     */
    public void addTableCopy(String table, String node, StorageType storage) {
        schemaChange(Entries.addCopy(table, node, storage), table);
    }

    /**
     * Moves {@code from}'s copy of {@code table} to {@code to}, with the same storage type
     * ({@code move_table_copy}): the copy on {@code to} is added and loaded first, then the one on {@code from}
     * removed. Not atomic: if the second step fails, both nodes have a copy.
     */
    public void moveTableCopy(String table, String from, String to) {
        StorageType storage = replicated(table).copies().storageOn(from).orElseThrow(() -> new SchemaException(
                "node '" + from + "' has no copy of table '" + table + "' to move"));
        addTableCopy(table, to, storage);
        delTableCopy(table, from);
    }

    /** Removes {@code node}'s copy of {@code table} ({@code del_table_copy}); the last copy cannot be removed. */
    public void delTableCopy(String table, String node) {
        schemaChange(Entries.delCopy(table, node), table);
    }

    /** The replicated tables, in name order. */
    public List<String> tables() {
        return replica.state().schema().keySet().stream().sorted().toList();
    }

    /** Where {@code table}'s copies are. */
    public Copies tableCopies(String table) {
        return replicated(table).copies();
    }

    /** {@code table}'s definition (with this node's storage type when it has a copy). */
    public TableDef tableDef(String table) {
        NodeState.Replicated r = replicated(table);
        return r.defOn(name()).orElse(r.def());
    }

    private NodeState.Replicated replicated(String table) {
        return replica.state().table(table).orElseThrow(() -> new NoSuchTableException(
                "no replicated table '" + table + "' (as of entry " + replica.state().applied() + " on node '"
                        + name() + "')"));
    }

    private void schemaChange(byte[] entry, String table) {
        Tuple out = submit(entry, table);
        if (!committed(out)) {
            throw new IllegalStateException("unexpected reply " + out);
        }
    }

    /**
     * What an entry's reply says: true once it is committed (and applied here), false on a conflict (re-run it);
     * a refusal is thrown.
     */
    boolean committed(Tuple out) {
        switch ((String) out.get(0)) {
            case "ok" -> {
                awaitLocal((Long) out.get(1));
                return true;
            }
            case "conflict" -> {
                return false;
            }
            case "error" -> throw refusal((String) out.get(1), (String) out.get(2));
            default -> throw new IllegalStateException("unexpected reply " + out);
        }
    }

    /**
     * {@link #committed(Tuple)} for an entry that wrote {@code ops}: once committed, it also waits until a majority
     * of the copies of every table written has applied it (see {@link #awaitCopies}).
     */
    boolean committed(Tuple out, List<Entries.Op> ops) {
        if (!committed(out)) {
            return false;
        }
        awaitCopies((Long) out.get(1), ops.stream().map(Entries.Op::table).distinct().toList());
        return true;
    }

    /**
     * Waits until, for every table of {@code tables}, a majority of the nodes with a copy of it has applied entry
     * {@code index}. Raft's commit is a majority of all nodes, which holds the entry in its logs; for a table with a
     * copy on every node, that majority is one of its copies, so nothing more is asked. For a table with copies on
     * some nodes only, the nodes with copies are asked (this node first, then those heard from recently). Throws
     * {@link ClusterUnavailableException} with {@code applied() == TRUE} if too few confirm within the request
     * timeout: the entry is committed and reaches the other copies when they catch up.
     */
    private void awaitCopies(long index, List<String> tables) {
        if (!config.waitForCopies()) {
            return;
        }
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        Collection<String> all = replica.state().nodes().keySet();
        for (String t : tables) {
            List<String> copies = replica.state().table(t).map(r -> r.copies().nodes()).orElse(List.of());
            if (copies.isEmpty() || copies.containsAll(all)) {
                continue;
            }
            int need = copies.size() / 2 + 1;
            int have = confirm(t, copies, need, index, deadline);
            if (have < need) {
                throw new ClusterUnavailableException("the cluster committed entry " + index + " but only " + have
                        + " of the " + copies.size() + " copies of table '" + t + "' " + copies + " had applied it "
                        + "within " + config.requestTimeout() + " (" + need + " needed); it is committed and reaches "
                        + "them as they catch up", Boolean.TRUE, null);
            }
        }
    }

    /**
     * Asks every node of {@code nodes}, all at once, whether it has applied entry {@code index} and holds a loaded
     * copy of {@code table} (a stale read at that index), until {@code need} of them say so or {@code deadline}
     * passes; returns how many did. A node that is behind is asked again every few milliseconds; one that is down
     * does not hold up the others' answers (its question is given up at the end).
     */
    private int confirm(String table, List<String> nodes, int need, long index, long deadline) {
        java.util.Set<String> confirmed = new java.util.HashSet<>();
        if (nodes.contains(name()) && !replica.unloaded().contains(table)) {
            confirmed.add(name()); // applied here: committed() waited for it
        }
        Map<String, java.util.concurrent.Future<Boolean>> asking = new java.util.HashMap<>();
        try {
            while (confirmed.size() < need && System.nanoTime() - deadline < 0) {
                ensureOpen();
                for (String n : nodes) {
                    if (!confirmed.contains(n) && !asking.containsKey(n)) {
                        // the blocking client on a thread per node: with Ratis's async client, a live node's answer
                        // never came in a test where another node asked was down
                        asking.put(n, confirmers.submit(() -> Boolean.TRUE.equals(
                                ask(n, index, Tuple.of("loaded", table)))));
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterUnavailableException("interrupted after the cluster committed entry " + index
                            + ", while waiting for the copies of table '" + table + "' " + nodes + " to apply it",
                            Boolean.TRUE, e);
                }
                for (var it = asking.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue().isDone()) {
                        it.remove();
                        try {
                            if (e.getValue().get()) {
                                confirmed.add(e.getKey());
                            }
                        } catch (java.util.concurrent.ExecutionException | InterruptedException refused) {
                            // behind (a stale-read refusal) or unreachable: asked again next round
                        }
                    }
                }
            }
            return confirmed.size();
        } finally {
            asking.values().forEach(f -> f.cancel(true)); // a node down: its thread is not left waiting
        }
    }

    private static RuntimeException refusal(String kind, String message) {
        return switch (kind) {
            case "exists" -> new TableExistsException(message);
            case "no_table" -> new NoSuchTableException(message);
            case "bad_node", "no_copy", "last_copy", "unsupported", "has_copy", "bad_name" ->
                    new SchemaException(message);
            case "stopped" -> new ClusterUnavailableException(message + "; its outcome is unknown (other nodes may"
                    + " have applied it)", null, null);
            default -> new IllegalStateException(kind + ": " + message);
        };
    }

    /**
     * Waits until every table named is replicated and has a copy on this node, and this node has applied every
     * entry the cluster had committed when the call began ({@code mnesia:wait_for_tables}). Throws
     * {@link TableNotLoadedException} after {@code timeout}.
     */
    public void waitForTables(Collection<String> tables, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                barrier(deadline);
                List<String> missing = new ArrayList<>();
                for (String t : tables) {
                    if (replica.state().table(t).flatMap(r -> r.copies().storageOn(name())).isEmpty()
                            || replica.unloaded().contains(t)) {
                        missing.add(t);
                    }
                }
                if (missing.isEmpty()) {
                    return;
                }
                last = new TableNotLoadedException("node '" + name() + "' has no loaded copy of " + missing);
            } catch (ClusterUnavailableException e) {
                last = e;
            }
            sleep(50);
        }
        throw new TableNotLoadedException("tables " + tables + " were not loadable on node '" + name()
                + "' within " + timeout + (last == null ? "" : ": " + last.getMessage()));
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Runs {@code fn} as a replicated transaction: on this node's copies, then committed through the cluster as one
     * entry, re-run when it conflicts with an entry committed since it read. Returns once a majority has the entry
     * and this node has applied it (so this node's reads see it). A body that only reads commits nothing and sees
     * this node's copies, possibly behind the cluster (use {@link #linearizableRead} for the newest). Every table the
     * body touches must have a copy on this node. {@code fn} must be free of side effects: it may run more than once.
     *
     * @throws ClusterUnavailableException when no majority can be reached within the request timeout
     * @throws TransactionAbortedException when fn called {@code abort} or threw
     */
    public <T> T transaction(TxFunction<T> fn) {
        for (int run = 0; run < MAX_RERUNS; run++) {
            ensureOpen();
            T result;
            Entries.Tx entry;
            boolean localConflict = false;
            java.util.concurrent.locks.Lock readers = replica.readers();
            readers.lock();
            long readIndex = replica.state().applied();
            try (Transaction local = engine.begin()) {
                RecordingTx tx = new RecordingTx(local, this::localCopy);
                try {
                    result = fn.apply(tx);
                } catch (TransactionConflictException e) {
                    result = null;
                    localConflict = true;
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new TransactionAbortedException(e, e);
                } finally {
                    local.rollback();
                }
                if (localConflict) {
                    entry = null;
                } else if (!tx.wrote()) {
                    return result;
                } else {
                    entry = tx.entry(readIndex);
                }
            } finally {
                readers.unlock();
            }
            if (entry == null) {
                backoff(run); // a lock conflict here: re-run once the locks and the readers lock are let go
                continue;
            }
            Tuple out = submit(Entries.tx(entry), null);
            if (committed(out, entry.ops())) {
                return result;
            }
            backoff(run);
        }
        throw new TransactionConflictException("a transaction on node '" + name()
                + "' conflicted with other commits on every one of its runs; it gave up");
    }

    /**
     * Runs the read-only {@code fn} on this node's copies once they include every entry committed before the call
     * (Raft's ReadIndex, asked of the leader): a linearizable read, at the cost of a round trip to the leader.
     */
    public <T> T linearizableRead(TxFunction<T> fn) {
        ensureOpen();
        barrier(System.nanoTime() + config.requestTimeout().toNanos());
        return read(fn);
    }

    /**
     * Runs the read-only {@code fn} on a snapshot of this node's copies: no round trip, possibly behind the cluster
     * by the entries not yet applied here (Mnesia's local reads).
     */
    public <T> T read(TxFunction<T> fn) {
        ensureOpen();
        java.util.concurrent.locks.Lock readers = replica.readers();
        readers.lock();
        try (Transaction local = engine.beginReadOnly()) {
            return fn.apply(new RecordingTx(local, this::localCopy));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new TransactionAbortedException(e, e);
        } finally {
            readers.unlock();
        }
    }

    /** Writes {@code record} to {@code table} through the cluster without a transaction's checks (dirty_write). */
    public void dirtyWrite(String table, Tuple record) {
        dirty(new Entries.Op(Entries.WRITE, table, record));
    }

    /** Deletes {@code key} from {@code table} through the cluster without a transaction's checks (dirty_delete). */
    public void dirtyDelete(String table, Object key) {
        dirty(new Entries.Op(Entries.DELETE_KEY, table, key));
    }

    /** Reads {@code key} from this node's copy of {@code table} (dirty_read: local, no round trip). */
    public List<Tuple> dirtyRead(String table, Object key) {
        ensureOpen();
        java.util.concurrent.locks.Lock readers = replica.readers();
        readers.lock();
        try {
            return engine.dirtyRead(localCopy(table), key);
        } finally {
            readers.unlock();
        }
    }

    private void dirty(Entries.Op op) {
        for (int run = 0; run < MAX_RERUNS; run++) {
            ensureOpen();
            long readIndex;
            java.util.concurrent.locks.Lock readers = replica.readers();
            readers.lock();
            // checked here as a transaction would be, against the definition as of readIndex; an entry that
            // changes the table's definition meanwhile makes every node refuse it alike, and it is checked again
            try (Transaction local = engine.begin()) {
                readIndex = replica.state().applied();
                String table = localCopy(op.table());
                switch (op.op()) {
                    case Entries.WRITE -> local.write(table, (Tuple) op.arg());
                    default -> local.delete(table, op.arg());
                }
                local.rollback();
            } finally {
                readers.unlock();
            }
            Tuple out = submit(Entries.dirty(readIndex, List.of(op)), op.table());
            if (committed(out, List.of(op))) {
                return;
            }
            backoff(run);
        }
        throw new TransactionConflictException("a dirty write to table '" + op.table() + "' on node '" + name()
                + "' found the table redefined on every try; it gave up");
    }

    String localCopy(String table) {
        NodeState.Replicated r = replicated(table);
        if (r.copies().storageOn(name()).isEmpty()) {
            throw new TableNotLoadedException("node '" + name() + "' has no copy of table '" + table
                    + "' (copies on " + r.copies().nodes() + "); run this on one of those nodes");
        }
        if (replica.unloaded().contains(table)) {
            throw new TableNotLoadedException("node '" + name() + "''s copy of table '" + table
                    + "' is being loaded from another copy; waitForTables waits for it");
        }
        return table;
    }

    // ---------------------------------------------------------------- the cluster

    /**
     * Mnesia's {@code system_info} for the cluster: {@code db_nodes} (every node), {@code running_db_nodes} (the
     * nodes this node, or the leader it follows, heard from recently), {@code leader}, {@code tables} and
     * {@code applied_index}.
     */
    public Map<String, Object> systemInfo() {
        ensureOpen();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("db_nodes", replica.state().nodes().keySet().stream().sorted().toList());
        m.put("running_db_nodes", runningNodes());
        m.put("leader", leader().orElse(null));
        m.put("tables", tables());
        m.put("applied_index", replica.state().applied());
        return m;
    }

    /** The node this one takes for the leader, if it knows one. */
    public Optional<String> leader() {
        try {
            RaftPeerId id = server.getDivision(group.getGroupId()).getInfo().getLeaderId();
            return Optional.ofNullable(id).map(RaftPeerId::toString);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private List<String> runningNodes() {
        List<String> up = new ArrayList<>();
        up.add(name());
        RoleInfoProto role = roleInfo();
        if (role == null) {
            return up;
        }
        if (role.hasLeaderInfo()) {
            for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
                if (f.getLastRpcElapsedTimeMs() <= STALE_MS) {
                    up.add(f.getId().getId().toStringUtf8());
                }
            }
        } else if (role.hasFollowerInfo() && role.getFollowerInfo().getLeaderInfo().hasId()
                && role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs()
                <= STALE_MS) {
            up.add(role.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8());
        }
        return up.stream().distinct().sorted().toList();
    }

    /** How many nodes vote in the group now (the cluster's nodes, as Raft's configuration has them). */
    private int votingNodes() {
        try {
            return server.getDivision(group.getGroupId()).getRaftConf().getCurrentPeers().size();
        } catch (IOException e) {
            return replica.state().nodes().size();
        }
    }

    private RoleInfoProto roleInfo() {
        try {
            return server.getDivision(group.getGroupId()).getInfo().getRoleInfoProto();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * How long ago this node last had word from a majority, and whether it has it now ({@code <= STALE_MS}). The
     * role's own figures say it while a leader is known; a candidate, or a follower that knows no leader, has none,
     * and how long it has been without is remembered from the last time one was seen.
     */
    private long sinceMajority() {
        long byRole = sinceMajorityByRole();
        long now = System.nanoTime();
        if (byRole <= STALE_MS) {
            contactSeen = true;
            lastContact = Math.max(lastContact, now - byRole * 1_000_000);
            return byRole;
        }
        return Math.max(STALE_MS + 1, (now - lastContact) / 1_000_000);
    }

    /**
     * How long ago the leader last spoke to this follower, or a majority of followers last answered this leader
     * (itself included); {@code Long.MAX_VALUE} for a candidate or a follower that knows no leader.
     */
    private long sinceMajorityByRole() {
        RoleInfoProto role = roleInfo();
        if (role == null) {
            return Long.MAX_VALUE;
        }
        int majority = votingNodes() / 2 + 1;
        if (role.hasLeaderInfo()) {
            List<Long> elapsed = new ArrayList<>();
            for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
                elapsed.add(f.getLastRpcElapsedTimeMs());
            }
            elapsed.sort(null);
            int need = majority - 1;
            return need == 0 ? 0 : elapsed.size() < need ? Long.MAX_VALUE : elapsed.get(need - 1);
        }
        if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                && role.getFollowerInfo().getLeaderInfo().hasId()) {
            return role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs();
        }
        // a candidate, or a follower that knows no leader: no word from a majority (since when, we remember)
        return Long.MAX_VALUE;
    }

    /** Waits until this node is in touch with a majority; throws (nothing sent) when it is not, in time. */
    private void awaitMajority(long deadline, String what) {
        long graceEnd = System.nanoTime() + GRACE_MS * 1_000_000;
        while (true) {
            ensureOpen();
            long since = sinceMajority();
            if (since <= STALE_MS) {
                return;
            }
            long now = System.nanoTime();
            // a node not yet in touch since it started waits the whole timeout: its peers may still be starting
            if ((since >= GIVE_UP_MS && now - graceEnd > 0 && contactSeen) || now - deadline > 0) {
                throw new ClusterUnavailableException("node '" + name() + "' cannot reach a majority of the nodes "
                        + replica.state().nodes().keySet() + " (last word from a majority "
                        + (since == Long.MAX_VALUE ? "never" : since + " ms ago") + "); " + what
                        + " was refused and not applied", false, null);
            }
            sleep(20);
        }
    }

    /*
     * Requests go through Ratis's blocking API: each is retried on its own (on the next leader, after a failover)
     * until the request timeout, whereas a request given up in the ordered asynchronous API closes that client's
     * window for good.
     */

    /** Sends an entry and waits for its reply (package-private: tests send crafted entries). */
    Tuple submit(byte[] entry, String table) {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        String what = table == null ? "the transaction" : "the change to table '" + table + "'";
        awaitMajority(deadline, what);
        RaftClientReply reply;
        try {
            reply = client.io().send(message(entry));
        } catch (IOException e) {
            ensureOpen();
            throw new ClusterUnavailableException("node '" + name() + "' sent " + what + " but no majority of "
                    + replica.state().nodes().keySet() + " committed it within " + config.requestTimeout() + " (" + e
                    + "); its outcome is unknown (it may still be applied)", null, e);
        }
        if (!reply.isSuccess()) {
            throw new ClusterUnavailableException("node '" + name() + "' could not commit " + what + ": "
                    + reply.getException() + "; its outcome is unknown", null, reply.getException());
        }
        return (Tuple) TermCodec.decode(reply.getMessage().getContent().toByteArray());
    }

    /** Waits until this node has applied everything the leader had committed when called (Raft's ReadIndex). */
    private void barrier(long deadline) {
        awaitMajority(deadline, "the read");
        RaftClientReply reply;
        try {
            reply = client.io().sendReadOnly(
                    message(TermCodec.encode(Tuple.of("applied"))),
                    RaftPeerId.valueOf(name()));
        } catch (IOException e) {
            ensureOpen();
            throw new ClusterUnavailableException("node '" + name() + "' could not learn the cluster's commit index"
                    + " within " + config.requestTimeout() + ": " + e, false, e);
        }
        if (!reply.isSuccess()) {
            throw new ClusterUnavailableException("node '" + name() + "' could not learn the cluster's commit"
                    + " index: " + reply.getException(), false, reply.getException());
        }
    }

    /**
     * Waits until this node has applied entry {@code index}, which the cluster committed: what this node reads next
     * includes it. Throws {@link ClusterUnavailableException} with {@code applied() == TRUE} if it has not in time.
     */
    private void awaitLocal(long index) {
        boolean done = false;
        try {
            done = replica.awaitApplied(index, System.nanoTime() + config.requestTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ensureOpen();
        if (!done) {
            throw new ClusterUnavailableException("the cluster committed entry " + index + " but node '" + name()
                    + "' had not applied it within " + config.requestTimeout() + " (it is behind); its reads do not"
                    + " show it yet", Boolean.TRUE, null);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("node '" + name() + "' is closed");
        }
        Throwable f = replica.failure();
        if (f != null) {
            throw new IllegalStateException("node '" + name() + "' stopped applying the cluster's log: " + f, f);
        }
    }

    private static void backoff(int run) {
        if (run > 0) {
            sleep(ThreadLocalRandom.current().nextInt(1, 2 + Math.min(run, 20)));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("interrupted", false, e);
        }
    }

    /** Reads from {@code node}'s state machine once it has applied entry {@code minIndex} (a stale read). */
    private Tuple fetch(String node, long minIndex, Tuple request) throws IOException {
        return (Tuple) ask(node, minIndex, request);
    }

    /** Asks {@code node} {@code request} once it has applied entry {@code minIndex} (a Ratis stale read). */
    private Object ask(String node, long minIndex, Tuple request) throws IOException {
        RaftClientReply reply = client.io().sendStaleRead(message(TermCodec.encode(request)), minIndex,
                RaftPeerId.valueOf(node));
        if (!reply.isSuccess()) {
            throw reply.getException();
        }
        return TermCodec.decode(reply.getMessage().getContent().toByteArray());
    }

    /** Asks the cluster, in the background until it is done, to load this node's copy of {@code table} afresh. */
    private void reload(String table) {
        if (closed.get()) {
            return;
        }
        try {
            reloads.execute(() -> {
                while (!closed.get()) {
                    try {
                        Tuple out = submit(Entries.load(table, name()), table);
                        if (!"ok".equals(out.get(0))) {
                            LOG.info("node {}: the load of its copy of {} was refused: {}", name(), table, out);
                        }
                        return;
                    } catch (ClusterUnavailableException | IllegalStateException e) {
                        if (closed.get()) {
                            return;
                        }
                        LOG.debug("node {}: loading {} waits for the cluster: {}", name(), table, e.toString());
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the copy is loaded after the next start
        }
    }

    /** For tests: how many snapshots this node installed from another. */
    int snapshotsInstalled() {
        return replica.installs();
    }

    /** For tests that cut the network: the id this node's client sends requests with. */
    ClientId clientId() {
        return clientId;
    }

    /** Leaves the cluster: closes the client, the Raft server and the copies. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Mnemo.detach(name(), sqlView);
        replica.stopping();
        reloads.shutdownNow();
        confirmers.shutdownNow();
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {client, server, engine}) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing node '" + name() + "'", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
