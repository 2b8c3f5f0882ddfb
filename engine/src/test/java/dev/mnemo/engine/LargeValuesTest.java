package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values larger than a Xodus log file (8 MB) are stored and read back on every storage type, across reopen, and
 * overwriting, deleting and clearing leave no chunk behind; values over the limits are refused with an error naming
 * the table and attribute, and nothing is written.
 */
class LargeValuesTest {
    @TempDir
    Path dir;

    private static final MatchSpec ALL = MatchSpec.parse("[{'_',[],['$_']}]");

    /** A binary of {@code n} bytes with zeros (escaped by the codec) and every other byte value. */
    static Binary binary(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        for (int i = 0; i < n; i += 97) {
            b[i] = 0;
        }
        return Binary.of(b);
    }

    /** A string of {@code n} characters, mostly ASCII, with NULs, two-byte, three-byte and surrogate-pair ones. */
    static String text(int n, long seed) {
        StringBuilder sb = new StringBuilder(n);
        Random r = new Random(seed);
        while (sb.length() < n - 1) {
            int k = r.nextInt(100);
            if (k == 0) {
                sb.append('\0');
            } else if (k == 1) {
                sb.append('é');
            } else if (k == 2) {
                sb.append('€');
            } else if (k == 3) {
                sb.append("\uD83D\uDE00");
            } else {
                sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        while (sb.length() < n) {
            sb.append('z');
        }
        return sb.toString();
    }

    private static long chunks(Mnemo db, String table) {
        TableStore s = db.db.table(table).store;
        if (s instanceof DiscCopiesStore dc) {
            return dc.disc().storedChunks();
        }
        return s instanceof XodusStore x ? x.storedChunks() : 0;
    }

    private static void create(Mnemo db, StorageType storage) {
        db.createTable(TableDef.builder("docs").attributes("id", "body", "title")
                .storage(storage).type(TableType.ORDERED_SET).build());
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void valuesOverALogFile_roundTrip_acrossReopen_andOverwritesLeaveNoChunkBehind(StorageType storage) {
        Tuple big = Tuple.of("docs", 1L, binary(20 << 20, 1), text(6 << 20, 2));
        Tuple smaller = Tuple.of("docs", 1L, binary(3 << 20, 3), "short");
        Tuple other = Tuple.of("docs", 2L, Binary.of(new byte[] {1, 0, 2}), text(9 << 20, 4));
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, storage);
            db.transaction(tx -> {
                tx.write(big);
                tx.write(other);
                return null;
            });
            assertThat(db.dirtyRead("docs", 1L)).containsExactly(big);
            List<Tuple> read = db.transaction(tx -> tx.read("docs", 2L));
            assertThat(read).containsExactly(other);
        }
        if (storage == StorageType.RAM_COPIES) {
            return;
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("docs"), Duration.ofSeconds(60));
            assertThat(db.dirtyRead("docs", 1L)).containsExactly(big);
            assertThat(db.dirtySelect("docs", ALL)).containsExactly(big, other);
            db.dirtyWrite(smaller);
            assertThat(db.dirtyRead("docs", 1L)).containsExactly(smaller);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("docs"), Duration.ofSeconds(60));
            assertThat(db.dirtyRead("docs", 1L)).containsExactly(smaller);
            assertThat(chunks(db, "docs")).as("3 MiB and 9 Mi characters: 4 + 10 chunks").isEqualTo(14);
            db.dirtyWrite(Tuple.of("docs", 1L, Binary.of(new byte[] {7}), "tiny"));
            db.dirtyDelete("docs", 2L);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("docs"), Duration.ofSeconds(60));
            assertThat(db.dirtySelect("docs", ALL)).containsExactly(Tuple.of("docs", 1L, Binary.of(new byte[] {7}),
                    "tiny"));
            assertThat(chunks(db, "docs")).isZero();
            db.dirtyWrite(big);
            db.clearTable("docs");
            assertThat(chunks(db, "docs")).isZero();
            assertThat(db.dirtySelect("docs", ALL)).isEmpty();
        }
    }

    @Test
    void discOnlyChunksOfLargeRecords_endByWeight_notOnlyByRowCount() {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, StorageType.DISC_ONLY_COPIES);
            for (long i = 0; i < 5; i++) {
                db.dirtyWrite(Tuple.of("docs", i, binary(12 << 20, i), "t" + i));
            }
            SelectChunk first = db.dirtySelect("docs", ALL, 4_096);
            assertThat(first.results()).as("12 MiB each: the chunk ends after the key passing 32 Mi").hasSize(3);
            assertThat(first.hasMore()).isTrue();
            SelectChunk second = db.dirtySelect(first.continuation());
            assertThat(second.results()).hasSize(2);
            assertThat(((Tuple) second.results().get(1)).get(3)).isEqualTo("t4");
        }
    }

    @Test
    void largeRecords_survive_transformAndChangeOfStorage() {
        Tuple big = Tuple.of("docs", 1L, binary(10 << 20, 5), "title");
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, StorageType.DISC_ONLY_COPIES);
            db.dirtyWrite(big);
            db.transformTable("docs", r -> Tuple.of("docs", r.get(1), r.get(2), r.get(3), "extra"),
                    List.of("id", "body", "title", "note"));
            Tuple transformed = Tuple.of("docs", 1L, big.get(2), "title", "extra");
            assertThat(db.dirtyRead("docs", 1L)).containsExactly(transformed);
            db.changeTableCopyType("docs", StorageType.DISC_COPIES);
            assertThat(db.dirtyRead("docs", 1L)).containsExactly(transformed);
            assertThat(chunks(db, "docs")).isEqualTo(11);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("docs"), Duration.ofSeconds(60));
            assertThat(db.dirtyRead("docs", 1L).get(0).get(2)).isEqualTo(big.get(2));
        }
    }

    @Test
    void aStringOverTheValueLimit_isRefused_namingTableAndAttribute() {
        try (Mnemo db = Mnemo.open(dir)) {
            create(db, StorageType.RAM_COPIES);
            String huge = "x".repeat((int) Mnemo.MAX_VALUE_LENGTH + 1);
            assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("docs", 1L, null, huge)))
                    .isInstanceOf(ValueTooLargeException.class)
                    .hasMessageContaining("table docs").hasMessageContaining("attribute 'title'")
                    .hasMessageContaining("string of 268435457 characters").hasMessageContaining("256 MiB");
            assertThat(db.dirtyRead("docs", 1L)).isEmpty();
        }
    }

    @Test
    void discKeysOverTheKeyLimit_andLargeBagRecords_areRefused_ramKeysAreNot() {
        String longKey = "k".repeat(Mnemo.MAX_DISC_KEY_BYTES);
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("disc").attributes("id", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("ram").attributes("id", "v").build());
            db.createTable(TableDef.builder("only").attributes("id", "v").index("v")
                    .storage(StorageType.DISC_ONLY_COPIES).build());
            db.createTable(TableDef.builder("bag").attributes("id", "v").type(TableType.BAG)
                    .storage(StorageType.DISC_ONLY_COPIES).build());
            assertThatThrownBy(() -> db.transaction(tx -> {
                tx.write(Tuple.of("disc", longKey, 1L));
                return null;
            })).isInstanceOf(ValueTooLargeException.class).hasMessageContaining("table disc")
                    .hasMessageContaining("key of attribute 'id'").hasMessageContaining("64 KiB");
            assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("only", 1L, longKey)))
                    .isInstanceOf(ValueTooLargeException.class)
                    .hasMessageContaining("indexed value of attribute 'v'");
            assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("bag", 1L, binary(5 << 20, 9))))
                    .isInstanceOf(ValueTooLargeException.class).hasMessageContaining("table bag")
                    .hasMessageContaining("bag records are not chunked");
            db.dirtyWrite(Tuple.of("ram", longKey, 1L));
            db.dirtyWrite(Tuple.of("bag", 1L, binary(3 << 20, 9)));
            assertThat(db.dirtyRead("ram", longKey)).hasSize(1);
            assertThat(db.dirtyAllKeys("disc")).isEmpty();
            assertThat(db.dirtyAllKeys("only")).isEmpty();
            assertThat(db.dirtyRead("bag", 1L)).hasSize(1);
        }
    }

    @Test
    void indexingADiscOnlyAttributeHoldingAValueOverTheIndexLimit_isRefused_andLeavesTheTableUnindexed() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("id", "v").storage(StorageType.DISC_ONLY_COPIES).build());
            for (long i = 0; i < 30_000; i++) {
                db.dirtyWrite(Tuple.of("t", i, i == 25_000 ? "v".repeat(70_000) : "v" + i));
            }
            assertThatThrownBy(() -> db.addTableIndex("t", "v")).isInstanceOf(ValueTooLargeException.class)
                    .hasMessageContaining("table t: attribute 'v' of key 25000")
                    .hasMessageContaining("64 KiB");
            assertThat(db.tableInfo("t").index()).isEmpty();
            db.dirtyWrite(Tuple.of("t", 25_000L, "short again"));
            db.addTableIndex("t", "v");
            assertThat(db.dirtyIndexRead("t", "short again", "v")).containsExactly(Tuple.of("t", 25_000L,
                    "short again"));
        }
    }
}
