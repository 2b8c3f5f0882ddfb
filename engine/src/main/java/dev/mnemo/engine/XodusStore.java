package dev.mnemo.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mnemo.engine.value.RecordCodec;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

/**
 * A table's records in Xodus. Keys are encoded with the order-preserving {@link TermCodec}, so cursor order is
 * term order. Set tables map key to record; bag tables keep a key's records as duplicates whose value is a 4-byte
 * position followed by the record, so the list order survives. As disc_only_copies it also keeps indexes in
 * Xodus (value → key duplicates) and a bounded Caffeine cache of decoded rows; as the disc side of disc_copies it
 * keeps data only.
 */
final class XodusStore implements TableStore {
    private final Environment env;
    /**
     * The table's record name, which compact records leave out. A store is made for one table definition: a new
     * record name (transformTable) rewrites every record into new stores.
     */
    private final String recordName;
    private final String dataName;
    /** Bag: a key's records are duplicates holding the record bytes, so Xodus keeps them in term order. */
    private final boolean bag;
    /** Duplicate bag: duplicates hold a 4-byte position (0..n-1) and the record, keeping insertion order. */
    private final boolean positional;
    private final boolean readable;
    private final Store data;
    private final Map<Integer, Store> indexStores = new ConcurrentHashMap<>();
    private final long cacheRows;
    /** Per indexed position: {estimated distinct values, table size when counted}. */
    private final Map<Integer, long[]> distinct = new ConcurrentHashMap<>();
    /** Grows when an index is rebuilt, removed or emptied: a count begun before is not kept. */
    private final java.util.concurrent.atomic.AtomicLong distinctGeneration = new java.util.concurrent.atomic.AtomicLong();
    /** At most this many index entries are walked to estimate an index's distinct values; beyond, extrapolated. */
    static final int DISTINCT_WALK = 100_000;
    /** Replaced (not invalidated) on clear, so that a load still running fills the old cache, not this one. */
    private volatile Cache<Object, List<Tuple>> cache;
    /**
     * A set record whose stored value is longer than this is kept in chunks of this size in the table's chunk store
     * ({@code t<id>.c}, key: the row's key bytes and a 4-byte chunk number), and the row's value is a
     * {@link #LARGE} marker: a Xodus loggable cannot be longer than a log file (8 MB).
     */
    static final int CHUNK_BYTES = 1 << 20;
    /** The first byte of a chunked row's value, followed by the chunk count (int) and the value's length (long). */
    private static final byte LARGE = 0x04;
    private static final int LARGE_MARKER_BYTES = 13;
    /** The row cache's entry for a row whose record is large: it is read from Xodus each time, never kept. */
    private static final List<Tuple> UNCACHED = java.util.Collections.unmodifiableList(new ArrayList<>());
    private final String chunksName;
    /** Whether the chunk store may exist: false until one is found at open or a large record is written. */
    private volatile boolean mayHaveChunks;

    /**
     * Opens (creating if needed) the stores of table {@code id}. {@code readable} makes this the table's read path
     * (disc_only_copies: indexes in Xodus and a row cache of {@code cacheRows} entries).
     */
    XodusStore(Environment env, Transaction xt, long id, TableType type, String recordName, boolean readable,
               Collection<Integer> indexPositions, long cacheRows) {
        this.env = env;
        this.recordName = recordName;
        this.dataName = dataName(id);
        this.bag = type.isBag();
        this.positional = type == TableType.DUPLICATE_BAG;
        this.readable = readable;
        this.data = env.openStore(dataName, bag ? StoreConfig.WITH_DUPLICATES_WITH_PREFIXING
                : StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, xt);
        this.chunksName = chunksName(dataName);
        this.mayHaveChunks = !bag && env.storeExists(chunksName, xt);
        if (readable) {
            for (int pos : indexPositions) {
                indexStores.put(pos, openIndex(xt, pos));
            }
        }
        this.cacheRows = cacheRows;
        this.cache = readable ? newCache() : null;
        this.maxKey = new java.util.concurrent.atomic.AtomicReference<>(lastKey(xt));
    }

    /** A {@link #maxKey} of a store holding no key: every key is above it. */
    private static final Object NO_KEY = new Object();

    /**
     * A key at or above every key this store holds (the largest one written, or {@link #NO_KEY}): a read of a key
     * above it is absent without a Xodus read. An INSERT reads its key first to refuse a duplicate, and a bulk load
     * inserts ascending keys: their reads were two fifths of a disc_only load. Deletes leave it where it is (a key
     * below it is read from Xodus as before).
     */
    private final java.util.concurrent.atomic.AtomicReference<Object> maxKey;

