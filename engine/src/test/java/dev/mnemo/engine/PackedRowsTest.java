package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.TermCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The packed B+ tree of a compact heap store behaves as a sorted map of encoded keys to values (bytes, or an object
 * beside them): random puts, replacements, conditional removals, point reads and bounded scans in both directions
 * agree with a {@link TreeMap} through thousands of leaf and inner-node splits and removals; a bulk-built tree
 * behaves the same; and a reader scanning while the writer changes the tree sees one whole tree, in order.
 */
class PackedRowsTest {
    /** A value as the model holds it: bytes, or an object. */
    private record Value(byte[] bytes, Object other) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && Arrays.equals(bytes, v.bytes) && java.util.Objects.equals(other, v.other);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return other != null ? "other " + other : "bytes " + Arrays.toString(bytes);
        }
    }

    private static byte[] key(long k) {
        return TermCodec.encode(k);
    }

    private static Value read(PackedRows rows, byte[] key) {
        return rows.get(key, (data, from, to, other) -> new Value(other != null ? new byte[0]
                : Arrays.copyOfRange(data, from, to), other));
    }

    private static List<Map.Entry<Long, Value>> scan(PackedRows rows, Long lo, boolean loInc, Long hi, boolean hiInc,
                                                     boolean reverse) {
        List<Map.Entry<Long, Value>> out = new ArrayList<>();
        rows.scan(lo == null ? null : key(lo), loInc, hi == null ? null : key(hi), hiInc, reverse,
                (data, keyFrom, keyTo, valueTo, other) -> {
                    long k = (Long) TermCodec.decode(data, keyFrom, keyTo - keyFrom);
                    out.add(Map.entry(k, new Value(other != null ? new byte[0]
                            : Arrays.copyOfRange(data, keyTo, valueTo), other)));
                    return true;
                });
        return out;
    }

    private static List<Map.Entry<Long, Value>> expected(NavigableMap<Long, Value> model, Long lo, boolean loInc,
                                                         Long hi, boolean hiInc, boolean reverse) {
        NavigableMap<Long, Value> m = model;
        if (lo != null && hi != null && (lo > hi || (lo.equals(hi) && !(loInc && hiInc)))) {
            return List.of();
        }
        if (lo != null) {
            m = m.tailMap(lo, loInc);
        }
        if (hi != null) {
            m = m.headMap(hi, hiInc);
        }
        return new ArrayList<>((reverse ? m.descendingMap() : m).entrySet());
    }

    private static Value randomValue(Random r) {
        if (r.nextInt(5) == 0) {
            return new Value(new byte[0], r.nextBoolean() ? List.of() : List.of("records " + r.nextInt(100)));
        }
        byte[] b = new byte[1 + r.nextInt(r.nextInt(10) == 0 ? 300 : 20)];
        r.nextBytes(b);
        return new Value(b, null);
    }

    private static void checkAgainst(PackedRows rows, NavigableMap<Long, Value> model, Random r, int range) {
        for (int q = 0; q < 20; q++) {
            long k = r.nextInt(range);
            assertThat(read(rows, key(k))).as("get %d", k).isEqualTo(model.get(k));
        }
        for (int q = 0; q < 6; q++) {
            Long lo = r.nextInt(4) == 0 ? null : (long) r.nextInt(range);
            Long hi = r.nextInt(4) == 0 ? null : (long) r.nextInt(range);
            boolean loInc = r.nextBoolean();
            boolean hiInc = r.nextBoolean();
            boolean reverse = r.nextBoolean();
            assertThat(scan(rows, lo, loInc, hi, hiInc, reverse))
                    .as("scan %s%d, %d%s %s", loInc ? "[" : "(", lo, hi, hiInc ? "]" : ")", reverse ? "down" : "up")
                    .isEqualTo(expected(model, lo, loInc, hi, hiInc, reverse));
        }
    }

    @Test
    void randomPutsReplacementsAndRemovals_agreeWithASortedMap() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            int range = seed % 2 == 0 ? 300 : 20_000; // few keys, many replacements; or many keys, many splits
            PackedRows rows = new PackedRows();
            TreeMap<Long, Value> model = new TreeMap<>();
            for (int op = 0; op < 30_000; op++) {
                long k = r.nextInt(range);
                int what = r.nextInt(10);
                if (what < 7) {
                    Value v = randomValue(r);
                    rows.put(key(k), v.bytes, v.other);
                    model.put(k, v);
                } else {
                    Object other = what < 9 ? List.of() : List.of("records " + r.nextInt(100));
                    rows.removeIf(key(k), other);
                    Value had = model.get(k);
                    if (had != null && had.other != null && had.other.equals(other)) {
                        model.remove(k);
                    }
                }
                if (op % 1_000 == 0) {
                    checkAgainst(rows, model, r, range);
                }
            }
            checkAgainst(rows, model, r, range);
            assertThat(scan(rows, null, true, null, true, false)).isEqualTo(new ArrayList<>(model.entrySet()));
            // empty it entirely, then use it again
            for (Long k : new ArrayList<>(model.keySet())) {
                rows.put(key(k), new byte[0], List.of());
                rows.removeIf(key(k), List.of());
            }
            assertThat(scan(rows, null, true, null, true, true)).isEmpty();
            rows.put(key(5), new byte[] {1}, null);
            assertThat(read(rows, key(5))).isEqualTo(new Value(new byte[] {1}, null));
        }
    }

    @Test
    void aTreeBuiltFromSortedEntries_behavesAsOneBuiltByPuts() {
        Random r = new Random(7);
        PackedRows.Builder b = new PackedRows.Builder();
        TreeMap<Long, Value> model = new TreeMap<>();
        for (long k = 0; k < 100_000; k += 1 + r.nextInt(3)) {
            Value v = randomValue(r);
            b.add(key(k), v.bytes, v.other);
            model.put(k, v);
        }
        PackedRows rows = new PackedRows();
        b.finish(rows);
        checkAgainst(rows, model, r, 100_000);
        for (int op = 0; op < 5_000; op++) {
            long k = r.nextInt(100_000);
            Value v = randomValue(r);
            rows.put(key(k), v.bytes, v.other);
            model.put(k, v);
        }
        checkAgainst(rows, model, r, 100_000);
        assertThat(scan(rows, null, true, null, true, true)).isEqualTo(new ArrayList<>(model.descendingMap().entrySet()));
    }

    @Test
    void aReaderScanningWhileTheWriterChangesTheTree_seesEveryKeyOnceInOrder() throws Exception {
        PackedRows rows = new PackedRows();
        for (long k = 0; k < 20_000; k += 2) {
            rows.put(key(k), new byte[] {(byte) k}, null);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                for (int round = 0; round < 200; round++) {
                    long[] last = {-1};
                    int[] evens = {0};
                    rows.scan(null, true, null, true, false, (data, keyFrom, keyTo, valueTo, other) -> {
                        long k = (Long) TermCodec.decode(data, keyFrom, keyTo - keyFrom);
                        if (k <= last[0]) {
                            throw new AssertionError("key " + k + " after " + last[0]);
                        }
                        last[0] = k;
                        evens[0] += k % 2 == 0 ? 1 : 0;
                        return true;
                    });
                    if (evens[0] != 10_000) {
                        throw new AssertionError("a scan saw " + evens[0] + " of the 10,000 even keys");
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        Random r = new Random(3);
        while (reader.isAlive()) {
            long odd = 2L * r.nextInt(10_000) + 1;
            if (r.nextBoolean()) {
                rows.put(key(odd), new byte[] {1, 2, 3}, null);
            } else {
                rows.put(key(odd), new byte[0], List.of());
                rows.removeIf(key(odd), List.of());
            }
        }
        reader.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void batchesOfPuts_agreeWithASortedMap_laterDuplicatesWinning() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            int range = seed % 2 == 0 ? 500 : 200_000;
            PackedRows rows = new PackedRows();
            TreeMap<Long, Value> model = new TreeMap<>();
            for (int round = 0; round < 300; round++) {
                int n = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1 + r.nextInt(r.nextBoolean() ? 100 : 3_000);
                byte[][] keys = new byte[n][];
                byte[][] values = new byte[n][];
                Object[] others = new Object[n];
                long[] ks = new long[n];
                long base = r.nextInt(range);
                for (int i = 0; i < n; i++) {
                    // runs of ascending keys (an append), random keys, and repeats of a key within the batch
                    long k = r.nextInt(3) == 0 ? r.nextInt(range) : i > 0 && r.nextInt(10) == 0
                            ? ks[r.nextInt(i)] : base + i;
                    ks[i] = k;
                    Value v = randomValue(r);
                    keys[i] = key(k);
                    values[i] = v.bytes;
                    others[i] = v.other;
                    model.put(k, v);
                }
                rows.putAll(keys, values, others);
                if (r.nextInt(3) == 0) {
                    for (int q = 0; q < 50; q++) {
                        long k = r.nextInt(range);
                        rows.put(key(k), new byte[0], List.of());
                        rows.removeIf(key(k), List.of());
                        model.remove(k);
                    }
                }
                if (round % 20 == 0) {
                    checkAgainst(rows, model, r, range);
                }
            }
            checkAgainst(rows, model, r, range);
            assertThat(scan(rows, null, true, null, true, false)).isEqualTo(new ArrayList<>(model.entrySet()));
            assertThat(scan(rows, null, true, null, true, true))
                    .isEqualTo(new ArrayList<>(model.descendingMap().entrySet()));
        }
    }

    @Test
    void aMillionKeysAppendedInBatches_makeATreeAsShallowAsPutsOneByOne() {
        PackedRows batched = new PackedRows();
        for (long from = 0; from < 1_000_000; from += 1_000) {
            byte[][] keys = new byte[1_000][];
            byte[][] values = new byte[1_000][];
            for (int i = 0; i < 1_000; i++) {
                keys[i] = key(from + i);
                values[i] = new byte[] {(byte) i};
            }
            batched.putAll(keys, values, new Object[1_000]);
        }
        // 1,000,000 keys in leaves of at most 64 take at least 15,625 leaves: three levels of 64 above them
        assertThat(batched.height()).isBetween(3, 4);
        assertThat(read(batched, key(999_999))).isEqualTo(new Value(new byte[] {(byte) 999}, null));
        assertThat(scan(batched, 499_998L, true, 500_001L, false, false)).extracting(Map.Entry::getKey)
                .containsExactly(499_998L, 499_999L, 500_000L);
    }

    @Test
    void aBatchOfHalfAMillionKeys_intoOneLeaf_splitsIntoLeavesThatHoldThemAll() {
        PackedRows rows = new PackedRows();
        rows.put(key(-1), new byte[] {9}, null);
        int n = 500_000; // the merged leaf's size squared passes 2^31: its parts must be counted in longs
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = key(i);
            values[i] = new byte[] {(byte) i};
        }
        rows.putAll(keys, values, new Object[n]);
        assertThat(scan(rows, null, true, null, true, false)).hasSize(n + 1);
        assertThat(read(rows, key(-1))).isEqualTo(new Value(new byte[] {9}, null));
        assertThat(read(rows, key(n - 1))).isEqualTo(new Value(new byte[] {(byte) (n - 1)}, null));
        assertThat(rows.height()).isBetween(2, 3);
    }

    @Test
    void aReaderScanningWhileBatchesArePut_seesEachBatchWholeOrNotAtAll() throws Exception {
        PackedRows rows = new PackedRows();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                int rounds = 0;
                while (!done.get() || rounds < 50) {
                    rounds++;
                    long[] seen = {0};
                    rows.scan(null, true, null, true, false, (data, keyFrom, keyTo, valueTo, other) -> {
                        seen[0]++;
                        return true;
                    });
                    if (seen[0] % 100 != 0) {
                        throw new AssertionError("a scan saw " + seen[0] + " keys, part of a batch of 100");
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        Random r = new Random(11);
        for (int batch = 0; batch < 500; batch++) {
            byte[][] keys = new byte[100][];
            for (int i = 0; i < 100; i++) {
                keys[i] = key(batch + 500L * r.nextInt(1_000)); // a batch's keys are its own, spread over the tree
            }
            java.util.Set<Long> distinct = new java.util.HashSet<>();
            for (int i = 0; i < 100; i++) {
                long k = (Long) TermCodec.decode(keys[i], 0, keys[i].length);
                if (!distinct.add(k)) {
                    keys[i] = key(batch + 500L * (1_000 + i)); // repeated: another key of this batch's own
                }
            }
            byte[][] values = new byte[100][];
            Arrays.fill(values, new byte[] {7});
            rows.putAll(keys, values, new Object[100]);
        }
        done.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(scan(rows, null, true, null, true, false)).hasSize(50_000);
    }
}
