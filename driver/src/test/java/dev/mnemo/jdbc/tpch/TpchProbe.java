package dev.mnemo.jdbc.tpch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Not a test: loads TPC-H into Mnemo and H2 in memory and prints, per query, the time to prepare (parse, plan,
 * compile) and to execute in each. {@code args}: scale factor, then the query numbers (all if none).
 */
public final class TpchProbe {
    public static void main(String[] args) throws Exception {
        double sf = args.length > 0 ? Double.parseDouble(args[0]) : 0.01;
        try (Connection m = DriverManager.getConnection("jdbc:mnemo:mem:tpchprobe");
             Connection h = DriverManager.getConnection("jdbc:h2:mem:tpchprobe")) {
            long t0 = System.nanoTime();
            Tpch.load(m, sf, true);
            long t1 = System.nanoTime();
            Tpch.load(h, sf, false);
            System.out.printf("load: mnemo %.1f s, h2 %.1f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
            int rounds = Integer.getInteger("rounds", 2);
            for (int round = 0; round < rounds; round++) {
                for (int q = 1; q <= 22; q++) {
                    if (args.length > 1 && !List.of(args).subList(1, args.length).contains(String.valueOf(q))) {
                        continue;
                    }
                    System.out.printf("round %d q%-2d mnemo %s | h2 %s%n", round, q, run(m, q), run(h, q));
                }
            }
        }
    }

    private static String run(Connection c, int q) {
        long prepare = 0;
        long execute = 0;
        long rows = 0;
        try {
            for (String sql : Tpch.query(q)) {
                if (!sql.regionMatches(true, 0, "SELECT", 0, 6)) {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                    continue;
                }
                long t0 = System.nanoTime();
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    long t1 = System.nanoTime();
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                        }
                    }
                    prepare += t1 - t0;
                    execute += System.nanoTime() - t1;
                }
            }
            return String.format("prepare %7.1f ms exec %8.1f ms rows %d", prepare / 1e6, execute / 1e6, rows);
        } catch (Exception e) {
            return "FAILED " + e.toString().replace('\n', ' ').substring(0, Math.min(150, e.toString().length()));
        }
    }
}
