package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online backup and restore ({@link Mnemo#backup}, {@link Mnemo#restore}) and checkpoints
 * ({@link Mnemo#activateCheckpoint}).
 */
@Timeout(180)
class BackupTest {
    @TempDir
    Path dir;

    private static final int ACCOUNTS = 50;
    private static final long START = 1_000;

    /** Accounts (disc_copies), a ledger of every transfer (disc_only_copies bag), a count of them (ram_copies). */
    private static Mnemo bank(Path d) {
        Mnemo db = Mnemo.open(d);
        db.createTable(TableDef.builder("accounts").attributes("id", "balance").storage(StorageType.DISC_COPIES)
                .build());
        db.createTable(TableDef.builder("ledger").attributes("account", "delta", "transfer").type(TableType.BAG)
                .storage(StorageType.DISC_ONLY_COPIES).build());
        db.createTable(TableDef.builder("counts").attributes("name", "n").storage(StorageType.RAM_COPIES).build());
        db.transaction(tx -> {
            for (long a = 0; a < ACCOUNTS; a++) {
                tx.write(Tuple.of("accounts", a, START));
            }
            tx.write(Tuple.of("counts", "transfers", 0L));
            return null;
        });
        return db;
    }

    private static void transfer(Mnemo db, long id) {
        long from = ThreadLocalRandom.current().nextLong(ACCOUNTS);
        long to = (from + 1 + ThreadLocalRandom.current().nextLong(ACCOUNTS - 1)) % ACCOUNTS;
        long amount = 1 + ThreadLocalRandom.current().nextLong(20);
        db.transaction(tx -> {
            long a = (Long) tx.wread("accounts", from).get(0).get(2);
            long b = (Long) tx.wread("accounts", to).get(0).get(2);
            tx.write(Tuple.of("accounts", from, a - amount));
            tx.write(Tuple.of("accounts", to, b + amount));
            tx.write(Tuple.of("ledger", from, -amount, id));
            tx.write(Tuple.of("ledger", to, amount, id));
            long n = (Long) tx.wread("counts", "transfers").get(0).get(2);
            tx.write(Tuple.of("counts", "transfers", n + 1));
            return null;
        });
    }

    /** Checks that a database holds a consistent cut of the bank: every transfer whole in all three tables. */
    private static long checkConsistent(Mnemo db) {
        return checkConsistent(db, true);
    }

    /** As above; {@code ramToo} false after a reopen, which empties ram_copies tables. */
    private static long checkConsistent(Mnemo db, boolean ramToo) {
        return db.snapshot(tx -> {
            Map<Long, Long> fromLedger = new HashMap<>();
            Map<Long, Integer> legs = new HashMap<>();
            for (Object k : tx.allKeys("ledger")) {
                for (Tuple r : tx.read("ledger", k)) {
                    fromLedger.merge((Long) r.get(1), (Long) r.get(2), Long::sum);
                    legs.merge((Long) r.get(3), 1, Integer::sum);
                }
            }
            long total = 0;
            for (long a = 0; a < ACCOUNTS; a++) {
                long balance = (Long) tx.read("accounts", a).get(0).get(2);
                assertThat(balance).as("account %d against its ledger", a)
                        .isEqualTo(START + fromLedger.getOrDefault(a, 0L));
                total += balance;
            }
            assertThat(total).isEqualTo(ACCOUNTS * START);
            assertThat(legs.values()).as("each transfer has both its legs").containsOnly(2);
            if (ramToo) {
                assertThat(tx.read("counts", "transfers").get(0).get(2)).as("the count of transfers")
                        .isEqualTo((long) legs.size());
            }
            return (long) legs.size();
        });
    }

    @Test
    void aBackupTakenWhileWritersRun_restoresAConsistentCutOfEveryStorageType() throws Exception {
        Path archive = dir.resolve("bank.mnb");
        long inBackup;
        try (Mnemo db = bank(dir.resolve("live"))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ids = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                writers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        transfer(db, ids.incrementAndGet());
                    }
                    return null;
                }));
            }
            while (ids.get() < 200) {
                Thread.sleep(5);
            }
            List<SchemaProgress> progress = new CopyOnWriteArrayList<>();
            long before = ids.get();
            BackupSummary s = db.backup(archive, null, progress::add);
            long during = ids.get() - before;
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(during).as("writers went on during the backup").isPositive();
            assertThat(s.records().keySet()).containsExactly("accounts", "counts", "ledger");
            assertThat(s.bytes()).isEqualTo(Files.size(archive));
            assertThat(progress).filteredOn(SchemaProgress::done).extracting(SchemaProgress::table)
                    .containsExactlyInAnyOrder("accounts", "counts", "ledger");
            assertThat(partFiles()).isEmpty();
            checkConsistent(db);
            inBackup = s.records().get("ledger") / 2;
        }
        try (Mnemo fresh = Mnemo.open(dir.resolve("restored"))) {
            BackupSummary r = fresh.restore(archive, RestoreMode.RECREATE_TABLES);
            assertThat(r.total()).isPositive();
            assertThat(fresh.tableDef("ledger").storage()).isEqualTo(StorageType.DISC_ONLY_COPIES);
            assertThat(fresh.tableDef("ledger").type()).isEqualTo(TableType.BAG);
            assertThat(checkConsistent(fresh)).as("the restored copy is one consistent cut").isEqualTo(inBackup);
        }
        try (Mnemo again = Mnemo.open(dir.resolve("restored"))) {
            again.waitForTables(List.of("accounts", "ledger"), Duration.ofSeconds(30));
            assertThat(checkConsistent(again, false)).as("and it was written to disc").isEqualTo(inBackup);
        }
    }

    private static Mnemo small(Path d) {
        Mnemo db = Mnemo.open(d);
        db.createTable(TableDef.builder("s").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
        db.createTable(TableDef.builder("b").attributes("k", "v").type(TableType.BAG).build());
        db.transaction(tx -> {
            tx.write(Tuple.of("s", 1L, "one"));
            tx.write(Tuple.of("s", 2L, "two"));
            tx.write(Tuple.of("b", 1L, "x"));
            return null;
        });
        return db;
    }

    @Test
    void restoreModes_clearKeepAndRecreate_doWhatMnesiasDo() {
        Path archive = dir.resolve("small.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            db.backup(archive);
            db.transaction(tx -> {
                tx.write(Tuple.of("s", 2L, "changed"));
                tx.write(Tuple.of("s", 3L, "new"));
                tx.write(Tuple.of("b", 1L, "y"));
                return null;
            });
            db.restore(archive, RestoreMode.KEEP_TABLES);
            List<Object> all = db.snapshot(tx -> tx.select("s",
                    dev.mnemo.engine.match.MatchSpec.parse("[{{s,'_','_'},[],['$_']}]")));
            assertThat(all).as("keep: the backup's records on top").containsExactly(Tuple.of("s", 1L, "one"),
                            Tuple.of("s", 2L, "two"), Tuple.of("s", 3L, "new"));
            assertThat(db.dirtyRead("b", 1L)).as("keep: a bag gains the backup's records")
                    .containsExactlyInAnyOrder(Tuple.of("b", 1L, "x"), Tuple.of("b", 1L, "y"));
            db.restore(archive, RestoreMode.CLEAR_TABLES, List.of("s"), null);
            assertThat(db.dirtyAllKeys("s")).as("clear: only the backup's records").containsExactly(1L, 2L);
            assertThat(db.dirtyRead("b", 1L)).as("a table not asked for is left alone").hasSize(2);
            db.deleteTable("b");
            db.restore(archive, RestoreMode.CLEAR_TABLES, List.of("b"), null);
            assertThat(db.dirtyRead("b", 1L)).as("a table that is gone is created").containsExactly(Tuple.of("b", 1L, "x"));
            assertThat(db.tableDef("b").type()).isEqualTo(TableType.BAG);
        }
    }

    @Test
    void aTableOfAnotherShape_isRestoredOnlyByRecreating_andARefusalChangesNothing() {
        Path archive = dir.resolve("small.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            db.backup(archive);
            db.transformTable("s", r -> Tuple.of("s", r.get(1), r.get(2), 0L), List.of("k", "v", "extra"));
            db.dirtyWrite(Tuple.of("b", 9L, "kept"));
            assertThatThrownBy(() -> db.restore(archive, RestoreMode.CLEAR_TABLES))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("table s")
                    .hasMessageContaining("[k, v, extra]").hasMessageContaining("[k, v]")
                    .hasMessageContaining("recreate_tables");
            assertThat(db.dirtyRead("b", 9L)).as("no table was touched").hasSize(1);
            db.restore(archive, RestoreMode.RECREATE_TABLES);
            assertThat(db.tableDef("s").attributes()).containsExactly("k", "v");
            assertThat(db.dirtyRead("s", 1L)).containsExactly(Tuple.of("s", 1L, "one"));
            assertThat(db.dirtyRead("b", 9L)).isEmpty();
        }
    }

    @Test
    void aDamagedTruncatedOrForeignArchive_isRefusedWithWhy_andChangesNothing() throws IOException {
        Path archive = dir.resolve("small.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            db.backup(archive);
            byte[] good = Files.readAllBytes(archive);
            db.dirtyWrite(Tuple.of("s", 1L, "after the backup"));

            byte[] flipped = good.clone();
            flipped[flipped.length / 2] ^= 0x40;
            Path damaged = Files.write(dir.resolve("damaged.mnb"), flipped);
            assertThatThrownBy(() -> db.restore(damaged, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining(damaged.toString()).hasMessageContaining("checksum");

            Path cut = Files.write(dir.resolve("cut.mnb"), java.util.Arrays.copyOf(good, good.length - 5));
            assertThatThrownBy(() -> db.restore(cut, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("cut short");

            Path foreign = Files.writeString(dir.resolve("notes.txt"), "these are not the records you want");
            assertThatThrownBy(() -> db.restore(foreign, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("not a Mnemo backup");

            assertThatThrownBy(() -> db.restore(dir.resolve("missing.mnb"), RestoreMode.CLEAR_TABLES))
                    .hasMessageContaining("missing.mnb");
            assertThatThrownBy(() -> db.restore(archive, RestoreMode.CLEAR_TABLES, List.of("nope"), null))
                    .isInstanceOf(NoSuchTableException.class).hasMessageContaining("nope").hasMessageContaining("[b, s]");
            assertThat(db.dirtyRead("s", 1L)).as("nothing was restored")
                    .containsExactly(Tuple.of("s", 1L, "after the backup"));
        }
    }

    @Test
    void aBackupThatFails_leavesNoArchive_andAnEarlierOneIsKept() throws IOException {
        Path archive = dir.resolve("small.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            db.backup(archive);
            byte[] first = Files.readAllBytes(archive);
            assertThatThrownBy(() -> db.backup(archive, List.of("s", "nope"), null))
                    .isInstanceOf(NoSuchTableException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> db.backup(archive, List.of("s"), p -> {
                throw new IllegalStateException("progress listener failed");
            })).hasMessageContaining("progress listener failed");
            assertThat(Files.readAllBytes(archive)).as("the earlier archive is untouched").isEqualTo(first);
            assertThat(partFiles()).isEmpty();
            assertThatThrownBy(() -> db.transaction(tx -> db.backup(dir.resolve("x.mnb"))))
                    .hasMessageContaining("inside a transaction");
            db.clearTable("s"); // the failed backups released their tables
        }
    }

    @Test
    void aCheckpoint_readsItsTablesAsTheyWere_whileWritesGoOn_andHoldsOffWholeTableChanges() {
        try (Mnemo db = small(dir.resolve("db"))) {
            Checkpoint c = db.activateCheckpoint("before", List.of("s"));
            assertThat(db.checkpoints()).containsExactly("before");
            assertThat(db.checkpoint("before")).containsSame(c);
            db.dirtyWrite(Tuple.of("s", 1L, "changed"));
            db.transaction(tx -> {
                tx.delete("s", 2L);
                return null;
            });
            List<Tuple> one = c.read(tx -> tx.read("s", 1L));
            List<Object> keys = c.read(tx -> tx.allKeys("s"));
            assertThat(one).containsExactly(Tuple.of("s", 1L, "one"));
            assertThat(keys).containsExactly(1L, 2L);
            assertThat(db.dirtyAllKeys("s")).containsExactly(1L);
            assertThatThrownBy(() -> c.read(tx -> tx.read("b", 1L))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("checkpoint before").hasMessageContaining("[s]").hasMessageContaining("b");
            assertThatThrownBy(() -> c.read(tx -> {
                tx.write(Tuple.of("s", 5L, "x"));
                return null;
            })).isInstanceOf(ReadOnlyTransactionException.class);
            assertThatThrownBy(() -> db.clearTable("s")).isInstanceOf(SchemaException.class)
                    .hasMessageContaining("clear_table of table s").hasMessageContaining("checkpoint before");
            assertThatThrownBy(() -> db.deleteTable("s")).hasMessageContaining("checkpoint before");
            assertThatThrownBy(() -> db.transformTable("s", r -> r, List.of("k", "v")))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("transform_table of table s");
            assertThatThrownBy(() -> db.alterTable("s", d -> new TableTransform(d.toBuilder().index("v").build(), r -> r)))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("alter_table of table s");
            assertThatThrownBy(() -> db.changeTableCopyType("s", StorageType.RAM_COPIES))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("change_table_copy_type of table s");
            Path archive = dir.resolve("during.mnb");
            db.backup(archive, List.of("s"), null);
            assertThatThrownBy(() -> db.restore(archive, RestoreMode.CLEAR_TABLES))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("checkpoint before");
            db.addTableIndex("s", "v"); // keeps the records: allowed
            db.delTableIndex("s", "v");
            assertThatThrownBy(() -> db.activateCheckpoint("before", List.of("b")))
                    .hasMessageContaining("checkpoint before is already active");
            assertThatThrownBy(() -> db.activateCheckpoint("x", List.of("s", "s")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
            db.clearTable("b"); // not in the checkpoint
            c.close();
            c.close();
            assertThat(c.isActive()).isFalse();
            assertThatThrownBy(() -> c.read(tx -> tx.read("s", 1L))).hasMessageContaining("released");
            assertThat(db.checkpoints()).isEmpty();
            db.clearTable("s");
            Checkpoint d = db.activateCheckpoint("until-stop", List.of("b"));
            db.stop();
            assertThat(d.isActive()).as("a stop releases checkpoints").isFalse();
            db.start();
            db.waitForTables(List.of("b"), Duration.ofSeconds(30));
            db.deleteTable("b");
        }
    }

    private List<Path> partFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    /** {@code n} records in table s of {@code db}. */
    private static void fill(Mnemo db, int n) {
        db.transaction(tx -> {
            for (long k = 0; k < n; k++) {
                tx.write(Tuple.of("s", k, "v" + k));
            }
            return null;
        });
    }

    @Test
    void aRunningBackup_holdsOffWholeTableChanges_andTwoBackupsToOneFileAtOnce_eachWriteAWholeArchive()
            throws Exception {
        Path archive = dir.resolve("same.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            fill(db, 3_000);
            List<String> refusals = new ArrayList<>();
            AtomicBoolean nested = new AtomicBoolean();
            db.backup(archive, List.of("s"), p -> {
                if (p.table().equals("s") && !p.done() && nested.compareAndSet(false, true)) {
                    // mid-way through: another backup of it to the same file, whole, then a clear
                    db.backup(archive, List.of("b", "s"), null);
                    try {
                        db.clearTable("s");
                    } catch (SchemaException e) {
                        refusals.add(e.getMessage());
                    }
                }
            });
            assertThat(nested).isTrue();
            assertThat(refusals).as("the first backup still reads s after the second ended").singleElement()
                    .asString().contains("clear_table of table s").contains("the backup to " + archive);
            assertThat(Backups.check(archive, java.nio.channels.FileChannel.open(archive)))
                    .extracting(Backups.ArchivedTable::name).containsExactly("s");
            assertThat(partFiles()).isEmpty();
            db.clearTable("s"); // both ended
        }
    }

    @Test
    void aCheckpoint_refusesTheContinuationOfAnotherTablesSelect() {
        try (Mnemo db = small(dir.resolve("db"))) {
            fill(db, 50);
            SelectChunk outside = db.snapshot(tx -> tx.select("s",
                    dev.mnemo.engine.match.MatchSpec.parse("[{{s,'_','_'},[],['$_']}]"), 10));
            try (Checkpoint c = db.activateCheckpoint("only-b", List.of("b"))) {
                assertThatThrownBy(() -> c.read(tx -> tx.select(outside.continuation())))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not s");
            }
        }
    }

    /** Writes an archive of the frames given (the magic, then each value with its length and checksum). */
    private Path archive(String name, Object... frames) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.write("MNEMOBK1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (Object f : frames) {
            byte[] payload = dev.mnemo.engine.value.TermCodec.encode(f);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(payload);
            out.writeInt(payload.length);
            out.writeInt((int) crc.getValue());
            out.write(payload);
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    @Test
    void craftedArchives_withSoundChecksums_areRefusedBeforeAnythingChanges() throws Exception {
        try (Mnemo db = small(dir.resolve("db"))) {
            Map<String, Object> def = SchemaCodec.toValue(db.tableDef("s"), 0, 1, 0);
            Map<String, Object> header = Map.of("format", 1L, "tables", List.of("s"));
            Path emptyChunk = archive("empty.mnb", header, Map.of("table", "s", "definition", def),
                    Map.of("chunk", List.of()), Map.of("table_end", "s", "records", 0L),
                    Map.of("backup_end", true, "records", 0L));
            assertThatThrownBy(() -> db.restore(emptyChunk, RestoreMode.CLEAR_TABLES))
                    .isInstanceOf(MnemoException.class).hasMessageContaining("empty chunk");
            Path renamed = archive("renamed.mnb", Map.of("format", 1L, "tables", List.of("x")),
                    Map.of("table", "x", "definition", def), Map.of("table_end", "x", "records", 0L),
                    Map.of("backup_end", true, "records", 0L));
            assertThatThrownBy(() -> db.restore(renamed, RestoreMode.CLEAR_TABLES, List.of("x"), null))
                    .isInstanceOf(MnemoException.class).hasMessageContaining("is of table s, not x");
            Path notAList = archive("notalist.mnb", Map.of("format", 1L, "tables", "s"));
            assertThatThrownBy(() -> db.restore(notAList, RestoreMode.CLEAR_TABLES))
                    .isInstanceOf(MnemoException.class).hasMessageContaining("frame 1").hasMessageContaining("tables");
            Path badRecord = archive("badrecord.mnb", header, Map.of("table", "s", "definition", def),
                    Map.of("chunk", List.of(Tuple.of("s", 1L))), Map.of("table_end", "s", "records", 1L),
                    Map.of("backup_end", true, "records", 1L));
            assertThatThrownBy(() -> db.restore(badRecord, RestoreMode.CLEAR_TABLES))
                    .isInstanceOf(MnemoException.class).hasMessageContaining("record 1 of table s does not fit");
            // a length of a gigabyte in a file of a few bytes: refused without allocating it
            byte[] huge = java.nio.ByteBuffer.allocate(16).put("MNEMOBK1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .putInt(1 << 30).putInt(0).array();
            Path lying = Files.write(dir.resolve("lying.mnb"), huge);
            assertThatThrownBy(() -> db.restore(lying, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("cut short");
            assertThat(db.dirtyAllKeys("s")).as("nothing changed").containsExactly(1L, 2L);
        }
    }

    @Test
    void whatWouldStopARestorePartWay_isRefusedBeforeTheFirstTableChanges() throws Exception {
        Path archive = dir.resolve("small.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            db.backup(archive);
            db.dirtyWrite(Tuple.of("b", 7L, "after"));
            try (Checkpoint c = db.activateCheckpoint("reads-s", List.of("s"))) {
                assertThatThrownBy(() -> db.restore(archive, RestoreMode.CLEAR_TABLES))
                        .isInstanceOf(SchemaException.class).hasMessageContaining("checkpoint reads-s");
            }
            assertThat(db.dirtyRead("b", 7L)).as("b, before s in the archive, untouched").hasSize(1);
        }
        try (Mnemo mem = Mnemo.inMemory()) {
            mem.createTable(TableDef.builder("b").attributes("k", "v").type(TableType.BAG).build());
            mem.dirtyWrite(Tuple.of("b", 7L, "kept"));
            assertThatThrownBy(() -> mem.restore(archive, RestoreMode.RECREATE_TABLES))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("table s")
                    .hasMessageContaining("needs a database directory");
            assertThat(mem.dirtyRead("b", 7L)).as("b not recreated").hasSize(1);
            mem.restore(archive, RestoreMode.RECREATE_TABLES, List.of("b"), null);
            assertThat(mem.dirtyRead("b", 1L)).containsExactly(Tuple.of("b", 1L, "x"));
        }
    }

    @Test
    void aReadOnlyTable_isRestoredIntoANewDatabase_butNotWrittenIntoInPlace() throws Exception {
        TableDef ro = TableDef.builder("ro").attributes("k", "v").storage(StorageType.DISC_COPIES)
                .accessMode(AccessMode.READ_ONLY).build();
        Path archive = archive("ro.mnb", Map.of("format", 1L, "tables", List.of("ro")),
                Map.of("table", "ro", "definition", SchemaCodec.toValue(ro, 0, 1, 0)),
                Map.of("chunk", List.of(Tuple.of("ro", 1L, "fixed"))), Map.of("table_end", "ro", "records", 1L),
                Map.of("backup_end", true, "records", 1L));
        try (Mnemo fresh = Mnemo.open(dir.resolve("fresh"))) {
            fresh.restore(archive, RestoreMode.RECREATE_TABLES);
            assertThat(fresh.dirtyRead("ro", 1L)).containsExactly(Tuple.of("ro", 1L, "fixed"));
            assertThat(fresh.tableDef("ro").accessMode()).isEqualTo(AccessMode.READ_ONLY);
            assertThatThrownBy(() -> fresh.restore(archive, RestoreMode.CLEAR_TABLES))
                    .isInstanceOf(ReadOnlyTableException.class).hasMessageContaining("table ro")
                    .hasMessageContaining("read_only");
        }
    }

    @Test
    void aRecordThatFitsTheArchivesStorageButNotTheTableHere_isRefusedBeforeAnyTableChanges() {
        Path a = dir.resolve("x.bk");
        String bigKey = "k".repeat(70 << 10);
        try (Mnemo db = Mnemo.open(dir.resolve("src"))) {
            db.createTable(TableDef.builder("a").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("b").attributes("k", "v").storage(StorageType.RAM_COPIES).build());
            db.transaction(tx -> { tx.write(Tuple.of("a", 1L, "from backup")); tx.write(Tuple.of("b", bigKey, 1L)); return null; });
            db.backup(a, List.of("a", "b"), null);
        }
        try (Mnemo db = Mnemo.open(dir.resolve("dst"))) {
            db.createTable(TableDef.builder("a").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("b").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.transaction(tx -> { tx.write(Tuple.of("a", 1L, "local")); return null; });
            Throwable t = catchThrowable(() -> db.restore(a, RestoreMode.CLEAR_TABLES, null, null));
            List<Tuple> r = db.transaction(tx -> tx.read("a", 1L));
            assertThat(t).isInstanceOf(MnemoException.class).hasMessageContaining("record 1 of table b");
            assertThat(r.get(0).get(2)).as("nothing changed").isEqualTo("local");
        }
    }

    @Test
    void aRecreateThatFailsPartWay_leavesTheTableAsItWas() throws Exception {
        Path archive = dir.resolve("small.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            db.transaction(tx -> {
                for (long k = 100; k < 3_100; k++) {
                    tx.write(Tuple.of("s", k, "x".repeat(200)));
                }
                return null;
            });
            db.backup(archive, List.of("s"), null);
            db.transformTable("s", r -> Tuple.of("s", r.get(1), r.get(2), "extra"), List.of("k", "v", "w"));
            db.dirtyWrite(Tuple.of("s", 9L, "kept", "w"));
            // the disk fills up once the first 1,000 of the backup's records are written: after any deletion or
            // creation of the table
            assertThatThrownBy(() -> db.restore(archive, RestoreMode.RECREATE_TABLES, null, p -> {
                if (p.records() > 0) {
                    db.db.logWriter().failAfterBytes = 3;
                }
            })).hasStackTraceContaining("No space left on device");
            db.db.logWriter().failAfterBytes = -1;
            assertThat(db.tableDef("s").attributes()).as("not deleted, not redefined").containsExactly("k", "v", "w");
            assertThat(db.dirtyRead("s", 9L)).containsExactly(Tuple.of("s", 9L, "kept", "w"));
        }
    }

    @Test
    void aBackupOfAnEmptyDatabase_isAnEmptyArchive_thatRestores() {
        Path archive = dir.resolve("empty.mnb");
        try (Mnemo db = Mnemo.open(dir.resolve("db"))) {
            assertThat(db.backup(archive).total()).isZero();
            assertThat(db.restore(archive, RestoreMode.CLEAR_TABLES).records()).isEmpty();
        }
    }

    @Test
    void aRestore_isToldToTableSubscribersAsARewrite() throws Exception {
        Path archive = dir.resolve("small.mnb");
        try (Mnemo db = small(dir.resolve("db"))) {
            db.backup(archive);
            java.util.concurrent.BlockingQueue<TableEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
            db.subscribe("s", EventDetail.SIMPLE, events::add);
            db.restore(archive, RestoreMode.CLEAR_TABLES);
            assertThat(events.poll(30, TimeUnit.SECONDS)).isInstanceOf(TableEvent.Redefined.class);
        }
    }
}