    private Object lastKey(Transaction xt) {
        try (Cursor c = data.openCursor(xt)) {
            return c.getLast() ? decode(c.getKey()) : NO_KEY;
        }
    }

    /** Key {@code key} is (or may be) stored now: raises {@link #maxKey} to it. */
    void noteWritten(Object key) {
        maxKey.accumulateAndGet(key, (cur, k) -> cur == NO_KEY || Terms.compare(k, cur) > 0 ? k : cur);
    }

    private boolean aboveEveryKey(Object key) {
        Object max = maxKey.get();
        return max == NO_KEY || Terms.compare(key, max) > 0;
    }

    private Cache<Object, List<Tuple>> newCache() {
        // maintenance (eviction) on the writing thread: Caffeine's default hands it to the common fork-join pool,
        // whose worker a load of 2M rows woke and parked 470,000 times
        return Caffeine.newBuilder().maximumSize(cacheRows).executor(Runnable::run).build();
    }

    /** The names of the Xodus stores of table {@code id} defined as {@code def} (see {@link #XodusStore}). */
    static List<String> storeNames(long id, TableDef def) {
        String data = dataName(id);
        List<String> names = new ArrayList<>(List.of(data, chunksName(data)));
        if (def.storage() == StorageType.DISC_ONLY_COPIES) {
            for (int pos : Table.indexPositions(def)) {
                names.add(indexName(data, pos));
            }
        }
        return names;
    }

    /** Whether {@code name} is of a table's store (see {@link #storeNames}), as opposed to the database's own. */
    static boolean isTableStoreName(String name) {
        return TABLE_STORE.matcher(name).matches();
    }

    private static final java.util.regex.Pattern TABLE_STORE = java.util.regex.Pattern.compile("t\\d+(\\..+)?");

    private static String dataName(long id) {
        return "t" + id;
    }

    private static String chunksName(String dataName) {
        return dataName + ".c";
    }

    private static String indexName(String dataName, int pos) {
        return dataName + ".i" + pos;
    }

    private Store openIndex(Transaction xt, int pos) {
        return env.openStore(indexName(pos), StoreConfig.WITH_DUPLICATES_WITH_PREFIXING, xt);
    }

    private String indexName(int pos) {
        return indexName(dataName, pos);
    }

    /** The chunk store, or null if it does not exist and {@code create} is false. */
    private Store chunkStore(Transaction xt, boolean create) {
        return env.openStore(chunksName, StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, xt, create);
    }

    static ArrayByteIterable bytes(Object v) {
        return new ArrayByteIterable(TermCodec.encode(v));
    }

    private static Object decode(ByteIterable b) {
        return TermCodec.decode(b.getBytesUnsafe(), 0, b.getLength());
    }

    /**
     * A record of {@code key} as stored: compact ({@link RecordCodec}) or, in bags and older stores, a term; a
     * {@link #LARGE} row is put together from its chunks first.
     */
    private Tuple decodeRecord(Transaction xt, Object key, ByteIterable b) {
        if (positional) {
            return (Tuple) TermCodec.decode(b.getBytesUnsafe(), 4, b.getLength() - 4);
        }
        byte[] bytes = b.getBytesUnsafe();
        int length = b.getLength();
        if (isLarge(b)) {
            bytes = readChunks(xt, key, bytes);
            length = bytes.length;
        }
        if (RecordCodec.isCompact(bytes, 0, length)) {
            return RecordCodec.decode(bytes, 0, length, key, recordName);
        }
        return (Tuple) TermCodec.decode(bytes, 0, length);
    }

    private boolean isLarge(ByteIterable b) {
        return !bag && b.getLength() == LARGE_MARKER_BYTES && b.getBytesUnsafe()[0] == LARGE;
    }

