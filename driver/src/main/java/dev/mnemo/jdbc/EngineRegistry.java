package dev.mnemo.jdbc;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoConfig;
import dev.mnemo.engine.MnemoException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One open engine per database per JVM, shared by every connection to it. When its last connection closes it is
 * closed if it was opened with {@code close-on-last=true} (the default on disc, so that the directory is free for
 * another process), else it stays open for the next connection (the default in memory, so that an in-memory
 * database lives as long as the JVM, as a pool that shrinks to no connection expects).
 */
final class EngineRegistry {
    private static final Map<String, Entry> OPEN = new HashMap<>();

    private EngineRegistry() {
    }

    private static final class Entry {
        final Mnemo db;
        final boolean closeOnLast;
        int users;

        Entry(Mnemo db, boolean closeOnLast) {
            this.db = db;
            this.closeOnLast = closeOnLast;
        }
    }

    static synchronized Mnemo acquire(MnemoUrl url) throws SQLException {
        if (url.nodeName() != null) {
            // a cluster node's view: the node owns its database, which lives as long as the node
            return Mnemo.attached(url.nodeName()).orElseThrow(() -> new java.sql.SQLNonTransientConnectionException(
                    "no cluster node named '" + url.nodeName() + "' is running in this JVM: start it first "
                            + "(MnemoNode.start), then connect to jdbc:mnemo:node:" + url.nodeName(), "08001"));
        }
        Entry e = OPEN.get(url.registryKey());
        if (e == null) {
            e = new Entry(open(url), url.closeOnLast());
            OPEN.put(url.registryKey(), e);
        }
        e.users++;
        return e.db;
    }

    /**
     * Warnings for the engine settings {@code url} gives that the database it names, open already, does not have:
     * they apply when a database is first opened in the JVM, and {@code sync} and {@code write-delay} not in
     * memory. None if the database is not open.
     */
    static synchronized java.util.List<String> unapplied(MnemoUrl url) {
        if (url.nodeName() != null) {
            java.util.List<String> out = new java.util.ArrayList<>();
            String noEffect = " has no effect on a cluster node's database: the node was started with its own settings";
            if (url.sync() != null) {
                out.add("connection property sync" + noEffect);
            }
            if (url.writeDelay() != null) {
                out.add("connection property write-delay" + noEffect);
            }
            if (url.lockTimeout() != null) {
                out.add("connection property lock-timeout" + noEffect);
            }
            return out;
        }
        Entry e = OPEN.get(url.registryKey());
        if (e == null) {
            return java.util.List.of();
        }
        MnemoConfig config = e.db.config();
        java.util.List<String> out = new java.util.ArrayList<>();
        String why = " was not applied: the database was opened before in this JVM with %s; settings apply when it is "
                + "first opened (" + (e.closeOnLast ? "it is opened anew once every connection to it is closed)"
                : "it stays open until the JVM ends: close-on-last=false)");
        if (url.location() == null) {
            if (url.sync() != null) {
                out.add("connection property sync=" + url.sync() + " has no effect on an in-memory database");
            }
            if (url.writeDelay() != null) {
                out.add("connection property write-delay=" + url.writeDelay().toMillis() + " has no effect on an "
                        + "in-memory database");
            }
        } else {
            if (url.sync() != null && url.sync() != config.sync()) {
                out.add(String.format("connection property sync=" + url.sync() + why, "sync=" + config.sync()));
            }
            if (url.writeDelay() != null && !url.writeDelay().equals(config.writeDelay())) {
                out.add(String.format("connection property write-delay=" + url.writeDelay().toMillis() + why,
                        "write-delay=" + config.writeDelay().toMillis()));
            }
        }
        if (url.lockTimeout() != null && !url.lockTimeout().equals(config.lockTimeout())) {
            out.add(String.format("connection property lock-timeout=" + url.lockTimeout().toMillis() + why,
                    "lock-timeout=" + config.lockTimeout().toMillis()));
        }
        return out;
    }

    private static Mnemo open(MnemoUrl url) throws SQLException {
        if (url.location() == null) {
            return Mnemo.open(withLockTimeout(MnemoConfig.inMemory(), url));
        }
        if (!url.create() && !Files.isDirectory(url.location())) {
            throw new SQLException("database " + url.location() + " does not exist (create=false)", "08001");
        }
        try {
            MnemoConfig config = MnemoConfig.disc(url.location()).withSync(Boolean.TRUE.equals(url.sync()));
            if (url.writeDelay() != null) {
                config = config.withWriteDelay(url.writeDelay());
            }
            return Mnemo.open(withLockTimeout(config, url));
        } catch (dev.mnemo.engine.DatabaseLockedException | java.nio.file.InvalidPathException e) {
            throw new java.sql.SQLNonTransientConnectionException("cannot open database " + url.location() + ": "
                    + e.getMessage(), "08001", e);
        } catch (RuntimeException e) {
            // damaged files XX001, a full disk 53100; a path that is a file, or not a directory one can create: the
            // URL names no database (08001)
            String storage = dev.mnemo.calcite.SqlErrors.storageState(e);
            if (storage != null && !(e instanceof java.io.UncheckedIOException && storage.equals("58030"))) {
                throw dev.mnemo.calcite.SqlErrors.exception("cannot open database " + url.location() + ": "
                        + dev.mnemo.calcite.SqlErrors.storageMessage(storage, e), storage, e);
            }
            throw new java.sql.SQLNonTransientConnectionException("cannot open database " + url.location() + ": "
                    + e.getMessage(), "08001", e);
        }
    }

    private static MnemoConfig withLockTimeout(MnemoConfig config, MnemoUrl url) {
        return url.lockTimeout() == null ? config : config.withLockTimeout(url.lockTimeout());
    }

    static synchronized void release(MnemoUrl url) {
        Entry e = OPEN.get(url.registryKey());
        if (e != null && --e.users == 0 && e.closeOnLast) {
            OPEN.remove(url.registryKey());
            e.db.close();
        }
    }
}
