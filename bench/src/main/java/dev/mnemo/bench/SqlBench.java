package dev.mnemo.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Workloads 1–8 through JDBC, the same SQL on every system (parameter {@code system}). Each benchmark checks its
 * result cheaply (row found, row counts) and fails rather than measure a broken query.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SqlBench {

    /** A connection in autocommit mode with every read/update statement prepared. */
    @State(Scope.Thread)
    public static class Session {
        @Param({"mnemo-disc", "mnemo-mem", "h2-file", "h2-mem", "hsqldb-mem", "sqlite-file"})
        public String system;

        BenchConfig config;
        Connection connection;
        Statement plain;
        PreparedStatement pk;
        PreparedStatement byEmail;
        PreparedStatement range;
        PreparedStatement update;
        PreparedStatement groupBy;
        PreparedStatement join;
        int groupByCalls;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            SqlFixture fixture = SqlFixture.get(SqlSystem.of(system));
            config = fixture.config;
            connection = fixture.connect();
            plain = connection.createStatement();
            pk = connection.prepareStatement(Queries.PK_LOOKUP);
            byEmail = connection.prepareStatement(Queries.EMAIL_LOOKUP);
            range = connection.prepareStatement(Queries.RANGE);
            update = connection.prepareStatement(Queries.UPDATE);
            groupBy = connection.prepareStatement(Queries.GROUP_BY);
            join = connection.prepareStatement(Queries.JOIN);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }

        long randomUser() {
            return ThreadLocalRandom.current().nextLong(config.users());
        }
    }

    /** A connection with autocommit off, inserting into the table ins, which is emptied after every iteration. */
    @State(Scope.Thread)
    public static class InsertSession {
        @Param({"mnemo-disc", "mnemo-mem", "h2-file", "h2-mem", "hsqldb-mem", "sqlite-file"})
        public String system;

        SqlSystem sqlSystem;
        Connection connection;
        PreparedStatement insert;
        long nextId;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            sqlSystem = SqlSystem.of(system);
            connection = SqlFixture.get(sqlSystem).connect();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(Queries.INSERT);
        }

        @TearDown(Level.Iteration)
        public void empty() throws SQLException {
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement st = connection.createStatement()) {
                st.execute(sqlSystem.truncate("ins"));
            }
            connection.setAutoCommit(false);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** 1. Primary-key lookup with a PreparedStatement, random key, all columns read. */
    @Benchmark
    public void pkLookupPrepared(Session s, Blackhole bh) throws SQLException {
        s.pk.setLong(1, s.randomUser());
        try (ResultSet rs = s.pk.executeQuery()) {
            consumeUser(rs, bh);
        }
    }

    /** 2. Primary-key lookup with a plain Statement whose literal changes every call. */
    @Benchmark
    public void pkLookupStatement(Session s, Blackhole bh) throws SQLException {
        try (ResultSet rs = s.plain.executeQuery(Queries.PK_LOOKUP_LITERAL + s.randomUser())) {
            consumeUser(rs, bh);
        }
    }

    private static void consumeUser(ResultSet rs, Blackhole bh) throws SQLException {
        if (!rs.next()) {
            throw new IllegalStateException("user not found");
        }
        bh.consume(rs.getString(1));
        bh.consume(rs.getString(2));
        bh.consume(rs.getInt(3));
    }

    /** 3. Lookup by the indexed column email, PreparedStatement. */
    @Benchmark
    public void indexLookup(Session s, Blackhole bh) throws SQLException {
        s.byEmail.setString(1, Data.email(s.randomUser()));
        try (ResultSet rs = s.byEmail.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("email not found");
            }
            bh.consume(rs.getLong(1));
            bh.consume(rs.getString(2));
            bh.consume(rs.getInt(3));
        }
    }

    /** 4. Key range of 1,000 rows, every row and column read. */
    @Benchmark
    public void rangeScan1000(Session s, Blackhole bh) throws SQLException {
        long lo = ThreadLocalRandom.current().nextLong(s.config.users() - BenchConfig.RANGE_ROWS + 1);
        s.range.setLong(1, lo);
        s.range.setLong(2, lo + BenchConfig.RANGE_ROWS);
        int n = 0;
        try (ResultSet rs = s.range.executeQuery()) {
            while (rs.next()) {
                bh.consume(rs.getLong(1));
                bh.consume(rs.getString(2));
                bh.consume(rs.getString(3));
                bh.consume(rs.getInt(4));
                n++;
            }
        }
        if (n != BenchConfig.RANGE_ROWS) {
            throw new IllegalStateException("range gave " + n + " rows");
        }
    }

    /**
     * 5. One transaction inserting 1,000 rows into ins (addBatch / executeBatch, then commit). Batching was the
     * faster of batch and 1,000 executeUpdate calls on every system when the module was written, so all use it.
     */
    @Benchmark
    public void insert1000Txn(InsertSession s) throws SQLException {
        PreparedStatement ps = s.insert;
        for (int i = 0; i < BenchConfig.INSERT_ROWS; i++) {
            long id = s.nextId++;
            ps.setLong(1, id);
            ps.setString(2, Data.name(id));
            ps.setString(3, Data.email(id));
            ps.setInt(4, Data.age(id));
            ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        s.connection.commit();
        if (counts.length != BenchConfig.INSERT_ROWS) {
            throw new IllegalStateException("batch gave " + counts.length + " counts");
        }
    }

    /** 6. Single-row UPDATE of a random user's age, autocommit. */
    @Benchmark
    public int updateAutocommit(Session s) throws SQLException {
        long id = s.randomUser();
        s.update.setInt(1, ThreadLocalRandom.current().nextInt(90));
        s.update.setLong(2, id);
        int n = s.update.executeUpdate();
        if (n != 1) {
            throw new IllegalStateException("update changed " + n + " rows");
        }
        return n;
    }

    /** 7. GROUP BY over events with AVG / COUNT / MAX, every group read. */
    @Benchmark
    public void groupBy(Session s, Blackhole bh) throws SQLException {
        s.groupBy.setInt(1, -(s.groupByCalls++ & 1));
        int n = 0;
        try (ResultSet rs = s.groupBy.executeQuery()) {
            while (rs.next()) {
                bh.consume(rs.getInt(1));
                bh.consume(rs.getDouble(2));
                bh.consume(rs.getLong(3));
                bh.consume(rs.getInt(4));
                n++;
            }
        }
        if (n != s.config.groups()) {
            throw new IllegalStateException("group by gave " + n + " groups");
        }
    }

    /** 8. The orders of a random user with product and user names: orders ⋈ users ⋈ products. */
    @Benchmark
    public void join3(Session s, Blackhole bh) throws SQLException {
        s.join.setLong(1, ThreadLocalRandom.current().nextLong(s.config.usersWithOrders()));
        int n = 0;
        try (ResultSet rs = s.join.executeQuery()) {
            while (rs.next()) {
                bh.consume(rs.getLong(1));
                bh.consume(rs.getInt(2));
                bh.consume(rs.getString(3));
                bh.consume(rs.getString(4));
                bh.consume(rs.getString(5));
                n++;
            }
        }
        if (n != BenchConfig.ORDERS_PER_USER) {
            throw new IllegalStateException("join gave " + n + " rows");
        }
    }
}
