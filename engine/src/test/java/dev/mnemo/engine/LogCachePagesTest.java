package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mnemo reads Xodus's log in 4 KiB cache pages ({@link Database#LOG_CACHE_PAGE_BYTES}), not Xodus's default 64 KiB.
 * The page is a unit of reading, not of the file format: a log written with one page size is read and extended
 * with the other, both ways, and a Mnemo database keeps its rows across reopens.
 */
class LogCachePagesTest {
    @TempDir
    Path dir;

    private static final int ENTRIES = 60_000;

    private static Environment open(Path dir, int pageBytes) {
        return Environments.newInstance(dir.toFile(), new EnvironmentConfig().setMemoryUsage(8L << 20)
                .setLogCachePageSize(pageBytes).setLogCacheShared(false).setLogFileSize(1024).setEnvCloseForcedly(true));
    }

    private static ArrayByteIterable bytes(String s) {
        return new ArrayByteIterable(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Environment env, int from, int to) {
        env.executeInTransaction(txn -> {
            Store s = env.openStore("s", StoreConfig.WITHOUT_DUPLICATES, txn);
            for (int i = from; i < to; i++) {
                s.put(txn, bytes(String.format("k%08d", i)), bytes("value " + i + " " + "x".repeat(i % 200)));
            }
        });
    }

    private static void checkAll(Environment env, int count) {
        env.executeInReadonlyTransaction(txn -> {
            Store s = env.openStore("s", StoreConfig.WITHOUT_DUPLICATES, txn);
            assertThat(s.count(txn)).isEqualTo(count);
            for (int i = 0; i < count; i += 7) {
                ByteIterable v = s.get(txn, bytes(String.format("k%08d", i)));
                assertThat(v).as("key %d", i).isNotNull();
                assertThat(new String(v.getBytesUnsafe(), 0, v.getLength(), StandardCharsets.UTF_8))
                        .isEqualTo("value " + i + " " + "x".repeat(i % 200));
            }
        });
    }

    @Test
    void aLogWrittenWith64KiBPages_isReadAndExtendedWith4KiBPages_andTheResultReadWith64KiBPagesAgain() {
        Environment env = open(dir, 65536);
        write(env, 0, ENTRIES);
        env.close();
        env = open(dir, Database.LOG_CACHE_PAGE_BYTES);
        checkAll(env, ENTRIES);
        write(env, ENTRIES, 2 * ENTRIES);
        checkAll(env, 2 * ENTRIES);
        env.close();
        env = open(dir, 65536);
        checkAll(env, 2 * ENTRIES);
        write(env, 2 * ENTRIES, 2 * ENTRIES + 10);
        env.close();
        env = open(dir, Database.LOG_CACHE_PAGE_BYTES);
        checkAll(env, 2 * ENTRIES + 10);
        env.close();
    }

    @Test
    void aDiscOnlyTableLargerThanTheLogCache_keepsEveryRowAcrossReopens() {
        MnemoConfig config = MnemoConfig.disc(dir.resolve("db")).withLogCacheBytes(1L << 20);
        try (Mnemo db = Mnemo.open(config)) {
            db.createTable(TableDef.builder("t").attributes("id", "s").type(TableType.ORDERED_SET)
                    .storage(StorageType.DISC_ONLY_COPIES).build());
            for (int batch = 0; batch < 20; batch++) {
                int from = batch * 1_000;
                db.transaction(tx -> {
                    for (long i = from; i < from + 1_000; i++) {
                        tx.write("t", Tuple.of("t", i, "row " + i + " " + "y".repeat((int) (i % 300))));
                    }
                    return null;
                });
            }
        }
        try (Mnemo db = Mnemo.open(config)) {
            for (long i = 0; i < 20_000; i += 13) {
                assertThat(db.dirtyRead("t", i)).containsExactly(Tuple.of("t", i, "row " + i + " " + "y".repeat((int) (i % 300))));
            }
            List<Object> keys = db.transaction(tx -> tx.allKeys("t"));
            assertThat(keys).hasSize(20_000);
        }
    }

    /** A row of about 1 KB, so that 20,000 of them span three of Xodus's 8 MB files. */
    private static Tuple wideRow(long i) {
        return Tuple.of("t", i, i + " " + "w".repeat(1_000));
    }

    @Test
    void aDiscOnlyTableThatFitsTheLogCache_isReadFromTheFilesOnce() {
        MnemoConfig config = MnemoConfig.disc(dir.resolve("db")).withLogCacheBytes(64L << 20)
                .withDiscOnlyCacheRows(0);
        try (Mnemo db = Mnemo.open(config)) {
            db.createTable(TableDef.builder("t").attributes("id", "s").type(TableType.ORDERED_SET)
                    .storage(StorageType.DISC_ONLY_COPIES).build());
            for (int batch = 0; batch < 20; batch++) {
                long from = batch * 1_000L;
                db.transaction(tx -> {
                    for (long i = from; i < from + 1_000; i++) {
                        tx.write("t", wideRow(i));
                    }
                    return null;
                });
            }
        }
        try (Mnemo db = Mnemo.open(config)) {
            java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
            ((jetbrains.exodus.env.EnvironmentImpl) db.db.environment()).getLog()
                    .addReadBytesListener((bytes, count) -> read.addAndGet(count));
            long[] passes = new long[2];
            for (int pass = 0; pass < 2; pass++) {
                read.set(0);
                java.util.Random rnd = new java.util.Random(pass);
                for (int i = 0; i < 40_000; i++) {
                    long k = rnd.nextInt(20_000);
                    assertThat(db.dirtyRead("t", k)).containsExactly(wideRow(k));
                }
                passes[pass] = read.get();
            }
            // Xodus's lock-free cache, with 4 KiB pages, read the table's files again and again (see Database)
            assertThat(passes[0]).as("bytes read by a first pass").isGreaterThan(8L << 20);
            assertThat(passes[1]).as("bytes read from the files by a second pass, after %d by the first", passes[0])
                    .isLessThan(passes[0] / 50);
        }
    }
}
