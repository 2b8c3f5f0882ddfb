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
}