    /** The value of a chunked row, from the chunks its marker counts. */
    private byte[] readChunks(Transaction xt, Object key, byte[] marker) {
        java.nio.ByteBuffer m = java.nio.ByteBuffer.wrap(marker, 1, LARGE_MARKER_BYTES - 1);
        int chunks = m.getInt();
        long length = m.getLong();
        Store store = chunkStore(xt, false);
        if (store == null || length > Integer.MAX_VALUE - 8) {
            throw new MnemoException("table store " + dataName + ": the chunks of key " + Terms.format(key)
                    + " are missing (" + chunks + " chunks, " + length + " bytes)");
        }
        byte[] out = new byte[(int) length];
        byte[] keyBytes = TermCodec.encode(key);
        int at = 0;
        for (int i = 0; i < chunks; i++) {
            ByteIterable c = store.get(xt, chunkKey(keyBytes, i));
            if (c == null || at + c.getLength() > out.length) {
                throw new MnemoException("table store " + dataName + ": chunk " + i + " of " + chunks + " of key "
                        + Terms.format(key) + " is missing or too long");
            }
            System.arraycopy(c.getBytesUnsafe(), 0, out, at, c.getLength());
            at += c.getLength();
        }
        if (at != out.length) {
            throw new MnemoException("table store " + dataName + ": the chunks of key " + Terms.format(key) + " hold "
                    + at + " bytes, the row says " + length);
        }
        return out;
    }

    private static ArrayByteIterable chunkKey(byte[] keyBytes, int chunk) {
        byte[] k = java.util.Arrays.copyOf(keyBytes, keyBytes.length + 4);
        k[keyBytes.length] = (byte) (chunk >>> 24);
        k[keyBytes.length + 1] = (byte) (chunk >>> 16);
        k[keyBytes.length + 2] = (byte) (chunk >>> 8);
        k[keyBytes.length + 3] = (byte) chunk;
        return new ArrayByteIterable(k);
    }

    /**
     * Writes a set row's value: in place, or, longer than {@link #CHUNK_BYTES}, as chunks and a marker. Chunks an
     * earlier, longer value of the key left beyond the new ones are deleted (all of them when the new value is not
     * chunked), so a key's chunks are always exactly its value's.
     */
    private void putRow(Transaction xt, ArrayByteIterable k, RecordCodec.Encoded value) {
        ArrayByteIterable whole = new ArrayByteIterable(value.bytes(), value.length());
        if (value.length() <= CHUNK_BYTES) {
            data.put(xt, k, whole);
            deleteChunks(xt, k, 0);
            return;
        }
        mayHaveChunks = true;
        Store store = chunkStore(xt, true);
        byte[] keyBytes = java.util.Arrays.copyOf(k.getBytesUnsafe(), k.getLength());
        int chunks = (value.length() + CHUNK_BYTES - 1) / CHUNK_BYTES;
        for (int i = 0; i < chunks; i++) {
            int from = i * CHUNK_BYTES;
            // a view of the encoding, not a copy: the transaction holds its chunks until it commits
            store.put(xt, chunkKey(keyBytes, i), whole.subIterable(from, Math.min(CHUNK_BYTES, value.length() - from)));
        }
        java.nio.ByteBuffer marker = java.nio.ByteBuffer.allocate(LARGE_MARKER_BYTES);
        marker.put(LARGE).putInt(chunks).putLong(value.length());
        data.put(xt, k, new ArrayByteIterable(marker.array()));
        deleteChunks(xt, k, chunks);
    }

    /** Deletes the chunks of key {@code k} from number {@code from} on, if the table has chunks at all. */
    private void deleteChunks(Transaction xt, ArrayByteIterable k, int from) {
        if (!mayHaveChunks) {
            return;
        }
        Store store = chunkStore(xt, false);
        if (store == null) {
            return;
        }
        byte[] keyBytes = java.util.Arrays.copyOf(k.getBytesUnsafe(), k.getLength());
        try (Cursor c = store.openCursor(xt)) {
            if (c.getSearchKeyRange(chunkKey(keyBytes, from)) == null) {
                return;
            }
            do {
                ByteIterable ck = c.getKey();
                if (ck.getLength() != keyBytes.length + 4
                        || !java.util.Arrays.equals(ck.getBytesUnsafe(), 0, keyBytes.length, keyBytes, 0,
                        keyBytes.length)) {
                    return;
                }
                c.deleteCurrent();
            } while (c.getNext());
        }
    }

    /**
     * The value of a set or ordered_set row: its record in the compact encoding, without the key the Xodus key
     * holds and the table's record name (a term if the record's element 1 is not {@code key}, which the stores never
     * write).
     */
    private RecordCodec.Encoded recordValue(Object key, Tuple record) {
        RecordCodec.Encoded compact = RecordCodec.encodeForUntrimmed(record, key, recordName);
        if (compact != null) {
            return compact;
        }
        byte[] term = TermCodec.encode(record);
        return new RecordCodec.Encoded(term, term.length);
    }

