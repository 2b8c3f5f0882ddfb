package org.apache.calcite.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A table's rows as comparable text, for the tests that run a statement on two paths and compare the results. */
final class TableContents {
    private TableContents() {
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
