package dev.mnemo.cluster;

import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The Raft log entries of a cluster and the replies to them, as term-encoded tuples. Every entry is applied by every
 * node in log order; what it does depends only on the entries before it, so every node decides alike.
 */
final class Entries {
    static final String TX = "tx";
    static final String DIRTY = "dirty";
    static final String CREATE = "create";
    static final String DELETE = "delete";
    static final String SET_COPY = "set_copy";
    static final String DEL_COPY = "del_copy";
    static final String ADD_COPY = "add_copy";
    static final String LOAD = "load";
    static final String ADD_NODE = "add_node";

    static final String WRITE = "w";
    static final String DELETE_KEY = "d";
    static final String DELETE_OBJECT = "o";

    private Entries() {
    }

    /** One write of a transaction: op is {@link #WRITE}, {@link #DELETE_KEY} or {@link #DELETE_OBJECT}. */
    record Op(String op, String table, Object arg) {
        Object key() {
            return op.equals(DELETE_KEY) ? arg : ((Tuple) arg).get(1);
        }

        Tuple toTerm() {
            return Tuple.of(op, table, arg);
        }

        static Op fromTerm(Object t) {
            Tuple u = (Tuple) t;
            return new Op((String) u.get(0), (String) u.get(1), u.get(2));
        }
    }

    /** A key a transaction read (or locked): the write of it by a later entry is a conflict. */
    record KeyRead(String table, Object key) {
    }

    /**
     * A transaction as the node that ran it saw it: what it read (keys, and whole tables for scans), as of the
     * entry {@code readIndex}, and what it wrote, in order.
     */
    record Tx(long readIndex, List<KeyRead> keyReads, List<String> tableReads, List<Op> ops) {
    }

    static byte[] tx(Tx t) {
        List<Object> keys = new ArrayList<>(t.keyReads().size());
        for (KeyRead r : t.keyReads()) {
            keys.add(Tuple.of(r.table(), r.key()));
        }
        return TermCodec.encode(Tuple.of(TX, t.readIndex(), keys, List.copyOf(t.tableReads()), ops(t.ops())));
    }

    /** Writes without a transaction's checks, made against the definitions as of entry {@code readIndex}. */
    static byte[] dirty(long readIndex, List<Op> ops) {
        return TermCodec.encode(Tuple.of(DIRTY, readIndex, ops(ops)));
    }

    static byte[] create(TableDef def, Copies copies) {
        return TermCodec.encode(Tuple.of(CREATE, def.toValue(), copies(copies)));
    }

    static byte[] delete(String table) {
        return TermCodec.encode(Tuple.of(DELETE, table));
    }

    static byte[] setCopy(String table, String node, StorageType storage) {
        return TermCodec.encode(Tuple.of(SET_COPY, table, node, storage.name()));
    }

    static byte[] delCopy(String table, String node) {
        return TermCodec.encode(Tuple.of(DEL_COPY, table, node));
    }

    static byte[] addCopy(String table, String node, StorageType storage) {
        return TermCodec.encode(Tuple.of(ADD_COPY, table, node, storage.name()));
    }

    static byte[] load(String table, String node) {
        return TermCodec.encode(Tuple.of(LOAD, table, node));
    }

    static byte[] addNode(String name, String address) {
        return TermCodec.encode(Tuple.of(ADD_NODE, name, address));
    }

    static Tuple decode(byte[] bytes) {
        return (Tuple) TermCodec.decode(bytes);
    }

    @SuppressWarnings("unchecked")
    static Tx txOf(Tuple e) {
        List<KeyRead> keys = new ArrayList<>();
        for (Object o : (List<Object>) e.get(2)) {
            Tuple k = (Tuple) o;
            keys.add(new KeyRead((String) k.get(0), k.get(1)));
        }
        List<String> tables = new ArrayList<>();
        for (Object o : (List<Object>) e.get(3)) {
            tables.add((String) o);
        }
        return new Tx((Long) e.get(1), keys, tables, opsOf(e.get(4)));
    }

    @SuppressWarnings("unchecked")
    static List<Op> opsOf(Object list) {
        List<Op> ops = new ArrayList<>();
        for (Object o : (List<Object>) list) {
            ops.add(Op.fromTerm(o));
        }
        return ops;
    }

    static Tuple copies(Copies c) {
        return Tuple.of(c.ramCopies(), c.discCopies(), c.discOnlyCopies());
    }

    @SuppressWarnings("unchecked")
    static Copies copiesOf(Object t) {
        Tuple u = (Tuple) t;
        return new Copies(strings(u.get(0)), strings(u.get(1)), strings(u.get(2)));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) list) {
            out.add((String) o);
        }
        return out;
    }

    private static List<Object> ops(List<Op> ops) {
        List<Object> out = new ArrayList<>(ops.size());
        for (Op o : ops) {
            out.add(o.toTerm());
        }
        return out;
    }

    // Replies: {ok, Index} | {conflict} | {error, Kind, Message}

    static byte[] ok(long index) {
        return TermCodec.encode(Tuple.of("ok", index));
    }

    static byte[] conflict() {
        return TermCodec.encode(Tuple.of("conflict"));
    }

    static byte[] error(String kind, String message) {
        return TermCodec.encode(Tuple.of("error", kind, message));
    }
}
