package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes that rewrite a table (transform, change of storage, alter) or build a disc_only index move its
 * records in batches, each in its own Xodus transaction: they run in a heap smaller than the table, report their
 * progress, and stay atomic — a failure or a crash part way leaves the table as it was, with no store left behind.
 */
class BoundedSchemaChangesTest {
    @TempDir
    Path dir;

    private static final int ROWS = 25_000;

    private static void load(Mnemo db, StorageType storage, int rows) {
        db.createTable(TableDef.builder("t").attributes("id", "k", "s").type(TableType.ORDERED_SET)
                .storage(storage).build());
        for (long i = 0; i < rows; i += 5000) {
            long from = i;
            db.transaction(tx -> {
                for (long j = from; j < Math.min(rows, from + 5000); j++) {
                    tx.write(Tuple.of("t", j, j % 7, "s" + j));
                }
                return null;
            });
        }
    }

    /** The Xodus stores of tables (named t<id>...), sorted. */
    private static List<String> tableStores(Mnemo db) {
        var env = db.db.environment();
        return env.computeInReadonlyTransaction(xt -> env.getAllStoreNames(xt)).stream()
                .filter(n -> n.matches("t\\d+(\\..+)?")).sorted().toList();
    }

    @Test
    void aTransformOfADiscOnlyTable_reportsProgressBatchByBatch_andLeavesOnlyTheNewStores() {
        List<SchemaProgress> seen = new ArrayList<>();
        try (Mnemo db = Mnemo.open(dir)) {
            load(db, StorageType.DISC_ONLY_COPIES, ROWS);
            db.addTableIndex("t", "k");
            db.onSchemaProgress(seen::add);
            db.transformTable("t", r -> Tuple.of("t", r.get(1), r.get(2), r.get(3), "v" + r.get(1)),
                    List.of("id", "k", "s", "v"));
            long newId = db.db.table("t").id;
            assertThat(tableStores(db)).containsExactly("t" + newId, "t" + newId + ".i2");
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(4);
        assertThat(seen).allMatch(p -> p.table().equals("t") && p.operation().equals("transform_table")
                && p.total() == ROWS);
        assertThat(seen.subList(0, seen.size() - 1)).noneMatch(SchemaProgress::done)
                .extracting(SchemaProgress::records).isSorted();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(new SchemaProgress("t", "transform_table", ROWS, ROWS, true));
        assertThat(seen.get(seen.size() - 1).describe()).isEqualTo("transform_table of t: 25,000 of 25,000 records, done");
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.tableInfo("t").size()).isEqualTo(ROWS);
            assertThat(db.dirtyRead("t", 12_345L)).containsExactly(Tuple.of("t", 12_345L, 12_345L % 7, "s12345",
                    "v12345"));
            assertThat(db.dirtyIndexRead("t", 3L, "k")).hasSize(ROWS / 7 + (ROWS % 7 > 3 ? 1 : 0));
        }
    }

    @Test
    void aDiscOnlyIndexBuiltInBatches_answersIndexReads_andReportsProgress() {
        List<SchemaProgress> seen = new ArrayList<>();
        try (Mnemo db = Mnemo.open(dir)) {
            load(db, StorageType.DISC_ONLY_COPIES, ROWS);
            db.onSchemaProgress(seen::add);
            db.addTableIndex("t", "k");
            assertThat(db.dirtyIndexRead("t", 6L, "k")).hasSize(ROWS / 7).allMatch(r -> (Long) r.get(1) % 7 == 6);
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(4).allMatch(p -> p.operation().equals("add_table_index"));
        assertThat(seen.get(seen.size() - 1).done()).isTrue();
        assertThat(seen.get(seen.size() - 1).records()).isEqualTo(ROWS);
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.dirtyIndexRead("t", 6L, "k")).hasSize(ROWS / 7);
            db.dirtyWrite(Tuple.of("t", 1L, 6L, "moved"));
            assertThat(db.dirtyIndexRead("t", 6L, "k")).hasSize(ROWS / 7 + 1);
        }
    }

    @Test
    void aTransformFailingPartWay_leavesTheTableAsItWas_onEveryStorageType() {
        for (StorageType storage : StorageType.values()) {
            Path sub = dir.resolve(storage.mnesiaName());
            try (Mnemo db = Mnemo.open(sub)) {
                load(db, storage, ROWS);
                List<String> before = tableStores(db);
                int[] seen = {0};
                assertThatThrownBy(() -> db.transformTable("t", r -> {
                    if (++seen[0] == 15_000) {
                        throw new IllegalStateException("no record 15,000");
                    }
                    return Tuple.of("t", r.get(1), r.get(2), r.get(3), 1L);
                }, List.of("id", "k", "s", "n"))).hasMessageContaining("no record 15,000");
                assertThat(db.tableInfo("t").attributes()).as(storage.name()).containsExactly("id", "k", "s");
                assertThat(db.tableInfo("t").size()).isEqualTo(ROWS);
                assertThat(db.dirtyRead("t", 20_000L)).containsExactly(Tuple.of("t", 20_000L, 20_000L % 7, "s20000"));
                assertThat(tableStores(db)).as(storage.name()).isEqualTo(before);
            }
        }
    }

    @Test
    void aCrashPartWayThroughATransform_leavesTheTableAsItWas_andTheNextOpenDropsWhatItBuilt() throws Exception {
        Path db = dir.resolve("db");
        assertThat(runChild(db, "load", 30_000, "256m")).contains("loaded 30000");
        assertThat(runChild(db, "crash", 30_000, "256m")).contains("halting");
        try (Mnemo m = Mnemo.open(db)) {
            assertThat(m.tableInfo("t").attributes()).containsExactly("id", "k", "s");
            assertThat(m.tableInfo("t").size()).isEqualTo(30_000);
            assertThat(m.dirtyRead("t", 29_999L)).containsExactly(SchemaChangeChild.row(29_999L));
            assertThat(tableStores(m)).containsExactly("t" + m.db.table("t").id);
            m.transformTable("t", r -> Tuple.of("t", r.get(1), r.get(2), r.get(3), "after"),
                    List.of("id", "k", "s", "note"));
            assertThat(m.dirtyRead("t", 7L).get(0).get(4)).isEqualTo("after");
        }
    }

    /**
     * 100,000 rows of 500 characters (50 MB of strings, more on disc) transformed, indexed and altered in a 40 MB
     * heap: holding the table anywhere runs out of it.
     */
    @Test
    void transformIndexAndAlterOfADiscOnlyTableLargerThanTheHeap_runInBoundedMemory() throws Exception {
        Path db = dir.resolve("big");
        assertThat(runChild(db, "load", 100_000, "40m")).contains("loaded 100000");
        assertThat(runChild(db, "rewrite", 100_000, "40m")).contains("rewritten 100000 k3 14286");
    }

    private static String runChild(Path db, String mode, int rows, String heap) throws IOException,
            InterruptedException {
        Path log = Files.createTempFile("schema-child", ".log");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx" + heap, "-XX:+UseSerialGC",
                    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    SchemaChangeChild.class.getName(), db.toString(), mode, String.valueOf(rows))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(Duration.ofMinutes(4).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child " + mode + " did not finish: " + Files.readString(log));
            }
            return Files.readString(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
