package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disc_only read of a key above every key the table holds answers "absent" without reading Xodus (a bulk load's
 * duplicate checks), so the bound must follow every way keys arrive: commits, dirty writes, a transform that moves
 * keys up, reopen, and a clear; deletes leave it high, and keys below it are read as before.
 */
class DiscOnlyKeysAboveTheLastTest {
    @TempDir
    Path dir;

    private static void create(Mnemo db) {
        db.createTable(TableDef.builder("t").attributes("id", "v").type(TableType.ORDERED_SET)
                .storage(StorageType.DISC_ONLY_COPIES).build());
    }

    @Test
    void keysWrittenAnyWay_areFound_whileKeysAboveTheLastAreAbsent() {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db);
            assertThat(db.dirtyRead("t", 5L)).isEmpty();
            db.transaction(tx -> {
                for (long i = 1; i <= 100; i++) {
                    tx.write(Tuple.of("t", i, "v" + i));
                }
                return null;
            });
            assertThat(db.dirtyRead("t", 100L)).containsExactly(Tuple.of("t", 100L, "v100"));
            assertThat(db.dirtyRead("t", 101L)).isEmpty();
            db.dirtyWrite(Tuple.of("t", 500L, "dirty"));
            assertThat(db.dirtyRead("t", 500L)).containsExactly(Tuple.of("t", 500L, "dirty"));
            db.dirtyDelete("t", 500L);
            assertThat(db.dirtyRead("t", 500L)).isEmpty();
            db.dirtyWrite(Tuple.of("t", 500L, "again"));
            assertThat(db.dirtyRead("t", 500L)).containsExactly(Tuple.of("t", 500L, "again"));
            db.transformTable("t", r -> Tuple.of("t", (Long) r.get(1) + 10_000, r.get(2)), List.of("id", "v"));
            assertThat(db.dirtyRead("t", 10_500L)).containsExactly(Tuple.of("t", 10_500L, "again"));
            assertThat(db.dirtyRead("t", 500L)).isEmpty();
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.dirtyRead("t", 10_500L)).as("after reopen").containsExactly(Tuple.of("t", 10_500L, "again"));
            db.clearTable("t");
            assertThat(db.dirtyRead("t", 10_500L)).isEmpty();
            db.dirtyWrite(Tuple.of("t", 3L, "after clear"));
            assertThat(db.dirtyRead("t", 3L)).containsExactly(Tuple.of("t", 3L, "after clear"));
            assertThat(db.<List<Tuple>>transaction(tx -> tx.read("t", 3L))).hasSize(1);
        }
    }
}
