package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while a commit is written: a commit either returns and survives reopening, or fails with the
 * disk's error and leaves nothing of itself, in memory or on disc. Writes are made to fail part-way through a
 * record, as a full disk cuts them (test hooks of the commit log and of Xodus's log writer).
 */
class FullDiskTest {
    @TempDir
    Path dir;

    private static void put(Mnemo db, long k) {
        db.transaction(tx -> {
            tx.write(Tuple.of("t", k, "v" + k));
            return null;
        });
    }

    private Mnemo open() {
        Mnemo db = Mnemo.open(dir);
        db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
        return db;
    }

    @Test
    void theCommitLogFull_aCommitGoesStraightToXodus_andTheLogGoesOnWhole() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            put(db, 1);
            CommitLog log = db.db.checkpoints.commitLog();
            log.failAfterBytes = 5; // the record is cut after 5 bytes
            put(db, 2);
            log.failAfterBytes = -1;
            put(db, 3);
            assertThat(db.db.checkpoints.commitLog()).as("the log was cut back and goes on").isSameAs(log);
        }
        try (Mnemo db = open()) {
            assertThat(db.recovery().damage()).isNull();
            assertThat(db.dirtyAllKeys("t")).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void theWholeDiskFull_theCommitFailsWithTheDisksError_andLeavesNothing_acknowledgedOnesSurvive() {
        List<Long> acknowledged = new ArrayList<>();
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            put(db, 1);
            acknowledged.add(1L);
            db.db.checkpoints.commitLog().failAfterBytes = 3;
            db.db.logWriter().failAfterBytes = 3;
            Throwable e = catchThrowable(() -> put(db, 2));
            assertThat(e).isNotNull();
            assertThat(chain(e)).as("the disk's error is the cause").contains("No space left on device");
            assertThat(db.dirtyRead("t", 2L)).as("nothing of the failed commit is visible").isEmpty();
            // space comes back: later commits either succeed (and must survive) or fail clearly
            db.db.checkpoints.commitLog().failAfterBytes = -1;
            db.db.logWriter().failAfterBytes = -1;
            for (long k = 3; k <= 5; k++) {
                try {
                    put(db, k);
                    acknowledged.add(k);
                } catch (RuntimeException later) {
                    assertThat(later.getMessage()).isNotBlank();
                }
            }
            assertThat(db.dirtyAllKeys("t")).containsExactlyElementsOf(acknowledged);
        }
        try (Mnemo db = open()) {
            assertThat(db.dirtyAllKeys("t")).containsExactlyElementsOf(acknowledged);
            put(db, 9);
        }
        try (Mnemo db = open()) {
            List<Long> all = new ArrayList<>(acknowledged);
            all.add(9L);
            assertThat(db.dirtyAllKeys("t")).containsExactlyElementsOf(all);
        }
    }

    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
