package dev.mnemo.cluster;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.util.List;
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
    private final Map<String, String> nodes;
    private final Mnemo engine;
    private final NodeState state;
    private final Object appliedMonitor = new Object();
    private volatile Throwable failure;

    Replica(String me, Map<String, String> nodes, Mnemo engine) {
        this.me = me;
        this.nodes = nodes;
        this.engine = engine;
        this.state = new NodeState(engine);
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
        if (index <= state.applied()) {
            reply = Entries.ok(index); // a replay after a restart of what the copies already hold
        } else {
            try {
                reply = apply(index, Entries.decode(entry.getStateMachineLogEntry().getLogData().toByteArray()));
            } catch (Refused r) {
                state.skipped(index);
                reply = Entries.error(r.kind, r.getMessage());
            } catch (RuntimeException | Error e) {
                // the copies here can no longer follow the log: stop rather than diverge from the other nodes
                failure = e;
                LOG.error("node {} cannot apply entry {} and stops applying: {}", me, index, e.toString(), e);
                synchronized (appliedMonitor) {
                    appliedMonitor.notifyAll();
                }
                throw e;
            }
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
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
                List<Entries.Op> ops = Entries.opsOf(e.get(1));
                checkTables(ops);
                commit(index, ops, c -> { });
                return Entries.ok(index);
            }
            case Entries.CREATE -> {
                NodeState.Replicated r = new NodeState.Replicated(TableDef.fromValue(e.get(1)),
                        Entries.copiesOf(e.get(2)));
                String name = r.def().name();
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
                if (now.get() != storage && node.equals(me)) {
                    engine.changeTableCopyType(name, storage);
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
                if (node.equals(me) && engine.tables(true).contains(name)) {
                    engine.deleteTable(name);
                }
                commit(index, List.of(), c -> c.schema(name, new NodeState.Replicated(r.def(), left)));
                return Entries.ok(index);
            }
            default -> throw new Refused("bad_entry", "unknown entry " + e.get(0));
        }
    }

    private byte[] applyTx(long index, Entries.Tx tx) {
        for (Entries.KeyRead r : tx.keyReads()) {
            if (state.table(r.table()).isEmpty() || state.keyVersion(r.table(), r.key()) > tx.readIndex()) {
                state.skipped(index);
                return Entries.conflict();
            }
        }
        for (String t : tx.tableReads()) {
            if (state.table(t).isEmpty() || state.tableVersion(t) > tx.readIndex()) {
                state.skipped(index);
                return Entries.conflict();
            }
        }
        checkTables(tx.ops());
        commit(index, tx.ops(), c -> { });
        return Entries.ok(index);
    }

    private void checkTables(List<Entries.Op> ops) {
        for (Entries.Op op : ops) {
            replicated(op.table());
        }
    }

    /** Applies {@code ops} to the copies here, and the change to the cluster state, in one local commit. */
    private void commit(long index, List<Entries.Op> ops, Consumer<NodeState.Change> more) {
        NodeState.Change done = engine.transaction(tx -> {
            NodeState.Change c = state.new Change(index, tx);
            for (Entries.Op op : ops) {
                if (state.table(op.table()).flatMap(r -> r.copies().storageOn(me)).isPresent()) {
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
        if (!nodes.containsKey(node)) {
            throw new Refused("bad_node", "'" + node + "' is not a node of this cluster " + nodes.keySet());
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
