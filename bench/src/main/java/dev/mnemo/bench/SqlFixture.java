package dev.mnemo.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A system loaded with the benchmark data, once per JVM and shared by every workload: users (index on email),
 * orders (index on user_id), products, events, and the empty insert target ins. A connection stays open for the
 * whole run so that in-memory databases live on between benchmarks.
 */
final class SqlFixture {
    private static final Map<SqlSystem, SqlFixture> LOADED = new EnumMap<>(SqlSystem.class);
    /** A system whose loading failed fails every later benchmark at once, with the same error. */
    private static final Map<SqlSystem, IllegalStateException> FAILED = new EnumMap<>(SqlSystem.class);
    private static final int LOAD_BATCH = 1_000;

    final SqlSystem system;
    final BenchConfig config;
    final long loadMillis;
    /** Mnemo only: EXPLAIN of each read query, to tell which access path a figure measures. */
    final Map<String, String> plans = new LinkedHashMap<>();
    private final Connection keeper;

    private SqlFixture(SqlSystem system, BenchConfig config) throws SQLException {
        this.system = system;
        this.config = config;
        long t0 = System.nanoTime();
        this.keeper = system.connect();
        load();
        verify();
        this.loadMillis = (System.nanoTime() - t0) / 1_000_000;
        if (system.isMnemo()) {
            explain();
        }
        System.err.printf("[bench] %s loaded in %,d ms%n", system.label, loadMillis);
    }

    /** The loaded fixture of {@code system}, loading it on first use. */
    static synchronized SqlFixture get(SqlSystem system) {
        IllegalStateException failed = FAILED.get(system);
        if (failed != null) {
            throw failed;
        }
        SqlFixture f = LOADED.get(system);
        if (f == null) {
            try {
                f = new SqlFixture(system, BenchConfig.current());
            } catch (SQLException | RuntimeException e) {
                failed = new IllegalStateException("loading " + system.label + " failed: " + e, e);
                FAILED.put(system, failed);
                throw failed;
            }
            LOADED.put(system, f);
        }
        return f;
    }

    static synchronized List<SqlFixture> loaded() {
        return new ArrayList<>(LOADED.values());
    }

    static synchronized void closeAll() {
        for (SqlFixture f : LOADED.values()) {
            try {
                f.keeper.close();
            } catch (SQLException e) {
                System.err.println("closing " + f.system.label + ": " + e);
            }
        }
        LOADED.clear();
    }

    Connection connect() throws SQLException {
        return system.connect();
    }

    private void load() throws SQLException {
        try (Statement st = keeper.createStatement()) {
            st.execute(system.createTable("users", Queries.USER_COLUMNS));
            st.execute(system.createTable("ins", Queries.USER_COLUMNS));
            st.execute(system.createTable("products", "name varchar(100), price int"));
            st.execute(system.createTable("orders", "user_id bigint, product_id bigint, qty int"));
            st.execute(system.createTable("events", "grp int, val int"));
        }
        keeper.setAutoCommit(false);
        insert("insert into users (id, name, email, age) values (?, ?, ?, ?)", config.users(), (ps, i) -> {
            ps.setLong(1, i);
            ps.setString(2, Data.name(i));
            ps.setString(3, Data.email(i));
            ps.setInt(4, Data.age(i));
        });
        insert("insert into products (id, name, price) values (?, ?, ?)", config.products(), (ps, i) -> {
            ps.setLong(1, i);
            ps.setString(2, Data.productName(i));
            ps.setInt(3, Data.productPrice(i));
        });
        int withOrders = config.usersWithOrders();
        insert("insert into orders (id, user_id, product_id, qty) values (?, ?, ?, ?)", config.orders(), (ps, i) -> {
            ps.setLong(1, i);
            ps.setLong(2, Data.orderUser(i, withOrders));
            ps.setLong(3, Data.orderProduct(i, config.products()));
            ps.setInt(4, Data.orderQty(i));
        });
        insert("insert into events (id, grp, val) values (?, ?, ?)", config.events(), (ps, i) -> {
            ps.setLong(1, i);
            ps.setInt(2, Data.eventGroup(i, config.groups()));
            ps.setInt(3, Data.eventValue(i));
        });
        keeper.setAutoCommit(true);
        try (Statement st = keeper.createStatement()) {
            st.execute("create index users_email on users (email)");
            st.execute("create index ins_email on ins (email)");
            st.execute("create index orders_user on orders (user_id)");
            if (system == SqlSystem.H2_FILE || system == SqlSystem.H2_FILE_NODELAY || system == SqlSystem.H2_MEM
                    || system == SqlSystem.SQLITE_FILE) {
                st.execute("analyze");
            }
        }
    }

    private interface RowBinder {
        void bind(PreparedStatement ps, long i) throws SQLException;
    }

    private void insert(String sql, int rows, RowBinder binder) throws SQLException {
        try (PreparedStatement ps = keeper.prepareStatement(sql)) {
            for (long i = 0; i < rows; i++) {
                binder.bind(ps, i);
                ps.addBatch();
                if ((i + 1) % LOAD_BATCH == 0 || i == rows - 1) {
                    ps.executeBatch();
                    keeper.commit();
                }
            }
        }
    }

    /** Row counts and one probe per query shape, so that a broken query cannot look fast. */
    private void verify() throws SQLException {
        expectCount("select count(*) from users", config.users());
        expectCount("select count(*) from orders", config.orders());
        expectCount("select count(*) from products", config.products());
        expectCount("select count(*) from events", config.events());
        expectCount("select count(*) from ins", 0);
        expectCount("select count(*) from users where email = 'user7@example.com'", 1);
        expectCount("select count(*) from (" + Queries.GROUP_BY.replace("?", "-1") + ") g", config.groups());
        expectCount("select count(*) from (" + Queries.JOIN.replace("?", "3") + ") j", BenchConfig.ORDERS_PER_USER);
    }

    private void expectCount(String sql, long expected) throws SQLException {
        try (Statement st = keeper.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            if (n != expected) {
                throw new IllegalStateException(system.label + ": " + sql + " gave " + n + ", expected " + expected);
            }
        }
    }

    private void explain() throws SQLException {
        for (Map.Entry<String, String> q : Queries.explained().entrySet()) {
            StringBuilder plan = new StringBuilder();
            try (Statement st = keeper.createStatement();
                 ResultSet rs = st.executeQuery("explain plan for " + q.getValue())) {
                while (rs.next()) {
                    plan.append(rs.getString(1));
                }
            } catch (SQLException e) {
                plan.append("EXPLAIN failed: ").append(e.getMessage());
            }
            plans.put(q.getKey(), plan.toString().strip());
        }
    }
}
