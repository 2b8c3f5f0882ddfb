package dev.mnemo.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code jdbc:mnemo:remote://host:port[/database][;key=value…]} URL: a connection to a Mnemo server (Avatica's
 * protocol over HTTP, protobuf), made by Avatica's remote driver. Properties, from the URL or the connect
 * {@link Properties} (the URL wins): {@code user} and {@code password} (HTTP BASIC authentication, or DIGEST with
 * {@code auth=digest} for a server started with DIGEST), {@code ssl=true}
 * (HTTPS) with {@code truststore} and {@code truststore_password} when the server's certificate is not trusted by
 * the JVM, {@code fetch-size} (rows per frame). The database, when named, must be the one the server serves.
 *
 * @param host     the server's host
 * @param port     its port
 * @param database the database the client expects (the served directory's name), or null for whatever is served
 * @param props    the properties, keys in lower case
 */
record RemoteUrl(String host, int port, String database, Map<String, String> props) {
    static final String PREFIX = "jdbc:mnemo:remote:";
    static final List<String> KNOWN = List.of("user", "password", "auth", "ssl", "truststore", "truststore_password",
            "fetch-size");

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /** Parses {@code url}; a malformed one is SQLState 08001 naming what was expected. */
    static RemoteUrl parse(String url, Properties info) throws SQLException {
        String[] parts = url.substring(PREFIX.length()).split(";", -1);
        String where = parts[0].trim();
        if (!where.startsWith("//")) {
            throw malformed(url, "'//' after " + PREFIX);
        }
        String authority = where.substring(2);
        String database = null;
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            database = authority.substring(slash + 1);
            authority = authority.substring(0, slash);
            if (database.isEmpty()) {
                database = null;
            }
        }
        if (authority.contains("@")) {
            throw new SQLException("malformed Mnemo URL " + PREFIX + "//***@" + authority.substring(
                    authority.lastIndexOf('@') + 1) + "…: credentials go in ;user=…;password=…, not before the host",
                    "08001");
        }
        int colon = authority.lastIndexOf(':');
        if (colon <= 0) {
            throw malformed(url, "host:port");
        }
        int port;
        try {
            port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw malformed(url, "a port number after the host");
        }
        if (port <= 0 || port > 65535) {
            throw malformed(url, "a port between 1 and 65535");
        }
        Map<String, String> props = new LinkedHashMap<>();
        if (info != null) {
            for (String k : info.stringPropertyNames()) {
                String key = k.toLowerCase(Locale.ROOT);
                if (KNOWN.contains(key) && !info.getProperty(k).isEmpty()) {
                    // a tool's own properties (ApplicationName…) stay with the tool; an empty user is none
                    props.put(key, info.getProperty(k));
                }
            }
        }
        for (Map.Entry<String, String> p : MnemoUrl.urlProperties(parts, redacted(url)).entrySet()) {
            if (!KNOWN.contains(p.getKey())) {
                throw new SQLException("unknown property '" + p.getKey() + "' in Mnemo URL " + redacted(url)
                        + "; a remote URL takes " + String.join(", ", KNOWN), "08001");
            }
            props.put(p.getKey(), p.getValue());
        }
        String auth = props.getOrDefault("auth", "basic").toLowerCase(Locale.ROOT);
        if (!auth.equals("basic") && !auth.equals("digest")) {
            throw new SQLException("property auth=" + props.get("auth") + " in Mnemo URL " + redacted(url)
                    + ": expected basic or digest", "HY024");
        }
        return new RemoteUrl(authority.substring(0, colon), port, database, props);
    }

    private static SQLException malformed(String url, String expected) {
        return new SQLException("malformed Mnemo URL " + redacted(url) + ": expected " + expected + " (jdbc:mnemo:"
                + "remote://host:port[/database][;user=…;password=…])", "08001");
    }

    /** The properties whose values messages may show; any other value (a password, a mistyped key's) is hidden. */
    private static final List<String> SHOWN = List.of("user", "auth", "ssl", "truststore", "fetch-size");

    /** {@code url} for messages: the value of every property but the {@link #SHOWN} ones replaced by ***. */
    static String redacted(String url) {
        String[] parts = url.split(";", -1);
        int at = parts[0].lastIndexOf('@');
        StringBuilder b = new StringBuilder(at < 0 ? parts[0] : PREFIX + "***" + parts[0].substring(at));
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
            b.append(';').append(eq < 0 ? "***" : SHOWN.contains(key) ? parts[i] : parts[i].substring(0, eq + 1) + "***");
        }
        return b.toString();
    }

    /** Opens a connection through Avatica's remote driver. */
    Connection connect(String url) throws SQLException {
        boolean ssl = Boolean.parseBoolean(props.getOrDefault("ssl", "false"));
        Properties avatica = new Properties();
        avatica.setProperty("url", (ssl ? "https://" : "http://") + host + ":" + port);
        avatica.setProperty("serialization", "PROTOBUF");
        avatica.setProperty("httpclient_impl", org.apache.calcite.avatica.remote.MnemoHttpClient.class.getName());
        if (props.containsKey("user")) {
            avatica.setProperty("authentication", props.getOrDefault("auth", "basic").toUpperCase(Locale.ROOT));
            avatica.setProperty("avatica_user", props.get("user"));
            avatica.setProperty("avatica_password", props.getOrDefault("password", ""));
        }
        if (props.containsKey("truststore")) {
            avatica.setProperty("truststore", props.get("truststore"));
            avatica.setProperty("truststore_password", props.getOrDefault("truststore_password", ""));
        }
        if (props.containsKey("fetch-size")) {
            avatica.setProperty("fetch_size", props.get("fetch-size"));
        }
        if (database != null) {
            avatica.setProperty(Driver.REMOTE_DATABASE, database);
        }
        avatica.setProperty(org.apache.calcite.avatica.MnemoRemoteFactory.URL_PROPERTY, redacted(url));
        try {
            return new RemoteDriver().connect("jdbc:avatica:remote:", avatica);
        } catch (RuntimeException e) {
            throw failure(url, e);
        } catch (SQLException e) {
            if (e.getSQLState() != null) {
                throw e;
            }
            throw failure(url, e);
        }
    }

    /** The failure to reach or log in to the server, as 28000 (refused credentials) or 08001. */
    private SQLException failure(String url, Exception e) {
        String state = e instanceof org.apache.calcite.avatica.AvaticaClientRuntimeException r ? r.getSqlState() : null;
        if (state != null && !state.equals(org.apache.calcite.avatica.remote.Service.ErrorResponse.UNKNOWN_SQL_STATE)) {
            return new java.sql.SQLNonTransientConnectionException(e.getMessage(), state, e); // the server's refusal
        }
        String text = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        if (text.contains("HTTP/401")) {
            return new java.sql.SQLInvalidAuthorizationSpecException("the Mnemo server at " + host + ":" + port
                    + " refused the credentials" + (props.containsKey("user") ? " of user '" + props.get("user") + "'"
                    : " (none given: add ;user=…;password=… to the URL)"), "28000", e);
        }
        return new java.sql.SQLNonTransientConnectionException("cannot connect to the Mnemo server at " + host + ":"
                + port + " (" + redacted(url) + "): " + e.getMessage(), "08001", e);
    }
}
