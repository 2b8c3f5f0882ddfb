package dev.mnemo.engine.value;

/**
 * The compact encoding of a stored record: the value of a set or ordered_set row in Xodus, where the row's key is
 * the Xodus key. Not order-preserving, so it never serves keys, or a bag's records (Xodus sorts those by their
 * bytes). Against {@link TermCodec} it leaves out the key (the record's element 1, which the Xodus key holds) and
 * the record name when it is the table's, and writes longs as zigzag varints and doubles as their 8 bytes; other
 * values are written as {@link TermCodec} writes them. A row {@code ("t", 1234567, 567, "row 1234567", 617283.5)}
 * takes 27 bytes instead of 57.
 *
 * <p>Layout: {@link #WITHOUT_NAME} (name and key left out) or {@link #WITH_NAME} (key left out), a varint count of
 * the elements written, then each element: {@code 0x03} and a zigzag varint (a long), {@code 0x04} and 8 big-endian
 * bytes (a double), or a {@link TermCodec} encoding (whose tags are 0x10 and above). No {@link TermCodec} encoding
 * starts with either first byte, so a store may hold records of both encodings ({@link #isCompact}), as stores
 * written before this encoding do.
 */
public final class RecordCodec {
    /** The first byte of a compact record without its record name (the table's) and key. */
    public static final int WITHOUT_NAME = 0x01;
    /** The first byte of a compact record without its key. */
    public static final int WITH_NAME = 0x02;
    private static final int C_LONG = 0x03;
    private static final int C_DOUBLE = 0x04;

    private RecordCodec() {
    }

    /** Whether {@code bytes[offset, offset+length)} is a compact record (else a {@link TermCodec} encoding). */
    public static boolean isCompact(byte[] bytes, int offset, int length) {
        return length > 0 && (bytes[offset] == WITHOUT_NAME || bytes[offset] == WITH_NAME);
    }

    /**
     * The compact encoding of {@code record} stored under {@code key} in a table whose record name is {@code name},
     * or null if its element 1 is not {@code key} (then it has no compact form there).
     */
    public static byte[] encodeFor(Tuple record, Object key, Object name) {
        return hasCompactForm(record, key) ? encode(record, name) : null;
    }

    /** As {@link #encodeFor}, in the encoder's buffer as it is (see {@link #encodeUntrimmed}); null likewise. */
    public static Encoded encodeForUntrimmed(Tuple record, Object key, Object name) {
        return hasCompactForm(record, key) ? encodeUntrimmed(record, name) : null;
    }

    private static boolean hasCompactForm(Tuple record, Object key) {
        return record.size() >= 2 && key.equals(record.get(1));
    }

    /**
     * The compact encoding of {@code record} (normalized, with a key at element 1), leaving out its record name if
     * it is {@code name} (the table's).
     */
    public static byte[] encode(Tuple record, Object name) {
        Encoded e = encodeUntrimmed(record, name);
        return e.length() == e.bytes().length ? e.bytes() : java.util.Arrays.copyOf(e.bytes(), e.length());
    }

    /** An encoding in the first {@code length} bytes of {@code bytes}. */
    public record Encoded(byte[] bytes, int length) {
    }

    /**
     * As {@link #encode}, in the encoder's buffer as it is: a record of hundreds of megabytes is not copied once more
     * to its exact length.
     */
    public static Encoded encodeUntrimmed(Tuple record, Object name) {
        if (record.size() < 2) {
            throw new IllegalArgumentException("a stored record has a key at element 1: " + record);
        }
        boolean withoutName = record.get(0) != null && record.get(0).equals(name);
        TermCodec.ByteWriter w = new TermCodec.ByteWriter(16 + 8 * record.size());
        w.put(withoutName ? WITHOUT_NAME : WITH_NAME);
        putVarint(w, record.size() - (withoutName ? 2 : 1));
        for (int i = withoutName ? 2 : 0; i < record.size(); i++) {
            if (i == 1) {
                continue;
            }
            Object v = record.get(i);
            if (v instanceof Long l) {
                w.put(C_LONG);
                putVarint(w, (l << 1) ^ (l >> 63));
            } else if (v instanceof Double d) {
                w.put(C_DOUBLE);
                w.putLong(Double.doubleToLongBits(d));
            } else {
                TermCodec.write(w, v);
            }
        }
        return w.untrimmed();
    }

    /**
     * The record encoded compactly in {@code bytes[offset, offset+length)}, whose key is {@code key}, of a table
     * whose record name is {@code name}.
     */
    public static Tuple decode(byte[] bytes, int offset, int length, Object key, Object name) {
        TermCodec.ByteReader r = new TermCodec.ByteReader(bytes, offset, offset + length);
        int format = r.get();
        if (format != WITHOUT_NAME && format != WITH_NAME) {
            throw new IllegalArgumentException("not a compact record: first byte 0x" + Integer.toHexString(format));
        }
        int left = format == WITHOUT_NAME ? 2 : 1;
        long n = getVarint(r);
        if (n < 2 - left || n > length) {
            throw new IllegalArgumentException("corrupt compact record: " + n + " elements in " + length + " bytes");
        }
        Object[] elems = new Object[(int) n + left];
        elems[1] = key;
        int from = 0;
        if (format == WITHOUT_NAME) {
            elems[0] = name;
            from = 2;
        }
        for (int i = from; i < elems.length; i++) {
            if (i == 1) {
                continue;
            }
            int tag = r.peek();
            if (tag == C_LONG) {
                r.get();
                long z = getVarint(r);
                elems[i] = (z >>> 1) ^ -(z & 1);
            } else if (tag == C_DOUBLE) {
                r.get();
                elems[i] = Double.longBitsToDouble(r.getLong());
            } else {
                elems[i] = TermCodec.read(r);
            }
        }
        if (r.remaining() != 0) {
            throw new IllegalArgumentException("corrupt compact record: " + r.remaining() + " trailing bytes");
        }
        return Tuple.wrapNormalized(elems);
    }

    private static void putVarint(TermCodec.ByteWriter w, long v) {
        while ((v & ~0x7FL) != 0) {
            w.put((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        w.put((int) v);
    }

    private static long getVarint(TermCodec.ByteReader r) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = r.get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("corrupt compact record: a varint longer than 10 bytes");
    }
}
