package dev.mnemo.engine;

/**
 * How far a schema change that rewrites a table has got: {@code transform_table}, {@code change_table_copy_type},
 * {@code alter_table} (which move every record into new stores) and {@code add_table_index} on a disc_only_copies
 * table (which builds its index on disc). Reported to {@link Mnemo#onSchemaProgress} after each batch of records
 * and once when done, and logged at most every two seconds.
 *
 * @param table      the table
 * @param operation  Mnesia's name of the change, e.g. {@code transform_table}
 * @param records    records rewritten or indexed so far
 * @param total      records the table held when the change began
 * @param done       whether the change has finished (its result is in use)
 */
public record SchemaProgress(String table, String operation, long records, long total, boolean done) {
    /** "{@code transform_table of t: 1,200,000 of 5,000,000 records}", with "done" when done. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s of %s: %,d of %,d records%s", operation, table, records,
                total, done ? ", done" : "");
    }
}