    private static ArrayByteIterable bagValue(int position, Tuple record) {
        byte[] rec = TermCodec.encode(record);
        byte[] v = new byte[rec.length + 4];
        v[0] = (byte) (position >>> 24);
        v[1] = (byte) (position >>> 16);
        v[2] = (byte) (position >>> 8);
        v[3] = (byte) position;
        System.arraycopy(rec, 0, v, 4, rec.length);
        return new ArrayByteIterable(v);
    }

    @Override
    public List<Tuple> get(Object key) {
        if (aboveEveryKey(key)) {
            return List.of();
        }
        // an absent key is cached too: an INSERT reads each key twice (is it free? what did it hold?)
        List<Tuple> recs = cache.get(key, k -> env.computeInReadonlyTransaction(xt -> loadForCache(xt, k)));
        return recs != UNCACHED ? recs : env.computeInReadonlyTransaction(xt -> load(xt, key));
    }

    /** As {@link #load}, but {@link #UNCACHED} for a long row (see {@link ValueLimits#LONG_RECORD}), not decoded. */
    private List<Tuple> loadForCache(Transaction xt, Object key) {
        if (!bag) {
            ByteIterable v = data.get(xt, bytes(key));
            return v == null ? List.of() : isLarge(v) || v.getLength() > ValueLimits.LONG_RECORD ? UNCACHED
                    : List.of(decodeRecord(xt, key, v));
        }
        return load(xt, key);
    }

    /** Whether the cache keeps {@link #UNCACHED} for these records (see {@link ValueLimits#LONG_RECORD}). */
    private boolean large(List<Tuple> records) {
        return !bag && !records.isEmpty() && ValueLimits.weight(records.get(0)) > ValueLimits.LONG_RECORD;
    }

    /** The records of {@code key} as stored in Xodus. */
    List<Tuple> load(Transaction xt, Object key) {
        ArrayByteIterable k = bytes(key);
        if (!bag) {
            ByteIterable v = data.get(xt, k);
            return v == null ? List.of() : List.of(decodeRecord(xt, key, v));
        }
        try (Cursor c = data.openCursor(xt)) {
            if (c.getSearchKey(k) == null) {
                return List.of();
            }
            List<Tuple> out = new ArrayList<>();
            do {
                out.add(decodeRecord(xt, key, c.getValue()));
            } while (c.getNextDup());
            return List.copyOf(out);
        }
    }

    @Override
    public void scan(KeyRange range, boolean reverse, KeyVisitor visitor) {
        env.executeInReadonlyTransaction(xt -> scan(xt, range, reverse, visitor));
    }

    void scan(Transaction xt, KeyRange range, boolean reverse, KeyVisitor visitor) {
        try (Cursor c = data.openCursor(xt)) {
            if (bag && reverse) {
                scanBagReverse(xt, c, range, visitor);
                return;
            }
            boolean ok = reverse ? seekLast(c, range) : seekFirst(c, range);
            while (ok) {
                Object key = decode(c.getKey());
                if (!(reverse ? range.aboveLower(key) : range.belowUpper(key))) {
                    return;
                }
                List<Tuple> recs = new ArrayList<>(1);
                recs.add(decodeRecord(xt, key, c.getValue()));
                if (bag) {
                    while (c.getNextDup()) {
                        recs.add(decodeRecord(xt, key, c.getValue()));
                    }
                }
                if (!visitor.visit(key, List.copyOf(recs))) {
                    return;
                }
                ok = reverse ? c.getPrevNoDup() : c.getNextNoDup();
            }
        }
    }

    /**
     * Receives a stored record as its compact bytes and its key's, {@code key[0, keyLength)} and
     * {@code record[0, recordLength)}, valid only during the call (see {@link #scanStored}).
     */
    interface CompactVisitor {
        void visit(byte[] key, int keyLength, byte[] record, int recordLength);
    }

    /**
     * Visits every key in order with its records as stored: a set's compact record and its key as their bytes,
     * neither copied nor decoded, to {@code compact}; records stored otherwise (bags, records written before the compact encoding)
     * decoded, to {@code other}. For loading a heap copy that keeps the bytes.
     */
    void scanStored(CompactVisitor compact, KeyVisitor other) {
        if (bag) {
            scan(KeyRange.ALL, false, other);
            return;
        }
        env.executeInReadonlyTransaction(xt -> {
            try (Cursor c = data.openCursor(xt)) {
                while (c.getNext()) {
                    ByteIterable k = c.getKey();
                    ByteIterable v = c.getValue();
                    byte[] bytes = v.getBytesUnsafe();
                    if (RecordCodec.isCompact(bytes, 0, v.getLength())) {
                        compact.visit(k.getBytesUnsafe(), k.getLength(), bytes, v.getLength());
                    } else {
                        Object key = decode(k);
                        other.visit(key, List.of(decodeRecord(xt, key, v)));
                    }
                }
            }
        });
    }

