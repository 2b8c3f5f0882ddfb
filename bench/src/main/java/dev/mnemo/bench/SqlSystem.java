package dev.mnemo.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The systems the SQL workloads run on, each with its JDBC URL and the few places its DDL differs. Every system
 * runs with its default settings: Mnemo writes each commit to the OS without fsync, H2 file delays writes (by up
 * to 0.5 s), SQLite fsyncs every commit (rollback journal), the in-memory systems write nothing. One more, H2 file
 * with {@code WRITE_DELAY=0}, writes each commit to the OS as Mnemo does: the like-for-like peer for durability
 * against a killed process (used by the pool workloads). And Mnemo disc with {@code write-delay=500}, delayed
 * durability as H2 file's default: the like-for-like peer of H2 file (pool workloads only).
 */
enum SqlSystem {
    MNEMO_DISC("mnemo-disc"),
    MNEMO_DISC_DELAY("mnemo-disc-delay"),
    MNEMO_MEM("mnemo-mem"),
    H2_FILE("h2-file"),
    H2_FILE_NODELAY("h2-file-nodelay"),
    H2_MEM("h2-mem"),
    HSQLDB_MEM("hsqldb-mem"),
    SQLITE_FILE("sqlite-file");

    /** The names, as JMH's {@code system} parameter takes them; keep in step with {@code SqlBench}'s @Param. */
    final String label;

    SqlSystem(String label) {
        this.label = label;
    }

    static SqlSystem of(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown system " + label));
    }

    String url() {
        return switch (this) {
            case MNEMO_DISC -> "jdbc:mnemo:" + TempDirs.dir("mnemo-disc").resolve("db");
            case MNEMO_DISC_DELAY -> "jdbc:mnemo:" + TempDirs.dir("mnemo-disc-delay").resolve("db")
                    + ";write-delay=500";
            case MNEMO_MEM -> "jdbc:mnemo:mem:bench";
            case H2_FILE -> "jdbc:h2:file:" + TempDirs.dir("h2-file").resolve("db");
            case H2_FILE_NODELAY -> "jdbc:h2:file:" + TempDirs.dir("h2-file-nodelay").resolve("db") + ";WRITE_DELAY=0";
            case H2_MEM -> "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1";
            case HSQLDB_MEM -> "jdbc:hsqldb:mem:bench";
            case SQLITE_FILE -> "jdbc:sqlite:" + TempDirs.dir("sqlite-file").resolve("db.sqlite");
        };
    }

    Connection connect() throws SQLException {
        return this == HSQLDB_MEM ? DriverManager.getConnection(url(), "SA", "") : DriverManager.getConnection(url());
    }

    /**
     * Whether the JMH workloads run on it (SqlBench's @Param lists); h2-file-nodelay and mnemo-disc-delay are the
     * pool workloads' only.
     */
    boolean inJmh() {
        return this != H2_FILE_NODELAY && this != MNEMO_DISC_DELAY;
    }

    boolean isMnemo() {
        return this == MNEMO_DISC || this == MNEMO_DISC_DELAY || this == MNEMO_MEM;
    }

    /**
     * {@code CREATE TABLE name (columns)} with the key column {@code id}: Mnemo tables are ordered_set in the
     * system's storage type; SQLite's key is {@code INTEGER PRIMARY KEY} (its 64-bit rowid — a {@code BIGINT}
     * key would be a second index beside the rowid), everyone else's {@code BIGINT PRIMARY KEY}.
     */
    String createTable(String name, String otherColumns) {
        String key = this == SQLITE_FILE ? "id integer primary key" : "id bigint primary key";
        String sql = "create table " + name + " (" + key + ", " + otherColumns + ")";
        return switch (this) {
            case MNEMO_DISC, MNEMO_DISC_DELAY -> sql + " with (type = ordered_set, storage = disc_copies)";
            case MNEMO_MEM -> sql + " with (type = ordered_set, storage = ram_copies)";
            default -> sql;
        };
    }

    /** Empties a table between measurement iterations of the insert workload. */
    String truncate(String table) {
        return this == SQLITE_FILE ? "delete from " + table : "truncate table " + table;
    }
}
