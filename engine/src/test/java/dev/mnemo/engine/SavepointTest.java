package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Savepoints of explicit transactions: rollback to one undoes only what came after, on every storage type. */
class SavepointTest {
    @TempDir
    Path dir;

    private Mnemo open(StorageType storage) {
        Mnemo db = Mnemo.open(dir);
        if (!db.tables().contains("t")) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(storage).type(TableType.ORDERED_SET)
                    .index("v").build());
        }
        return db;
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void rollbackTo_undoesOnlyTheWritesAfterIt_andStaysUsable(StorageType storage) {
        try (Mnemo db = open(storage)) {
            db.transaction(tx -> {
                tx.write(Tuple.of("t", 9, "old"));
                return null;
            });
            Transaction tx = db.begin();
            tx.write(Tuple.of("t", 1, "a"));
            Savepoint sp = tx.setSavepoint("sp1");
            tx.write(Tuple.of("t", 2, "b"));
            tx.write(Tuple.of("t", 1, "changed"));
            tx.delete("t", 9);
            tx.rollbackTo(sp);
            assertThat(tx.read("t", 1)).containsExactly(Tuple.of("t", 1L, "a"));
            assertThat(tx.read("t", 2)).isEmpty();
            assertThat(tx.read("t", 9)).containsExactly(Tuple.of("t", 9L, "old"));
            assertThat(tx.indexRead("t", "changed", "v")).isEmpty();
            tx.write(Tuple.of("t", 3, "c"));
            tx.rollbackTo(sp);
            assertThat(tx.read("t", 3)).as("rolled back to the same savepoint again").isEmpty();
            tx.write(Tuple.of("t", 4, "d"));
            tx.commit();
            assertThat(db.dirtyAllKeys("t")).containsExactly(1L, 4L, 9L);
        }
        if (storage != StorageType.RAM_COPIES) {
            try (Mnemo db = Mnemo.open(dir)) {
                db.waitForTables(List.of("t"), java.time.Duration.ofSeconds(30));
                assertThat(db.dirtyAllKeys("t")).as("after reopening").containsExactly(1L, 4L, 9L);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void nestedSavepoints_rollingBackToAnEarlierOne_endsTheLaterOnes(StorageType storage) {
        try (Mnemo db = open(storage)) {
            Transaction tx = db.begin();
            Savepoint a = tx.setSavepoint("a");
            tx.write(Tuple.of("t", 1, "a"));
            Savepoint b = tx.setSavepoint(null);
            tx.write(Tuple.of("t", 2, "b"));
            Savepoint c = tx.setSavepoint("c");
            tx.write(Tuple.of("t", 3, "c"));
            assertThat(List.of(a.id(), b.id(), c.id())).isSorted();
            tx.releaseSavepoint(c);
            assertThat(tx.read("t", 3)).as("release keeps the writes").hasSize(1);
            assertThatThrownBy(() -> tx.rollbackTo(c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("savepoint c");
            tx.rollbackTo(b);
            assertThat(tx.read("t", 2)).isEmpty();
            assertThat(tx.read("t", 3)).isEmpty();
            assertThat(tx.read("t", 1)).hasSize(1);
            tx.rollbackTo(a);
            assertThatThrownBy(() -> tx.releaseSavepoint(b)).as("ended by the rollback to a")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(tx.read("t", 1)).isEmpty();
            tx.write(Tuple.of("t", 5, "e"));
            tx.releaseSavepoint(a);
            tx.commit();
            assertThat(db.dirtyAllKeys("t")).containsExactly(5L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StorageType.class, names = "DISC_COPIES")
    void rollbackTo_keepsTheLocksTakenAfterTheSavepoint(StorageType storage) {
        try (Mnemo db = open(storage)) {
            Transaction older = db.begin();
            older.read("t", 0); // makes it the older transaction
            Savepoint sp = older.setSavepoint("sp");
            older.write(Tuple.of("t", 1, "a"));
            older.rollbackTo(sp);
            Transaction younger = db.begin();
            java.util.concurrent.CompletableFuture<Void> write = java.util.concurrent.CompletableFuture.runAsync(
                    () -> younger.write(Tuple.of("t", 1, "b")));
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(write).as("the write lock on key 1 is still held: the younger write waits").isNotDone();
            older.commit();
            write.join();
            younger.commit();
            assertThat(db.dirtyRead("t", 1)).containsExactly(Tuple.of("t", 1, "b"));
            assertThat(db.systemInfo().heldLocks()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = StorageType.class, names = "RAM_COPIES")
    void savepoints_ofAnotherTransaction_insideSubTransactions_orAfterTheEnd_areRefused(StorageType storage) {
        try (Mnemo db = open(storage)) {
            Transaction one = db.begin();
            Transaction two = db.begin();
            Savepoint sp = one.setSavepoint("x");
            assertThatThrownBy(() -> two.rollbackTo(sp)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> one.subTransaction(t -> one.setSavepoint("inner")))
                    .isInstanceOf(IllegalStateException.class);
            one.write(Tuple.of("t", 1, "still usable"));
            one.commit();
            assertThatThrownBy(() -> one.rollbackTo(sp)).isInstanceOf(NotInTransactionException.class);
            two.rollback();
            assertThatThrownBy(() -> db.transaction(tx -> ((Transaction) tx).setSavepoint("f")))
                    .isInstanceOf(MnemoException.class).hasMessageContaining("explicit");
            assertThat(db.dirtyRead("t", 1)).hasSize(1);
        }
    }
}
