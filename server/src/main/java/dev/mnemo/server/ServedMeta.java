package dev.mnemo.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.jdbc.JdbcMeta;

/**
 * Avatica's JDBC-backed Meta over one Mnemo database: each client connection is a connection of this JVM to the
 * served URL. The client's connection properties are not passed on (a client cannot change where or how the
 * database is opened); a client that names a database must name the served one. Connections unused for the idle
 * timeout are closed (so rolled back) by {@link #sweep()}, which the server runs on a timer: Avatica's cache only
 * expires entries when it is used.
 */
final class ServedMeta extends JdbcMeta {
    /** The client connection property naming the database the client expects (see the driver's RemoteUrl). */
    static final String DATABASE_PROPERTY = "mnemo.database";
    private final String name;

    ServedMeta(String url, String name, Duration idleTimeout) throws SQLException {
        super(url, cacheSettings(idleTimeout));
        this.name = name;
    }

    private static Properties cacheSettings(Duration idleTimeout) {
        Properties p = new Properties();
        p.setProperty(ConnectionCacheSettings.EXPIRY_DURATION.key(), Long.toString(idleTimeout.toMillis()));
        p.setProperty(ConnectionCacheSettings.EXPIRY_UNIT.key(), TimeUnit.MILLISECONDS.name());
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
        String asked = clientInfo.getProperty(DATABASE_PROPERTY);
        if (asked != null && !asked.equals(name)) {
            throw new java.sql.SQLNonTransientConnectionException("this Mnemo server serves database '" + name
                    + "', not '" + asked + "'", "08004");
        }
        return DriverManager.getConnection(url);
    }

    /** Closes (so rolls back) the connections idle past the timeout, and their statements. */
    void sweep() {
        getConnectionCache().cleanUp();
        getStatementCache().cleanUp();
    }

    /** Closes every client connection, rolling back open transactions. */
    void closeAll() {
        getStatementCache().invalidateAll();
        getConnectionCache().invalidateAll();
        getConnectionCache().cleanUp();
    }
}
