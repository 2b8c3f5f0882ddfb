package dev.mnemo.engine;

/**
 * How far the load of a disc_copies table into the heap has got (see {@link Mnemo#waitForTables}).
 *
 * @param table          the table
 * @param loadedRecords  records on the heap so far
 * @param storedRecords  records stored in Xodus, which the load reads (for other tables, the loaded records)
 * @param done           whether the table has loaded
 */
public record LoadProgress(String table, long loadedRecords, long storedRecords, boolean done) {
    /** "{@code 1,200,000 of 5,000,000 records loaded}", or "{@code loaded}" when done. */
    public String describe() {
        return done ? "loaded" : String.format(java.util.Locale.ROOT, "%,d of %,d records loaded", loadedRecords,
                storedRecords);
    }
}
