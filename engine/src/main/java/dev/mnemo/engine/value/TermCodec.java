package dev.mnemo.engine.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order-preserving byte codec of Mnemo values: for any two normalized values,
 * {@code Terms.compare(a, b)} has the sign of {@code Arrays.compareUnsigned(encode(a), encode(b))}, so Xodus's
 * unsigned-lexicographic key order is the term order and ordered_set range scans are cursor walks. Every encoding
 * is self-delimiting (no encoding is a proper prefix of another), so tuples and lists are concatenations.
 *
 * <p>Layout: one tag byte per value; numbers as class, base-10 exponent and base-100 mantissa (inverted when
 * negative) plus a type byte; strings as WTF-8 (lone surrogates kept) and binaries as bytes, with 0x00 escaped as
 * 0x00 0xFF and terminated by 0x00 0x01; dates and times as sign-flipped big-endian longs; tuples and maps with a
 * 4-byte size; lists terminated by 0x00.
 */
public final class TermCodec {
    static final int T_NULL = 0x10, T_BOOL = 0x14, T_NUMBER = 0x20, T_STRING = 0x30, T_BINARY = 0x34,
            T_DATE = 0x40, T_TIME = 0x41, T_DATETIME = 0x42, T_INSTANT = 0x43, T_TUPLE = 0x50, T_MAP = 0x60,
            T_LIST = 0x70;
    private static final int N_NEG_INF = 1, N_NEG = 2, N_ZERO = 3, N_POS = 4, N_POS_INF = 5, N_NAN = 6;

    private TermCodec() {
    }

    /** The encoding of one normalized value. */
    public static byte[] encode(Object v) {
        ByteWriter w = new ByteWriter(32);
        write(w, v);
        return w.toByteArray();
    }

    /**
     * {@code reserved} zero bytes (a header for the caller to fill in) followed by the encoding of {@code v}, in the
     * encoder's buffer as it is: a commit of hundreds of megabytes is written without two more copies of it.
     */
    public static RecordCodec.Encoded encodeAfter(int reserved, Object v) {
        ByteWriter w = new ByteWriter(32 + reserved);
        for (int i = 0; i < reserved; i++) {
            w.put(0);
        }
        write(w, v);
        return w.untrimmed();
    }

    /** Decodes a whole encoding produced by {@link #encode}. */
    public static Object decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes the value encoded in {@code bytes[offset, offset+length)}. */
    public static Object decode(byte[] bytes, int offset, int length) {
        ByteReader r = new ByteReader(bytes, offset, offset + length);
        Object v = read(r);
        if (r.pos != r.end) {
            throw new IllegalArgumentException("trailing bytes after encoded value at " + r.pos);
        }
        return v;
    }

    /** Appends the encoding of {@code v} to {@code w}. */
    static void write(ByteWriter w, Object v) {
        if (v == null) {
            w.put(T_NULL);
        } else if (v instanceof Long l) {
            writeLong(w, l);
        } else if (v instanceof String s) {
            w.put(T_STRING);
            writeString(w, s);
        } else if (v instanceof Tuple t) {
            w.put(T_TUPLE);
            w.putInt(t.size());
            for (int i = 0; i < t.size(); i++) {
                write(w, t.get(i));
            }
        } else if (v instanceof Boolean b) {
            w.put(T_BOOL);
            w.put(b ? 1 : 0);
        } else if (v instanceof Double d) {
            writeDouble(w, d);
        } else if (v instanceof BigDecimal bd) {
            w.put(T_NUMBER);
            writeFinite(w, bd, 2);
        } else if (v instanceof Binary b) {
            w.put(T_BINARY);
            writeEscaped(w, b.unsafeBytes(), b.length());
        } else if (v instanceof LocalDate d) {
            w.put(T_DATE);
            w.putOrderedLong(d.toEpochDay());
        } else if (v instanceof LocalTime t) {
            w.put(T_TIME);
            w.putOrderedLong(t.toNanoOfDay());
        } else if (v instanceof LocalDateTime dt) {
            w.put(T_DATETIME);
            w.putOrderedLong(dt.toLocalDate().toEpochDay());
            w.putOrderedLong(dt.toLocalTime().toNanoOfDay());
        } else if (v instanceof Instant in) {
            w.put(T_INSTANT);
            w.putOrderedLong(in.getEpochSecond());
            w.putInt(in.getNano());
        } else if (v instanceof Map<?, ?> m) {
            w.put(T_MAP);
            w.putInt(m.size());
            for (Object k : m.keySet()) {
                write(w, k);
            }
            for (Object x : m.values()) {
                write(w, x);
            }
        } else if (v instanceof List<?> l) {
            w.put(T_LIST);
            for (Object x : l) {
                write(w, x);
            }
            w.put(0);
        } else if (v == Terms.MIN_BOUND) {
            w.put(0x00);
        } else if (v == Terms.MAX_BOUND) {
            w.put(0xFF);
        } else {
            throw new IllegalArgumentException("not a Mnemo value: " + v.getClass().getName());
        }
    }

