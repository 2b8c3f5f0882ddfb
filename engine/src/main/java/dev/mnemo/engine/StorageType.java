package dev.mnemo.engine;

/** Mnesia's storage types. */
public enum StorageType {
    /** On the heap only; the rows are lost when the database closes (the definition is kept). */
    RAM_COPIES,
    /** In Xodus and fully on the heap: reads at heap speed, commits durable. */
    DISC_COPIES,
    /** In Xodus only, with a bounded cache of decoded rows: tables larger than the heap. */
    DISC_ONLY_COPIES;

    /** Mnesia's name: {@code ram_copies}, {@code disc_copies}, {@code disc_only_copies}. */
    public String mnesiaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean onDisc() {
        return this != RAM_COPIES;
    }

    static StorageType parse(String s) {
        for (StorageType t : values()) {
            if (t.mnesiaName().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown storage type " + s);
    }
}
