package dev.mnemo.engine;

import java.util.Arrays;

/**
 * The rows of a compact heap store (disc_copies), packed: an immutable B+ tree over encoded keys whose leaves hold
 * up to {@link #LEAF_MAX} entries in one byte array each — a key's {@link dev.mnemo.engine.value.TermCodec} bytes
 * followed by its value's bytes (a {@link dev.mnemo.engine.value.RecordCodec} record) — so that a row costs its
 * bytes and two ints, not a skip-list node, a boxed key and an array (124 bytes a row at 5M rows before, 40 on disc).
 * A value that is not bytes (a bag's records, a long record, a deleted key's empty list) is an object beside the
 * leaf's bytes.
 *
 * <p>One writer at a time (the store's writes run under the database's commit lock, or before the table is
 * visible); readers never wait: a write copies the leaf it changes and the nodes above it and then publishes the new
 * root, so a reader sees the tree as it was before or after, whole, and a scan walks the tree it started on.
 */
final class PackedRows {
    /** Entries a leaf holds before it splits in two. */
    static final int LEAF_MAX = 64;
    /** Children an inner node holds before it splits in two. */
    static final int FANOUT_MAX = 64;

    /** Reads an entry's value where it lies. */
    interface ValueReader<T> {
        /** The value {@code data[from, to)}, or {@code other} if it is not bytes (then {@code from == to}). */
        T read(byte[] data, int from, int to, Object other);
    }

    /** Receives an entry of a scan; returns false to stop it. */
    interface EntryVisitor {
        boolean visit(byte[] data, int keyFrom, int keyTo, int valueTo, Object other);
    }

    private sealed interface Node permits Leaf, Inner {
    }

    /**
     * Entries in key order: entry {@code i}'s key is {@code data[keyFrom(i), ends[2i])}, its value
     * {@code data[ends[2i], ends[2i+1])}; {@code others} is null or holds, per entry, a value that is not bytes.
     */
    private record Leaf(byte[] data, int[] ends, Object[] others) implements Node {
        static final Leaf EMPTY = new Leaf(new byte[0], new int[0], null);

        int count() {
            return ends.length / 2;
        }

        int keyFrom(int i) {
            return i == 0 ? 0 : ends[2 * i - 1];
        }

        int keyTo(int i) {
            return ends[2 * i];
        }

        int valueTo(int i) {
            return ends[2 * i + 1];
        }

        Object other(int i) {
            return others == null ? null : others[i];
        }

        int compareKey(int i, byte[] key) {
            return Arrays.compareUnsigned(data, keyFrom(i), keyTo(i), key, 0, key.length);
        }

        /** The index of {@code key}, or {@code -(insertion point) - 1}. */
        int find(byte[] key) {
            int lo = 0;
            int hi = count() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compareKey(mid, key);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -lo - 1;
        }

        byte[] key(int i) {
            return Arrays.copyOfRange(data, keyFrom(i), keyTo(i));
        }
    }

    /** {@code children[i]} holds the keys from {@code firsts[i]} (inclusive) to {@code firsts[i+1]}; firsts[0] is unused. */
    private record Inner(byte[][] firsts, Node[] children) implements Node {
        /** The child whose keys {@code key} falls among. */
        int route(byte[] key) {
            int lo = 1;
            int hi = children.length - 1;
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Arrays.compareUnsigned(firsts[mid], key) <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }
    }

    private volatile Node root = Leaf.EMPTY;

    /** What {@code reader} reads of the value of {@code key}, or null if the key is absent. */
    <T> T get(byte[] key, ValueReader<T> reader) {
        Node n = root;
        while (n instanceof Inner in) {
            n = in.children[in.route(key)];
        }
        Leaf leaf = (Leaf) n;
        int i = leaf.find(key);
        return i < 0 ? null : reader.read(leaf.data, leaf.keyTo(i), leaf.valueTo(i), leaf.other(i));
    }

    /** Sets the value of {@code key}: {@code value}'s bytes, or {@code other} (then {@code value} is empty). */
    void put(byte[] key, byte[] value, Object other) {
        Node[] out = insert(root, key, value, other);
        root = out.length == 1 ? out[0] : new Inner(new byte[][] {null, firstKey(out[1])}, out);
    }

