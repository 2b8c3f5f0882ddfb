package dev.mnemo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every workload on every system in this JVM (JMH with {@code forks(0)}: the data sets are loaded once per
 * system and shared by the workloads, and all systems see the same JVM), then prints the results table and
 * writes it to {@code bench-results.md} next to the jar (bench/target).
 *
 * <p>Usage: {@code java -jar bench/target/mnemo-bench.jar [full|short]} (default full), or {@code … tpch} for the
 * TPC-H workload ({@link TpchBench}), {@code … pool} for the connection-pool workloads ({@link PoolBench}), or
 * {@code … scale} for tables larger than memory ({@link ScaleBench}), or {@code … cancel} for how soon a canceled
 * or timed-out statement stops ({@link CancelBench}), or {@code … startup} for a fresh JVM's first connection
 * and statements ({@link StartupBench}), or {@code … remote} for client/server workloads against H2's TCP server
 * ({@link RemoteBench}), or {@code … cluster} for replicated writes on 3 loopback nodes against a single node
 * ({@link ClusterBench}). System properties:
 * {@code bench.include} — a regex of benchmarks to run (JMH include, e.g. {@code pkLookup|EngineBench});
 * {@code bench.systems} — a comma-separated subset of the SQL systems (e.g. {@code mnemo-disc,h2-file}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String mode = args.length > 0 ? args[0] : "full";
        if (mode.equals("tpch")) {
            TpchBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (mode.equals("scale")) {
            ScaleBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (mode.equals("startup")) {
            StartupBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (mode.equals("cancel")) {
            CancelBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (mode.equals("remote")) {
            RemoteBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (mode.equals("cluster")) {
            ClusterBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (mode.equals("pool")) {
            PoolBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        BenchConfig config = BenchConfig.of(mode);
        System.setProperty(BenchConfig.MODE_PROPERTY, mode);
        String include = System.getProperty("bench.include", BenchMain.class.getPackageName() + "\\.");

        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(0)
                .warmupIterations(config.warmupIterations())
                .warmupTime(TimeValue.milliseconds(config.warmupMillis()))
                .measurementIterations(config.measurementIterations())
                .measurementTime(TimeValue.milliseconds(config.measurementMillis()));
        String systems = System.getProperty("bench.systems");
        if (systems != null) {
            options.param("system", systems.split(","));
        }

        LocalDateTime started = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long t0 = System.nanoTime();
        Collection<RunResult> results;
        String fixtures = "";
        try {
            results = new Runner(options.build()).run();
        } finally {
            fixtures = fixtures();
            SqlFixture.closeAll();
            EngineFixture.closeAll();
            XodusFixture.closeAll();
            TempDirs.deleteAll();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        String load = String.format(Locale.ROOT, "system load average %.1f at the start, %.1f at the end (this run "
                + "alone keeps up to about 1–2 busy)", loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        String report = report(config, include, systems, started, took, load, results, fixtures);
        System.out.println();
        System.out.println(report);
        Path out = resultsFile();
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    /** Load times of the SQL systems and EXPLAIN of Mnemo's queries, read before the fixtures close. */
    private static String fixtures() {
        StringBuilder sb = new StringBuilder();
        for (SqlFixture f : SqlFixture.loaded()) {
            sb.append(String.format(Locale.ROOT, "- %s: data loaded in %,d ms%n", f.system.label, f.loadMillis));
            f.plans.forEach((q, plan) -> sb.append("  - ").append(q).append(": `")
                    .append(plan.replaceAll("\\s+", " ")).append("`\n"));
        }
        return sb.toString();
    }

    private static String report(BenchConfig c, String include, String systems, LocalDateTime started,
                                 Duration took, String load, Collection<RunResult> results, String fixtures) {
        Map<String, Double> scores = new HashMap<>();
        Map<String, String> raw = new TreeMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            bench = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            String param = r.getParams().getParam("system");
            if (param == null) {
                param = r.getParams().getParam("storage");
            }
            Result<?> p = r.getPrimaryResult();
            String key = ResultTable.key(bench, param);
            scores.put(key, p.getScore());
            raw.put(key, String.format(Locale.ROOT, "%.3f ± %.3f %s (threads %d, %d samples)", p.getScore(),
                    p.getScoreError(), p.getScoreUnit(), r.getParams().getThreads(), p.getSampleCount()));
        }
        ResultTable table = new ResultTable(scores);
        StringBuilder sb = new StringBuilder();
        sb.append("# Mnemo benchmark results\n\n");
        sb.append(String.format(Locale.ROOT, "- mode **%s**: users %,d, orders %,d, products %,d, events %,d%s%n",
                c.mode(), c.users(), c.orders(), c.products(), c.events(),
                c.mode().equals("short") ? " (short mode: smaller tables than full mode's 100,000 users and "
                        + "orders and 1,000,000 events; few, short iterations — indicative only)" : ""));
        sb.append(String.format(Locale.ROOT, "- JMH AverageTime, in-process (forks 0), warmup %d × %d ms, "
                        + "measurement %d × %d ms per benchmark; include `%s`%s%n", c.warmupIterations(),
                c.warmupMillis(), c.measurementIterations(), c.measurementMillis(), include,
                systems == null ? "" : ", systems " + systems));
        sb.append(String.format(Locale.ROOT, "- started %s, took %d min %d s; Java %s (%s), %d cores, max heap %,d MiB"
                        + "%n", started, took.toMinutes(), took.toSecondsPart(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20));
        sb.append("- ").append(load).append('\n');
        sb.append("- every system with its default durability: Mnemo disc writes each commit to the OS (no fsync), "
                + "H2 file delays writes up to 0.5 s, SQLite fsyncs each commit\n\n");
        sb.append("## SQL workloads through JDBC\n\n").append(table.sqlTable(c.events())).append('\n');
        sb.append("## Engine API and raw Xodus\n\n").append(table.engineTable()).append('\n');
        sb.append("## JMH scores (score ± 99.9% half-interval)\n\n");
        raw.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n## Fixtures and Mnemo's plans\n\n").append(fixtures);
        return sb.toString();
    }

    /** bench-results.md beside the jar or classes directory, i.e. in bench/target. */
    static Path resultsFile() {
        try {
            Path location = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent().resolve("bench-results.md");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("bench-results.md");
        }
    }
}