    /** The chunks of large values stored (for tests: a key's chunks are exactly its value's). */
    long storedChunks() {
        return env.computeInReadonlyTransaction(xt -> {
            Store store = chunkStore(xt, false);
            return store == null ? 0L : store.count(xt);
        });
    }

    /** The records stored (a Xodus count, kept by its tree: no walk). */
    long storedRecords() {
        return env.computeInReadonlyTransaction(xt -> data.count(xt));
    }

    /**
     * A descending scan of a bag store. Xodus's cursor over a store with duplicates cannot be driven backwards key
     * by key: its {@code getPrevNoDup} steps with the forward helper (landing on a wrong or uninitialized pair), and
     * after a forward look-ahead ({@code getNextDup}) a {@code getPrev} starts from the look-ahead position. So the
     * cursor is positioned afresh on the last pair within the upper bound and then moved only with {@code getPrev},
     * pair by pair, grouping consecutive pairs of one key (whose records are then put back in the key's order).
     */
    private void scanBagReverse(Transaction xt, Cursor c, KeyRange range, KeyVisitor visitor) {
        boolean ok = seekLastPair(xt, c, range);
        while (ok) {
            byte[] keyBytes = copyOf(c.getKey());
            Object key = TermCodec.decode(keyBytes, 0, keyBytes.length);
            if (!range.aboveLower(key)) {
                return;
            }
            List<Tuple> recs = new ArrayList<>();
            recs.add(decodeRecord(xt, key, c.getValue()));
            while ((ok = c.getPrev()) && sameBytes(c.getKey(), keyBytes)) {
                recs.add(decodeRecord(xt, key, c.getValue()));
            }
            java.util.Collections.reverse(recs);
            if (!visitor.visit(key, List.copyOf(recs))) {
                return;
            }
        }
    }

    /** Positions a bag cursor on the last pair whose key is within the range's upper bound, never moving forward. */
    private boolean seekLastPair(Transaction xt, Cursor c, KeyRange range) {
        if (range.upper() == null) {
            return c.getLast();
        }
        ArrayByteIterable upper = bytes(range.upper());
        if (c.getSearchKeyRange(upper) == null) {
            return c.getLast();
        }
        int cmp = Terms.compare(decode(c.getKey()), range.upper());
        if (cmp > 0 || !range.upperInclusive()) {
            return c.getPrev();
        }
        // on the first pair of the upper key: find the next key with another cursor, then step back from its first pair
        byte[] following;
        try (Cursor probe = data.openCursor(xt)) {
            following = probe.getSearchKey(upper) != null && probe.getNextNoDup() ? copyOf(probe.getKey()) : null;
        }
        if (following == null) {
            return c.getLast();
        }
        c.getSearchKeyRange(new ArrayByteIterable(following));
        return c.getPrev();
    }

    private static byte[] copyOf(ByteIterable b) {
        return java.util.Arrays.copyOf(b.getBytesUnsafe(), b.getLength());
    }

    private static boolean sameBytes(ByteIterable b, byte[] bytes) {
        return java.util.Arrays.equals(b.getBytesUnsafe(), 0, b.getLength(), bytes, 0, bytes.length);
    }

    private boolean seekFirst(Cursor c, KeyRange range) {
        if (range.lower() == null) {
            return c.getNext();
        }
        if (c.getSearchKeyRange(bytes(range.lower())) == null) {
            return false;
        }
        if (!range.lowerInclusive() && Terms.compare(decode(c.getKey()), range.lower()) == 0) {
            return c.getNextNoDup();
        }
        return true;
    }

    /** Positions a set store's cursor on the last key within the range's upper bound. */
    private boolean seekLast(Cursor c, KeyRange range) {
        if (range.upper() == null) {
            return c.getLast();
        }
        if (c.getSearchKeyRange(bytes(range.upper())) == null) {
            return c.getLast();
        }
        int cmp = Terms.compare(decode(c.getKey()), range.upper());
        if (cmp > 0 || (cmp == 0 && !range.upperInclusive())) {
            return c.getPrevNoDup();
        }
        return true;
    }