    private static void writeLong(ByteWriter w, long l) {
        w.put(T_NUMBER);
        if (l == 0) {
            w.put(N_ZERO);
            w.put(0);
            return;
        }
        if (l == Long.MIN_VALUE) {
            byte[] digits = digitsOf("9223372036854775808");
            writeMagnitude(w, true, digits.length, digits, 0, digits.length);
            w.put(0);
            return;
        }
        writeDigits(w, l < 0, Math.abs(l), 0, 0);
    }

    /**
     * Writes {@code magnitude} x 10^-scale (negative if {@code negative}; magnitude positive, below 10^19) as
     * writeMagnitude does, then the type byte, from the decimal digits of the magnitude computed without a String
     * (this runs for every number written).
     */
    private static void writeDigits(ByteWriter w, boolean negative, long magnitude, int scale, int type) {
        byte[] digits = new byte[19];
        int from = digits.length;
        for (long m = magnitude; m > 0; m /= 10) {
            digits[--from] = (byte) (m % 10);
        }
        int end = digits.length;
        while (digits[end - 1] == 0) {
            end--;
        }
        writeMagnitude(w, negative, digits.length - from - scale, digits, from, end);
        w.put(type);
    }

    private static byte[] digitsOf(String decimal) {
        byte[] d = new byte[decimal.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (decimal.charAt(i) - '0');
        }
        return d;
    }

    private static void writeDouble(ByteWriter w, double d) {
        if (Double.isNaN(d)) {
            w.put(T_NUMBER);
            w.put(N_NAN);
            w.put(1);
        } else if (Double.isInfinite(d)) {
            w.put(T_NUMBER);
            w.put(d > 0 ? N_POS_INF : N_NEG_INF);
            w.put(1);
        } else {
            w.put(T_NUMBER);
            if (!writeDyadic(w, d)) {
                writeFinite(w, new BigDecimal(d), 1);
            }
        }
    }

    /**
     * Writes a finite double exactly as {@code writeFinite(w, new BigDecimal(d), 1)} does, without a BigDecimal,
     * when its exact decimal value has at most 18 significant digits (integers below 2^62 and every value with few
     * binary fraction digits, such as 0.5 or 12.375: the doubles that most data holds); returns false, writing
     * nothing, for the others. A double is m x 2^e; for e < 0 that is m x 5^-e / 10^-e, whose digits are those of
     * the integer m x 5^-e.
     */
    private static boolean writeDyadic(ByteWriter w, double d) {
        long bits = Double.doubleToRawLongBits(d);
        int biased = (int) ((bits >>> 52) & 0x7FF);
        if (biased == 0 || d == 0) {
            return false; // zero and subnormals: the general path
        }
        long m = (bits & 0xFFFFFFFFFFFFFL) | 0x10000000000000L;
        int e = biased - 1075;
        int zeros = Long.numberOfTrailingZeros(m);
        m >>>= zeros;
        e += zeros;
        long magnitude;
        int scale;
        if (e >= 0) {
            if (e > Long.numberOfLeadingZeros(m) - 2) {
                return false; // m x 2^e would reach 2^62
            }
            magnitude = m << e;
            scale = 0;
        } else {
            scale = -e;
            if (scale >= POW5.length) {
                return false;
            }
            long p = POW5[scale];
            if (Math.multiplyHigh(m, p) != 0 || m * p < 0 || m * p >= 1_000_000_000_000_000_000L) {
                return false;
            }
            magnitude = m * p;
        }
        writeDigits(w, d < 0, magnitude, scale, 1);
        return true;
    }

    /** 5^0 .. 5^26, each below 2^63. */
    private static final long[] POW5 = new long[27];

    static {
        POW5[0] = 1;
        for (int i = 1; i < POW5.length; i++) {
            POW5[i] = POW5[i - 1] * 5;
        }
    }

