package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit log at open: records after the last checkpoint are replayed; a torn or corrupted record is found by its
 * length or checksum, reported, and neither it nor anything after it is applied; the damaged file is kept aside.
 */
class CommitLogRecoveryTest {
    @TempDir
    Path dir;

    /** Creates disc_copies table t with rows 1..3; returns it. The database is closed cleanly. */
    private Table createTable() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            for (long k = 1; k <= 3; k++) {
                db.dirtyWrite(Tuple.of("t", k, "committed"));
            }
            assertThat(db.recovery().clean()).isTrue();
            return db.db.table("t");
        }
    }

    /** A new log generation after the existing ones, as a crash leaves it: what {@code write} appends to it. */
    private void logAsACrashLeavesIt(IoWork write) throws Exception {
        List<Long> gens = CommitLog.generations(dir);
        CommitLog log = CommitLog.start(dir, false, gens.get(gens.size() - 1) + 1);
        write.run(log);
        log.close();
    }

    private interface IoWork {
        void run(CommitLog log) throws Exception;
    }

    /**
     * Writes, as a crash would leave it, a new log generation after the existing ones holding three commits (keys
     * 10, 20, 30), and returns the file and where each record ends.
     */
    private Logged logThreeCommits(Table table) throws Exception {
        List<Long> gens = CommitLog.generations(dir);
        long gen = gens.get(gens.size() - 1) + 1;
        CommitLog log = CommitLog.start(dir, false, gen);
        long[] ends = new long[3];
        for (int i = 0; i < 3; i++) {
            long key = 10L * (i + 1);
            ends[i] = log.append(100 + i, List.of(new Database.Change(table, key, List.of(),
                    List.of(Tuple.of("t", key, "logged"))))).offset();
        }
        log.close();
        return new Logged(CommitLog.path(dir, gen), ends);
    }

    private record Logged(Path file, long[] ends) {
    }

    private static List<Object> keys(Mnemo db) {
        return db.dirtyAllKeys("t");
    }

    @Test
    void recordsAfterTheCheckpoint_areReplayedAtOpen() throws Exception {
        logThreeCommits(createTable());
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).isEqualTo(new Recovery(3, null));
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).containsExactly(1L, 2L, 3L, 10L, 20L, 30L);
            assertThat(db.dirtyRead("t", 20L)).containsExactly(Tuple.of("t", 20L, "logged"));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).as("replayed once: in Xodus since").isEqualTo(new Recovery(0, null));
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).containsExactly(1L, 2L, 3L, 10L, 20L, 30L);
        }
    }

    @Test
    void aTornLastRecord_isReportedAndNotApplied_theWholeOnesAre() throws Exception {
        Logged logged = logThreeCommits(createTable());
        try (RandomAccessFile f = new RandomAccessFile(logged.file().toFile(), "rw")) {
            f.setLength(logged.ends()[2] - 3); // the last record's write was cut short
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Recovery r = db.recovery();
            assertThat(r.replayedCommits()).isEqualTo(2);
            assertThat(r.damage()).contains(logged.file().getFileName().toString())
                    .contains("at byte " + logged.ends()[1]).contains("torn record").contains("not applied")
                    .contains(".log.damaged");
            assertThat(r.tornTail()).as("what a crash in the middle of a write leaves").isTrue();
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).containsExactly(1L, 2L, 3L, 10L, 20L);
            db.dirtyWrite(Tuple.of("t", 40L, "after"));
        }
        assertThat(Files.exists(Path.of(logged.file() + ".damaged"))).isTrue();
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery().clean()).as("the damage is reported once").isTrue();
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).containsExactly(1L, 2L, 3L, 10L, 20L, 40L);
        }
    }

    @Test
    void aCorruptedRecord_stopsTheReplay_andIsReportedWithItsPlace() throws Exception {
        Logged logged = logThreeCommits(createTable());
        try (RandomAccessFile f = new RandomAccessFile(logged.file().toFile(), "rw")) {
            long inSecondPayload = logged.ends()[0] + 8 + 2;
            f.seek(inSecondPayload);
            int b = f.read();
            f.seek(inSecondPayload);
            f.write(b ^ 0x5A); // a flipped byte in the second record: the third, whole, must not be applied either
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Recovery r = db.recovery();
            assertThat(r.replayedCommits()).isEqualTo(1);
            assertThat(r.damage()).contains("at byte " + logged.ends()[0]).contains("checksum mismatch");
            assertThat(r.tornTail()).as("a flipped byte is not a crash's torn write").isFalse();
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).containsExactly(1L, 2L, 3L, 10L);
        }
    }

    @Test
    void aCleanClose_leavesNothingToReplay_andOnlyTheCurrentLogFile_emptied() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            for (long k = 0; k < 500; k++) {
                long key = k;
                db.transaction(tx -> {
                    tx.write(Tuple.of("t", key, "v" + key));
                    return null;
                });
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().startsWith("mnemo-")).toList();
            assertThat(logs).hasSize(1);
            // every record is in Xodus: the file is emptied rather than kept whole until the next open
            assertThat(logs.get(0).toFile().length()).isZero();
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).isEqualTo(new Recovery(0, null));
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).hasSize(500);
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 500L, "after"));
                return null;
            });
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).hasSize(501);
            assertThat(db.dirtyRead("t", 500L)).containsExactly(Tuple.of("t", 500L, "after"));
        }
    }

    /** Logs 5,000 commits of table t (keys 0..4999, and key 1 last of all) while the checkpointer is held back. */
    private static void pileUpLoggedCommits(Mnemo db) {
        db.db.checkpoints.paused = true;
        for (long k = 0; k < 5_000; k++) {
            db.dirtyWrite(Tuple.of("t", k, "logged"));
        }
        db.dirtyWrite(Tuple.of("t", 1L, "logged last"));
    }

    @Test
    void aCommitStraightToXodus_afterThousandsOfLoggedOnes_landsAfterThemAll() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("d").attributes("k", "v").storage(StorageType.DISC_ONLY_COPIES).build());
            pileUpLoggedCommits(db);
            db.transaction(tx -> { // touches a disc_only table: goes into Xodus directly
                tx.write(Tuple.of("t", 1L, "mixed"));
                tx.write(Tuple.of("d", 1L, "x"));
                return null;
            });
            db.db.checkpoints.paused = false;
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(db.dirtyRead("t", 1L)).containsExactly(Tuple.of("t", 1L, "mixed"));
            assertThat(keys(db)).hasSize(5_000);
        }
    }

    @Test
    void clearTable_afterThousandsOfLoggedCommits_leavesItEmptyAfterReopen() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            pileUpLoggedCommits(db);
            db.clearTable("t");
            db.dirtyWrite(Tuple.of("t", 7L, "after the clear"));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(keys(db)).containsExactly(7L);
        }
    }

    @Test
    void everyKindOfChange_isReplayedFromTheLog_asItWasCommitted() throws Exception {
        Table set;
        Table bag;
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("s").attributes("k", "v", "w").recordName("rec\uD800")
                    .storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("b").attributes("k", "v").type(TableType.BAG)
                    .storage(StorageType.DISC_COPIES).build());
            db.dirtyWrite("s", Tuple.of("rec\uD800", "gone", 1L, null));
            db.dirtyWrite(Tuple.of("b", 1L, "stays"));
            set = db.db.table("s");
            bag = db.db.table("b");
        }
        Tuple unusual = Tuple.of("rec\uD800", "ключ \u0000 key",
                new java.math.BigDecimal("-12345678901234567890.125"),
                List.of(2.5, Double.NaN, "x".repeat(100_000)));
        logAsACrashLeavesIt(log -> {
            log.append(7, List.of(
                    new Database.Change(set, "ключ \u0000 key", List.of(), List.of(unusual)),
                    new Database.Change(set, "gone", List.of(Tuple.of("rec\uD800", "gone", 1L, null)), List.of()),
                    new Database.Change(bag, 1L, List.of(Tuple.of("b", 1L, "stays")),
                            List.of(Tuple.of("b", 1L, "stays"), Tuple.of("b", 1L, "added")))));
            log.append(8, List.of(new Database.Change(set, 42L, List.of(),
                    List.of(Tuple.of("rec\uD800", 42L, null, -0.0)))));
        });
        try (Stream<Path> files = Files.list(dir)) {
            Path last = files.filter(p -> p.getFileName().toString().matches("mnemo-\\d+\\.log")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(Files.readAllBytes(last)[8]).as("the present format's first byte").isEqualTo((byte) 0xC2);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).isEqualTo(new Recovery(2, null));
            db.waitForTables(List.of("s", "b"), java.time.Duration.ofSeconds(30));
            assertThat(db.dirtyRead("s", "ключ \u0000 key")).containsExactly(unusual);
            assertThat(db.dirtyRead("s", "gone")).isEmpty();
            assertThat(db.dirtyRead("s", 42L)).containsExactly(Tuple.of("rec\uD800", 42L, null, -0.0));
            assertThat(db.dirtyRead("b", 1L)).containsExactlyInAnyOrder(Tuple.of("b", 1L, "stays"),
                    Tuple.of("b", 1L, "added"));
        }
    }

    /** A record of the earlier format (see below), its 8-byte header left for {@code appendAll}. */
    private static byte[] earlierFormatRecord(long version, long tableId, Object value) {
        byte[] payload = dev.mnemo.engine.value.TermCodec.encode(List.of(version,
                List.of(List.of(tableId, version, List.of(Tuple.of("t", version, value))))));
        byte[] record = new byte[8 + payload.length];
        System.arraycopy(payload, 0, record, 8, payload.length);
        return record;
    }

    @Test
    void oneAppendOfThousandsOfSmallRecordsAndALargeOne_readsBackInOrder() throws Exception {
        List<byte[]> records = new java.util.ArrayList<>();
        String large = "L".repeat(3 << 20); // past the megabyte that one write joins
        for (long v = 1; v <= 30_000; v++) {
            records.add(earlierFormatRecord(v, 7, v == 12_345 ? large : "small " + v));
        }
        CommitLog.Position[] ends;
        try (CommitLog log = CommitLog.start(dir, false, 1)) {
            ends = log.appendAll(records);
            assertThat(log.appendAll(List.of(earlierFormatRecord(30_001, 7, "after")))[0].offset())
                    .isGreaterThan(ends[ends.length - 1].offset());
        }
        CommitLog.Read read = CommitLog.read(dir, new CommitLog.Position(1, 0));
        assertThat(read.damage()).isNull();
        assertThat(read.commits()).hasSize(30_001);
        for (int i = 0; i < 30_001; i++) {
            CommitLog.Logged c = read.commits().get(i);
            assertThat(c.version()).isEqualTo(i + 1);
            Object value = c.entries().get(0).records().get(0).get(2);
            assertThat(value).isEqualTo(i == 30_000 ? "after" : i + 1 == 12_345 ? large : "small " + (i + 1));
            if (i < ends.length) {
                assertThat(c.end()).isEqualTo(ends[i]);
            }
        }
    }

    @Test
    void aRecordOfTheEarlierLogFormat_isStillReplayed() throws Exception {
        Table t = createTable();
        logAsACrashLeavesIt(log -> {
            // as the log wrote commits before its present format: one term [version, [[tableId, key, records]]]
            byte[] payload = dev.mnemo.engine.value.TermCodec.encode(List.of(9L,
                    List.of(List.of(t.id, 50L, List.of(Tuple.of("t", 50L, "earlier format"))))));
            java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(8 + payload.length);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(payload);
            record.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
            try (RandomAccessFile f = new RandomAccessFile(CommitLog.path(dir, log.generation()).toFile(), "rw")) {
                f.write(record.array());
            }
        });
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).isEqualTo(new Recovery(1, null));
            db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
            assertThat(db.dirtyRead("t", 50L)).containsExactly(Tuple.of("t", 50L, "earlier format"));
        }
    }
}
