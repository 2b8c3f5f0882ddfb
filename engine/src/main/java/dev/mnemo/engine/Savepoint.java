package dev.mnemo.engine;

/**
 * A point inside an explicit {@link Transaction}, made by {@link Transaction#setSavepoint(String)}: rolling back to
 * it undoes the writes made since (the locks taken since are kept, as in SQL), and it stays usable; releasing it,
 * or rolling back to an earlier one, ends it and every savepoint made after it.
 */
public interface Savepoint {
    /** The name given when it was made (null if none). */
    String name();

    /** A number, unique in its transaction, in the order savepoints were made. */
    int id();
}
