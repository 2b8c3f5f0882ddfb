package dev.mnemo.bench;

import dev.mnemo.jdbc.tpch.Tpch;
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
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TPC-H workload: dbgen's data at a scale factor (default 0.1, about 870,000 rows) loaded through JDBC batches
 * into Mnemo in memory, Mnemo on disc, H2 in memory and DuckDB in memory, one system at a time in this JVM; then
 * the 22 standard queries, each prepared (parse, plan, compile) and executed, timed apart, over several rounds. The
 * first round is reported as cold, the best of the others as warm. A query a peer has not answered within the
 * timeout (H2's q19 at SF 0.1 runs for many minutes) is cancelled there and reported as more than the timeout.
 *
 * <p>Usage: {@code java -jar bench/target/mnemo-bench.jar tpch [scale-factor] [rounds] [timeout-seconds]}; writes
 * {@code tpch-results.md} beside the jar.
 */
final class TpchBench {
    private static final List<String> SYSTEMS = List.of("mnemo-mem", "mnemo-disc", "h2-mem", "duckdb");

    private TpchBench() {
    }

    /** One query's times on one system, ms; NaN where it failed, +inf where it timed out. */
    private record Times(double coldPrepare, double coldExecute, double prepare, double execute, long rows,
                         String error) {
        double total() {
            return prepare + execute;
        }

        double coldTotal() {
            return coldPrepare + coldExecute;
        }
    }

    static void main(String[] args) throws SQLException, IOException {
        double sf = args.length > 0 ? Double.parseDouble(args[0]) : 0.1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int timeout = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        LocalDateTime started = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Map<String, Map<Integer, Times>> results = new LinkedHashMap<>();
        Map<String, Double> loads = new LinkedHashMap<>();
        try {
            for (String system : SYSTEMS) {
                try (Connection c = DriverManager.getConnection(url(system))) {
                    long t0 = System.nanoTime();
                    if (system.equals("duckdb")) {
                        loadDuckDb(c, sf);
                    } else {
                        Tpch.load(c, sf, system.startsWith("mnemo"));
                    }
                    loads.put(system, (System.nanoTime() - t0) / 1e9);
                    System.out.printf(Locale.ROOT, "%s: loaded in %.1f s%n", system, loads.get(system));
                    results.put(system, runAll(c, system, rounds, timeout));
                }
            }
        } finally {
            TempDirs.deleteAll();
        }
        String report = report(sf, rounds, timeout, started, loadBefore, loads, results);
        System.out.println(report);
        Path out = BenchMain.resultsFile().resolveSibling("tpch-results.md");
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    private static String url(String system) {
        return switch (system) {
            case "mnemo-mem" -> "jdbc:mnemo:mem:tpch";
            case "mnemo-disc" -> "jdbc:mnemo:" + TempDirs.dir("tpch-disc").resolve("db");
            case "h2-mem" -> "jdbc:h2:mem:tpch;DB_CLOSE_DELAY=-1";
            case "duckdb" -> "jdbc:duckdb:";
            default -> throw new IllegalArgumentException(system);
        };
    }

    /**
     * DuckDB takes rows through JDBC batches at a few thousand a second; like its own TPC-H loader, it reads
     * dbgen's '|'-separated files here (written from the same generator) with COPY.
     */
    private static void loadDuckDb(Connection c, double sf) throws SQLException {
        Path dir = TempDirs.dir("tpch-duckdb");
        try (Statement s = c.createStatement()) {
            for (io.trino.tpch.TpchTable<?> t : io.trino.tpch.TpchTable.getTables()) {
                s.execute(Tpch.ddl(t, false));
                Path file = dir.resolve(t.getTableName() + ".tbl");
                try (java.io.BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    for (io.trino.tpch.TpchEntity e : t.createGenerator(sf, 1, 1)) {
                        String line = e.toLine();
                        w.write(line, 0, line.length() - 1); // without dbgen's trailing '|'
                        w.newLine();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                s.execute("COPY " + t.getTableName() + " FROM '" + file + "' (DELIMITER '|', HEADER false, "
                        + "QUOTE '', ESCAPE '')");
            }
        }
    }

    private static Map<Integer, Times> runAll(Connection c, String system, int rounds, int timeout) {
        Map<Integer, List<double[]>> samples = new LinkedHashMap<>();
        Map<Integer, Times> out = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int q = 1; q <= 22; q++) {
                if (out.containsKey(q)) {
                    continue; // failed or timed out: not tried again
                }
                try {
                    samples.computeIfAbsent(q, k -> new ArrayList<>()).add(run(c, q, timeout, round));
                } catch (SQLException | RuntimeException e) {
                    boolean timedOut = e instanceof java.sql.SQLTimeoutException
                            || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("cancel")
                            || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timeout");
                    double v = timedOut ? Double.POSITIVE_INFINITY : Double.NaN;
                    out.put(q, new Times(v, v, v, v, -1, timedOut ? "> " + timeout + " s" : e.toString()));
                    System.out.printf("%s q%d: %s%n", system, q, out.get(q).error());
                    dropView(c);
                }
            }
        }
        samples.forEach((q, list) -> {
            if (!out.containsKey(q)) {
                double[] cold = list.get(0);
                double prepare = Double.MAX_VALUE;
                double execute = Double.MAX_VALUE;
                for (double[] s : list.subList(list.size() > 1 ? 1 : 0, list.size())) {
                    prepare = Math.min(prepare, s[0]);
                    execute = Math.min(execute, s[1]);
                }
                out.put(q, new Times(cold[0], cold[1], prepare, execute, (long) cold[2], null));
            }
        });
        return out;
    }

    /**
     * Runs query {@code q}'s statements; returns {prepare ms, execute ms, rows} of its SELECT. The SELECT's text
     * starts with a comment naming the round, so that no system answers the prepare from a cache of statement texts
     * (Mnemo and H2 have one per connection): every prepare is measured planning it.
     */
    private static double[] run(Connection c, int q, int timeout, int round) throws SQLException {
        double[] times = new double[3];
        for (String sql : Tpch.query(q)) {
            if (!sql.regionMatches(true, 0, "SELECT", 0, 6)) {
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                continue;
            }
            long t0 = System.nanoTime();
            try (PreparedStatement p = c.prepareStatement("/* round " + round + " */ " + sql)) {
                long t1 = System.nanoTime();
                try {
                    p.setQueryTimeout(timeout);
                } catch (SQLException unsupported) {
                    // a driver without timeouts runs to the end
                }
                long rows = 0;
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                times[0] = (t1 - t0) / 1e6;
                times[1] = (System.nanoTime() - t1) / 1e6;
                times[2] = rows;
            }
        }
        return times;
    }

    private static void dropView(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS revenue");
        } catch (SQLException ignored) {
            // not there
        }
    }

    private static String report(double sf, int rounds, int timeout, LocalDateTime started, double loadBefore,
                                 Map<String, Double> loads, Map<String, Map<Integer, Times>> r) {
        StringBuilder sb = new StringBuilder("# TPC-H results\n\n");
        sb.append(String.format(Locale.ROOT, "- scale factor %s, %d rounds (cold = the first, warm = the best of the "
                + "others), query timeout %d s; started %s, load average %.1f at the start; Java %s, %d cores%n",
                sf, rounds, timeout, started, loadBefore, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
        loads.forEach((s, t) -> sb.append(String.format(Locale.ROOT, "- %s: loaded in %.1f s%n", s, t)));
        sb.append("\nWarm times in ms, prepare + execute (each round's text differs by a comment, so every prepare "
                + "plans); ratios of the totals, Mnemo in memory against each peer.\n\n");
        sb.append("| query | mnemo-mem | mnemo-disc | h2-mem | duckdb | mnemo-mem / h2-mem | mnemo-disc / h2-mem "
                + "| mnemo-mem / duckdb | rows |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        double[] totals = new double[SYSTEMS.size()];
        double[] execTotals = new double[SYSTEMS.size()];
        double[] coldTotals = new double[SYSTEMS.size()];
        int aboveTwice = 0;
        List<String> leftOut = new ArrayList<>();
        for (int q = 1; q <= 22; q++) {
            sb.append("| q").append(q);
            final int query = q;
            boolean everyone = SYSTEMS.stream().allMatch(s -> r.get(s).get(query).error() == null);
            if (!everyone) {
                leftOut.add("q" + q);
            }
            for (int i = 0; i < SYSTEMS.size(); i++) {
                Times t = r.get(SYSTEMS.get(i)).get(q);
                if (everyone) {
                    totals[i] += t.total();
                    execTotals[i] += t.execute();
                    coldTotals[i] += t.coldTotal();
                }
                sb.append(" | ").append(t.error() != null ? t.error().length() > 40 ? "failed" : t.error()
                        : String.format(Locale.ROOT, "%.1f + %.1f", t.prepare(), t.execute()));
            }
            Times mem = r.get("mnemo-mem").get(q);
            Times h2 = r.get("h2-mem").get(q);
            double ratio = mem.total() / h2.total();
            if (ratio > 2) {
                aboveTwice++;
            }
            sb.append(" | ").append(ratio(ratio)).append(" | ")
                    .append(ratio(r.get("mnemo-disc").get(q).total() / h2.total())).append(" | ")
                    .append(ratio(mem.total() / r.get("duckdb").get(q).total())).append(" | ");
            StringBuilder rows = new StringBuilder();
            for (String s : SYSTEMS) {
                rows.append(rows.length() == 0 ? "" : "/").append(r.get(s).get(q).rows());
            }
            sb.append(rows).append(" |\n");
        }
        sb.append("| **total**").append(leftOut.isEmpty() ? "" : " (without " + String.join(", ", leftOut) + ")")
                .append(' ');
        for (double t : totals) {
            sb.append(String.format(Locale.ROOT, "| %.0f ", t));
        }
        sb.append("| ").append(ratio(totals[0] / totals[2])).append(" | ").append(ratio(totals[1] / totals[2]))
                .append(" | ").append(ratio(totals[0] / totals[3])).append(" | |\n");
        sb.append("| execution only ");
        for (double t : execTotals) {
            sb.append(String.format(Locale.ROOT, "| %.0f ", t));
        }
        sb.append("| ").append(ratio(execTotals[0] / execTotals[2])).append(" | ")
                .append(ratio(execTotals[1] / execTotals[2])).append(" | ")
                .append(ratio(execTotals[0] / execTotals[3])).append(" | |\n");
        sb.append("| cold (first round) ");
        for (double t : coldTotals) {
            sb.append(String.format(Locale.ROOT, "| %.0f ", t));
        }
        sb.append("| ").append(ratio(coldTotals[0] / coldTotals[2])).append(" | ")
                .append(ratio(coldTotals[1] / coldTotals[2])).append(" | ")
                .append(ratio(coldTotals[0] / coldTotals[3])).append(" | |\n\n");
        sb.append(String.format(Locale.ROOT, "Targets: TPC-H total ≤ 1.0× H2 mem: %s (%s, over the queries every "
                + "system answered); no query above 2× H2 mem: %s (%d above; a query a peer did not answer in time "
                + "counts as below).%n",
                totals[0] <= totals[2] ? "met" : "missed", ratio(totals[0] / totals[2]),
                aboveTwice == 0 ? "met" : "missed", aboveTwice));
        return sb.toString();
    }

    private static String ratio(double x) {
        return Double.isNaN(x) ? "–" : Double.isInfinite(x) ? "∞" : x == 0 ? "< 0.01×"
                : String.format(Locale.ROOT, "%.2f×", x);
    }
}
