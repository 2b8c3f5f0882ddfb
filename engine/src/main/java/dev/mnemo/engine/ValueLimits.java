package dev.mnemo.engine;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.Collection;
import java.util.Map;

/**
 * The size limits of {@link Mnemo#MAX_VALUE_LENGTH} and the others there, checked on every write before anything is
 * changed. Sizes are counted without encoding (a string's characters, a binary's bytes, a number's digits, 16 for any
 * other value);
 * only a key, indexed value or bag record that might be over its byte limit is encoded to measure it exactly.
 */
final class ValueLimits {
    /**
     * A record longer than this (stored bytes, or {@link #weight} units) is kept as it is: as tuples on a compact
     * heap store (its bytes would be one more copy, decoded whole by every read) and not in the disc_only row cache
     * (which counts rows, not bytes).
     */
    static final int LONG_RECORD = 64 << 10;

    /** A value counted as this much is encoded into at most three bytes per unit. */
    static final int MAX_BYTES_PER_UNIT = 3;

    private ValueLimits() {
    }

    static void check(TableDef d, Tuple record) {
        long total = 0;
        for (int i = 1; i < record.size(); i++) {
            Object v = record.get(i);
            long length = v instanceof String s ? s.length() : v instanceof Binary b ? b.length() : -1;
            if (length > Mnemo.MAX_VALUE_LENGTH) {
                throw new ValueTooLargeException("table " + d.name() + ": attribute '" + d.attributes().get(i - 1)
                        + "' holds a " + (v instanceof String ? "string of " + length + " characters" : "binary of "
                        + length + " bytes") + ", over the limit of " + Mnemo.MAX_VALUE_LENGTH + " ("
                        + (Mnemo.MAX_VALUE_LENGTH >> 20) + " MiB)");
            }
            total += length >= 0 ? length : weight(v);
        }
        if (total > Mnemo.MAX_RECORD_LENGTH) {
            throw new ValueTooLargeException("table " + d.name() + ": the record's strings and binaries hold " + total
                    + " characters and bytes, over the limit of " + Mnemo.MAX_RECORD_LENGTH + " per record ("
                    + (Mnemo.MAX_RECORD_LENGTH >> 20) + " MiB)");
        }
        if (d.storage() == StorageType.RAM_COPIES) {
            return;
        }
        checkDiscKey(d, d.keyAttribute(), record.get(1), "key");
        if (d.storage() == StorageType.DISC_ONLY_COPIES) {
            for (String a : d.indexes()) {
                checkDiscKey(d, a, record.get(d.attributeIndex(a) + 1), "indexed value");
            }
        }
        if (d.type().isBag() && total * MAX_BYTES_PER_UNIT + 64 > Mnemo.MAX_DISC_BAG_RECORD_BYTES) {
            int bytes = TermCodec.encode(record).length;
            if (bytes > Mnemo.MAX_DISC_BAG_RECORD_BYTES) {
                throw new ValueTooLargeException("table " + d.name() + ": a " + d.type().name().toLowerCase(
                        java.util.Locale.ROOT) + " record on disc is at most " + Mnemo.MAX_DISC_BAG_RECORD_BYTES
                        + " bytes encoded (" + (Mnemo.MAX_DISC_BAG_RECORD_BYTES >> 20) + " MiB; bag records are not "
                        + "chunked), this one is " + bytes + "; use a set or ordered_set for larger records");
            }
        }
    }

    private static void checkDiscKey(TableDef d, String attribute, Object v, String what) {
        if (weight(v) * MAX_BYTES_PER_UNIT <= Mnemo.MAX_DISC_KEY_BYTES) {
            return;
        }
        int bytes = TermCodec.encode(v).length;
        if (bytes > Mnemo.MAX_DISC_KEY_BYTES) {
            throw new ValueTooLargeException("table " + d.name() + ": the " + what + " of attribute '" + attribute
                    + "' is " + bytes + " bytes encoded, over the limit of " + Mnemo.MAX_DISC_KEY_BYTES + " ("
                    + (Mnemo.MAX_DISC_KEY_BYTES >> 10) + " KiB) for keys" + (what.equals("key") ? "" : " and indexed "
                    + "values") + " of " + d.storage().mnesiaName() + " tables: " + abbreviated(v));
        }
    }

    private static String abbreviated(Object v) {
        String s = Terms.format(v instanceof String str && str.length() > 64 ? str.substring(0, 64) : v);
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /** Characters of strings, bytes of binaries, a number's digits, 16 for any other value, through tuples, lists, maps. */
    static long weight(Object v) {
        if (v instanceof String s) {
            return s.length();
        }
        if (v instanceof Binary b) {
            return b.length();
        }
        if (v instanceof Tuple t) {
            long w = 16;
            for (int i = 0; i < t.size(); i++) {
                w += weight(t.get(i));
            }
            return w;
        }
        if (v instanceof Collection<?> c) {
            long w = 16;
            for (Object e : c) {
                w += weight(e);
            }
            return w;
        }
        if (v instanceof java.math.BigDecimal d) {
            return 16 + d.precision() / 2; // two digits a byte
        }
        if (v instanceof java.math.BigInteger i) {
            return 16 + i.bitLength() / 6;
        }
        if (v instanceof Map<?, ?> m) {
            long w = 16;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                w += weight(e.getKey()) + weight(e.getValue());
            }
            return w;
        }
        return 16;
    }
}
