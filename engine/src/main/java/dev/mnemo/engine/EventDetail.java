package dev.mnemo.engine;

/**
 * How much a table subscription is told (Mnesia's {@code {table, Tab, simple}} and {@code {table, Tab, detailed}}).
 */
public enum EventDetail {
    /** Each written or deleted record, and the id of the transaction that did it. */
    SIMPLE,
    /** As {@link #SIMPLE}, and the key's records as they were before the commit. */
    DETAILED
}
