package dev.mnemo.engine;

import dev.mnemo.engine.value.RecordCodec;
import dev.mnemo.engine.value.TermCodec;
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

    /** Key → its records, as tuples (a store that is not compact). */
    private final ConcurrentSkipListMap<Object, Object> rows = new ConcurrentSkipListMap<>(Terms.ORDER);
    /**
     * A compact store's rows: key bytes → one record's {@link RecordCodec} bytes, or the records as tuples (a bag's,
     * a long record, a deleted key's empty list).
     */
    private final PackedRows packed;
    /** A compact store's rows while it loads (in key order, before the table is visible); null otherwise. */
    private PackedRows.Builder loading;
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
        this.packed = compactName == null ? null : new PackedRows();
        for (int pos : indexPositions) {
            indexes.put(pos, new ConcurrentHashMap<>());
        }
    }

    @Override
    public List<Tuple> get(Object key) {
        if (packed != null) {
            List<Tuple> recs = packed.get(TermCodec.encode(key), (data, from, to, other) -> records(key, data,
                    from, to, other));
            return recs == null ? List.of() : recs;
        }
        Object r = rows.get(key);
        return r == null ? List.of() : records(key, r);
    }

    /** The records of a packed entry: its record's bytes {@code data[from, to)}, or {@code other}. */
    @SuppressWarnings("unchecked")
    private List<Tuple> records(Object key, byte[] data, int from, int to, Object other) {
        return other != null ? (List<Tuple>) other : List.of(RecordCodec.decode(data, from, to - from, key,
                compactName));
    }

    /** Puts {@code recs} (an empty list for a deleted key) as this store keeps them. */
    private void put(Object key, List<Tuple> recs) {
        Object stored = stored(key, recs);
        if (packed == null) {
            rows.put(key, stored);
        } else if (stored instanceof byte[] b) {
            packed.put(TermCodec.encode(key), b, null);
        } else {
            packed.put(TermCodec.encode(key), NO_BYTES, stored);
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

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
        if (packed != null) {
            packed.scan(bound(range.lower()), range.lowerInclusive(), bound(range.upper()), range.upperInclusive(),
                    reverse, (data, keyFrom, keyTo, valueTo, other) -> {
                        Object key = TermCodec.decode(data, keyFrom, keyTo - keyFrom);
                        return visitor.visit(key, records(key, data, keyTo, valueTo, other));
                    });
            return;
        }
        for (Map.Entry<Object, Object> e : range.of(rows, reverse).entrySet()) {
            if (!visitor.visit(e.getKey(), records(e.getKey(), e.getValue()))) {
                return;
            }
        }
    }

    private static byte[] bound(Object term) {
        return term == null ? null : TermCodec.encode(term);
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
        put(key, neu);
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
        if (packed != null) {
            packed.removeIf(TermCodec.encode(key), List.of());
        } else {
            rows.remove(key, List.of());
        }
    }

    @Override
    public Runnable addIndex(jetbrains.exodus.env.Transaction xt, int pos) {
        ConcurrentHashMap<Object, Set<Object>> index = new ConcurrentHashMap<>();
        scan(KeyRange.ALL, false, (key, recs) -> {
            updateIndex(index, pos, key, List.of(), recs);
            return true;
        });
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
        if (packed != null) {
            packed.clear();
        }
        for (ConcurrentHashMap<Object, Set<Object>> idx : indexes.values()) {
            idx.clear();
        }
        records.set(0);
    }

    /** Puts a key's records during a load, before the table is visible. */
    void load(Object key, List<Tuple> recs) {
        if (recs.isEmpty()) {
            return;
        }
        if (packed == null) {
            publish(key, List.of(), recs);
            return;
        }
        for (Map.Entry<Integer, ConcurrentHashMap<Object, Set<Object>>> idx : indexes.entrySet()) {
            updateIndex(idx.getValue(), idx.getKey(), key, List.of(), recs);
        }
        Object stored = stored(key, recs);
        loader().add(TermCodec.encode(key), stored instanceof byte[] b ? b : NO_BYTES,
                stored instanceof byte[] ? null : stored);
        records.addAndGet(recs.size());
    }

    private PackedRows.Builder loader() {
        if (loading == null) {
            loading = new PackedRows.Builder();
        }
        return loading;
    }

    /** The load (in key order, by {@link #load} and {@link #loadCompact}) has ended: its rows are put in use. */
    void loaded() {
        if (loading != null) {
            loading.finish(packed);
            loading = null;
        }
    }

    /**
     * Puts a key's one record during a load, as {@link RecordCodec} bytes of this (compact) store's record name:
     * kept as they are, decoded only if an index needs its values.
     */
    void loadCompact(Object key, byte[] record) {
        if (record.length > COMPACT_WEIGHT_LIMIT) { // kept as a tuple, as a write would keep it (see stored)
            load(key, List.of(RecordCodec.decode(record, 0, record.length, key, compactName)));
            return;
        }
        if (!indexes.isEmpty()) {
            List<Tuple> recs = List.of(RecordCodec.decode(record, 0, record.length, key, compactName));
            for (Map.Entry<Integer, ConcurrentHashMap<Object, Set<Object>>> idx : indexes.entrySet()) {
                updateIndex(idx.getValue(), idx.getKey(), key, List.of(), recs);
            }
        }
        loader().add(TermCodec.encode(key), record, null);
        records.incrementAndGet();
    }

    /** How many keys hold their record as compact bytes (for tests: a count over every key). */
    long compactKeys() {
        if (packed == null) {
            return 0;
        }
        long[] n = {0};
        packed.scan(null, true, null, true, false, (data, keyFrom, keyTo, valueTo, other) -> {
            n[0] += other == null ? 1 : 0;
            return true;
        });
        return n[0];
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
