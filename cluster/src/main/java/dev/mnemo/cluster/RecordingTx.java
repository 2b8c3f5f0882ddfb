package dev.mnemo.cluster;

import dev.mnemo.engine.Continuation;
import dev.mnemo.engine.LockKind;
import dev.mnemo.engine.SelectChunk;
import dev.mnemo.engine.Transaction;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.match.MatchPattern;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A replicated transaction's body runs against the node's own copies in a local transaction that is always rolled
 * back: it gives the body Mnesia's full semantics (its own writes visible to its reads, scans, index reads,
 * continuations), while this records what it read and wrote. The writes then go to the cluster as one log entry,
 * checked there against the reads.
 */
final class RecordingTx implements Tx {
    private final Transaction local;
    private final Function<String, String> localCopy;
    private final Set<Entries.KeyRead> keyReads = new LinkedHashSet<>();
    private final Set<String> tableReads = new LinkedHashSet<>();
    private final List<Entries.Op> ops = new ArrayList<>();

    /**
     * @param localCopy given a table name, throws if this node has no copy of it (or no such table is
     *                  replicated), else returns the name
     */
    RecordingTx(Transaction local, Function<String, String> localCopy) {
        this.local = local;
        this.localCopy = localCopy;
    }

    Entries.Tx entry(long readIndex) {
        return new Entries.Tx(readIndex, List.copyOf(keyReads), List.copyOf(tableReads), List.copyOf(ops));
    }

    boolean wrote() {
        return !ops.isEmpty();
    }

    private String key(String table, Object key) {
        keyReads.add(new Entries.KeyRead(localCopy.apply(table), key));
        return table;
    }

    private String scan(String table) {
        tableReads.add(localCopy.apply(table));
        return table;
    }

    @Override
    public List<Tuple> read(String table, Object key) {
        return local.read(key(table, key), key);
    }

    @Override
    public List<Tuple> read(String table, Object key, LockKind lock) {
        return local.read(key(table, key), key, lock);
    }

    @Override
    public void write(Tuple record) {
        write(record == null || record.size() == 0 ? null : String.valueOf(record.get(0)), record);
    }

    @Override
    public void write(String table, Tuple record) {
        local.write(localCopy.apply(table), record);
        ops.add(new Entries.Op(Entries.WRITE, table, record));
    }

    @Override
    public void delete(String table, Object key) {
        local.delete(localCopy.apply(table), key);
        ops.add(new Entries.Op(Entries.DELETE_KEY, table, key));
    }

    @Override
    public void deleteObject(String table, Tuple record) {
        local.deleteObject(localCopy.apply(table), record);
        ops.add(new Entries.Op(Entries.DELETE_OBJECT, table, record));
    }

    @Override
    public List<Tuple> indexRead(String table, Object value, String attribute) {
        return local.indexRead(scan(table), value, attribute);
    }

    @Override
    public List<Tuple> matchObject(String table, MatchPattern pattern) {
        return local.matchObject(scan(table), pattern);
    }

    @Override
    public List<Object> select(String table, MatchSpec spec) {
        return local.select(scan(table), spec);
    }

    @Override
    public SelectChunk select(String table, MatchSpec spec, int limit) {
        return local.select(scan(table), spec, limit);
    }

    @Override
    public SelectChunk select(Continuation continuation) {
        // a continuation comes from a select of this transaction, which recorded its table
        return local.select(continuation);
    }

    @Override
    public List<Object> selectReverse(String table, MatchSpec spec) {
        return local.selectReverse(scan(table), spec);
    }

    @Override
    public SelectChunk selectReverse(String table, MatchSpec spec, int limit) {
        return local.selectReverse(scan(table), spec, limit);
    }

    @Override
    public <A> A foldl(String table, A acc, BiFunction<Tuple, A, A> fn) {
        return local.foldl(scan(table), acc, fn);
    }

    @Override
    public <A> A foldr(String table, A acc, BiFunction<Tuple, A, A> fn) {
        return local.foldr(scan(table), acc, fn);
    }

    @Override
    public List<Object> allKeys(String table) {
        return local.allKeys(scan(table));
    }

    @Override
    public Optional<Object> first(String table) {
        return local.first(scan(table));
    }

    @Override
    public Optional<Object> last(String table) {
        return local.last(scan(table));
    }

    @Override
    public Optional<Object> next(String table, Object key) {
        return local.next(scan(table), key);
    }

    @Override
    public Optional<Object> prev(String table, Object key) {
        return local.prev(scan(table), key);
    }

    @Override
    public void lock(String table, Object key, LockKind kind) {
        local.lock(key(table, key), key, kind);
    }

    @Override
    public void lockTable(String table, LockKind kind) {
        local.lockTable(scan(table), kind);
    }

    @Override
    public RuntimeException abort(Object reason) {
        return local.abort(reason);
    }
}