    @Override
    public Collection<Object> indexKeys(int pos, Object value) {
        Store index = indexStores.get(pos);
        if (index == null) {
            throw new SchemaException("position " + pos + " is not indexed (the index was just removed)");
        }
        return env.computeInReadonlyTransaction(xt -> {
            List<Object> keys = new ArrayList<>();
            try (Cursor c = index.openCursor(xt)) {
                if (c.getSearchKey(bytes(value)) != null) {
                    do {
                        keys.add(decode(c.getValue()));
                    } while (c.getNextDup());
                }
            }
            return keys;
        });
    }

    @Override
    public long size() {
        return env.computeInReadonlyTransaction(data::count);
    }

    /**
     * Counted by walking the index's entries (value, key) in value order, at most {@link #DISTINCT_WALK} of them;
     * past that, the distinct values per entry of the part walked are extrapolated to the whole index, NULL (the
     * first value in term order, often a large share of the entries) counted apart so that it does not weigh on the
     * ratio. Remembered until the table's size moves by more than a fifth (or the index is rebuilt or emptied); a
     * change of values that leaves the size alone is not seen until then.
     */
    @Override
    public long distinctValues(int pos) {
        Store index = indexStores.get(pos);
        if (index == null) {
            throw new SchemaException("position " + pos + " is not indexed (the index was just removed)");
        }
        long size = size();
        long[] known = distinct.get(pos);
        if (known != null && Math.abs(size - known[1]) <= known[1] / 5) {
            return known[0];
        }
        long generation = distinctGeneration.get();
        long estimate = env.computeInReadonlyTransaction(xt -> countDistinct(index, xt));
        if (distinctGeneration.get() == generation) {
            distinct.put(pos, new long[] {estimate, size});
        }
        return estimate;
    }

    private long countDistinct(Store index, Transaction xt) {
        ByteIterable nullValue = bytes(null);
        long values = 0;
        long entries = 0;
        long nullEntries = 0;
        boolean hasNull = false;
        ByteIterable last = null;
        try (Cursor c = index.openCursor(xt)) {
            while (entries < DISTINCT_WALK && c.getNext()) {
                entries++;
                ByteIterable k = c.getKey();
                if (last == null || k.compareTo(last) != 0) {
                    last = new ArrayByteIterable(k);
                    if (k.compareTo(nullValue) == 0) {
                        hasNull = true;
                    } else {
                        values++;
                    }
                }
                if (hasNull && values == 0) {
                    nullEntries++;
                }
            }
            if (entries < DISTINCT_WALK || !c.getNext()) {
                return values + (hasNull ? 1 : 0);
            }
        }
        long total = index.count(xt);
        long walked = entries - nullEntries;
        long estimate = walked <= 0 ? values
                : Math.round((double) values * (total - nullEntries) / walked);
        return Math.max(values + 1, estimate) + (hasNull ? 1 : 0);
    }

    @Override
    public long memoryBytes() {
        return cache == null ? 0 : cache.estimatedSize() * 128;
    }

    @Override
    public void stage(Transaction xt, Object key, List<Tuple> old, List<Tuple> neu) {
        ArrayByteIterable k = bytes(key);
        if (!bag) {
            if (neu.isEmpty()) {
                data.delete(xt, k);
                deleteChunks(xt, k, 0);
            } else {
                putRow(xt, k, recordValue(key, neu.get(0)));
            }
        } else if (neu.isEmpty()) {
            data.delete(xt, k);
        } else if (!positional) {
            stageBagDifference(xt, k, old, neu);
        } else if (neu.size() > old.size() && neu.subList(0, old.size()).equals(old)) {
            for (int i = old.size(); i < neu.size(); i++) {
                data.put(xt, k, bagValue(i, neu.get(i)));
            }
        } else {
            data.delete(xt, k);
            for (int i = 0; i < neu.size(); i++) {
                data.put(xt, k, bagValue(i, neu.get(i)));
            }
        }
        stageIndexes(xt, k, old, neu);
    }

    private void stageIndexes(Transaction xt, ArrayByteIterable k, List<Tuple> old, List<Tuple> neu) {
        for (Map.Entry<Integer, Store> idx : indexStores.entrySet()) {
            stageIndex(xt, idx.getValue(), idx.getKey(), k, old, neu);
        }
    }

