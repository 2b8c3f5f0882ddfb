package dev.mnemo.jdbc;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A parsed {@code jdbc:mnemo:} URL: {@code jdbc:mnemo:<path>[;key=value…]} for a database in a directory, or
 * {@code jdbc:mnemo:mem:<name>[;key=value…]} for an in-memory database shared by the connections of this JVM (see
 * {@code closeOnLast}), or {@code jdbc:mnemo:node:<name>[;key=value…]} for the database of the cluster node of that
 * name running in this JVM (the cluster module's {@code MnemoNode}), whose writes go through the cluster.
 * Properties may also come from the {@link Properties} given to connect; the URL wins.
 *
 * @param location  the directory, or null in memory
 * @param memName   the in-memory name, or null on disc
 * @param nodeName  the cluster node's name ({@code jdbc:mnemo:node:<name>}), or null
 * @param create    create the directory if absent (property {@code create}, default true)
 * @param readOnly  reject writes (property {@code read-only}, default false)
 * @param sync      fsync each commit (property {@code sync}, default false; null when not given)
 * @param direct    answer prepared single-key reads straight from the engine, without Calcite's run-time path
 *                  (property {@code direct}, default true; false runs every statement through Calcite)
 * @param closeOnLast close the database when its last connection closes (property {@code close-on-last}; default
 *                  false in memory, so that an in-memory database lives as long as the JVM, and true on disc, so
 *                  that the directory is free for another process); it applies when the database is first opened
 *                  in the JVM
 * @param lockTimeout how long a transaction waits for a lock before it is rolled back with 40001 (property
 *                  {@code lock-timeout}, milliseconds, default the engine's 60,000); it applies when the database
 *                  is first opened in the JVM
 * @param writeDelay delayed durability (property {@code write-delay}, milliseconds, default 0): a commit returns
 *                  before its log record is written, which the engine writes at least this often; a crash of the
 *                  JVM can lose the commits of about the last {@code write-delay} ms (see the engine's
 *                  {@code MnemoConfig.writeDelay}); it applies when the database is first opened in the JVM, and
 *                  only on disc
 * @param ignored   the properties given that the driver does not know, which it ignores (the connection warns)
 */
record MnemoUrl(Path location, String memName, String nodeName, boolean create, boolean readOnly, Boolean sync,
                boolean direct, boolean closeOnLast, java.time.Duration lockTimeout, java.time.Duration writeDelay,
                List<String> ignored) {
    static final String PREFIX = "jdbc:mnemo:";
    /** The properties the driver reads (user and password are accepted and not needed). */
    static final List<String> KNOWN = List.of("create", "read-only", "sync", "direct", "close-on-last",
            "lock-timeout", "write-delay", "user", "password");

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /**
     * Parses a URL; a malformed one, or a known property with a value it cannot take, is a clear SQLException
     * (SQLState 08001 / HY024); unknown properties are listed in {@link #ignored()}.
     */
    static MnemoUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a Mnemo URL: " + url + " (expected jdbc:mnemo:<path>, jdbc:mnemo:mem:<name> or "
                    + "jdbc:mnemo:node:<name>)",
                    "08001");
        }
        String rest = url.substring(PREFIX.length());
        String[] parts = rest.split(";", -1);
        String where = parts[0].trim();
        if (where.isEmpty()) {
            throw new SQLException("Mnemo URL " + url + " names no database: expected jdbc:mnemo:<path> or "
                    + "jdbc:mnemo:mem:<name>", "08001");
        }
        Map<String, String> props = new LinkedHashMap<>();
        if (info != null) {
            for (String k : info.stringPropertyNames()) {
                props.put(k.toLowerCase(Locale.ROOT), info.getProperty(k));
            }
        }
        props.putAll(urlProperties(parts, url));
        List<String> ignored = new ArrayList<>();
        for (String k : props.keySet()) {
            if (!KNOWN.contains(k)) {
                ignored.add(k);
            }
        }
        boolean create = bool(props, "create", true, url);
        boolean readOnly = bool(props, "read-only", false, url);
        Boolean sync = props.containsKey("sync") ? bool(props, "sync", false, url) : null;
        boolean direct = bool(props, "direct", true, url);
        boolean memory = where.startsWith("mem:");
        boolean closeOnLast = bool(props, "close-on-last", !memory, url);
        java.time.Duration lockTimeout = millis(props, "lock-timeout", url);
        java.time.Duration writeDelay = writeDelay(props, url);
        if (memory) {
            String name = where.substring(4);
            if (name.isEmpty()) {
                throw new SQLException("Mnemo URL " + url + " names no in-memory database: expected jdbc:mnemo:mem:<name>",
                        "08001");
            }
            return new MnemoUrl(null, name, null, create, readOnly, sync, direct, closeOnLast, lockTimeout,
                    writeDelay, List.copyOf(ignored));
        }
        if (where.startsWith("node:")) {
            String name = where.substring(5).trim();
            if (name.isEmpty()) {
                throw new SQLException("Mnemo URL " + url + " names no cluster node: expected jdbc:mnemo:node:<name>",
                        "08001");
            }
            return new MnemoUrl(null, null, name, create, readOnly, sync, direct, false, lockTimeout, writeDelay,
                    List.copyOf(ignored));
        }
        Path location;
        try {
            location = Path.of(where).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new SQLException("Mnemo URL " + url + ": " + where + " is not a valid path (" + e.getReason() + ")",
                    "08001", e);
        }
        return new MnemoUrl(location, null, null, create, readOnly, sync, direct, closeOnLast, lockTimeout,
                writeDelay, List.copyOf(ignored));
    }

    /**
     * The {@code key=value} properties of a URL's {@code ;}-separated parts after the first, keys trimmed and in lower
     * case, in order; blank parts are skipped, a part without a key and {@code =} is SQLState 08001. {@code shown} is
     * the URL as messages may show it.
     */
    static Map<String, String> urlProperties(String[] parts, String shown) throws SQLException {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                continue;
            }
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new SQLException("malformed property " + i + " in Mnemo URL " + shown + ": expected key=value",
                        "08001");
            }
            props.put(parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT), parts[i].substring(eq + 1).trim());
        }
        return props;
    }

    /**
     * {@code write-delay}: 0 or a number of milliseconds up to a day (the engine's {@code MAX_WRITE_DELAY}), or null
     * when the property is absent.
     */
    private static java.time.Duration writeDelay(Map<String, String> props, String url) throws SQLException {
        long max = dev.mnemo.engine.MnemoConfig.MAX_WRITE_DELAY.toMillis();
        return millis(props, "write-delay", url, 0, max, "0 (every commit written before it returns) or a number of "
                + "milliseconds up to " + max);
    }

    /** A positive number of milliseconds, or null when the property is absent. */
    private static java.time.Duration millis(Map<String, String> props, String key, String url) throws SQLException {
        return millis(props, key, url, 1, Long.MAX_VALUE, "a positive number of milliseconds");
    }

    /** Milliseconds from {@code min} to {@code max}, or null when the property is absent; else HY024 saying what. */
    private static java.time.Duration millis(Map<String, String> props, String key, String url, long min, long max,
                                             String expected) throws SQLException {
        String v = props.get(key);
        if (v == null) {
            return null;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms >= min && ms <= max) {
                return java.time.Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SQLException("property " + key + "=" + v + " in Mnemo URL " + url + ": expected " + expected,
                "HY024");
    }

    private static boolean bool(Map<String, String> props, String key, boolean dflt, String url) throws SQLException {
        String v = props.get(key);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new SQLException("property " + key + "=" + v + " in Mnemo URL " + url + ": expected true or false",
                "HY024");
    }

    /** The key under which connections share one open engine. */
    String registryKey() {
        return location != null ? "disc:" + location : nodeName != null ? "node:" + nodeName : "mem:" + memName;
    }
}
