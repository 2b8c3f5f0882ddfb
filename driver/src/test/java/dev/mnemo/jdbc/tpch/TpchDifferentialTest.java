package dev.mnemo.jdbc.tpch;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TPC-H queries, as their standard texts (Tpch's resources), on the same generated data (scale factor 0.01, the smallest at which dbgen's partsupp keys are unique)
 * in Mnemo and in H2, sent as plain Statements as a BI tool sends them: both must return the same rows in the same
 * order (numbers compared to 6 significant fraction digits, as the two engines round AVG and division differently
 * in the last digits). q15 creates, queries and drops a view in both.
 */
class TpchDifferentialTest {
    private static final double SCALE = 0.01;
    private static Connection mnemo;
    private static Connection h2;

    @BeforeAll
    static void load() throws SQLException {
        mnemo = DriverManager.getConnection("jdbc:mnemo:mem:tpchdiff;close-on-last=true");
        h2 = DriverManager.getConnection("jdbc:h2:mem:tpchdiff" + System.nanoTime());
        Tpch.load(mnemo, SCALE, true);
        Tpch.load(h2, SCALE, false);
    }

    @AfterAll
    static void close() throws SQLException {
        mnemo.close();
        h2.close();
    }

    @ParameterizedTest(name = "q{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
    void query_givesH2sRows(int q) throws SQLException {
        for (String sql : Tpch.query(q)) {
            if (!sql.regionMatches(true, 0, "SELECT", 0, 6)) {
                // q15's CREATE VIEW and DROP VIEW
                try (Statement sm = mnemo.createStatement(); Statement sh = h2.createStatement()) {
                    sm.execute(sql);
                    sh.execute(sql);
                }
                continue;
            }
            List<String> want = rows(h2, sql);
            List<String> got = rows(mnemo, sql);
            assertThat(got).as("q%d", q).isEqualTo(want);
            // a query whose answer is empty compares nothing: every query here has rows at this scale
            assertThat(want).as("q%d rows", q).isNotEmpty();
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(normal(rs.getObject(i)));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static String normal(Object v) {
        if (v instanceof BigDecimal || v instanceof Double || v instanceof Float) {
            BigDecimal bd = new BigDecimal(v.toString()).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
            return bd.signum() == 0 ? "0" : bd.toPlainString();
        }
        if (v instanceof Number n) {
            return Long.toString(n.longValue());
        }
        return String.valueOf(v);
    }
}