    /**
     * As {@link #stage(Transaction, Object, List, List)}, with the key's and the record's bytes as the change
     * encoded them for the commit log: the disc part of a disc_copies table, whose rows the checkpointer would
     * otherwise encode a third time.
     */
    void stageLogged(Transaction xt, Database.Change c) {
        if (bag || c.neu().isEmpty()) {
            stage(xt, c.key(), c.old(), c.neu());
            return;
        }
        byte[] key = c.keyBytes();
        ArrayByteIterable k = new ArrayByteIterable(key);
        byte[] compact = c.compactRecord(recordName);
        RecordCodec.Encoded value = compact != null ? new RecordCodec.Encoded(compact, compact.length)
                : recordValue(c.key(), c.neu().get(0));
        boolean above = aboveRightEdge(xt, key);
        if (above && value.length() <= CHUNK_BYTES) {
            // an appended key (a bulk load's): Xodus walks the tree's right edge instead of searching each node
            data.putRight(xt, k, new ArrayByteIterable(value.bytes(), value.length()));
            deleteChunks(xt, k, 0);
        } else {
            putRow(xt, k, value);
        }
        if (above) {
            rightEdge = new RightEdge(new java.lang.ref.WeakReference<>(xt), key); // a chunked row raises it too
        }
        stageIndexes(xt, k, c.old(), c.neu());
    }

    /**
     * A key at or above every key of {@link #data} in Xodus transaction {@code txn} (weakly held: a finished
     * transaction is not kept), as {@link #stageLogged} last saw it (null: the store was empty). Within one
     * transaction every key put into a store that is not a bag goes through stageLogged, and deletes only lower the
     * largest key, so a key above the edge is above every key.
     */
    private record RightEdge(java.lang.ref.WeakReference<Transaction> txn, byte[] key) {
    }

    private volatile RightEdge rightEdge;

    /** Whether {@code key} is above every key of {@link #data} in {@code xt} (read from Xodus once a transaction). */
    private boolean aboveRightEdge(Transaction xt, byte[] key) {
        RightEdge e = rightEdge;
        if (e == null || e.txn().get() != xt) {
            byte[] last = null;
            try (Cursor c = data.openCursor(xt)) {
                if (c.getLast()) {
                    ByteIterable lk = c.getKey();
                    last = java.util.Arrays.copyOf(lk.getBytesUnsafe(), lk.getLength());
                }
            }
            e = new RightEdge(new java.lang.ref.WeakReference<>(xt), last);
            rightEdge = e;
        }
        return e.key() == null || java.util.Arrays.compareUnsigned(key, e.key()) > 0;
    }

    /** A bag key changes by the records removed and added; the others stay as they are on disc. */
    private void stageBagDifference(Transaction xt, ArrayByteIterable k, List<Tuple> old, List<Tuple> neu) {
        Set<Tuple> before = new HashSet<>(old);
        Set<Tuple> after = new HashSet<>(neu);
        for (Tuple r : before) {
            if (!after.contains(r)) {
                try (Cursor c = data.openCursor(xt)) {
                    if (c.getSearchBoth(k, bytes(r))) {
                        c.deleteCurrent();
                    }
                }
            }
        }
        for (Tuple r : after) {
            if (!before.contains(r)) {
                data.put(xt, k, bytes(r));
            }
        }
    }

    private static void stageIndex(Transaction xt, Store index, int pos, ArrayByteIterable key, List<Tuple> old,
                                   List<Tuple> neu) {
        Set<Object> before = HeapStore.valuesAt(pos, old);
        Set<Object> after = HeapStore.valuesAt(pos, neu);
        for (Object v : before) {
            if (!after.contains(v)) {
                try (Cursor c = index.openCursor(xt)) {
                    if (c.getSearchBoth(bytes(v), key)) {
                        c.deleteCurrent();
                    }
                }
            }
        }
        for (Object v : after) {
            if (!before.contains(v)) {
                index.put(xt, bytes(v), key);
            }
        }
    }

    @Override
    public void publish(Object key, List<Tuple> old, List<Tuple> neu) {
        if (!neu.isEmpty()) {
            noteWritten(key);
        }
        if (cache != null) {
            cache.put(key, large(neu) ? UNCACHED : neu);
        }
    }

    /** Whether this store is a table's read path (disc_only_copies), with its indexes in Xodus. */
    boolean readable() {
        return readable;
    }

