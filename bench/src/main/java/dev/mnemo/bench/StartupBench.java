package dev.mnemo.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cold path a new user meets first: each run is a fresh JVM that opens a connection and runs its first
 * statements (a CREATE TABLE, an INSERT, a SELECT by key, a GROUP BY with a join), timing each in ms; Mnemo and H2,
 * in memory and on disc, {@code runs} JVMs each, medians printed. Nothing is warmed: this is what the first request
 * of a freshly started application waits for.
 *
 * <p>Usage: {@code java -jar bench/target/mnemo-bench.jar startup [runs]} (default 3).
 */
final class StartupBench {
    private static final String[] STEPS = {"getConnection", "CREATE TABLE", "INSERT", "SELECT by key",
            "join + GROUP BY"};

    private StartupBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nms in a fresh JVM, median of %d runs%n%n| "
                + "system | %s |%n|---|%s%n", runs, String.join(" | ", STEPS), "---|".repeat(STEPS.length)));
        for (String system : List.of("mnemo-mem", "mnemo-disc", "h2-mem", "h2-file")) {
            long[][] times = new long[STEPS.length][runs];
            for (int r = 0; r < runs; r++) {
                Path dir = TempDirs.dir("startup-" + system + "-" + r);
                String url = switch (system) {
                    case "mnemo-mem" -> "jdbc:mnemo:mem:startup";
                    case "mnemo-disc" -> "jdbc:mnemo:" + dir.resolve("db");
                    case "h2-mem" -> "jdbc:h2:mem:startup";
                    default -> "jdbc:h2:file:" + dir.resolve("db");
                };
                Process p = new ProcessBuilder(java, "-cp", classPath, StartupBench.class.getName(), "child", url)
                        .redirectErrorStream(true).start();
                List<String> lines = new ArrayList<>();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                }
                p.waitFor();
                String result = lines.stream().filter(l -> l.startsWith("times ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(system + " run failed: " + lines));
                String[] ms = result.substring(6).split(",");
                for (int i = 0; i < STEPS.length; i++) {
                    times[i][r] = Long.parseLong(ms[i]);
                }
            }
            out.append("| ").append(system);
            for (long[] step : times) {
                Arrays.sort(step);
                out.append(" | ").append(step[runs / 2]);
            }
            out.append(" |\n");
        }
        System.out.println(out);
    }

    /** One cold run: prints "times a,b,c,d,e" (ms per step). */
    private static void child(String url) throws Exception {
        long[] ms = new long[STEPS.length];
        long t = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            ms[0] = lap(t);
            t = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("create table users (id bigint primary key, name varchar(40), city varchar(40))");
                s.execute("create table orders (id bigint primary key, user_id bigint, amount int)");
                ms[1] = lap(t);
                t = System.nanoTime();
                s.executeUpdate("insert into users values (1, 'ann', 'oslo'), (2, 'bob', 'rome')");
                s.executeUpdate("insert into orders values (10, 1, 5), (11, 1, 7), (12, 2, 3)");
                ms[2] = lap(t);
                t = System.nanoTime();
                try (ResultSet rs = s.executeQuery("select name from users where id = 2")) {
                    rs.next();
                }
                ms[3] = lap(t);
                t = System.nanoTime();
                try (ResultSet rs = s.executeQuery("select u.city, sum(o.amount) from users u join orders o on "
                        + "o.user_id = u.id group by u.city")) {
                    while (rs.next()) {
                        rs.getLong(2);
                    }
                }
                ms[4] = lap(t);
            }
        }
        StringBuilder b = new StringBuilder("times ");
        for (int i = 0; i < ms.length; i++) {
            b.append(i == 0 ? "" : ",").append(ms[i]);
        }
        System.out.println(b);
    }

    private static long lap(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