    /**
     * Sets the values of many keys at once, as {@link #put} of each in turn would ({@code values[i]}'s bytes or
     * {@code others[i]}; of a key given twice the later wins), but copying each leaf and inner node the keys fall
     * in once instead of once a key, and publishing one new root: a batch of a thousand appended keys makes a few
     * dozen new leaves, not a thousand copies of the last one.
     */
    void putAll(byte[][] keys, byte[][] values, Object[] others) {
        int n = keys.length;
        if (n == 0) {
            return;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // stable: of equal keys the one given later stays last, and last wins below
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        int[] picked = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m > 0 && Arrays.equals(keys[picked[m - 1]], keys[order[i]])) {
                picked[m - 1] = order[i];
            } else {
                picked[m++] = order[i];
            }
        }
        Batch b = new Batch(keys, values, others, picked);
        java.util.List<Node> level = insertAll(root, b, 0, m);
        while (level.size() > 1) {
            level = group(level, null);
        }
        root = level.get(0);
    }

    /** Entries to put: entry {@code j} of the batch is key {@code keys[at[j]]}, in ascending key order. */
    private record Batch(byte[][] keys, byte[][] values, Object[] others, int[] at) {
        byte[] key(int j) {
            return keys[at[j]];
        }
    }

    /** The nodes that replace {@code n} once entries {@code [from, to)} of {@code b} are put into it, in order. */
    private static java.util.List<Node> insertAll(Node n, Batch b, int from, int to) {
        if (n instanceof Leaf leaf) {
            return merge(leaf, b, from, to);
        }
        Inner in = (Inner) n;
        java.util.List<Node> children = new java.util.ArrayList<>(in.children.length + 4);
        java.util.List<byte[]> firsts = new java.util.ArrayList<>(in.children.length + 4);
        int j = from;
        for (int c = 0; c < in.children.length; c++) {
            int end = j;
            if (c == in.children.length - 1) {
                end = to;
            } else {
                byte[] next = in.firsts[c + 1];
                while (end < to && Arrays.compareUnsigned(b.key(end), next) < 0) {
                    end++;
                }
            }
            if (end == j) {
                children.add(in.children[c]);
                firsts.add(in.firsts[c]);
                continue;
            }
            java.util.List<Node> out = insertAll(in.children[c], b, j, end);
            for (int k = 0; k < out.size(); k++) {
                children.add(out.get(k));
                firsts.add(k == 0 ? in.firsts[c] : firstKey(out.get(k)));
            }
            j = end;
        }
        return group(children, firsts);
    }

    /**
     * {@code nodes} (with their first keys, or null to look them up) under as few inner nodes as hold them, each of
     * at most {@link #FANOUT_MAX} children and about as many as the others.
     */
    private static java.util.List<Node> group(java.util.List<Node> nodes, java.util.List<byte[]> firsts) {
        int parts = (nodes.size() + FANOUT_MAX - 1) / FANOUT_MAX;
        java.util.List<Node> out = new java.util.ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int lo = (int) ((long) nodes.size() * p / parts);
            int hi = (int) ((long) nodes.size() * (p + 1) / parts);
            Node[] children = nodes.subList(lo, hi).toArray(new Node[0]);
            byte[][] fs = new byte[children.length][];
            for (int c = 1; c < children.length; c++) {
                fs[c] = firsts != null ? firsts.get(lo + c) : firstKey(children[c]);
            }
            out.add(new Inner(fs, children));
        }
        return out;
    }

    /**
     * {@code leaf} with entries {@code [from, to)} of {@code b} put into it: one leaf, or several if it grew past
     * {@link #LEAF_MAX}.
     */
    private static java.util.List<Node> merge(Leaf leaf, Batch b, int from, int to) {
        int count = leaf.count();
        // each entry of the result: >= 0 an entry of the leaf, < 0 entry -(x + 1) of the batch
        int[] src = new int[count + to - from];
        int size = 0;
        int i = 0;
        int j = from;
        while (i < count || j < to) {
            int c = i == count ? 1 : j == to ? -1 : leaf.compareKey(i, b.key(j));
            if (c < 0) {
                src[size++] = i++;
            } else {
                if (c == 0) {
                    i++; // replaced
                }
                src[size++] = -(j++) - 1;
            }
        }
        int parts = (size + LEAF_MAX - 1) / LEAF_MAX;
        java.util.List<Node> out = new java.util.ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int lo = (int) ((long) size * p / parts);
            int hi = (int) ((long) size * (p + 1) / parts);
            out.add(leafOf(leaf, b, src, lo, hi));
        }
        return out;
    }

    /** A leaf of entries {@code src[lo, hi)} as {@link #merge} numbers them. */
    private static Leaf leafOf(Leaf leaf, Batch b, int[] src, int lo, int hi) {
        int bytes = 0;
        boolean anyOther = false;
        for (int e = lo; e < hi; e++) {
            int s = src[e];
            if (s >= 0) {
                bytes += leaf.valueTo(s) - leaf.keyFrom(s);
                anyOther |= leaf.other(s) != null;
            } else {
                int at = b.at[-s - 1];
                bytes += b.keys[at].length + b.values[at].length;
                anyOther |= b.others[at] != null;
            }
        }
        byte[] data = new byte[bytes];
        int[] ends = new int[2 * (hi - lo)];
        Object[] others = anyOther ? new Object[hi - lo] : null;
        int length = 0;
        for (int e = lo; e < hi; e++) {
            int s = src[e];
            int k = e - lo;
            if (s >= 0) {
                int keyFrom = leaf.keyFrom(s);
                System.arraycopy(leaf.data, keyFrom, data, length, leaf.valueTo(s) - keyFrom);
                ends[2 * k] = length + leaf.keyTo(s) - keyFrom;
                length += leaf.valueTo(s) - keyFrom;
                ends[2 * k + 1] = length;
                if (others != null) {
                    others[k] = leaf.other(s);
                }
            } else {
                int at = b.at[-s - 1];
                byte[] key = b.keys[at];
                byte[] value = b.values[at];
                System.arraycopy(key, 0, data, length, key.length);
                length += key.length;
                ends[2 * k] = length;
                System.arraycopy(value, 0, data, length, value.length);
                length += value.length;
                ends[2 * k + 1] = length;
                if (others != null) {
                    others[k] = b.others[at];
                }
            }
        }
        return new Leaf(data, ends, others);
    }

    /** Removes {@code key} if its value is {@code other} (compared with equals; never a bytes value). */
    void removeIf(byte[] key, Object other) {
        Node r = root;
        Node n = remove(r, key, other);
        if (n == r) {
            return;
        }
        while (n instanceof Inner in && in.children.length == 1) {
            n = in.children[0];
        }
        root = n == null ? Leaf.EMPTY : n;
    }

    /** Levels of inner nodes above the leaves (for tests). */
    int height() {
        int h = 0;
        for (Node n = root; n instanceof Inner in; n = in.children[0]) {
            h++;
        }
        return h;
    }

    void clear() {
        root = Leaf.EMPTY;
    }

    /**
     * Visits the entries from {@code lower} to {@code upper} (null: unbounded) in key order, or in descending order
     * if {@code reverse}, until the visitor returns false; the tree as it was when the scan began.
     */
    void scan(byte[] lower, boolean lowerInclusive, byte[] upper, boolean upperInclusive, boolean reverse,
              EntryVisitor visitor) {
        Bounds b = new Bounds(lower, lowerInclusive, upper, upperInclusive);
        if (reverse) {
            scanDown(root, b, visitor);
        } else {
            scanUp(root, b, visitor);
        }
    }

    private record Bounds(byte[] lower, boolean lowerInclusive, byte[] upper, boolean upperInclusive) {
        boolean belowUpper(Leaf leaf, int i) {
            if (upper == null) {
                return true;
            }
            int c = leaf.compareKey(i, upper);
            return c < 0 || (c == 0 && upperInclusive);
        }

        boolean aboveLower(Leaf leaf, int i) {
            if (lower == null) {
                return true;
            }
            int c = leaf.compareKey(i, lower);
            return c > 0 || (c == 0 && lowerInclusive);
        }
    }

    /** Returns false once the scan must stop. */
    private static boolean scanUp(Node n, Bounds b, EntryVisitor v) {
        if (n instanceof Inner in) {
            int from = b.lower == null ? 0 : in.route(b.lower);
            for (int c = from; c < in.children.length; c++) {
                if (c > 0 && b.upper != null && Arrays.compareUnsigned(in.firsts[c], b.upper) > 0) {
                    return false;
                }
                if (!scanUp(in.children[c], b, v)) {
                    return false;
                }
            }
            return true;
        }
        Leaf leaf = (Leaf) n;
        int i = 0;
        if (b.lower != null) {
            int f = leaf.find(b.lower);
            i = f >= 0 ? (b.lowerInclusive ? f : f + 1) : -f - 1;
        }
        for (; i < leaf.count(); i++) {
            if (!b.belowUpper(leaf, i)
                    || !v.visit(leaf.data, leaf.keyFrom(i), leaf.keyTo(i), leaf.valueTo(i), leaf.other(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean scanDown(Node n, Bounds b, EntryVisitor v) {
        if (n instanceof Inner in) {
            int from = b.upper == null ? in.children.length - 1 : in.route(b.upper);
            for (int c = from; c >= 0; c--) {
                if (!scanDown(in.children[c], b, v)) {
                    return false;
                }
                if (c > 0 && b.lower != null && Arrays.compareUnsigned(in.firsts[c], b.lower) < 0) {
                    return false; // every key further down is below the lower bound
                }
            }
            return true;
        }
        Leaf leaf = (Leaf) n;
        int i = leaf.count() - 1;
        if (b.upper != null) {
            int f = leaf.find(b.upper);
            i = f >= 0 ? (b.upperInclusive ? f : f - 1) : -f - 2;
        }
        for (; i >= 0; i--) {
            if (!b.aboveLower(leaf, i)
                    || !v.visit(leaf.data, leaf.keyFrom(i), leaf.keyTo(i), leaf.valueTo(i), leaf.other(i))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] firstKey(Node n) {
        while (n instanceof Inner in) {
            n = in.children[0];
        }
        return ((Leaf) n).key(0);
    }

    /** {@code n} with the entry put: one node, or two (split) of which the second starts at a greater key. */
    private static Node[] insert(Node n, byte[] key, byte[] value, Object other) {
        if (n instanceof Leaf leaf) {
            int i = leaf.find(key);
            Leaf changed = i >= 0 ? replace(leaf, i, value, other) : add(leaf, -i - 1, key, value, other);
            return changed.count() > LEAF_MAX ? split(changed) : new Node[] {changed};
        }
        Inner in = (Inner) n;
        int c = in.route(key);
        Node[] out = insert(in.children[c], key, value, other);
        Node[] children;
        byte[][] firsts;
        if (out.length == 1) {
            children = in.children.clone();
            children[c] = out[0];
            firsts = in.firsts;
        } else {
            children = new Node[in.children.length + 1];
            firsts = new byte[children.length][];
            System.arraycopy(in.children, 0, children, 0, c);
            System.arraycopy(in.firsts, 0, firsts, 0, c + 1);
            children[c] = out[0];
            children[c + 1] = out[1];
            firsts[c + 1] = firstKey(out[1]);
            System.arraycopy(in.children, c + 1, children, c + 2, in.children.length - c - 1);
            System.arraycopy(in.firsts, c + 1, firsts, c + 2, in.children.length - c - 1);
        }
        if (children.length <= FANOUT_MAX) {
            return new Node[] {new Inner(firsts, children)};
        }
        int half = children.length / 2;
        byte[][] rightFirsts = Arrays.copyOfRange(firsts, half, firsts.length);
        rightFirsts[0] = null;
        return new Node[] {new Inner(Arrays.copyOf(firsts, half), Arrays.copyOf(children, half)),
                new Inner(rightFirsts, Arrays.copyOfRange(children, half, children.length))};
    }

    /** {@code n} without {@code key} if its value is {@code other}; {@code n} itself if nothing changed, null if empty. */
    private static Node remove(Node n, byte[] key, Object other) {
        if (n instanceof Leaf leaf) {
            int i = leaf.find(key);
            if (i < 0 || leaf.other(i) == null || !leaf.other(i).equals(other)) {
                return leaf;
            }
            return leaf.count() == 1 ? null : without(leaf, i);
        }
        Inner in = (Inner) n;
        int c = in.route(key);
        Node child = remove(in.children[c], key, other);
        if (child == in.children[c]) {
            return in;
        }
        if (child != null) {
            Node[] children = in.children.clone();
            children[c] = child;
            return new Inner(in.firsts, children);
        }
        if (in.children.length == 1) {
            return null;
        }
        Node[] children = new Node[in.children.length - 1];
        byte[][] firsts = new byte[children.length][];
        System.arraycopy(in.children, 0, children, 0, c);
        System.arraycopy(in.children, c + 1, children, c, children.length - c);
        System.arraycopy(in.firsts, 0, firsts, 0, c);
        System.arraycopy(in.firsts, c + 1, firsts, c, firsts.length - c);
        firsts[0] = null;
        return new Inner(firsts, children);
    }

    // ------------------------------------------------------------------ leaf edits (each makes a new leaf)

    private static Leaf replace(Leaf leaf, int i, byte[] value, Object other) {
        int from = leaf.keyTo(i);
        int to = leaf.valueTo(i);
        int delta = value.length - (to - from);
        byte[] data = new byte[leaf.data.length + delta];
        System.arraycopy(leaf.data, 0, data, 0, from);
        System.arraycopy(value, 0, data, from, value.length);
        System.arraycopy(leaf.data, to, data, from + value.length, leaf.data.length - to);
        int[] ends = leaf.ends.clone();
        for (int j = 2 * i + 1; j < ends.length; j++) {
            ends[j] += delta;
        }
        return new Leaf(data, ends, withOther(leaf.others, leaf.count(), i, other, false));
    }

    private static Leaf add(Leaf leaf, int i, byte[] key, byte[] value, Object other) {
        int at = leaf.keyFrom(i < leaf.count() ? i : leaf.count());
        if (i == leaf.count()) {
            at = leaf.data.length;
        }
        int size = key.length + value.length;
        byte[] data = new byte[leaf.data.length + size];
        System.arraycopy(leaf.data, 0, data, 0, at);
        System.arraycopy(key, 0, data, at, key.length);
        System.arraycopy(value, 0, data, at + key.length, value.length);
        System.arraycopy(leaf.data, at, data, at + size, leaf.data.length - at);
        int[] ends = new int[leaf.ends.length + 2];
        System.arraycopy(leaf.ends, 0, ends, 0, 2 * i);
        ends[2 * i] = at + key.length;
        ends[2 * i + 1] = at + size;
        for (int j = 2 * i; j < leaf.ends.length; j++) {
            ends[j + 2] = leaf.ends[j] + size;
        }
        return new Leaf(data, ends, withOther(leaf.others, leaf.count(), i, other, true));
    }

    private static Leaf without(Leaf leaf, int i) {
        int from = leaf.keyFrom(i);
        int to = leaf.valueTo(i);
        int size = to - from;
        byte[] data = new byte[leaf.data.length - size];
        System.arraycopy(leaf.data, 0, data, 0, from);
        System.arraycopy(leaf.data, to, data, from, leaf.data.length - to);
        int[] ends = new int[leaf.ends.length - 2];
        System.arraycopy(leaf.ends, 0, ends, 0, 2 * i);
        for (int j = 2 * i + 2; j < leaf.ends.length; j++) {
            ends[j - 2] = leaf.ends[j] - size;
        }
        Object[] others = null;
        if (leaf.others != null) {
            others = new Object[leaf.count() - 1];
            System.arraycopy(leaf.others, 0, others, 0, i);
            System.arraycopy(leaf.others, i + 1, others, i, others.length - i);
            others = anyNonNull(others) ? others : null;
        }
        return new Leaf(data, ends, others);
    }

    /** The others of a leaf of {@code count} entries with entry {@code i} set (or, {@code inserted}, added) to {@code other}. */
    private static Object[] withOther(Object[] others, int count, int i, Object other, boolean inserted) {
        if (others == null && other == null) {
            return null;
        }
        Object[] out = new Object[inserted ? count + 1 : count];
        if (others != null) {
            if (inserted) {
                System.arraycopy(others, 0, out, 0, i);
                System.arraycopy(others, i, out, i + 1, count - i);
            } else {
                System.arraycopy(others, 0, out, 0, count);
            }
        }
        out[i] = other;
        return anyNonNull(out) ? out : null;
    }

    private static boolean anyNonNull(Object[] a) {
        for (Object o : a) {
            if (o != null) {
                return true;
            }
        }
        return false;
    }

    private static Node[] split(Leaf leaf) {
        int half = leaf.count() / 2;
        return new Node[] {slice(leaf, 0, half), slice(leaf, half, leaf.count())};
    }

    /** Entries {@code [from, to)} of {@code leaf} as a leaf of their own. */
    private static Leaf slice(Leaf leaf, int from, int to) {
        int base = leaf.keyFrom(from);
        byte[] data = Arrays.copyOfRange(leaf.data, base, leaf.valueTo(to - 1));
        int[] ends = new int[2 * (to - from)];
        for (int j = 0; j < ends.length; j++) {
            ends[j] = leaf.ends[2 * from + j] - base;
        }
        Object[] others = leaf.others == null ? null : Arrays.copyOfRange(leaf.others, from, to);
        return new Leaf(data, ends, others != null && anyNonNull(others) ? others : null);
    }

    // ------------------------------------------------------------------ bulk load

    /**
     * Builds a tree from entries given in ascending key order (a load, before the rows are visible): full leaves,
     * no copying. {@link #finish} puts the tree in use.
     */
    static final class Builder {
        private final java.util.List<Node> leaves = new java.util.ArrayList<>();
        private byte[] data = new byte[4096];
        private int length;
        private int[] ends = new int[2 * LEAF_MAX];
        private Object[] others;
        private int count;
        /** The last key of the leaves flushed, for the order check of the next one's first key. */
        private byte[] lastFlushedKey;

        void add(byte[] key, byte[] value, Object other) {
            add(key, key.length, value, value.length, other);
        }

        /** Adds the key {@code key[0, keyLength)} with the value {@code value[0, valueLength)} (or {@code other}). */
        void add(byte[] key, int keyLength, byte[] value, int valueLength, Object other) {
            int c = count > 0
                    ? Arrays.compareUnsigned(data, count == 1 ? 0 : ends[2 * count - 3], ends[2 * count - 2], key, 0,
                    keyLength)
                    : lastFlushedKey == null ? -1 : Arrays.compareUnsigned(lastFlushedKey, 0, lastFlushedKey.length,
                    key, 0, keyLength);
            if (c >= 0) {
                throw new IllegalArgumentException("keys must be added in ascending order");
            }
            int need = length + keyLength + valueLength;
            if (need > data.length) {
                data = Arrays.copyOf(data, Math.max(need, data.length * 2));
            }
            System.arraycopy(key, 0, data, length, keyLength);
            length += keyLength;
            ends[2 * count] = length;
            System.arraycopy(value, 0, data, length, valueLength);
            length += valueLength;
            ends[2 * count + 1] = length;
            if (other != null) {
                if (others == null) {
                    others = new Object[LEAF_MAX];
                }
                others[count] = other;
            }
            if (++count == LEAF_MAX) {
                flush();
            }
        }

        private void flush() {
            if (count == 0) {
                return;
            }
            Leaf leaf = new Leaf(Arrays.copyOf(data, length), Arrays.copyOf(ends, 2 * count),
                    others == null ? null : Arrays.copyOf(others, count));
            leaves.add(leaf);
            lastFlushedKey = leaf.key(count - 1);
            length = 0;
            count = 0;
            others = null;
        }

        /** Puts the entries added into {@code rows}, replacing what it held. */
        void finish(PackedRows rows) {
            flush();
            java.util.List<Node> level = leaves;
            if (level.isEmpty()) {
                rows.root = Leaf.EMPTY;
                return;
            }
            while (level.size() > 1) {
                java.util.List<Node> up = new java.util.ArrayList<>();
                for (int i = 0; i < level.size(); i += FANOUT_MAX) {
                    int n = Math.min(FANOUT_MAX, level.size() - i);
                    Node[] children = level.subList(i, i + n).toArray(new Node[0]);
                    byte[][] firsts = new byte[n][];
                    for (int c = 1; c < n; c++) {
                        firsts[c] = firstKey(children[c]);
                    }
                    up.add(new Inner(firsts, children));
                }
                level = up;
            }
            rows.root = level.get(0);
        }
    }
}
