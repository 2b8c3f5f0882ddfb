package dev.mnemo.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.jdbc.JdbcMeta;

/**
 * Avatica's JDBC-backed Meta over one Mnemo database: each client connection is a connection of this JVM to the
 * served URL. The client's connection properties are not passed on (a client cannot change where or how the
 * database is opened); a client that names a database must name the served one
 * ({@link dev.mnemo.jdbc.Driver#REMOTE_DATABASE}).
 * {@link #sweep()}, run by the server on a timer, closes (so rolls back) the connections with no request in flight
 * and none for the idle timeout; Avatica's own expiry is switched off, since it counts only some requests as use.
 */
final class ServedMeta extends JdbcMeta {
    private final String name;
    private final long idleNanos;
    private final Map<String, Activity> activity = new ConcurrentHashMap<>();

    /** A client connection's requests in flight and the time its last one ended; guarded by itself. */
    private static final class Activity {
        int inFlight;
        long lastUsed = System.nanoTime();
    }

    ServedMeta(String url, String name, Duration idleTimeout) throws SQLException {
        super(url, expiry(idleTimeout));
        this.name = name;
        this.idleNanos = idleTimeout.toNanos();
    }

    /**
     * Connections never expire by Avatica's cache (see {@link #sweep()}); statements unused for the idle timeout do,
     * which also drops those of closed connections (a client whose statement expired prepares it again).
     */
    private static Properties expiry(Duration idleTimeout) {
        Properties p = new Properties();
        p.setProperty(ConnectionCacheSettings.EXPIRY_DURATION.key(), Long.toString(Long.MAX_VALUE / 2));
        p.setProperty(ConnectionCacheSettings.EXPIRY_UNIT.key(), TimeUnit.NANOSECONDS.name());
        p.setProperty(StatementCacheSettings.EXPIRY_DURATION.key(), Long.toString(idleTimeout.toMillis()));
        p.setProperty(StatementCacheSettings.EXPIRY_UNIT.key(), TimeUnit.MILLISECONDS.name());
        return p;
    }

    /** The name of the database a {@code jdbc:mnemo:} URL opens: its directory's name, or its in-memory name. */
    static String databaseName(String jdbcUrl) {
        String prefix = "jdbc:mnemo:";
        if (jdbcUrl == null || !jdbcUrl.startsWith(prefix) || jdbcUrl.startsWith(prefix + "remote:")) {
            throw new IllegalArgumentException("a server serves a jdbc:mnemo:<path> or jdbc:mnemo:mem:<name> "
                    + "database, not " + jdbcUrl);
        }
        String where = jdbcUrl.substring(prefix.length()).split(";", 2)[0].trim();
        if (where.startsWith("mem:")) {
            return where.substring(4);
        }
        Path p = Path.of(where).toAbsolutePath().normalize().getFileName();
        return p == null ? where : p.toString();
    }

    @Override
    protected Connection createConnection(String url, Properties clientInfo) throws SQLException {
        String asked = clientInfo.getProperty(dev.mnemo.jdbc.Driver.REMOTE_DATABASE);
        if (asked != null && !asked.equals(name)) {
            throw new java.sql.SQLNonTransientConnectionException("this Mnemo server serves database '" + name
                    + "', not '" + asked + "'", "08004");
        }
        return DriverManager.getConnection(url);
    }

    /** A request of client connection {@code id} starts. */
    void begin(String id) {
        Activity a = activity.computeIfAbsent(id, k -> new Activity());
        synchronized (a) {
            a.inFlight++;
        }
    }

    /** A request of client connection {@code id} ended. */
    void end(String id) {
        Activity a = activity.get(id);
        if (a != null) {
            synchronized (a) {
                a.inFlight--;
                a.lastUsed = System.nanoTime();
            }
        }
    }

    /**
     * Closes (so rolls back) every client connection with no request in flight and none for the idle timeout, and
     * forgets the activity of connections the client closed.
     */
    void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<String, Activity> e : activity.entrySet()) {
            Activity a = e.getValue();
            boolean expire;
            synchronized (a) {
                expire = a.inFlight == 0 && now - a.lastUsed > idleNanos;
                if (expire) {
                    activity.remove(e.getKey(), a); // a request starting now makes a new entry, and finds no connection
                }
            }
            if (expire) {
                getConnectionCache().invalidate(e.getKey()); // its removal listener closes the connection
            } else if (getConnectionCache().getIfPresent(e.getKey()) == null) {
                synchronized (a) {
                    if (a.inFlight == 0) {
                        activity.remove(e.getKey(), a); // closed by its client
                    }
                }
            }
        }
        getStatementCache().cleanUp();
    }

    /** Closes every client connection, rolling back open transactions. */
    void closeAll() {
        getStatementCache().invalidateAll();
        getConnectionCache().invalidateAll();
        getConnectionCache().cleanUp();
        activity.clear();
    }
}
