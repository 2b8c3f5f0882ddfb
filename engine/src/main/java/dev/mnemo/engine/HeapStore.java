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
    private final ConcurrentSkipListMap<Object, List<Tuple>> rows = new ConcurrentSkipListMap<>(Terms.ORDER);
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
        List<Tuple> r = rows.get(key);
        return r == null ? List.of() : r;
    }

    /** The records of a packed entry: its record's bytes {@code data[from, to)}, or {@code other}. */
    @SuppressWarnings("unchecked")
    private List<Tuple> records(Object key, byte[] data, int from, int to, Object other) {
        return other != null ? (List<Tuple>) other : List.of(RecordCodec.decode(data, from, to - from, key,
                compactName));
    }

    /** Puts {@code recs} (an empty list for a deleted key) as this store keeps them. */
    private void put(Object key, List<Tuple> recs) {
        if (packed == null) {
            rows.put(key, recs);
            return;
        }
        byte[] compact = compact(key, recs);
        packed.put(TermCodec.encode(key), compact != null ? compact : NO_BYTES, compact != null ? null : recs);
    }

    private static final byte[] NO_BYTES = new byte[0];

    /**
     * The compact bytes a compact store keeps for {@code recs} of {@code key}, or null if it keeps them as tuples:
     * several records (or none), a long one, or one with no compact form.
     */
    private byte[] compact(Object key, List<Tuple> recs) {
        return keptCompact(recs) ? RecordCodec.encodeFor(recs.get(0), key, compactName) : null;
    }

    /** {@link #compact} of a change's new records, with the encoding the commit log made of them (made once). */
    private byte[] compact(Database.Change c) {
        return keptCompact(c.neu()) ? c.compactRecord(compactName) : null;
    }

    /** Whether a compact store keeps {@code recs} as bytes: one record, not a long one. */
    private static boolean keptCompact(List<Tuple> recs) {
        return recs.size() == 1 && ValueLimits.weight(recs.get(0)) <= ValueLimits.LONG_RECORD;
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
        for (Map.Entry<Object, List<Tuple>> e : range.of(rows, reverse).entrySet()) {
            if (!visitor.visit(e.getKey(), e.getValue())) {
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
        updateIndexes(key, old, neu);
        // a deleted key stays, with no records, until no snapshot reader can be walking past it (see forget): a
        // snapshot scan must meet it to look up what it held before
        put(key, neu);
        records.addAndGet(neu.size() - old.size());
    }

    /**
     * A compact store puts the changed keys into its packed rows at once (each leaf they fall in copied once, not
     * once a key: what makes a batch of a thousand INSERTs cheap); a store of tuples publishes them one by one.
     */
    @Override
    public void publishAll(List<Database.Change> changes) {
        if (packed == null) {
            TableStore.super.publishAll(changes);
            return;
        }
        if (changes.size() < PUT_ALL_FROM) {
            for (Database.Change c : changes) {
                updateIndexes(c.key(), c.old(), c.neu());
                byte[] compact = compact(c);
                packed.put(c.keyBytes(), compact != null ? compact : NO_BYTES, compact != null ? null : c.neu());
                records.addAndGet(c.neu().size() - c.old().size());
            }
            return;
        }
        int n = changes.size();
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        Object[] others = new Object[n];
        long delta = 0;
        for (int i = 0; i < n; i++) {
            Database.Change c = changes.get(i);
            keys[i] = c.keyBytes();
            byte[] compact = compact(c);
            values[i] = compact != null ? compact : NO_BYTES;
            others[i] = compact != null ? null : c.neu();
            delta += c.neu().size() - c.old().size();
        }
        // encoded first: an encoding that fails leaves no index entry without its row
        for (Database.Change c : changes) {
            updateIndexes(c.key(), c.old(), c.neu());
        }
        packed.putAll(keys, values, others);
        records.addAndGet(delta);
    }

    /** Changes from which {@link #publishAll} puts them at once rather than one by one. */
    private static final int PUT_ALL_FROM = 4;

    static Set<Object> valuesAt(int pos, List<Tuple> recs) {
        Set<Object> s = new HashSet<>();
        for (Tuple t : recs) {
            s.add(t.get(pos));
        }
        return s;
    }

    private void updateIndexes(Object key, List<Tuple> old, List<Tuple> neu) {
        for (Map.Entry<Integer, ConcurrentHashMap<Object, Set<Object>>> idx : indexes.entrySet()) {
            updateIndex(idx.getValue(), idx.getKey(), key, old, neu);
        }
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

    /** Puts a key's records during a load, in key order, before the table is visible. */
    void load(Object key, List<Tuple> recs) {
        if (recs.isEmpty()) {
            return;
        }
        if (packed == null) {
            publish(key, List.of(), recs);
            return;
        }
        updateIndexes(key, List.of(), recs);
        byte[] keyBytes = TermCodec.encode(key);
        byte[] compact = compact(key, recs);
        loader().add(keyBytes, keyBytes.length, compact != null ? compact : NO_BYTES,
                compact != null ? compact.length : 0, compact != null ? null : recs);
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
     * Puts a key's one record during a load, in key order, as its encoded key and its {@link RecordCodec} bytes of
     * this (compact) store's record name ({@code key[0, keyLength)}, {@code record[0, recordLength)}, read where they
     * lie): copied into the packed rows as they are, the key and record decoded only if an index needs its values
     * (or the record is long, see {@link #compact}).
     */
    void loadCompact(byte[] key, int keyLength, byte[] record, int recordLength) {
        if (recordLength > ValueLimits.LONG_RECORD || !indexes.isEmpty()) {
            Object k = TermCodec.decode(key, 0, keyLength);
            List<Tuple> recs = List.of(RecordCodec.decode(record, 0, recordLength, k, compactName));
            if (recordLength > ValueLimits.LONG_RECORD) {
                load(k, recs);
                return;
            }
            updateIndexes(k, List.of(), recs);
        }
        loader().add(key, keyLength, record, recordLength, null);
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

    @Override
    public void close() {
        // nothing to release: the rows go with the last reader still holding this store
    }
}
