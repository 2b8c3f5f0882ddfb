package dev.mnemo.engine;

/** Mnesia's table types: how many records a key may hold. */
public enum TableType {
    /** One record per key. */
    SET,
    /** One record per key; keys iterate in term order. */
    ORDERED_SET,
    /** Many records per key; identical records are stored once. Records of a key are kept in term order. */
    BAG,
    /** Many records per key; identical records are all kept, in insertion order. */
    DUPLICATE_BAG;

    /** Mnesia's name: {@code set}, {@code ordered_set}, {@code bag}, {@code duplicate_bag}. */
    public String mnesiaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a key holds at most one record (set, ordered_set). */
    public boolean isUnique() {
        return !isBag();
    }

    boolean isBag() {
        return this == BAG || this == DUPLICATE_BAG;
    }

    static TableType parse(String s) {
        for (TableType t : values()) {
            if (t.mnesiaName().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown table type " + s + "; expected set, ordered_set, bag or duplicate_bag");
    }
}
