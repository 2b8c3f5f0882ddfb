package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            assertThat(Files.exists(dir.resolve("bank.mnb.part"))).isFalse();
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
            assertThat(Files.exists(dir.resolve("small.mnb.part"))).isFalse();
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
