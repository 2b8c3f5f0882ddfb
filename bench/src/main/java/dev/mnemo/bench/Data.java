package dev.mnemo.bench;

/** The rows every system is loaded with, as in {@code mnesia_bench.erl}. */
final class Data {
    private Data() {
    }

    static String name(long id) {
        return "name" + id;
    }

    static String email(long id) {
        return "user" + id + "@example.com";
    }

    static int age(long id) {
        return (int) (id % 90);
    }

    /** orders(id, user_id, product_id, qty): user {@code id % usersWithOrders}, so each such user has 10. */
    static long orderUser(long id, int usersWithOrders) {
        return id % usersWithOrders;
    }

    static long orderProduct(long id, int products) {
        return (id * 7) % products;
    }

    static int orderQty(long id) {
        return (int) (id % 10) + 1;
    }

    static String productName(long id) {
        return "product" + id;
    }

    static int productPrice(long id) {
        return (int) (id % 500) + 1;
    }

    /** events(id, grp, val): {@code groups} groups. */
    static int eventGroup(long id, int groups) {
        return (int) (id % groups);
    }

    static int eventValue(long id) {
        return (int) ((id * 31) % 1000);
    }

    /**
     * Inserts {@code rows} rows {@code (i, i % 1000, "row " + i, i * 0.5)} through {@code insert} (a prepared
     * {@code INSERT ... VALUES (?, ?, ?, ?)}) in batches of 1,000: the bulk loads of the pool and scale workloads.
     */
    static void insertBulkRows(java.sql.PreparedStatement insert, int rows) throws java.sql.SQLException {
        for (int i = 0; i < rows; i++) {
            insert.setLong(1, i);
            insert.setLong(2, i % 1000);
            insert.setString(3, "row " + i);
            insert.setDouble(4, i * 0.5);
            insert.addBatch();
            if (i % 1000 == 999) {
                insert.executeBatch();
            }
        }
        insert.executeBatch();
    }
}
