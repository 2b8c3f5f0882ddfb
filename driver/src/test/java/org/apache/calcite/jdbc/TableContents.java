package org.apache.calcite.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * For the tests that run a statement on two paths (a direct and a {@code direct=false} connection) and compare the
 * results: a table's rows as comparable text, an execution's outcome as text, and how many executions the direct
 * path answered.
 */
final class TableContents {
    private TableContents() {
    }

    /** Binds a prepared statement's parameters. */
    interface Binder {
        void bind(java.sql.PreparedStatement p) throws SQLException;
    }

    /** How many executions of {@code c} the direct path answered. */
    static long directExecutions(Connection c) {
        return MnemoMeta.directExecutions((org.apache.calcite.avatica.AvaticaConnection) c);
    }

    /**
     * Runs {@code sql} on the direct and the {@code direct=false} connection; asserts both give the same outcome,
     * that the direct path answered it (or not, {@code viaDirect}) and that the other connection's never did.
     * Returns the outcome.
     */
    static String sameOutcome(Connection direct, Connection calcite, String sql, Binder binder, boolean viaDirect)
            throws SQLException {
        long before = directExecutions(direct);
        String got = execute(direct, sql, binder);
        String want = execute(calcite, sql, binder);
        org.assertj.core.api.Assertions.assertThat(got).as(sql).isEqualTo(want);
        org.assertj.core.api.Assertions.assertThat(directExecutions(direct) - before).as("direct path ran for " + sql)
                .isEqualTo(viaDirect ? 1 : 0);
        org.assertj.core.api.Assertions.assertThat(directExecutions(calcite)).isZero();
        return got;
    }

    /** {@code sql} prepared on {@code c}, bound and executed: "count n" or "error STATE: message". */
    static String execute(Connection c, String sql, Binder binder) throws SQLException {
        try (java.sql.PreparedStatement p = c.prepareStatement(sql)) {
            binder.bind(p);
            return "count " + p.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null) {
                throw e; // not a failure a caller can act on: a bug
            }
            return "error " + e.getSQLState() + ": " + e.getMessage();
        }
    }

    /** The rows of {@code table}, each value with its Java class, sorted (read with a plain SELECT *). */
    static List<String> of(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + table)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object o = rs.getObject(i);
                    row.append(o == null ? "null" : o.getClass().getSimpleName() + ":"
                            + (o instanceof byte[] b ? HexFormat.of().formatHex(b) : o)).append(" | ");
                }
                out.add(row.toString());
            }
        }
        out.sort(null);
        return out;
    }
}
