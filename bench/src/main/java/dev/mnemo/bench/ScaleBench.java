package dev.mnemo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Data larger than memory: the table {@code t (id BIGINT PRIMARY KEY, k BIGINT, s VARCHAR(40), d DOUBLE)} at
 * several sizes on Mnemo disc_only_copies, H2 file and Mnemo disc_copies, each size and system in two fresh JVMs:
 * one loads the rows through prepared batches of 1,000 in autocommit mode, the other reopens the database and
 * measures the first query, the heap the open database holds per row (its caches included), prepared primary-key
 * lookups (50,000 random keys after 50,000 more as a warm-up), 1,000-row key ranges (500 after 200), a full {@code COUNT(*)} and a {@code GROUP BY} over every row. Per-row
 * figures, so that growth with size is visible.
 *
 * <p>Usage: {@code java -jar mnemo-bench.jar scale [rows,rows,...]} (default 100000,1000000,10000000). System
 * properties: {@code bench.systems} (default mnemo-disc_only,h2-file,mnemo-disc_copies); {@code bench.scale.xmx},
 * the heap of the measuring JVMs (default 256m); disc_copies holds every row on the heap, so it runs up to
 * {@code bench.scale.discCopiesMax} rows (default 5,000,000) with {@code bench.scale.discCopiesXmx} (default 4g).
 */
final class ScaleBench {
    private static final String[] FIGURES = {"load_us", "disk_bytes", "first_query_ms", "heap_bytes", "pk_us",
        "range_ms", "count_ms", "groupby_ms"};

    private ScaleBench() {
    }

