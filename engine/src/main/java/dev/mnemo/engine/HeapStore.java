package dev.mnemo.engine;

import dev.mnemo.engine.value.RecordCodec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records on the heap, in a skip list in term order, with hash indexes: ram_copies, and the read side of disc_copies.
 * A compact store (disc_copies) keeps a key's single record as its {@link RecordCodec} bytes, decoded on every read:
 * a few objects a row instead of a dozen, so that a table of millions of rows takes a third of the heap and loads
 * without the collector copying every row's objects; a key's several records (bags) stay tuples.
 */
final class HeapStore implements TableStore {
    private static final long BYTES_PER_RECORD = 64;
    private static final long BYTES_PER_ATTRIBUTE = 24;

    /** Stands for {@code null} as an index key: a record may hold null in an indexed attribute, a hash map may not. */
    private static final Object NULL_VALUE = new Object();

    /** Key → its records: a {@code List<Tuple>}, or (compact) one record's {@link RecordCodec} bytes. */
    private final ConcurrentSkipListMap<Object, Object> rows = new ConcurrentSkipListMap<>(Terms.ORDER);
    private final Map<Integer, ConcurrentHashMap<Object, Set<Object>>> indexes = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();
    private final int arity;
    /** The table's record name, which compact records leave out; null: records are kept as tuples. */
    private final String compactName;

    /** A store of tuples. */
    HeapStore(int arity, Collection<Integer> indexPositions) {
        this(arity, indexPositions, null);
    }

    /** A store that keeps single records compact when {@code compactName} (the table's record name) is given. */
    HeapStore(int arity, Collection<Integer> indexPositions, String compactName) {
        this.arity = arity;
        this.compactName = compactName;
        for (int pos : indexPositions) {
            indexes.put(pos, new ConcurrentHashMap<>());
        }
    }

    @Override
    public List<Tuple> get(Object key) {
        Object r = rows.get(key);
        return r == null ? List.of() : records(key, r);
    }

    /** The records stored for {@code key} as {@code stored}. */
    @SuppressWarnings("unchecked")
    private List<Tuple> records(Object key, Object stored) {
        if (stored instanceof byte[] b) {
            return List.of(RecordCodec.decode(b, 0, b.length, key, compactName));
        }
        return (List<Tuple>) stored;
    }

    /**
     * A record this long (in {@link ValueLimits#weight} units) is kept as it is, not compact: its bytes would be one
     * more copy of a value of megabytes, decoded whole by every read.
     */
    private static final long COMPACT_WEIGHT_LIMIT = 64 << 10;

    /**
     * How {@code recs} of {@code key} are kept: compact if this store is and it is one record of that key, not a
     * long one.
     */
    private Object stored(Object key, List<Tuple> recs) {
        if (compactName == null || recs.size() != 1 || ValueLimits.weight(recs.get(0)) > COMPACT_WEIGHT_LIMIT) {
            return recs;
        }
        byte[] compact = RecordCodec.encodeFor(recs.get(0), key, compactName);
        return compact != null ? compact : recs;
    }

    @Override
    public void scan(KeyRange range, boolean reverse, KeyVisitor visitor) {
        scanWithDeleted(range, reverse, (k, recs) -> recs.isEmpty() || visitor.visit(k, recs));
    }

    /** Also visits deleted keys still kept (with no records) for snapshots older than their deletion. */
    @Override
    public void scanWithDeleted(KeyRange range, boolean reverse, KeyVisitor visitor) {
        for (Map.Entry<Object, Object> e : range.of(rows, reverse).entrySet()) {
            if (!visitor.visit(e.getKey(), records(e.getKey(), e.getValue()))) {
                return;
            }
        }
    }

    @Override
    public Collection<Object> indexKeys(int pos, Object value) {
        ConcurrentHashMap<Object, Set<Object>> index = indexes.get(pos);
        if (index == null) {
            throw new SchemaException("position " + pos + " is not indexed (the index was just removed)");
        }
        Set<Object> keys = index.get(indexKey(value));
        return keys == null ? List.of() : keys;
    }

    @Override
    public long size() {
        return records.get();
    }

    @Override
    public long distinctValues(int pos) {
        ConcurrentHashMap<Object, Set<Object>> index = indexes.get(pos);
        if (index == null) {
            throw new SchemaException("position " + pos + " is not indexed (the index was just removed)");
        }
        return index.size();
    }

