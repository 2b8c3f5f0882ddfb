package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same random rows in Mnemo (on each storage type) and in H2, and generated aggregate, window, CASE, CONCAT
 * and DECIMAL queries: the answers must be H2's. Where the two pick different result types the values are compared
 * by value: AVG of an integer is a DECIMAL in Mnemo and a DOUBLE in H2, STDDEV and VARIANCE likewise (compared to
 * 10 significant digits). DECIMAL(10,2) values, their sums, products and CASE results, and strings are compared exactly
 * (scale and padding included). The seed is printed; set it with -Dmnemo.seed.
 */
class DifferentialAggregatesH2Test {
    private static final long SEED = Long.getLong("mnemo.seed", 20261204L);
    private static final String DDL = "create table t (id int primary key, grp varchar(5), qty int, "
            + "price decimal(10,2), name varchar(20))";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void generatedQueries_giveH2sAnswers(String storage) throws SQLException {
        System.out.println("DifferentialAggregatesH2Test seed " + SEED + ", " + storage);
        try (Connection mnemo = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db"));
             Connection h2 = DriverManager.getConnection("jdbc:h2:mem:agg" + System.nanoTime())) {
            mnemo.createStatement().execute(DDL + " with (storage = " + storage + ")");
            h2.createStatement().execute(DDL);
            load(mnemo);
            load(h2);
            Random rnd = new Random(SEED + 1);
            int compared = 0;
            for (int i = 0; i < 160; i++) {
                String q = query(rnd);
                List<List<Object>> expected = run(h2, q);
                List<List<Object>> actual;
                try {
                    actual = run(mnemo, q);
                } catch (SQLException e) {
                    throw new AssertionError("seed " + SEED + ", " + storage + ": Mnemo failed on: " + q + "\n" + e, e);
                }
                assertThat(actual).as("seed %d, %s, query: %s", SEED, storage, q).isEqualTo(expected);
                compared += expected.size();
            }
            assertThat(compared).as("rows compared").isGreaterThan(1000);
        }
    }

    private static void load(Connection c) throws SQLException {
        Random rnd = new Random(SEED);
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= 120; id++) {
                p.setInt(1, id);
                p.setString(2, String.valueOf((char) ('a' + rnd.nextInt(6))));
                if (rnd.nextInt(10) == 0) {
                    p.setNull(3, Types.INTEGER);
                } else {
                    p.setInt(3, rnd.nextInt(21));
                }
                if (rnd.nextInt(12) == 0) {
                    p.setNull(4, Types.DECIMAL);
                } else {
                    p.setBigDecimal(4, BigDecimal.valueOf(rnd.nextInt(100_000), 2));
                }
                p.setString(5, rnd.nextInt(6) == 0 ? null : "n" + rnd.nextInt(40));
                p.executeUpdate();
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static String query(Random r) {
        int k = 1 + r.nextInt(8);
        int lo = r.nextInt(12);
        String where = r.nextBoolean() ? "" : " where id > " + r.nextInt(60);
        return switch (r.nextInt(12)) {
            case 0 -> "select grp, count(*), count(qty), sum(qty), avg(qty), min(qty), max(qty), count(distinct qty), "
                    + "sum(price), avg(price), min(price), max(price) from t" + where + " group by grp order by grp";
            case 1 -> "select grp, stddev_pop(qty), stddev_samp(qty), var_pop(qty), var_samp(qty) from t" + where
                    + " group by grp having count(qty) > 1 order by grp";
            case 2 -> "select id, ntile(" + k + ") over (partition by grp order by id), ntile(" + (k + 2)
                    + ") over (order by id) from t" + where + " order by id";
            case 3 -> "select id, avg(qty) over (partition by grp), sum(qty) over (partition by grp order by id), "
                    + "avg(price) over (partition by grp order by id rows between " + k + " preceding and current row)"
                    + " from t" + where + " order by id";
            // NULLs sort last in Mnemo (as in PostgreSQL and Oracle) and first in H2: the order is spelled out
            case 4 -> "select id, rank() over (partition by grp order by qty nulls first), dense_rank() over (order by "
                    + "qty desc nulls last), row_number() over (order by qty nulls last, id) from t" + where + " order by id";
            case 5 -> "select id, case when qty < " + lo + " then 'low' when qty < " + (lo + k) + " then 'medium' "
                    + "else 'high' end, case grp when 'a' then 'x' when 'b' then 'yyy' else 'zz' end, "
                    + "coalesce(name, 'none') from t" + where + " order by id";
            case 6 -> "select id, concat(name, '-', grp, name), concat(grp, name) from t" + where + " order by id";
            case 7 -> "select id, lag(qty) over (order by id), lead(price, " + k + ") over (partition by grp order by id),"
                    + " first_value(qty) over (partition by grp order by id), last_value(price) over (partition by grp "
                    + "order by id) from t" + where + " order by id";
            case 8 -> "select id, price, price * 2, price + 1.5, qty * price, case when qty > " + lo
                    + " then price else 0 end from t" + where + " order by id";
            case 9 -> "select avg(qty), avg(price), sum(price), count(*) from t" + where;
            case 10 -> "select grp, avg(qty) from t group by grp having avg(qty) > " + (lo / 2.0 + 4) + " order by grp";
            default -> "select grp, sum(case when qty > " + lo + " then 1 else 0 end), avg(case when qty > " + lo
                    + " then qty end), max(case when price > " + (lo * 50) + " then 'big' else 'small' end) from t"
                    + where + " group by grp order by grp";
        };
    }

    private static List<List<Object>> run(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            java.sql.ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            boolean isMnemo = c.getMetaData().getURL().startsWith("jdbc:mnemo:");
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    int type = md.getColumnType(i);
                    int scale = type == Types.DECIMAL || type == Types.NUMERIC ? md.getScale(i) : -1;
                    if (isMnemo && v instanceof BigDecimal bd && scale >= 0 && scale <= 12) {
                        assertThat(bd.scale()).as("scale of %s in column %d of %s", bd, i, sql).isEqualTo(scale);
                    }
                    row.add(normalize(v, scale));
                }
                out.add(row);
            }
        }
        return out;
    }

    /**
     * Integers by value; a value of a DECIMAL column of scale 1 to 4 (prices, their sums and products) as its text
     * at that scale (H2 sometimes gives
     * a value of another scale than its column's, {@code 0} for {@code CASE … ELSE 0} in a DECIMAL(12,2) column;
     * Mnemo's values are checked to have the column's scale in {@link #run}); other numbers (AVG of integers,
     * STDDEV, VARIANCE, whose types differ) to 10 significant digits; anything else as its text.
     */
    private static Object normalize(Object v, int scale) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return v.toString();
        }
        if (v instanceof BigDecimal bd && scale > 0 && scale <= 4) {
            return "d" + bd.setScale(scale, java.math.RoundingMode.UNNECESSARY).toPlainString();
        }
        if (v instanceof Number num) {
            return new Approx(num.doubleValue());
        }
        return v.toString();
    }

    /** A number compared to 10 significant digits (equal within a relative 1e-10, or both within 1e-12 of 0). */
    private record Approx(double value) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Approx a)) {
                return false;
            }
            double scale = Math.max(Math.abs(value), Math.abs(a.value));
            return Math.abs(value - a.value) <= Math.max(1e-10 * scale, 1e-12);
        }

        @Override
        public int hashCode() {
            return 0; // equality is approximate
        }

        @Override
        public String toString() {
            return "~" + value;
        }
    }
}
