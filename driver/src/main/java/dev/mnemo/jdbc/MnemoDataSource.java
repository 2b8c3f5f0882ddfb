package dev.mnemo.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for a Mnemo database: set the URL ({@code jdbc:mnemo:<path>} or {@code jdbc:mnemo:mem:<name>},
 * with optional {@code ;key=value} properties) and hand it to a pool or a framework. Thread-safe; every
 * {@link #getConnection()} opens a new connection (connections to one database share one engine).
 */
public final class MnemoDataSource implements DataSource {
    private static final Driver DRIVER = new Driver();
    private volatile String url;
    private volatile int loginTimeout;
    private volatile PrintWriter logWriter;

    /** A data source without a URL yet; call {@link #setUrl} before use. */
    public MnemoDataSource() {
    }

    /** A data source for {@code url}. */
    public MnemoDataSource(String url) {
        setUrl(url);
    }

    /** The JDBC URL. */
    public String getUrl() {
        return url;
    }

    /** Sets the JDBC URL; it must start with {@code jdbc:mnemo:}. */
    public void setUrl(String url) {
        if (!MnemoUrl.accepts(url)) {
            throw new IllegalArgumentException("not a Mnemo URL: " + url + " (expected jdbc:mnemo:<path> or "
                    + "jdbc:mnemo:mem:<name>)");
        }
        this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        String u = url;
        if (u == null) {
            throw new SQLException("MnemoDataSource has no URL: call setUrl(\"jdbc:mnemo:...\") first", "08001");
        }
        return DRIVER.connect(u, new Properties());
    }

    /** Mnemo has no users: the credentials are accepted and ignored. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Mnemo logs through SLF4J, not java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("MnemoDataSource does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
