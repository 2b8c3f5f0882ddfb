package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Mnemo#check()}: a sound database has no problems; a damaged index or size is reported by name. */
class VerifierTest {
    @TempDir
    Path dir;

    private static void fill(Mnemo db, String table, StorageType storage, TableType type) {
        db.createTable(TableDef.builder(table).attributes("k", "v", "w").index("v").type(type).storage(storage)
                .build());
        for (long i = 0; i < 200; i++) {
            db.dirtyWrite(Tuple.of(table, i, "v" + (i % 7), i % 3 == 0 ? null : i));
            if (type == TableType.BAG && i % 5 == 0) {
                db.dirtyWrite(Tuple.of(table, i, "other", null));
            }
        }
    }

    @Test
    void aSoundDatabase_ofEveryStorageAndType_hasNoProblems_beforeAndAfterReopening() {
        try (Mnemo db = Mnemo.open(MnemoConfig.disc(dir))) {
            int n = 0;
            for (StorageType storage : StorageType.values()) {
                for (TableType type : TableType.values()) {
                    fill(db, "t" + n++, storage, type);
                }
            }
            db.dirtyDelete("t0", 4L);
            assertThat(db.check()).isEmpty();
        }
        try (Mnemo db = Mnemo.open(MnemoConfig.disc(dir))) {
            assertThat(db.tables()).hasSize(StorageType.values().length * TableType.values().length);
            assertThat(db.check()).isEmpty();
        }
    }

    /** The heap index of attribute v (tuple position 2) of ram_copies table {@code table}, to damage. */
    @SuppressWarnings("unchecked")
    private static ConcurrentHashMap<Object, Set<Object>> indexOfV(Mnemo db, String table) throws Exception {
        HeapStore store = (HeapStore) db.db.table(table).store;
        var field = HeapStore.class.getDeclaredField("indexes");
        field.setAccessible(true);
        return ((Map<Integer, ConcurrentHashMap<Object, Set<Object>>>) field.get(store)).get(2);
    }

    @Test
    void aDamagedIndex_isReportedNamingTableAttributeKeyAndValue() throws Exception {
        try (Mnemo db = Mnemo.inMemory()) {
            fill(db, "people", StorageType.RAM_COPIES, TableType.SET);
            ConcurrentHashMap<Object, Set<Object>> byV = indexOfV(db, "people");
            byV.get("v3").remove(3L); // record 3 holds v3: the index no longer finds it
            byV.get("v1").add(2L); // record 2 holds v2, not v1
            assertThat(db.check()).containsExactlyInAnyOrder(
                    "table people: the index on v lacks key 3 under value v3",
                    "table people: the index on v lists key 2 under value v1, which no record under that key holds");
        }
    }

    @Test
    void manyProblems_areCappedPerTable_withACountOfTheRest() throws Exception {
        try (Mnemo db = Mnemo.inMemory()) {
            fill(db, "people", StorageType.RAM_COPIES, TableType.SET);
            indexOfV(db, "people").clear(); // every record's value is missing from the index
            assertThat(db.check()).hasSize(Verifier.MAX_PER_TABLE + 1)
                    .last().asString().isEqualTo("table people: " + (200 - Verifier.MAX_PER_TABLE) + " more problems");
        }
    }
}
