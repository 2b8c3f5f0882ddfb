package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint writes each key changed by its batch of logged commits once, from its records before the first
 * commit to its records after the last, and leaves Xodus exactly as the commits left the tables.
 */
class CheckpointsTest {
    @TempDir
    Path dir;

    private static Database.Change change(Table t, Object key, List<Tuple> old, List<Tuple> neu) {
        return new Database.Change(t, key, old, neu);
    }

    @Test
    void coalesce_keepsEachKeysFirstOldAndLastNew_andDropsKeysBackWhereTheyStarted() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("u").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            Table t = db.db.table("t");
            Table u = db.db.table("u");
            List<Tuple> x = List.of(Tuple.of("t", 1L, "x"));
            List<Tuple> y = List.of(Tuple.of("t", 1L, "y"));
            List<Tuple> p = List.of(Tuple.of("t", 2L, "p"));
            List<Tuple> q = List.of(Tuple.of("t", 2L, "q"));
            List<Tuple> ux = List.of(Tuple.of("u", 1L, "x"));
            var commits = List.of(
                    new Checkpoints.Logged(List.of(change(t, 1L, List.of(), x), change(t, 2L, p, q)), null),
                    new Checkpoints.Logged(List.of(change(u, 1L, List.of(), ux)), null),
                    new Checkpoints.Logged(List.of(change(t, 1L, x, y), change(t, 2L, q, p)), null),
                    new Checkpoints.Logged(List.of(change(t, 3L, List.of(), x)), null),
                    new Checkpoints.Logged(List.of(change(t, 3L, x, List.of())), null));
            assertThat(Checkpoints.coalesce(commits)).containsExactly(
                    change(t, 1L, List.of(), y), change(u, 1L, List.of(), ux));
        }
    }

    @Test
    void hotKeysChangedByThousandsOfCommitsInOneBatch_reachXodusAsTheTablesHoldThem() {
        Map<String, Object> before;
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("s").attributes("k", "v").index("v").storage(StorageType.DISC_COPIES)
                    .build());
            db.createTable(TableDef.builder("b").attributes("k", "v").type(TableType.BAG)
                    .storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("o").attributes("k", "v").type(TableType.ORDERED_SET)
                    .storage(StorageType.DISC_COPIES).build());
            db.db.checkpoints.paused = true; // every commit below goes into the one checkpoint made at close
            Random rnd = new Random(5);
            for (int i = 0; i < 3_000; i++) {
                long k = rnd.nextInt(7);
                String v = "v" + rnd.nextInt(5);
                int op = rnd.nextInt(10);
                db.transaction(tx -> {
                    if (op == 0) {
                        tx.delete("s", k);
                        tx.delete("o", k);
                    } else {
                        tx.write(Tuple.of("s", k, v));
                        tx.write(Tuple.of("o", k, v));
                    }
                    if (op < 3) {
                        tx.deleteObject(Tuple.of("b", k, v));
                    } else {
                        tx.write(Tuple.of("b", k, v));
                    }
                    return null;
                });
            }
            before = contents(db);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).as("everything was checkpointed at close").isEqualTo(new Recovery(0, null));
            db.waitForTables(List.of("s", "b", "o"), Duration.ofSeconds(30));
            assertThat(contents(db)).isEqualTo(before);
        }
    }

    /** Every table's records by key, and table s's index by value. */
    private static Map<String, Object> contents(Mnemo db) {
        Map<String, Object> out = new TreeMap<>();
        for (String table : List.of("s", "b", "o")) {
            for (Object k : db.dirtyAllKeys(table)) {
                List<String> records = new ArrayList<>();
                db.dirtyRead(table, k).forEach(r -> records.add(r.toString()));
                records.sort(null);
                out.put(table + "/" + k, records);
            }
        }
        for (int v = 0; v < 5; v++) {
            List<String> records = new ArrayList<>();
            db.dirtyIndexRead("s", "v" + v, "v").forEach(r -> records.add(r.toString()));
            records.sort(null);
            out.put("s.v/" + v, records);
        }
        assertThat(out).hasSizeGreaterThan(10);
        return out;
    }

    @Test
    void aBulkLoadOutrunningTheCheckpointer_keepsItsBacklogBoundedInRows_andLosesNothing() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.db.checkpoints.paused = true; // the checkpointer falls behind; committers must help it
            long most = 0;
            for (int c = 0; c < 250; c++) {
                long from = c * 1_000L;
                db.transaction(tx -> {
                    for (long k = from; k < from + 1_000; k++) {
                        tx.write(Tuple.of("t", k, "row " + k));
                    }
                    return null;
                });
                most = Math.max(most, db.db.checkpoints.backlogChanges());
            }
            // 250,000 rows in 250 commits: counted in commits, the backlog never reached the limit
            assertThat(most).isGreaterThan(Checkpoints.backlogLimit() / 2)
                    .isLessThanOrEqualTo(Checkpoints.backlogLimit() + 1_000);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), Duration.ofSeconds(30));
            assertThat(db.dirtyAllKeys("t")).hasSize(250_000);
            assertThat(db.dirtyRead("t", 249_999L)).containsExactly(Tuple.of("t", 249_999L, "row 249999"));
        }
    }

    @Test
    void appendedReplacedAndDeletedKeysInOneCheckpoint_reachXodusAsTheTableHeldThem() {
        Map<Long, String> model = new TreeMap<>();
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            for (long k = 0; k < 3_000; k += 3) { // checkpointed: the store's largest key is 2,997 from here on
                db.dirtyWrite(Tuple.of("t", k, "first " + k));
                model.put(k, "first " + k);
            }
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), Duration.ofSeconds(30));
            db.db.checkpoints.paused = true; // every commit below goes into the one checkpoint made at close
            db.dirtyDelete("t", 2_997L); // the store's largest key, deleted in Xodus by the same checkpoint
            model.remove(2_997L);
            Random rnd = new Random(9);
            long next = 3_000;
            for (int c = 0; c < 400; c++) {
                int op = rnd.nextInt(6);
                long k = op == 0 ? rnd.nextInt((int) next) // below the edge: replaced or new between others
                        : op == 1 ? next - 1 - rnd.nextInt(3) // at or just below the largest key
                        : next++; // appended
                if (op == 2 && model.containsKey(k - 1)) {
                    db.dirtyDelete("t", k - 1); // the largest key deleted, then one above it written
                    model.remove(k - 1);
                }
                db.dirtyWrite(Tuple.of("t", k, "v" + c));
                model.put(k, "v" + c);
            }
            db.db.checkpoints.paused = false;
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).as("everything was checkpointed at close").isEqualTo(new Recovery(0, null));
            db.waitForTables(List.of("t"), Duration.ofSeconds(30));
            Map<Long, String> stored = new TreeMap<>();
            for (Object k : db.dirtyAllKeys("t")) {
                stored.put((Long) k, (String) db.dirtyRead("t", k).get(0).get(2));
            }
            assertThat(stored).isEqualTo(model);
        }
    }

    @Test
    void aChunkedRowAboveTheLargestKey_isAppendedAfterByLaterKeysBelowIt() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.dirtyWrite(Tuple.of("t", 10L, "checkpointed"));
        }
        String large = "x".repeat(2 * XodusStore.CHUNK_BYTES); // stored in chunks
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("t"), Duration.ofSeconds(30));
            db.db.checkpoints.paused = true; // one checkpoint, at close: 11 appended, 20 chunked, then 15 between
            db.dirtyWrite(Tuple.of("t", 11L, "small"));
            db.dirtyWrite(Tuple.of("t", 20L, large));
            db.dirtyWrite(Tuple.of("t", 15L, "between"));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.recovery()).as("the checkpoint at close took every commit").isEqualTo(new Recovery(0, null));
            db.waitForTables(List.of("t"), Duration.ofSeconds(30));
            assertThat(db.dirtyAllKeys("t")).containsExactly(10L, 11L, 15L, 20L);
            assertThat(db.dirtyRead("t", 20L)).containsExactly(Tuple.of("t", 20L, large));
            assertThat(db.dirtyRead("t", 15L)).containsExactly(Tuple.of("t", 15L, "between"));
        }
    }
}