    /** Positions whose index store {@link #indexBatch} has filled, for the {@link #addIndex} that puts it in use. */
    private final Set<Integer> built = ConcurrentHashMap.newKeySet();

    /** Where an index build in batches has got: the last key indexed (null at the end) and the records indexed. */
    record IndexBatch(Object next, int records) {
    }

    /** Starts building the index of {@code pos} in batches: removes what an unfinished build may have left. */
    void startIndex(Transaction xt, int pos) {
        built.remove(pos);
        if (env.storeExists(indexName(pos), xt)) {
            env.removeStore(indexName(pos), xt);
        }
    }

    /**
     * Indexes the records of the keys after {@code after} (all keys if null) at {@code pos}, in {@code xt}, stopping
     * after the key at which {@code n} records are reached. The index store is not read until {@link #addIndex}.
     */
    IndexBatch indexBatch(Transaction xt, TableDef def, int pos, Object after, int n) {
        Store index = openIndex(xt, pos);
        int[] count = {0};
        Object[] last = {null};
        scan(xt, after == null ? KeyRange.ALL : KeyRange.ALL.resumeAfter(after, false), false, (key, recs) -> {
            ArrayByteIterable k = bytes(key);
            for (Object v : HeapStore.valuesAt(pos, recs)) {
                ArrayByteIterable value = bytes(v);
                if (value.getLength() > Mnemo.MAX_DISC_KEY_BYTES) {
                    throw new ValueTooLargeException("table " + def.name() + ": attribute '"
                            + def.attributes().get(pos - 1) + "' of key " + Terms.format(key) + " holds a value of "
                            + value.getLength() + " bytes encoded, over the limit of " + Mnemo.MAX_DISC_KEY_BYTES
                            + " (" + (Mnemo.MAX_DISC_KEY_BYTES >> 10) + " KiB) for indexed values of "
                            + "disc_only_copies tables: it cannot be indexed");
                }
                index.put(xt, value, k);
            }
            count[0] += recs.size();
            if (count[0] >= n) {
                last[0] = key;
                return false;
            }
            return true;
        });
        return new IndexBatch(last[0], count[0]);
    }

    /** The index of {@code pos} has been built by {@link #indexBatch} up to the last key. */
    void indexBuilt(int pos) {
        built.add(pos);
    }

    /** Puts the index of {@code pos}, which {@link #indexBatch} built, in use once {@code xt} commits. */
    @Override
    public Runnable addIndex(Transaction xt, int pos) {
        if (!readable) {
            return () -> { };
        }
        if (!built.remove(pos)) {
            throw new IllegalStateException(dataName + ": the index of position " + pos + " was not built first");
        }
        Store fresh = openIndex(xt, pos);
        return () -> {
            distinctGeneration.incrementAndGet();
            distinct.remove(pos);
            indexStores.put(pos, fresh);
        };
    }

    @Override
    public Runnable removeIndex(Transaction xt, int pos) {
        if (!indexStores.containsKey(pos)) {
            return () -> { };
        }
        env.removeStore(indexName(pos), xt);
        return () -> {
            indexStores.remove(pos);
            distinctGeneration.incrementAndGet();
            distinct.remove(pos);
        };
    }

    @Override
    public void stageClear(Transaction xt) {
        deleteAll(xt, data);
        if (mayHaveChunks && env.storeExists(chunksName, xt)) {
            deleteAll(xt, chunkStore(xt, true));
        }
        for (Store index : indexStores.values()) {
            deleteAll(xt, index);
        }
    }

    /** Empties a store in place (truncating would give it a new identity and stale this store's handles). */
    private static void deleteAll(Transaction xt, Store store) {
        try (Cursor c = store.openCursor(xt)) {
            while (c.getNext()) {
                c.deleteCurrent();
            }
        }
    }

    @Override
    public void publishClear() {
        maxKey.set(NO_KEY);
        distinctGeneration.incrementAndGet();
        distinct.clear();
        if (cache != null) {
            cache = newCache();
        }
    }

    /** Removes the table's stores from Xodus inside {@code xt}. */
    void drop(Transaction xt) {
        // the handles stay: if the transaction fails, the table goes on with these stores (closed if it commits)
        for (int pos : new HashSet<>(indexStores.keySet())) {
            env.removeStore(indexName(pos), xt);
        }
        if (env.storeExists(dataName, xt)) {
            env.removeStore(dataName, xt);
        }
        if (env.storeExists(chunksName, xt)) {
            env.removeStore(chunksName, xt);
        }
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