    @Override
    public long memoryBytes() {
        return records.get() * (BYTES_PER_RECORD + BYTES_PER_ATTRIBUTE * arity);
    }

    @Override
    public void stage(jetbrains.exodus.env.Transaction xt, Object key, List<Tuple> old, List<Tuple> neu) {
        // nothing on disc
    }

    @Override
    public void publish(Object key, List<Tuple> old, List<Tuple> neu) {
        for (Map.Entry<Integer, ConcurrentHashMap<Object, Set<Object>>> idx : indexes.entrySet()) {
            updateIndex(idx.getValue(), idx.getKey(), key, old, neu);
        }
        // a deleted key stays, with no records, until no snapshot reader can be walking past it (see forget): a
        // snapshot scan must meet it to look up what it held before
        rows.put(key, stored(key, neu));
        records.addAndGet(neu.size() - old.size());
    }

    static Set<Object> valuesAt(int pos, List<Tuple> recs) {
        Set<Object> s = new HashSet<>();
        for (Tuple t : recs) {
            s.add(t.get(pos));
        }
        return s;
    }

    private static Object indexKey(Object value) {
        return value == null ? NULL_VALUE : value;
    }

    private static void updateIndex(ConcurrentHashMap<Object, Set<Object>> index, int pos, Object key,
                                    List<Tuple> old, List<Tuple> neu) {
        Set<Object> before = valuesAt(pos, old);
        Set<Object> after = valuesAt(pos, neu);
        for (Object v : after) {
            if (!before.contains(v)) {
                index.computeIfAbsent(indexKey(v), x -> ConcurrentHashMap.newKeySet()).add(key);
            }
        }
        for (Object v : before) {
            if (!after.contains(v)) {
                index.computeIfPresent(indexKey(v), (x, keys) -> {
                    keys.remove(key);
                    return keys.isEmpty() ? null : keys;
                });
            }
        }
    }

    @Override
    public void forget(Object key) {
        rows.remove(key, List.of());
    }

    @Override
    public Runnable addIndex(jetbrains.exodus.env.Transaction xt, int pos) {
        ConcurrentHashMap<Object, Set<Object>> index = new ConcurrentHashMap<>();
        for (Map.Entry<Object, Object> e : rows.entrySet()) {
            updateIndex(index, pos, e.getKey(), List.of(), records(e.getKey(), e.getValue()));
        }
        return () -> indexes.put(pos, index);
    }

    @Override
    public Runnable removeIndex(jetbrains.exodus.env.Transaction xt, int pos) {
        return () -> indexes.remove(pos);
    }

    @Override
    public void stageClear(jetbrains.exodus.env.Transaction xt) {
        // nothing on disc
    }

    @Override
    public void publishClear() {
        rows.clear();
        for (ConcurrentHashMap<Object, Set<Object>> idx : indexes.values()) {
            idx.clear();
        }
        records.set(0);
    }

    /** Puts a key's records during a load, before the table is visible. */
    void load(Object key, List<Tuple> recs) {
        if (!recs.isEmpty()) {
            publish(key, List.of(), recs);
        }
    }

    /**
     * Puts a key's one record during a load, as {@link RecordCodec} bytes of this (compact) store's record name:
     * kept as they are, decoded only if an index needs its values.
     */
    void loadCompact(Object key, byte[] record) {
        if (!indexes.isEmpty()) {
            List<Tuple> recs = List.of(RecordCodec.decode(record, 0, record.length, key, compactName));
            for (Map.Entry<Integer, ConcurrentHashMap<Object, Set<Object>>> idx : indexes.entrySet()) {
                updateIndex(idx.getValue(), idx.getKey(), key, List.of(), recs);
            }
        }
        rows.put(key, record);
        records.incrementAndGet();
    }

    /** How many keys hold their record as compact bytes (for tests: a count over every key). */
    long compactKeys() {
        return rows.values().stream().filter(v -> v instanceof byte[]).count();
    }

    /** Whether this store keeps single records compact (and {@link #loadCompact} takes them). */
    boolean isCompact() {
        return compactName != null;
    }

    @Override
    public void close() {
        // nothing to release: the rows go with the last reader still holding this store
    }
}