    static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]));
            return;
        }
        String sizes = args.length > 0 ? args[0] : "100000,1000000,10000000";
        String systems = System.getProperty("bench.systems", "mnemo-disc_only,h2-file,mnemo-disc_copies");
        long discCopiesMax = Long.getLong("bench.scale.discCopiesMax", 5_000_000);
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        try {
            for (String size : sizes.split(",")) {
                int n = Integer.parseInt(size.trim());
                for (String system : systems.split(",")) {
                    if (system.equals("mnemo-disc_copies") && n > discCopiesMax) {
                        continue;
                    }
                    Path dir = TempDirs.dir(system + "-" + n);
                    Map<String, Double> r = new LinkedHashMap<>(run(system, "load", dir, n));
                    r.put("disk_bytes", (double) bytesIn(dir) / n);
                    r.putAll(run(system, "query", dir, n));
                    results.put(n + " " + system, r);
                    System.out.println(n + " " + system + ": " + r);
                    TempDirs.delete(dir);
                }
            }
        } finally {
            TempDirs.deleteAll();
        }
        System.out.println();
        System.out.println(table(results));
    }

    /** Runs one phase in a fresh JVM and returns the figures it printed ({@code name value} lines). */
    private static Map<String, Double> run(String system, String phase, Path dir, int n)
            throws IOException, InterruptedException {
        String xmx = system.equals("mnemo-disc_copies") ? System.getProperty("bench.scale.discCopiesXmx", "4g")
                : System.getProperty("bench.scale.xmx", "256m");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx" + xmx, "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                BenchMain.class.getName(), "scale", "child", phase, system, dir.toString(),
                String.valueOf(n)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(phase + " of " + n + " rows on " + system + " failed:\n" + out);
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && List.of(FIGURES).contains(parts[0])) {
                figures.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return figures;
    }

    private static String url(String system, Path dir) {
        return system.equals("h2-file") ? "jdbc:h2:file:" + dir.resolve("db") : "jdbc:mnemo:" + dir.resolve("db");
    }

    /** A phase, in its own JVM: prints its figures as {@code name value} lines. */
    private static void child(String phase, String system, Path dir, int n) throws Exception {
        if (phase.startsWith("load")) {
            load(system, dir, n);
        } else {
            query(system, dir, n);
        }
    }

    private static void load(String system, Path dir, int n) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(system, dir)); Statement s = c.createStatement()) {
            String storage = system.equals("mnemo-disc_only") ? "disc_only_copies" : "disc_copies";
            s.execute("create table t (id bigint primary key, k bigint, s varchar(40), d double)"
                    + (system.startsWith("mnemo-") ? " with (type = ordered_set, storage = " + storage + ")" : ""));
            long t0 = System.nanoTime();
            try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?, ?)")) {
                Data.insertBulkRows(p, n);
            }
            System.out.println("load_us " + (System.nanoTime() - t0) / 1e3 / n);
        }
    }

    private static void query(String system, Path dir, int n) throws SQLException {
        long baseline = usedHeap();
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url(system, dir));
             PreparedStatement pk = c.prepareStatement("select * from t where id = ?");
             PreparedStatement range = c.prepareStatement("select * from t where id >= ? and id < ?");
             Statement s = c.createStatement()) {
            Random rnd = new Random(42);
            pk.setLong(1, n / 2);
            try (ResultSet rs = pk.executeQuery()) {
                check(rs.next() && rs.getLong(1) == n / 2, "row " + n / 2);
            }
            System.out.println("first_query_ms " + (System.nanoTime() - t0) / 1e6);
            System.out.println("heap_bytes " + (double) Math.max(0, usedHeap() - baseline) / n);
            for (int round = 0; round < 2; round++) {
                int lookups = 50_000; // a first round warms the JIT and the caches: at 10M rows 20,000 did not
                long start = System.nanoTime();
                for (int i = 0; i < lookups; i++) {
                    pk.setLong(1, rnd.nextInt(n));
                    try (ResultSet rs = pk.executeQuery()) {
                        check(rs.next(), "a key");
                    }
                }
                if (round == 1) {
                    System.out.println("pk_us " + (System.nanoTime() - start) / 1e3 / lookups);
                }
            }
            int width = Math.min(1000, n);
            for (int round = 0; round < 2; round++) {
                int ranges = round == 0 ? 200 : 500;
                long start = System.nanoTime();
                for (int i = 0; i < ranges; i++) {
                    long lo = rnd.nextInt(n - width + 1);
                    range.setLong(1, lo);
                    range.setLong(2, lo + width);
                    int rows = 0;
                    try (ResultSet rs = range.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(3);
                            rows++;
                        }
                    }
                    check(rows == width, width + " rows");
                }
                if (round == 1) {
                    System.out.println("range_ms " + (System.nanoTime() - start) / 1e6 / ranges);
                }
            }
            long start = System.nanoTime();
            try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                check(rs.next() && rs.getLong(1) == n, n + " rows counted");
            }
            System.out.println("count_ms " + (System.nanoTime() - start) / 1e6);
            start = System.nanoTime();
            int groups = 0;
            try (ResultSet rs = s.executeQuery("select k, count(*), sum(d) from t group by k")) {
                while (rs.next()) {
                    groups++;
                }
            }
            check(groups == Math.min(n, 1000), "1,000 groups");
            System.out.println("groupby_ms " + (System.nanoTime() - start) / 1e6);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("wrong result: expected " + what);
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long bytesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String table(Map<String, Map<String, Double>> results) {
        StringBuilder t = new StringBuilder("| rows | system | load µs/row | disk B/row | first query after reopen ms "
                + "| heap B/row after reopen | PK lookup µs | 1,000-row range ms | COUNT(*) ms | GROUP BY ms "
                + "| load ÷ H2 | disk ÷ H2 | PK ÷ H2 | range ÷ H2 |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<String> keys = new ArrayList<>(results.keySet());
        for (String key : keys) {
            String rows = key.substring(0, key.indexOf(' '));
            Map<String, Double> r = results.get(key);
            Map<String, Double> h2 = results.get(rows + " h2-file");
            t.append(String.format(Locale.ROOT, "| %,d | %s | %.2f | %.0f | %.0f | %.0f | %.1f | %.2f | %.0f | %.0f "
                            + "| %s | %s | %s | %s |%n", Long.parseLong(rows), key.substring(key.indexOf(' ') + 1),
                    r.get("load_us"), r.get("disk_bytes"), r.get("first_query_ms"), r.get("heap_bytes"),
                    r.get("pk_us"), r.get("range_ms"), r.get("count_ms"), r.get("groupby_ms"),
                    ratio(r, h2, "load_us"), ratio(r, h2, "disk_bytes"), ratio(r, h2, "pk_us"),
                    ratio(r, h2, "range_ms")));
        }
        return t.toString();
    }

    private static String ratio(Map<String, Double> r, Map<String, Double> h2, String figure) {
        return h2 == null || r == h2 ? "" : String.format(Locale.ROOT, "%.2f×", r.get(figure) / h2.get(figure));
    }
}
