package dev.mnemo.bench;

/**
 * Sizes of the data sets and the JMH iteration settings of one run mode. {@code full} uses the sizes
 * (100k users and orders, 1k products, 1M events); {@code short} loads smaller tables (20k users and orders, 50k
 * events: loading the full sizes into six systems alone takes about a minute on a busy 2-core machine) and
 * measures for much less time. The mode travels in the system property {@code bench.mode} so that the fixtures,
 * which JMH creates, see the one {@link BenchMain} was started with.
 */
record BenchConfig(String mode, int users, int orders, int products, int events, int groups,
                   int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis) {

    static final String MODE_PROPERTY = "bench.mode";

    /** Orders per user: users {@code 0 .. orders / ORDERS_PER_USER - 1} have exactly this many orders each. */
    static final int ORDERS_PER_USER = 10;

    /** Rows read by the key-range scan and rows written by one insert transaction. */
    static final int RANGE_ROWS = 1_000;
    static final int INSERT_ROWS = 1_000;

    static BenchConfig of(String mode) {
        return switch (mode) {
            case "full" -> new BenchConfig("full", 100_000, 100_000, 1_000, 1_000_000, 100, 3, 1_000, 4, 1_000);
            case "short" -> new BenchConfig("short", 20_000, 20_000, 1_000, 50_000, 100, 1, 250, 2, 250);
            default -> throw new IllegalArgumentException("mode must be full or short, not " + mode);
        };
    }

    static BenchConfig current() {
        return of(System.getProperty(MODE_PROPERTY, "full"));
    }

    /** Users that have orders; a random one of them has {@link #ORDERS_PER_USER} orders. */
    int usersWithOrders() {
        return orders / ORDERS_PER_USER;
    }
}
