package dev.mnemo.bench;

import dev.mnemo.cluster.ClusterUnavailableException;
import dev.mnemo.cluster.Copies;
import dev.mnemo.cluster.MnemoNode;
import dev.mnemo.cluster.NodeConfig;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoConfig;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TxFunction;
import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Replicated write throughput and latency: read-modify-write transactions on one of 10,000 counters (few
 * conflicts), from 1 and from 8 threads, on an embedded single engine (disc_copies, its default durability), on a
 * cluster of one node (the Raft path alone) and on a cluster of three nodes on loopback ports in this JVM (threads
 * spread over the three nodes, every table in disc_copies on all three). A cluster commit returns once a majority has
 * the entry in its Raft log (written and synced) and the leader and the writer's node have applied it.
 *
 * <p>With {@code sql} the same increments are plain SQL statements, as applications and tools send them:
 * {@code UPDATE counter SET v = v + 1 WHERE k = ?}, prepared once per connection, autocommit, one connection per
 * writer thread, against H2 embedded on disc (its defaults), Mnemo's driver on a single disc database, and the
 * driver on the nodes of a cluster of three ({@code jdbc:mnemo:node:<name>}), with {@link MnemoNode#transaction} on a
 * cluster of three in the same run as the baseline of the SQL path.
 *
 * <p>Usage: {@code java -jar mnemo-bench.jar cluster [seconds per run] [sql]} (default 10, after a warm-up of
 * {@code bench.warmup} seconds, default 20). The CPU column is the whole process's CPU time per transaction: every
 * node of the cluster runs in this one JVM on this machine's cores.
 */
final class ClusterBench {
    private static final int KEYS = 10_000;
    /**
     * Seconds of the same workload before the timed run ({@code bench.warmup}, default 20): Ratis, gRPC and Netty are
     * a lot of code, and with 5 s the JIT compiler still took 40% of the CPU of a one-node cluster's timed run.
     */
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 20);

    private ClusterBench() {
    }

    /** A system under test: adds one to counter {@code key} for writer {@code thread}; and how to close it. */
    private interface Target extends AutoCloseable {
        void increment(int thread, long key) throws Exception;

        @Override
        void close();
    }

    /** A Target whose increment is a read-modify-write transaction run by {@code runner}. */
    private static Target transactions(java.util.function.BiConsumer<Integer, TxFunction<Object>> runner,
                                       Runnable close) {
        return new Target() {
            @Override
            public void increment(int thread, long key) {
                runner.accept(thread, tx -> {
                    List<Tuple> old = tx.read("counter", key);
                    long v = old.isEmpty() ? 0 : (Long) old.get(0).get(2);
                    tx.write("counter", Tuple.of("counter", key, v + 1));
                    return null;
                });
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean sql = args.length > 1 && args[1].equals("sql");
        Map<String, Function<Path, Target>> systems = new LinkedHashMap<>();
        if (sql) {
            systems.put("H2 SQL (disc)", dir -> sqlTarget("jdbc:h2:" + dir.resolve("h2").toAbsolutePath(), null,
                    () -> { }));
            systems.put("Mnemo SQL, single (disc)", dir -> sqlTarget("jdbc:mnemo:" + dir.resolve("db")
                    .toAbsolutePath(), null, () -> { }));
            systems.put("MnemoNode API, cluster of 3", dir -> cluster(dir, 3)); // the same run's non-SQL baseline
            systems.put("Mnemo SQL, cluster of 3", dir -> {
                List<MnemoNode> nodes = nodes(dir, 3);
                return sqlTarget(null, nodes, () -> nodes.forEach(MnemoNode::close));
            });
        } else {
            systems.put("single engine (disc)", ClusterBench::single);
            systems.put("cluster of 1", dir -> cluster(dir, 1));
            systems.put("cluster of 3", dir -> cluster(dir, 3));
        }
        String only = System.getProperty("bench.only"); // run only the systems whose name contains it
        if (only != null) {
            systems.keySet().removeIf(name -> !name.contains(only));
        }
        List<String[]> rows = new ArrayList<>();
        for (int threads : new int[] {1, 8}) {
            for (var s : systems.entrySet()) {
                Path dir = TempDirs.dir("cluster-" + threads + "-" + rows.size());
                try (Target t = s.getValue().apply(dir)) {
                    run(t, threads, WARMUP_SECONDS);
                    Result r = run(t, threads, seconds);
                    rows.add(new String[] {s.getKey(), String.valueOf(threads), String.format(Locale.ROOT, "%,.0f",
                            r.perSecond), ms(r.p50), ms(r.p99), ms(r.max),
                            String.format(Locale.ROOT, "%.3f", r.cpuPerTx), String.valueOf(r.failures)});
                    System.out.printf(Locale.ROOT, "%-22s threads=%d  %,9.0f tx/s  p50 %s  p99 %s  max %s ms  cpu %.3f"
                            + " ms/tx%n", s.getKey(), threads, r.perSecond, ms(r.p50), ms(r.p99), ms(r.max), r.cpuPerTx);
                }
                TempDirs.delete(dir);
            }
        }
        System.out.println();
        System.out.println("| system | threads | transactions/s | p50 ms | p99 ms | max ms | CPU ms per tx | failed |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        TempDirs.deleteAll();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private record Result(double perSecond, long p50, long p99, long max, long failures, double cpuPerTx) {
    }

    /** CPU time of this whole process (every node, client and writer thread), in nanoseconds. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Result run(Target target, int threads, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] samples = new long[threads][];
        int[] counts = new int[threads];
        long[] done = new long[threads]; // every increment made; counts stops at the samples' capacity
        long[] failures = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int id = w;
            samples[id] = new long[1 << 20];
            Thread t = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (!stop.get()) {
                    long key = r.nextInt(KEYS);
                    long t0 = System.nanoTime();
                    try {
                        target.increment(id, key);
                        done[id]++;
                        if (counts[id] < samples[id].length) {
                            samples[id][counts[id]++] = System.nanoTime() - t0;
                        }
                    } catch (ClusterUnavailableException | java.sql.SQLException e) {
                        failures[id]++;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "writer-" + w);
            workers.add(t);
        }
        long start = System.nanoTime();
        long cpu0 = processCpu();
        workers.forEach(Thread::start);
        Thread.sleep(seconds * 1_000L);
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = processCpu() - cpu0;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < threads; w++) {
            System.arraycopy(samples[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        long made = Arrays.stream(done).sum();
        // latencies are those of each writer's first 2^20 increments; the rate and CPU are of all of them
        return new Result(made / elapsed, all.length == 0 ? 0 : all[all.length / 2],
                all.length == 0 ? 0 : all[(int) (all.length * 0.99)], all.length == 0 ? 0 : all[all.length - 1],
                Arrays.stream(failures).sum(), made == 0 ? 0 : cpu / 1e6 / made);
    }

    private static TableDef counterDef() {
        return TableDef.builder("counter").attributes("k", "v").storage(StorageType.DISC_COPIES).build();
    }

    private static Target single(Path dir) {
        Mnemo db = Mnemo.open(MnemoConfig.disc(dir.resolve("db")));
        db.createTable(counterDef());
        return transactions((thread, fn) -> db.transaction(fn), db::close);
    }

    /**
     * Increments through JDBC: to {@code url}, or, with {@code url} null, to the nodes' URLs in turn (writer thread
     * i on node i mod 3); the table is created and filled first.
     */
    private static Target sqlTarget(String url, List<MnemoNode> nodes, Runnable close) {
        java.util.function.IntFunction<String> urlOf = i -> url != null ? url : nodes.get(i % nodes.size()).jdbcUrl();
        java.sql.Connection[] conns = new java.sql.Connection[8];
        java.sql.PreparedStatement[] updates = new java.sql.PreparedStatement[8];
        try {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(urlOf.apply(0));
                 java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE TABLE counter (k BIGINT PRIMARY KEY, v BIGINT)");
                c.setAutoCommit(false);
                try (java.sql.PreparedStatement ins = c.prepareStatement("INSERT INTO counter VALUES (?, 0)")) {
                    for (long k = 0; k < KEYS; k++) {
                        ins.setLong(1, k);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
                c.commit();
            }
            if (nodes != null) {
                for (MnemoNode n : nodes) {
                    n.waitForTables(List.of("counter"), Duration.ofSeconds(30));
                }
            }
            for (int i = 0; i < conns.length; i++) {
                conns[i] = java.sql.DriverManager.getConnection(urlOf.apply(i));
                updates[i] = conns[i].prepareStatement("UPDATE counter SET v = v + 1 WHERE k = ?");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Target() {
            @Override
            public void increment(int thread, long key) throws java.sql.SQLException {
                updates[thread].setLong(1, key);
                if (updates[thread].executeUpdate() != 1) {
                    throw new IllegalStateException("counter " + key + " was not updated");
                }
            }

            @Override
            public void close() {
                for (java.sql.Connection c : conns) {
                    try {
                        if (c != null) {
                            c.close();
                        }
                    } catch (java.sql.SQLException e) {
                        // closing: nothing to do
                    }
                }
                close.run();
            }
        };
    }

    private static List<MnemoNode> nodes(Path dir, int size) {
        Map<String, String> nodes = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            nodes.put("n" + i, "127.0.0.1:" + freePort());
        }
        List<MnemoNode> started = new ArrayList<>();
        for (String n : nodes.keySet()) {
            started.add(MnemoNode.start(NodeConfig.of(n, dir.resolve(n), nodes)));
        }
        return started;
    }

    private static Target cluster(Path dir, int size) {
        List<MnemoNode> started = nodes(dir, size);
        started.get(0).createTable(counterDef(), Copies.disc(started.stream().map(MnemoNode::name)
                .toArray(String[]::new)));
        for (MnemoNode n : started) {
            n.waitForTables(List.of("counter"), Duration.ofSeconds(30));
        }
        return transactions((thread, fn) -> started.get(thread % started.size()).transaction(fn),
                () -> started.forEach(MnemoNode::close));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