    private static void writeFinite(ByteWriter w, BigDecimal bd, int type) {
        if (bd.signum() == 0) {
            w.put(N_ZERO);
            w.put(type);
            return;
        }
        long e = Terms.decimalExponent(bd);
        if (e > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("decimal out of range (base-10 exponent " + e + "); not normalized?");
        }
        BigDecimal s = bd.stripTrailingZeros();
        byte[] digits = digitsOf(s.unscaledValue().abs().toString());
        int exponent = (int) e;
        writeMagnitude(w, s.signum() < 0, exponent, digits, 0, digits.length);
        w.put(type);
    }

    /** Class byte, exponent (value = 0.digits x 10^exponent) and base-100 digit pairs, inverted if negative. */
    private static void writeMagnitude(ByteWriter w, boolean negative, int exponent, byte[] digits, int from,
                                       int end) {
        w.put(negative ? N_NEG : N_POS);
        int mask = negative ? 0xFF : 0;
        int e = exponent ^ 0x80000000;
        w.put(((e >>> 24) & 0xFF) ^ mask);
        w.put(((e >>> 16) & 0xFF) ^ mask);
        w.put(((e >>> 8) & 0xFF) ^ mask);
        w.put((e & 0xFF) ^ mask);
        for (int i = from; i < end; i += 2) {
            int hi = digits[i];
            int lo = i + 1 < end ? digits[i + 1] : 0;
            w.put((hi * 10 + lo + 1) ^ mask);
        }
        w.put(mask);
    }

    private static void writeString(ByteWriter w, String s) {
        int n = s.length();
        w.ensure(n + 2L + slack(n));
        for (int i = 0; i < n; ) {
            char c = s.charAt(i);
            if (c > 0 && c < 0x80) {
                w.put(c);
                i++;
                continue;
            }
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0) {
                w.put(0);
                w.put(0xFF);
            } else if (cp < 0x800) {
                w.put(0xC0 | (cp >> 6));
                w.put(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                w.put(0xE0 | (cp >> 12));
                w.put(0x80 | ((cp >> 6) & 0x3F));
                w.put(0x80 | (cp & 0x3F));
            } else {
                w.put(0xF0 | (cp >> 18));
                w.put(0x80 | ((cp >> 12) & 0x3F));
                w.put(0x80 | ((cp >> 6) & 0x3F));
                w.put(0x80 | (cp & 0x3F));
            }
        }
        w.put(0);
        w.put(1);
    }

    /** Room reserved past a long value for what follows it in a record, so that no small write regrows the buffer. */
    private static int slack(int length) {
        return length > (1 << 16) ? 4096 : 0;
    }

    private static void writeEscaped(ByteWriter w, byte[] b, int len) {
        if (len > 64) {
            int zeros = 0;
            for (int i = 0; i < len; i++) {
                if (b[i] == 0) {
                    zeros++;
                }
            }
            w.ensure((long) len + zeros + 2 + slack(len));
        }
        for (int i = 0; i < len; i++) {
            w.put(b[i] & 0xFF);
            if (b[i] == 0) {
                w.put(0xFF);
            }
        }
        w.put(0);
        w.put(1);
    }

    static Object read(ByteReader r) {
        int tag = r.get();
        switch (tag) {
            case T_NULL:
                return null;
            case T_BOOL:
                return r.get() != 0;
            case T_NUMBER:
                return readNumber(r);
            case T_STRING:
                return readString(r);
            case T_BINARY:
                return Binary.wrap(readEscaped(r));
            case T_DATE:
                return LocalDate.ofEpochDay(r.getOrderedLong());
            case T_TIME:
                return LocalTime.ofNanoOfDay(r.getOrderedLong());
            case T_DATETIME:
                return LocalDateTime.of(LocalDate.ofEpochDay(r.getOrderedLong()),
                        LocalTime.ofNanoOfDay(r.getOrderedLong()));
            case T_INSTANT:
                return Instant.ofEpochSecond(r.getOrderedLong(), r.getInt());
            case T_TUPLE: {
                int n = r.getInt();
                Object[] elems = new Object[n];
                for (int i = 0; i < n; i++) {
                    elems[i] = read(r);
                }
                return Tuple.wrapNormalized(elems);
            }
            case T_MAP: {
                int n = r.getInt();
                Object[] keys = new Object[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = read(r);
                }
                TreeMap<Object, Object> m = new TreeMap<>(Terms.ORDER);
                for (int i = 0; i < n; i++) {
                    m.put(keys[i], read(r));
                }
                return Collections.unmodifiableSortedMap(m);
            }
            case T_LIST: {
                List<Object> l = new ArrayList<>();
                while (r.peek() != 0) {
                    l.add(read(r));
                }
                r.get();
                return Collections.unmodifiableList(l);
            }
            default:
                throw new IllegalArgumentException("corrupt encoding: unknown tag 0x" + Integer.toHexString(tag)
                        + " at " + (r.pos - 1));
        }
    }

