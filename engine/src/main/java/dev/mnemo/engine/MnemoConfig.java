package dev.mnemo.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a database.
 *
 * @param directory         where the disc tables live; null for a purely in-memory database (ram_copies only)
 * @param sync              fsync the log on every commit, so commits survive power loss (default false: a
 *                          returned commit survives a crash of the JVM, {@code kill -9}, but not of the machine)
 * @param logCacheBytes     Xodus's log cache size (default 64 MiB, or a quarter of the heap if that is less; Xodus
 *                          alone would take half the heap)
 * @param discOnlyCacheRows decoded keys cached per disc_only_copies table (default 10,000)
 * @param maxRetries        how many times a transaction is re-run after being a deadlock's victim (default 1,000)
 * @param lockTimeout       the longest a transaction waits for a lock before it gives up (default 60 s)
 * @param loadTimeout       the longest an operation waits for its table to finish loading (default 60 s)
 * @param writeDelay        zero (the default): a commit returns once its log record is written (and fsynced with
 *                          {@code sync}). Positive: delayed durability, as H2's {@code WRITE_DELAY} or PostgreSQL's
 *                          {@code synchronous_commit=off}. A commit returns, and is visible, once it is in the
 *                          stores; the engine's log writer writes what is queued at least this often (sooner when
 *                          a megabyte is queued). A crash of the JVM can then lose the commits of about the last
 *                          {@code writeDelay}; the database stays consistent (a prefix of the commit order
 *                          survives). If a delayed write fails, the database takes no more commits until it is
 *                          stopped and started, or reopened, and the commits not written are lost then.
 */
public record MnemoConfig(Path directory, boolean sync, long logCacheBytes, long discOnlyCacheRows, int maxRetries,
                          Duration lockTimeout, Duration loadTimeout, Duration writeDelay) {
    /** The longest {@link #writeDelay}. */
    public static final Duration MAX_WRITE_DELAY = Duration.ofDays(1);

    public MnemoConfig {
        if (logCacheBytes < 1 << 20) {
            throw new IllegalArgumentException("logCacheBytes must be at least 1 MiB, got " + logCacheBytes);
        }
        if (discOnlyCacheRows < 0 || maxRetries < 0) {
            throw new IllegalArgumentException("discOnlyCacheRows and maxRetries must not be negative");
        }
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(loadTimeout, "loadTimeout");
        Objects.requireNonNull(writeDelay, "writeDelay");
        if (!writeDelay.isZero() && (writeDelay.compareTo(Duration.ofMillis(1)) < 0
                || writeDelay.compareTo(MAX_WRITE_DELAY) > 0)) {
            throw new IllegalArgumentException("writeDelay must be zero or from 1 ms to 1 day, got " + writeDelay);
        }
    }

    /** A database stored in {@code directory} (created if absent), with the defaults. */
    public static MnemoConfig disc(Path directory) {
        return new MnemoConfig(Objects.requireNonNull(directory, "directory"), false, defaultLogCacheBytes(), 10_000, 1_000,
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ZERO);
    }

    /** A database held in memory only: every table is ram_copies. */
    public static MnemoConfig inMemory() {
        return new MnemoConfig(null, false, defaultLogCacheBytes(), 10_000, 1_000, Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ZERO);
    }

    /** 64 MiB, or a quarter of the heap if that is less (at least 1 MiB): a small heap is not filled by the cache. */
    static long defaultLogCacheBytes() {
        return Math.max(1L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    public MnemoConfig withSync(boolean s) {
        return new MnemoConfig(directory, s, logCacheBytes, discOnlyCacheRows, maxRetries, lockTimeout, loadTimeout,
                writeDelay);
    }

    public MnemoConfig withLogCacheBytes(long b) {
        return new MnemoConfig(directory, sync, b, discOnlyCacheRows, maxRetries, lockTimeout, loadTimeout, writeDelay);
    }

    public MnemoConfig withDiscOnlyCacheRows(long rows) {
        return new MnemoConfig(directory, sync, logCacheBytes, rows, maxRetries, lockTimeout, loadTimeout, writeDelay);
    }

    public MnemoConfig withMaxRetries(int r) {
        return new MnemoConfig(directory, sync, logCacheBytes, discOnlyCacheRows, r, lockTimeout, loadTimeout,
                writeDelay);
    }

    public MnemoConfig withLockTimeout(Duration d) {
        return new MnemoConfig(directory, sync, logCacheBytes, discOnlyCacheRows, maxRetries, d, loadTimeout,
                writeDelay);
    }

    public MnemoConfig withLoadTimeout(Duration d) {
        return new MnemoConfig(directory, sync, logCacheBytes, discOnlyCacheRows, maxRetries, lockTimeout, d,
                writeDelay);
    }

    /** Delayed durability (see {@link #writeDelay}); {@link Duration#ZERO} for a commit that returns once written. */
    public MnemoConfig withWriteDelay(Duration d) {
        return new MnemoConfig(directory, sync, logCacheBytes, discOnlyCacheRows, maxRetries, lockTimeout, loadTimeout,
                d);
    }
}
