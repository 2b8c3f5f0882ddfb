package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database whose data files (Xodus's {@code *.xd}) were deleted, damaged or replaced by an older copy refuses to
 * open with {@link DatabaseDamagedException} instead of opening empty or as it was long before (Xodus cuts a log
 * damaged in the middle at the damage, as it would a write torn by a crash); with the files back, it opens whole.
 */
class DamagedFilesTest {
    @TempDir
    Path dir;

    private void create() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            for (long k = 1; k <= 3; k++) {
                db.dirtyWrite(Tuple.of("t", k, "v" + k));
            }
        }
    }

    private Path dataFile() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".xd")).findFirst().orElseThrow();
        }
    }

    private void assertWhole() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(db.dirtyAllKeys("t")).containsExactlyInAnyOrder(1L, 2L, 3L);
        }
    }

    @Test
    void deletedDataFiles_areRefused_andTheDirectoryIsLeftAsItWas() throws Exception {
        create();
        Path file = dataFile();
        byte[] saved = Files.readAllBytes(file);
        Files.delete(file);
        assertThatThrownBy(() -> Mnemo.open(dir)).isInstanceOf(DatabaseDamagedException.class)
                .hasMessageContaining("none of its data files");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".xd"))).isEmpty();
        }
        Files.write(file, saved);
        assertWhole();
    }

    @Test
    void aDataFileDamagedInTheMiddle_isRefused_notOpenedAsItWasBefore() throws Exception {
        create();
        Path file = dataFile();
        byte[] saved = Files.readAllBytes(file);
        byte[] damaged = saved.clone();
        for (int i = 64; i < damaged.length; i++) {
            damaged[i] ^= 0x5a;
        }
        Files.write(file, damaged);
        assertThatThrownBy(() -> Mnemo.open(dir)).isInstanceOf(DatabaseDamagedException.class)
                .hasMessageContaining("older state than its commit log");
        Files.write(file, saved);
        assertWhole();
    }

    @Test
    void anOlderCopyOfTheDataFiles_isRefused() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
        }
        Path file = dataFile();
        byte[] older = Files.readAllBytes(file);
        try (Mnemo db = Mnemo.open(dir)) { // more starts: the log moves a generation on with each
            db.dirtyWrite(Tuple.of("t", 1L, "v1"));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.dirtyWrite(Tuple.of("t", 2L, "v2"));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.dirtyAllKeys("t")).hasSize(2);
        }
        byte[] current = Files.readAllBytes(file);
        Files.write(file, older);
        assertThatThrownBy(() -> Mnemo.open(dir)).isInstanceOf(DatabaseDamagedException.class)
                .hasMessageContaining("mnemo-*.log");
        Files.write(file, current);
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(db.dirtyAllKeys("t")).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    /** A clean close right after the commit that rotated the commit log (past 64 MiB) leaves a healthy database. */
    @Test
    void aCleanCloseRightAfterTheLogRotated_opens() {
        String big = "x".repeat(10 << 20);
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            for (long k = 1; k <= 7; k++) { // the 7th commit takes the log past CommitLog.ROTATE_BYTES
                db.dirtyWrite(Tuple.of("t", k, big));
            }
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(60));
            assertThat(db.dirtyAllKeys("t")).hasSize(7);
        }
    }
}
