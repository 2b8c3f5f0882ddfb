package dev.mnemo.bench;

import dev.mnemo.server.MnemoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Client/server workloads: Mnemo's server ({@code jdbc:mnemo:remote:}, Avatica over HTTP) against H2's TCP server
 * ({@code jdbc:h2:tcp:}), both serving an in-memory table of {@code rows} rows on loopback, in one JVM, with the
 * embedded connections of each beside them for reference. Per system: a prepared key lookup and a prepared
 * single-row UPDATE with autocommit (µs per statement, median of 5 rounds after 3 warm-up rounds), a full read of the table
 * (ms), opening a connection and running one query (ms), and key lookups from 8 threads (statements per second).
 *
 * <p>Usage: {@code java -jar bench/target/mnemo-bench.jar remote [rows]} (default 10,000).
 */
final class RemoteBench {
    private static final int LOOKUPS = 5_000;
    private static final int ROUNDS = 5;

    private RemoteBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path users = Files.createTempFile("mnemo-bench-users", ".properties");
        Files.writeString(users, "bench: bench\n");
        Connection mnemoApp = DriverManager.getConnection("jdbc:mnemo:mem:remotebench");
        load(mnemoApp, rows);
        Connection h2App = DriverManager.getConnection("jdbc:h2:mem:remotebench;DB_CLOSE_DELAY=-1");
        load(h2App, rows);
        org.h2.tools.Server h2 = org.h2.tools.Server.createTcpServer("-tcpPort", "0").start();
        try (MnemoServer mnemo = MnemoServer.builder("jdbc:mnemo:mem:remotebench").port(0).users(users).start()) {
            String[][] systems = {
                {"mnemo-remote", mnemo.url() + ";user=bench;password=bench"},
                {"h2-tcp", "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:remotebench"},
                {"mnemo-mem (embedded)", "jdbc:mnemo:mem:remotebench"},
                {"h2-mem (embedded)", "jdbc:h2:mem:remotebench"}};
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n%d rows; medians of %d rounds%n%n",
                    rows, ROUNDS));
            out.append("| system | key lookup µs | UPDATE autocommit µs | read all rows ms | connect + query ms "
                    + "| lookups/s, 8 threads |\n|---|---|---|---|---|---|\n");
            for (String[] s : systems) {
                out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %,.0f |%n", s[0],
                        median(() -> lookups(s[1], rows)), median(() -> updates(s[1], rows)),
                        median(() -> readAll(s[1], rows)), median(() -> connect(s[1])),
                        median(() -> parallelLookups(s[1], rows))));
            }
            System.out.println(out);
        } finally {
            h2.stop();
            mnemoApp.close();
            h2App.close();
        }
    }

    private static void load(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id bigint primary key, v bigint, s varchar(40))");
        }
        try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setLong(1, i);
                p.setLong(2, i * 7L);
                p.setString(3, "row " + i);
                p.addBatch();
                if (i % 1000 == 999) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
        }
    }

    private interface Round {
        double run() throws Exception;
    }

    private static double median(Round round) throws Exception {
        for (int i = 0; i < 3; i++) {
            round.run(); // warm-up: the remote paths need the JIT's second tier
        }
        double[] r = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            r[i] = round.run();
        }
        Arrays.sort(r);
        return r[ROUNDS / 2];
    }

    private static double lookups(String url, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement p = c.prepareStatement("select v, s from t where id = ?")) {
            long sum = 0;
            long t = System.nanoTime();
            for (int i = 0; i < LOOKUPS; i++) {
                p.setLong(1, (i * 7919L) % rows);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    sum += rs.getLong(1);
                }
            }
            check(sum > 0, url);
            return (System.nanoTime() - t) / 1e3 / LOOKUPS;
        }
    }

    private static double updates(String url, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement p = c.prepareStatement("update t set v = v + 1 where id = ?")) {
            long t = System.nanoTime();
            for (int i = 0; i < LOOKUPS; i++) {
                p.setLong(1, (i * 7919L) % rows);
                check(p.executeUpdate() == 1, url);
            }
            return (System.nanoTime() - t) / 1e3 / LOOKUPS;
        }
    }

    private static double readAll(String url, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            long t = System.nanoTime();
            int n = 0;
            try (ResultSet rs = s.executeQuery("select id, v, s from t")) {
                while (rs.next()) {
                    rs.getLong(2);
                    rs.getString(3);
                    n++;
                }
            }
            check(n == rows, url);
            return (System.nanoTime() - t) / 1e6;
        }
    }

    private static double connect(String url) throws SQLException {
        long t = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from t")) {
            check(rs.next(), url);
        }
        return (System.nanoTime() - t) / 1e6;
    }

    private static double parallelLookups(String url, int rows) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> done = new ArrayList<>();
            long t = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> lookups(url, rows)));
            }
            for (Future<Double> f : done) {
                f.get();
            }
            return threads * (double) LOOKUPS / ((System.nanoTime() - t) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private static void check(boolean ok, String url) {
        if (!ok) {
            throw new IllegalStateException("wrong answer from " + url);
        }
    }
}
