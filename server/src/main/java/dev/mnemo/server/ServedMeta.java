package dev.mnemo.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.jdbc.StatementInfos;

/**
 * Avatica's JDBC-backed Meta over one Mnemo database: each client connection is a connection of this JVM to the
 * served URL. The client's connection properties are not passed on (a client cannot change where or how the
 * database is opened); a client that names a database must name the served one
 * ({@link dev.mnemo.jdbc.Driver#REMOTE_DATABASE}); at most {@code maxConnections} are open at once.
 *
 * <p>Avatica's own expiry is switched off for connections and statements: it counts only some requests as use, and
 * closed statements still being read. Instead {@link #sweep()}, run by the server on a timer, closes (so rolls back)
 * the connections with no request in flight and none for the idle timeout, with their statements.
 */
final class ServedMeta extends JdbcMeta {
    private final String name;
    private final long idleNanos;
    private final int maxConnections;
    private final Map<String, Activity> activity = new ConcurrentHashMap<>();

    /**
     * A client connection's requests in flight and the time its last one ended; guarded by itself. Once dead (its
     * connection closed by {@link #sweep()}) it counts nothing: a request that arrives then finds no connection.
     */
    static final class Activity {
        private int inFlight;
        private long lastUsed = System.nanoTime();
        private boolean dead;
    }

    ServedMeta(String url, String name, Duration idleTimeout, int maxConnections) throws SQLException {
        super(url, unbounded());
        this.name = name;
        this.idleNanos = idleTimeout.toNanos();
        this.maxConnections = maxConnections;
    }

    /** No expiry and no eviction by Avatica's caches: a connection or statement is closed by Mnemo's rules only. */
    private static Properties unbounded() {
        Properties p = new Properties();
        p.setProperty(ConnectionCacheSettings.EXPIRY_DURATION.key(), Long.toString(Long.MAX_VALUE / 2));
        p.setProperty(ConnectionCacheSettings.EXPIRY_UNIT.key(), TimeUnit.NANOSECONDS.name());
        p.setProperty(ConnectionCacheSettings.MAX_CAPACITY.key(), Long.toString(Long.MAX_VALUE / 2));
        p.setProperty(StatementCacheSettings.EXPIRY_DURATION.key(), Long.toString(Long.MAX_VALUE / 2));
        p.setProperty(StatementCacheSettings.EXPIRY_UNIT.key(), TimeUnit.NANOSECONDS.name());
        p.setProperty(StatementCacheSettings.MAX_CAPACITY.key(), Long.toString(Long.MAX_VALUE / 2));
        return p;
    }

    /**
     * Refuses {@code BACKUP TO}, {@code DUMP TO} and {@code LOAD FROM} from a client: they would write or read a file
     * wherever the server's process may, on the server's host. The server's operator runs them there
     * ({@code mnemo backup}, {@code mnemo dump}, {@code mnemo load}).
     */
    private static void refuseBackup(String sql) {
        if (dev.mnemo.calcite.MnemoDdl.usesFiles(sql)) {
            throw new RuntimeException(new SQLException("BACKUP TO, DUMP TO and LOAD FROM are not allowed over a Mnemo "
                    + "server's connections: they write or read a file on the server's host; run them there with "
                    + "'mnemo backup', 'mnemo dump' or 'mnemo load'", "42501"));
        }
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        refuseBackup(sql);
        return super.prepare(ch, sql, maxRowCount);
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
            throws org.apache.calcite.avatica.NoSuchStatementException {
        refuseBackup(sql);
        return super.prepareAndExecute(h, sql, maxRowCount, callback);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
            PrepareCallback callback) throws org.apache.calcite.avatica.NoSuchStatementException {
        refuseBackup(sql);
        return super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback);
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, java.util.List<String> sqlCommands)
            throws org.apache.calcite.avatica.NoSuchStatementException {
        sqlCommands.forEach(ServedMeta::refuseBackup);
        return super.prepareAndExecuteBatch(h, sqlCommands);
    }

    /** The name of the database a {@code jdbc:mnemo:} URL opens ({@link dev.mnemo.jdbc.Driver#databaseName}). */
    static String databaseName(String jdbcUrl) {
        try {
            return dev.mnemo.jdbc.Driver.databaseName(jdbcUrl);
        } catch (SQLException | RuntimeException e) {
            throw new IllegalArgumentException("a server serves a jdbc:mnemo:<path> or jdbc:mnemo:mem:<name> "
                    + "database, not " + jdbcUrl + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    protected Connection createConnection(String url, Properties clientInfo) throws SQLException {
        String asked = clientInfo.getProperty(dev.mnemo.jdbc.Driver.REMOTE_DATABASE);
        if (asked != null && !asked.equals(name)) {
            throw new java.sql.SQLNonTransientConnectionException("this Mnemo server serves database '" + name
                    + "', not '" + asked + "'", "08004");
        }
        if (getConnectionCache().size() >= maxConnections) {
            throw new java.sql.SQLNonTransientConnectionException("this Mnemo server has its " + maxConnections
                    + " client connections open; close one or try later", "08004");
        }
        return DriverManager.getConnection(url);
    }

    @Override
    public void closeConnection(ConnectionHandle ch) {
        Connection c = getConnectionCache().getIfPresent(ch.id);
        if (c != null) {
            dropStatements(c);
        }
        super.closeConnection(ch);
    }

    /** A request of client connection {@code id} starts; hand the result to {@link #end}. */
    Activity begin(String id) {
        while (true) {
            Activity a = activity.computeIfAbsent(id, k -> new Activity());
            synchronized (a) {
                if (!a.dead) {
                    a.inFlight++;
                    return a;
                }
            }
            activity.remove(id, a); // swept meanwhile: start afresh (the request will find no connection)
        }
    }

    /** The request counted by {@code a} ended. */
    void end(Activity a) {
        synchronized (a) {
            a.inFlight--;
            a.lastUsed = System.nanoTime();
        }
    }

    /**
     * Closes (so rolls back) every client connection with no request in flight and none for the idle timeout, with
     * its statements, and forgets it (also when its client closed it before).
     */
    void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<String, Activity> e : activity.entrySet()) {
            Activity a = e.getValue();
            synchronized (a) {
                if (a.inFlight == 0 && now - a.lastUsed > idleNanos) {
                    a.dead = true;
                    activity.remove(e.getKey(), a);
                    Connection c = getConnectionCache().getIfPresent(e.getKey());
                    if (c != null) {
                        dropStatements(c);
                        getConnectionCache().invalidate(e.getKey()); // its removal listener closes the connection
                    }
                }
            }
        }
    }

    /** Closes the statements (and result sets) Avatica keeps for connection {@code c}. */
    private void dropStatements(Connection c) {
        getStatementCache().asMap().values().removeIf(i -> StatementInfos.connectionOf(i) == c);
    }

    /** Closes every client connection, rolling back open transactions. */
    void closeAll() {
        getStatementCache().invalidateAll();
        getConnectionCache().invalidateAll();
        getConnectionCache().cleanUp();
        activity.clear();
    }
}
