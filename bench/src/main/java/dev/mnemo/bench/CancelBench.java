package dev.mnemo.bench;

import java.sql.Connection;
import java.sql.DriverManager;
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
import java.util.concurrent.TimeUnit;

/**
 * How soon a running statement stops after its query timeout passes ({@code setQueryTimeout(1)}) or after
 * {@code Statement.cancel()} from another thread, on Mnemo and H2 (both in memory) in one JVM: for each statement
 * shape (a join of many tables counted, sorted, windowed, grouped; an INSERT … SELECT), the milliseconds from the
 * deadline (1 s after the execution began, or the cancel call) to the statement's exception, over {@code rounds}
 * runs after one cold run. Each statement would run for hours unstopped.
 *
 * <p>Usage: {@code java -jar bench/target/mnemo-bench.jar cancel [rounds]} (default 5).
 */
final class CancelBench {
    private static final String[][] SHAPES = {
            {"count of an 8-way join", "select count(*) from t a, t b, t c, t d, t e, t f, t g, t h"},
            {"sort of a 5-way join", "select a.id from t a, t b, t c, t d, t e order by a.v + b.v * c.v - d.v + e.v "
                    + "limit 5"},
            {"filtered 5-way join", "select count(*) from t a, t b, t c, t d, t e where a.v + b.v = c.v + d.v + e.v"},
            {"window over a 5-way join", "select sum(a.v) over (order by a.v, b.v rows between unbounded preceding "
                    + "and current row) from t a, t b, t c, t d, t e"},
            {"INSERT of a 4-way join", "insert into big select a.id * 1000000 + b.id * 10000 + c.id * 100 + d.id, a.v "
                    + "from t a, t b, t c, t d"},
    };

    private CancelBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[][] systems = {{"mnemo-mem", "jdbc:mnemo:mem:cancelbench"}, {"h2-mem", "jdbc:h2:mem:cancelbench"}};
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nms from the deadline to the statement's exception: cold run, then "
                + "median / max of %d warm runs%n%n", rounds));
        out.append("| statement | stopped by | ");
        for (String[] s : systems) {
            out.append(s[0]).append(" cold | ").append(s[0]).append(" warm | ");
        }
        out.append("\n|---|---|").append("---|---|".repeat(systems.length)).append('\n');
        List<String[]> rows = new ArrayList<>();
        for (String[] shape : SHAPES) {
            rows.add(new String[] {shape[0], "timeout 1 s"});
            rows.add(new String[] {shape[0], "cancel() at 300 ms"});
        }
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            cells.add(new ArrayList<>());
        }
        ExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
        try {
            for (String[] system : systems) {
                try (Connection c = DriverManager.getConnection(system[1])) {
                    load(c);
                    int row = 0;
                    for (String[] shape : SHAPES) {
                        cells.get(row++).add(measure(c, shape[1], rounds, false, canceller));
                        cells.get(row++).add(measure(c, shape[1], rounds, true, canceller));
                    }
                }
            }
        } finally {
            canceller.shutdownNow();
        }
        for (int i = 0; i < rows.size(); i++) {
            out.append("| ").append(rows.get(i)[0]).append(" | ").append(rows.get(i)[1]).append(" | ")
                    .append(String.join(" | ", cells.get(i))).append(" |\n");
        }
        System.out.println(out);
    }

    private static void load(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key, v int)");
            s.execute("create table big (id bigint primary key, v int)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                values.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(i % 10).append(")");
            }
            s.executeUpdate("insert into t values " + values);
        }
    }

    /** Cold ms, then median / max ms of the warm runs, from the deadline to the exception. */
    private static String measure(Connection c, String sql, int rounds, boolean cancel, ExecutorService canceller)
            throws Exception {
        long[] late = new long[rounds + 1];
        for (int i = 0; i <= rounds; i++) {
            late[i] = once(c, sql, cancel, canceller);
        }
        long[] warm = Arrays.copyOfRange(late, 1, late.length);
        Arrays.sort(warm);
        return late[0] + " | " + warm[warm.length / 2] + " / " + warm[warm.length - 1];
    }

    private static long once(Connection c, String sql, boolean cancel, ExecutorService canceller) throws Exception {
        try (Statement s = c.createStatement()) {
            long deadlineMs = cancel ? 300 : 1_000;
            if (!cancel) {
                s.setQueryTimeout(1);
            }
            long t0 = System.nanoTime();
            Future<?> cancelled = cancel ? canceller.submit(() -> {
                Thread.sleep(deadlineMs);
                s.cancel();
                return null;
            }) : null;
            try {
                if (s.execute(sql)) {
                    try (ResultSet rs = s.getResultSet()) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                }
                throw new IllegalStateException("not stopped: " + sql);
            } catch (SQLException expected) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) - deadlineMs;
                if (cancelled != null) {
                    cancelled.get();
                }
                return ms;
            }
        }
    }
}
