package dev.mnemo.engine;

/** What a restore ({@link Mnemo#restore}) does with a table that is in the backup (Mnesia's restore options). */
public enum RestoreMode {
    /**
     * The table's records are replaced by the backup's, at once (Mnesia's {@code clear_tables}, its default); a
     * table that does not exist is created with the backup's definition. The table must have the backup's
     * attributes, types and table type.
     */
    CLEAR_TABLES,
    /**
     * The backup's records are written on top of the table's (Mnesia's {@code keep_tables}): in a set, a key in both
     * gets the backup's record; in a bag, the backup's records are added. Written in transactions of 1,000 records,
     * so a failure part-way keeps the ones written so far.
     */
    KEEP_TABLES,
    /**
     * The table takes the backup's definition and records (Mnesia's {@code recreate_tables}), in one step as
     * {@link #CLEAR_TABLES} does: the new contents are built beside the old, so a failure leaves the table as it was.
     */
    RECREATE_TABLES
}