    private static Object readNumber(ByteReader r) {
        int cls = r.get();
        switch (cls) {
            case N_NEG_INF:
                r.get();
                return Double.NEGATIVE_INFINITY;
            case N_POS_INF:
                r.get();
                return Double.POSITIVE_INFINITY;
            case N_NAN:
                r.get();
                return Double.NaN;
            case N_ZERO: {
                int type = r.get();
                return type == 0 ? (Object) 0L : type == 1 ? (Object) 0.0 : BigDecimal.ZERO;
            }
            case N_NEG:
            case N_POS: {
                int mask = cls == N_NEG ? 0xFF : 0;
                int e = ((r.get() ^ mask) << 24) | ((r.get() ^ mask) << 16) | ((r.get() ^ mask) << 8)
                        | (r.get() ^ mask);
                int exponent = e ^ 0x80000000;
                Object fast = readSmallMagnitude(r, cls == N_NEG, mask, exponent);
                if (fast != null) {
                    return fast;
                }
                StringBuilder digits = new StringBuilder(20);
                int b;
                while ((b = r.get() ^ mask) != 0) {
                    int pair = b - 1;
                    digits.append((char) ('0' + pair / 10)).append((char) ('0' + pair % 10));
                }
                if (digits.charAt(digits.length() - 1) == '0') {
                    digits.setLength(digits.length() - 1);
                }
                int type = r.get();
                int scale = digits.length() - exponent; // a long of at most 18 digits was read above
                BigInteger unscaled = new BigInteger(digits.toString());
                BigDecimal bd = new BigDecimal(cls == N_NEG ? unscaled.negate() : unscaled, scale);
                return type == 0 ? (Object) bd.longValueExact() : type == 1 ? (Object) bd.doubleValue() : bd;
            }
            default:
                throw new IllegalArgumentException("corrupt number encoding: class " + cls);
        }
    }

    /**
     * The long or double of a magnitude whose digits fit a long (at most 18), read without a String or a BigDecimal
     * (this runs for every number read); null, with the reader where it was, for the rest. A double of at most 15
     * digits times a power of ten up to 22 is one correctly rounded multiplication or division of two exact doubles:
     * the double nearest the decimal, which is the double that was written (its exact decimal was written).
     */
    private static Object readSmallMagnitude(ByteReader r, boolean negative, int mask, int exponent) {
        int start = r.pos;
        long m = 0;
        int pairs = 0;
        int last = 0;
        int b;
        while ((b = r.get() ^ mask) != 0) {
            last = b - 1;
            if (++pairs > 9) {
                r.pos = start;
                return null;
            }
            m = m * 100 + last;
        }
        int n = 2 * pairs;
        if (last % 10 == 0) {
            m /= 10; // the last pair's second digit pads an odd number of digits
            n--;
        }
        int type = r.get();
        int scale = n - exponent; // the value is m x 10^-scale
        if (type == 0 && scale <= 0 && exponent <= 18) {
            long v = m;
            for (int i = 0; i < -scale; i++) {
                v *= 10;
            }
            return negative ? -v : v;
        }
        if (type == 1 && n <= 15 && scale >= -22 && scale <= 22) {
            double d = scale <= 0 ? m * POW10[-scale] : m / POW10[scale];
            return negative ? -d : d;
        }
        r.pos = start;
        return null;
    }

