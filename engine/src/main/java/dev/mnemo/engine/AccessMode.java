package dev.mnemo.engine;

/** Whether a table accepts writes. */
public enum AccessMode {
    READ_WRITE, READ_ONLY;

    /** Mnesia's name: {@code read_write} or {@code read_only}. */
    public String mnesiaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
