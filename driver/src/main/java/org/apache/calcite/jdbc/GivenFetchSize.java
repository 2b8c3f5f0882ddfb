package org.apache.calcite.jdbc;

/**
 * A statement that knows whether its fetch size was set: Avatica starts every statement at a fetch size of 100,
 * which is not a request of the application's, so a streamed scan keeps its own chunk size unless the application
 * set one.
 */
interface GivenFetchSize {
    /** The fetch size the application set, or 0 if it set none. */
    int givenFetchSize();

    /** {@code rows}, if it is a fetch size (0, none, or more); else SQLState HY024. */
    static int check(int rows) throws java.sql.SQLException {
        if (rows < 0) {
            throw new java.sql.SQLException("the fetch size must be 0 (none) or more, got " + rows, "HY024");
        }
        return rows;
    }
}
