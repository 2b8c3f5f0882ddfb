package dev.mnemo.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Run in a child JVM by {@link StreamingScanTest} with a heap smaller than the table it loads: loads a
 * disc_only_copies table of {@code rows} rows of {@link #WIDTH}-character strings, then counts it, groups it and
 * reads every row through JDBC (in key order and, with ORDER BY the key DESC, backwards; then in a read-write and
 * in a read-only transaction), printing what it found. Materializing the rows anywhere runs out of heap.
 */
final class StreamingChild {
    static final int WIDTH = 500;

    private StreamingChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:mnemo:" + args[0];
        int rows = Integer.parseInt(args[1]);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table t (id bigint primary key, k bigint, s varchar(" + WIDTH + ")) with (type = "
                    + "ordered_set, storage = disc_only_copies)");
            String pad = "x".repeat(WIDTH - 8);
            try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    p.setLong(1, i);
                    p.setLong(2, i % 7);
                    p.setString(3, String.format("%08d", i) + pad);
                    p.addBatch();
                    if (i % 500 == 499) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            try (ResultSet rs = s.executeQuery("select count(*), sum(char_length(s)) from t")) {
                rs.next();
                System.out.println("count " + rs.getLong(1) + " bytes " + rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("select k, count(*), max(s) from t group by k")) {
                int groups = 0;
                while (rs.next()) {
                    groups++;
                }
                System.out.println("groups " + groups);
            }
            try (ResultSet rs = s.executeQuery("select id, s from t")) {
                System.out.println(readInKeyOrder(rs, "in key order"));
            }
            try (ResultSet rs = s.executeQuery("select id, s from t order by id desc")) {
                long n = rows;
                while (rs.next()) {
                    n--;
                    if (rs.getLong(1) != n || !rs.getString(2).startsWith(String.format("%08d", n))) {
                        System.out.println("descending row " + n + " was " + rs.getLong(1));
                        return;
                    }
                }
                System.out.println("read " + (rows - n) + " rows in descending key order");
            }
            c.setAutoCommit(false);
            for (boolean readOnly : new boolean[] {false, true}) {
                c.setReadOnly(readOnly);
                try (ResultSet rs = s.executeQuery("select id, s from t")) {
                    System.out.println(readInKeyOrder(rs, "in a " + (readOnly ? "read-only" : "read-write")
                            + " transaction"));
                }
                c.commit();
            }
        }
    }

    /** "read n rows {@code how}" if the rows are ids 0, 1, ... with their strings, else the first one that is not. */
    private static String readInKeyOrder(ResultSet rs, String how) throws java.sql.SQLException {
        long n = 0;
        while (rs.next()) {
            if (rs.getLong(1) != n || !rs.getString(2).startsWith(String.format("%08d", n))) {
                return "row " + n + " " + how + " was " + rs.getLong(1);
            }
            n++;
        }
        return "read " + n + " rows " + how;
    }
}
