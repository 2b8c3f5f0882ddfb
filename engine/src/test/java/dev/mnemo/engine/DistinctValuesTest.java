package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The distinct-value estimates of indexed attributes that query planners read. */
class DistinctValuesTest {
    @TempDir
    Path dir;

    private static void create(Mnemo db, StorageType storage) {
        db.createTable(TableDef.builder("t").attribute("id", AttrType.INTEGER).attribute("colour", AttrType.ANY)
                .attribute("size", AttrType.ANY).storage(storage).index("colour").build());
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void countsDistinctValues_andFollowsWritesAndDeletes(StorageType storage) {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, storage);
            db.transaction(tx -> {
                for (int i = 0; i < 1000; i++) {
                    tx.write(Tuple.of("t", (long) i, i % 37 == 0 ? null : "c" + i % 37, i));
                }
                return null;
            });
            assertThat(db.distinctValues("t", "colour")).isEqualTo(37);
            // the same table again, after every row of all but one colour is gone (more than a fifth of the rows)
            db.transaction(tx -> {
                for (int i = 0; i < 1000; i++) {
                    if (i % 37 != 1) {
                        tx.delete("t", (long) i);
                    }
                }
                return null;
            });
            assertThat(db.distinctValues("t", "colour")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StorageType.class, names = {"DISC_COPIES", "DISC_ONLY_COPIES"})
    void afterRestart_isCountedFromTheStoredIndex(StorageType storage) {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, storage);
            db.transaction(tx -> {
                for (int i = 0; i < 500; i++) {
                    tx.write(Tuple.of("t", (long) i, "c" + i % 50, i));
                }
                return null;
            });
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.distinctValues("t", "colour")).isEqualTo(50);
        }
    }

    @Test
    void discOnlyIndexBeyondTheWalk_isExtrapolated_withNullsCountedApart() {
        // half the rows have no colour: NULL comes first in the index and fills most of the part walked; the other
        // half have a colour each. Counted as one more value, NULL must not drag the estimate of the rest down.
        int rows = 2 * (XodusStore.DISTINCT_WALK * 3 / 4);
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, StorageType.DISC_ONLY_COPIES);
            db.transaction(tx -> {
                for (int i = 0; i < rows; i++) {
                    tx.write(Tuple.of("t", (long) i, i % 2 == 0 ? null : (long) i, i));
                }
                return null;
            });
            long truth = rows / 2 + 1;
            assertThat(db.distinctValues("t", "colour")).isBetween(truth * 9 / 10, truth * 11 / 10);
        }
    }

    @Test
    void attributeWithoutIndexOrUnknownTable_isRefusedByName() {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, StorageType.RAM_COPIES);
            assertThatThrownBy(() -> db.distinctValues("t", "size")).isInstanceOf(SchemaException.class)
                    .hasMessageContaining("table t").hasMessageContaining("'size'").hasMessageContaining("[colour]");
            assertThatThrownBy(() -> db.distinctValues("nope", "colour")).isInstanceOf(NoSuchTableException.class);
        }
    }
}