    /** 1e0 .. 1e22, each exactly a double. */
    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private static String readString(ByteReader r) {
        // ASCII up to the terminator, as most strings are: one copy, no per-character work
        byte[] buf = r.buf;
        int i = r.pos;
        while (i < r.end && buf[i] > 0) {
            i++;
        }
        if (i + 1 < r.end && buf[i] == 0 && buf[i + 1] == 1) {
            String s = new String(buf, r.pos, i - r.pos, java.nio.charset.StandardCharsets.ISO_8859_1);
            r.pos = i + 2;
            return s;
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = r.get();
            if (b == 0) {
                int next = r.get();
                if (next == 1) {
                    return sb.toString();
                }
                sb.append('\0');
            } else if (b < 0x80) {
                sb.append((char) b);
            } else if (b < 0xE0) {
                sb.append((char) (((b & 0x1F) << 6) | (r.get() & 0x3F)));
            } else if (b < 0xF0) {
                sb.append((char) (((b & 0x0F) << 12) | ((r.get() & 0x3F) << 6) | (r.get() & 0x3F)));
            } else {
                int cp = ((b & 0x07) << 18) | ((r.get() & 0x3F) << 12) | ((r.get() & 0x3F) << 6) | (r.get() & 0x3F);
                sb.appendCodePoint(cp);
            }
        }
    }

    /**
     * An escaped binary up to its terminator, sized exactly and copied run by run: a binary of hundreds of megabytes
     * is read with one allocation of its length.
     */
    private static byte[] readEscaped(ByteReader r) {
        byte[] buf = r.buf;
        int start = r.pos;
        int i = start;
        int escapes = 0;
        while (true) {
            if (i + 1 >= r.end) {
                throw new IllegalArgumentException("corrupt encoding: truncated at " + r.end);
            }
            if (buf[i] != 0) {
                i++;
            } else if (buf[i + 1] == 1) {
                break;
            } else {
                escapes++;
                i += 2;
            }
        }
        byte[] out = new byte[i - start - escapes];
        int o = 0;
        for (int p = start; p < i; ) {
            int q = p;
            while (q < i && buf[q] != 0) {
                q++;
            }
            System.arraycopy(buf, p, out, o, q - p);
            o += q - p;
            if (q < i) {
                out[o++] = 0;
                q += 2;
            }
            p = q;
        }
        r.pos = i + 2;
        return out;
    }

    /** The largest array the JVM allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** A growable byte buffer. */
    static final class ByteWriter {
        private byte[] buf;
        private int len;

        ByteWriter(int capacity) {
            buf = new byte[capacity];
        }

        void put(int b) {
            if (len == buf.length) {
                ensure(1);
            }
            buf[len++] = (byte) b;
        }

        /**
         * Room for {@code n} more bytes: a value of known length is written into one allocation rather than a
         * doubling series (whose last step alone would hold twice a 256 MiB value).
         */
        void ensure(long n) {
            long need = len + n;
            if (need <= buf.length) {
                return;
            }
            if (need > MAX_ARRAY) {
                throw new IllegalArgumentException("a value's encoding would be over " + MAX_ARRAY + " bytes");
            }
            long grown = Math.max(need, Math.min(MAX_ARRAY, buf.length + (buf.length >> 1) + 16L));
            buf = Arrays.copyOf(buf, (int) grown);
        }

        void putInt(int v) {
            put(v >>> 24);
            put(v >>> 16);
            put(v >>> 8);
            put(v);
        }

        void putOrderedLong(long v) {
            putLong(v ^ Long.MIN_VALUE);
        }

        /** Eight bytes, big-endian. */
        void putLong(long v) {
            for (int s = 56; s >= 0; s -= 8) {
                put((int) (v >>> s));
            }
        }

        byte[] toByteArray() {
            return len == buf.length ? buf : Arrays.copyOf(buf, len);
        }

        RecordCodec.Encoded untrimmed() {
            return new RecordCodec.Encoded(buf, len);
        }
    }

    /** A cursor over an encoded byte range. */
    static final class ByteReader {
        private final byte[] buf;
        private int pos;
        private final int end;

        ByteReader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        int get() {
            if (pos >= end) {
                throw new IllegalArgumentException("corrupt encoding: truncated at " + pos);
            }
            return buf[pos++] & 0xFF;
        }

        int peek() {
            if (pos >= end) {
                throw new IllegalArgumentException("corrupt encoding: truncated at " + pos);
            }
            return buf[pos] & 0xFF;
        }

        int getInt() {
            return (get() << 24) | (get() << 16) | (get() << 8) | get();
        }

        int remaining() {
            return end - pos;
        }

        long getOrderedLong() {
            return getLong() ^ Long.MIN_VALUE;
        }

        /** Eight bytes, big-endian. */
        long getLong() {
            long x = 0;
            for (int i = 0; i < 8; i++) {
                x = (x << 8) | get();
            }
            return x;
        }
    }
}
