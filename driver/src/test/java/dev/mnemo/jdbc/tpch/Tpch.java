package dev.mnemo.jdbc.tpch;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchColumnType;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * TPC-H data (the dbgen-compatible generator of {@code io.trino.tpch}) and the 22 queries, for the differential
 * test against H2 and for planning/execution probes. Money columns are DECIMAL(15,2) as the TPC-H schema says;
 * each table has its primary key and nothing else.
 */
public final class Tpch {
    /** The primary key of each table. */
    private static final Map<String, String> KEYS = Map.of(
            "customer", "c_custkey", "orders", "o_orderkey", "lineitem", "l_orderkey, l_linenumber",
            "part", "p_partkey", "partsupp", "ps_partkey, ps_suppkey", "supplier", "s_suppkey",
            "nation", "n_nationkey", "region", "r_regionkey");

    private Tpch() {
    }

    /** Creates the eight tables in {@code c} and loads them at scale factor {@code sf} through JDBC batches. */
    public static void load(Connection c, double sf, boolean mnemo) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        for (TpchTable<?> t : TpchTable.getTables()) {
            try (Statement s = c.createStatement()) {
                s.execute(ddl(t, mnemo));
            }
            c.commit();
            loadRows(c, t, sf);
        }
        c.setAutoCommit(auto);
    }

    /** The CREATE TABLE statement of {@code t} (with Mnemo's WITH clause where its key is composite). */
    public static String ddl(TpchTable<?> t, boolean mnemo) {
        StringJoiner cols = new StringJoiner(", ", "CREATE TABLE " + t.getTableName() + " (", "");
        for (TpchColumn<?> col : t.getColumns()) {
            cols.add(col.getColumnName() + " " + sqlType(col.getType()) + " NOT NULL");
        }
        String key = KEYS.get(t.getTableName());
        String sql = cols + ", PRIMARY KEY (" + key + "))";
        return mnemo && key.contains(",") ? sql + " WITH (type = ordered_set)" : sql;
    }

    private static String sqlType(TpchColumnType type) {
        return switch (type.getBase()) {
            case IDENTIFIER -> "BIGINT";
            case INTEGER -> "INTEGER";
            case DATE -> "DATE";
            case DOUBLE -> "DECIMAL(15,2)";
            case VARCHAR -> "VARCHAR(" + type.getPrecision().orElseThrow() + ")";
        };
    }

    private static <E extends TpchEntity> void loadRows(Connection c, TpchTable<E> t, double sf) throws SQLException {
        List<TpchColumn<E>> cols = t.getColumns();
        String marks = String.join(", ", java.util.Collections.nCopies(cols.size(), "?"));
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t.getTableName() + " VALUES (" + marks + ")")) {
            int n = 0;
            for (E row : t.createGenerator(sf, 1, 1)) {
                for (int i = 0; i < cols.size(); i++) {
                    bind(p, i + 1, cols.get(i), row);
                }
                p.addBatch();
                if (++n % 1000 == 0) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
        }
        c.commit();
    }

    private static <E extends TpchEntity> void bind(PreparedStatement p, int i, TpchColumn<E> col, E row)
            throws SQLException {
        switch (col.getType().getBase()) {
            case IDENTIFIER -> p.setLong(i, col.getIdentifier(row));
            case INTEGER -> p.setInt(i, col.getInteger(row));
            case DATE -> p.setDate(i, Date.valueOf(java.time.LocalDate.ofEpochDay(col.getDate(row))));
            case DOUBLE -> p.setBigDecimal(i, BigDecimal.valueOf(col.getDouble(row)).setScale(2, RoundingMode.HALF_UP));
            case VARCHAR -> p.setString(i, col.getString(row));
        }
    }

    /** The statements of query {@code n} (1–22): one, or for q15 the view, the query and the view's drop. */
    public static List<String> query(int n) {
        try (InputStream in = Tpch.class.getResourceAsStream("/tpch/q" + n + ".sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> statements = new ArrayList<>();
            for (String s : text.split(";\\s*\n")) {
                String statement = s.strip();
                if (statement.endsWith(";")) {
                    statement = statement.substring(0, statement.length() - 1);
                }
                if (!statement.isBlank()) {
                    statements.add(statement);
                }
            }
            if (n == 15) {
                statements.add("DROP VIEW revenue");
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
