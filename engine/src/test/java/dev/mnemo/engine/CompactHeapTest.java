package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disc_copies table keeps each key's single record on the heap as its compact bytes, written by commits and
 * loaded as stored at open, and reads, index reads, scans and later writes see exactly the records written; bags'
 * several records per key and ram_copies tables keep tuples.
 */
class CompactHeapTest {
    @TempDir
    Path dir;

    private static final List<Object> ODD_VALUES = java.util.Arrays.asList(null, 0L, -1L, Long.MAX_VALUE,
            Long.MIN_VALUE, 0.5, Double.NaN, "", "a\u0000b", "\uD800", new java.math.BigDecimal("1.25"),
            Tuple.of("inner", 1L), true);

    private static Tuple row(long i) {
        return Tuple.of("t", i, i % 3, ODD_VALUES.get((int) (i % ODD_VALUES.size())));
    }

    private static HeapStore heap(Mnemo db, String table) {
        return ((DiscCopiesStore) db.db.table(table).store).heap();
    }

    private static TreeMap<Object, List<Tuple>> contents(Mnemo db, String table) {
        TreeMap<Object, List<Tuple>> out = new TreeMap<>(dev.mnemo.engine.value.Terms.ORDER);
        for (Object k : db.dirtyAllKeys(table)) {
            out.put(k, db.dirtyRead(table, k));
        }
        return out;
    }

    @Test
    void discCopiesRecords_areKeptCompact_andReadBackExactly_beforeAndAfterReopen() {
        TreeMap<Object, List<Tuple>> before;
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("id", "k", "v").index("k")
                    .type(TableType.ORDERED_SET).storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("b").attributes("id", "v").type(TableType.BAG)
                    .storage(StorageType.DISC_COPIES).build());
            db.transaction(tx -> {
                for (long i = 0; i < 300; i++) {
                    tx.write(row(i));
                    tx.write(Tuple.of("b", i % 10, i));
                }
                tx.write(Tuple.of("b", 99L, "alone"));
                return null;
            });
            assertThat(heap(db, "t").compactKeys()).isEqualTo(300);
            assertThat(heap(db, "b").compactKeys()).as("only the bag key with one record").isEqualTo(1);
            before = contents(db, "t");
            assertThat(before.get(7L)).containsExactly(row(7));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t", "b"), java.time.Duration.ofSeconds(30));
            assertThat(heap(db, "t").compactKeys()).isEqualTo(300);
            assertThat(contents(db, "t")).isEqualTo(before);
            List<Tuple> byIndex = new ArrayList<>(db.dirtyIndexRead("t", 1L, "k"));
            assertThat(byIndex).hasSize(100).allMatch(r -> r.equals(row((Long) r.get(1))) && (Long) r.get(1) % 3 == 1);
            assertThat(db.dirtyRead("b", 3L)).hasSize(30);
            assertThat(db.dirtyRead("b", 99L)).containsExactly(Tuple.of("b", 99L, "alone"));
            db.transaction(tx -> {
                tx.delete("t", 5L);
                tx.write(Tuple.of("t", 6L, 1L, "changed"));
                return null;
            });
            assertThat(db.dirtyRead("t", 5L)).isEmpty();
            assertThat(db.dirtyIndexRead("t", 1L, "k")).contains(Tuple.of("t", 6L, 1L, "changed"))
                    .doesNotContain(row(6));
        }
    }

    @Test
    void ramCopiesRecords_stayTuples() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("r").attributes("id", "v").storage(StorageType.RAM_COPIES).build());
            db.dirtyWrite(Tuple.of("r", 1L, "x"));
            assertThat(((HeapStore) db.db.table("r").store).compactKeys()).isZero();
            assertThat(db.dirtyRead("r", 1L)).containsExactly(Tuple.of("r", 1L, "x"));
        }
    }
}
