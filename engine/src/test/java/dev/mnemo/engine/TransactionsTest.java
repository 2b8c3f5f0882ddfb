package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionsTest {
    Mnemo db;

    @BeforeEach
    void open() {
        db = Mnemo.inMemory();
        db.createTable(TableDef.builder("accounts").attributes("id", "balance").build());
        db.createTable(TableDef.builder("log").attributes("id", "text").type(TableType.BAG).build());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void abort_rollsBackAndReturnsReason() {
        db.dirtyWrite(Tuple.of("accounts", 1, 100));
        TxOutcome<Object> out = db.tryTransaction(tx -> {
            tx.write(Tuple.of("accounts", 1, 0));
            tx.write(Tuple.of("log", 1, "drained"));
            throw tx.abort("insufficient_funds");
        });
        assertThat(out).isEqualTo(new TxOutcome.Aborted<>("insufficient_funds"));
        assertThat(db.dirtyRead("accounts", 1)).containsExactly(Tuple.of("accounts", 1, 100));
        assertThat(db.dirtyRead("log", 1)).isEmpty();
        assertThatThrownBy(() -> db.transaction(tx -> tx.abort("why"))).isInstanceOf(TransactionAbortedException.class)
                .satisfies(e -> assertThat(((TransactionAbortedException) e).abortReason()).isEqualTo("why"));
    }

    @Test
    void exceptionInFunction_rollsBackAndPropagates() {
        assertThatThrownBy(() -> db.transaction(tx -> {
            tx.write(Tuple.of("accounts", 1, 5));
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class).hasMessage("bug");
        assertThat(db.dirtyRead("accounts", 1)).isEmpty();
        assertThat(db.systemInfo().heldLocks()).isEmpty();
    }

    @Test
    void readsSeeOwnWrites_includingScans() {
        db.dirtyWrite(Tuple.of("accounts", 1, 10));
        db.dirtyWrite(Tuple.of("accounts", 3, 30));
        List<Object> keys = db.transaction(tx -> {
            tx.write(Tuple.of("accounts", 2, 20));
            tx.delete("accounts", 3);
            assertThat(tx.read("accounts", 2)).containsExactly(Tuple.of("accounts", 2, 20));
            assertThat(tx.read("accounts", 3)).isEmpty();
            assertThat(tx.foldl("accounts", 0L, (r, acc) -> acc + (Long) r.get(2))).isEqualTo(30L);
            return tx.allKeys("accounts");
        });
        assertThat(keys).containsExactly(1L, 2L);
        assertThat(db.dirtyAllKeys("accounts")).containsExactly(1L, 2L);
    }

    @Test
    void uncommittedWrites_invisibleToOthers() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread writer = new Thread(() -> db.transaction(tx -> {
            tx.write(Tuple.of("accounts", 7, 70));
            written.countDown();
            checked.await(5, TimeUnit.SECONDS);
            return null;
        }));
        writer.start();
        written.await();
        assertThat(db.dirtyRead("accounts", 7)).isEmpty();
        checked.countDown();
        writer.join();
        assertThat(db.dirtyRead("accounts", 7)).hasSize(1);
    }

    @Test
    void nestedTransaction_joinsOuter() {
        assertThatThrownBy(() -> db.transaction(tx -> {
            db.transaction(inner -> {
                inner.write(Tuple.of("accounts", 1, 1));
                return null;
            });
            assertThat(tx.read("accounts", 1)).hasSize(1);
            assertThat(db.isTransaction()).isTrue();
            throw tx.abort("undo all");
        })).isInstanceOf(TransactionAbortedException.class);
        assertThat(db.dirtyRead("accounts", 1)).isEmpty();
        assertThat(db.systemInfo().transactionCommits()).isZero();
    }

    @Test
    void nestedSubTransactions_undoOnlyTheirOwnChanges_atEveryDepth() {
        db.transaction(tx -> {
            tx.write(Tuple.of("accounts", 1, 1));
            db.transaction(middle -> {
                middle.write(Tuple.of("accounts", 2, 2));
                middle.write(Tuple.of("accounts", 1, 11));
                TxOutcome<Object> inner = db.tryTransaction(in -> {
                    in.write(Tuple.of("accounts", 3, 3));
                    in.write(Tuple.of("accounts", 2, 22));
                    in.delete("accounts", 1);
                    throw in.abort("inner only");
                });
                assertThat(inner).isEqualTo(new TxOutcome.Aborted<>("inner only"));
                assertThat(middle.read("accounts", 1)).containsExactly(Tuple.of("accounts", 1, 11));
                middle.write(Tuple.of("accounts", 4, 4));
                return null;
            });
            return null;
        });
        assertThat(db.dirtyAllKeys("accounts")).containsExactly(1L, 2L, 4L);
        assertThat(db.dirtyRead("accounts", 1)).containsExactly(Tuple.of("accounts", 1, 11));
        assertThat(db.dirtyRead("accounts", 2)).containsExactly(Tuple.of("accounts", 2, 2));
    }

    @Test
    void txObject_usedAfterItsTransaction_isRejected() {
        Tx leaked = db.transaction(tx -> tx);
        assertThatThrownBy(() -> leaked.read("accounts", 1)).isInstanceOf(NotInTransactionException.class);
    }

    /** Clearing a table leaves every definition as it was: plans made of them stay current (no re-planning). */
    @Test
    void clearingATable_leavesTheSchemaVersion_aDefinitionChangeMovesIt() {
        db.dirtyWrite(Tuple.of("accounts", 1, 5));
        long v = db.schemaVersion();
        db.clearTable("accounts");
        assertThat(db.dirtyAllKeys("accounts")).isEmpty();
        assertThat(db.schemaVersion()).isEqualTo(v);
        db.addTableIndex("accounts", "balance");
        assertThat(db.schemaVersion()).isGreaterThan(v);
    }

    @Test
    void schemaOperation_insideTransaction_isRejected() {
        assertThatThrownBy(() -> db.transaction(tx -> {
            db.clearTable("accounts");
            return null;
        })).hasMessageContaining("inside a transaction");
    }

    @Test
    void writeLock_blocksYoungerWriterUntilCommit_whichThenGoesOnWithoutARestart() throws Exception {
        db.dirtyWrite(Tuple.of("accounts", 1, 0));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Thread older = new Thread(() -> db.transaction(tx -> {
            List<Tuple> r = tx.wread("accounts", 1);
            holding.countDown();
            release.await(5, TimeUnit.SECONDS);
            tx.write(Tuple.of("accounts", 1, (Long) r.get(0).get(2) + 1));
            return null;
        }));
        older.start();
        holding.await();
        Thread younger = new Thread(() -> db.transaction(tx -> {
            runs.incrementAndGet();
            List<Tuple> r = tx.wread("accounts", 1);
            tx.write(Tuple.of("accounts", 1, (Long) r.get(0).get(2) + 10));
            return null;
        }));
        younger.start();
        Thread.sleep(100);
        release.countDown();
        older.join();
        younger.join();
        assertThat(db.dirtyRead("accounts", 1)).containsExactly(Tuple.of("accounts", 1, 11));
        // it waited for the lock (wait-die made it die and run again)
        assertThat(runs.get()).isEqualTo(1);
        assertThat(db.systemInfo().transactionRestarts()).isZero();
    }

    @Test
    void explicitLocks_showInSystemInfoWhileHeld() {
        List<String> held = db.transaction(tx -> {
            tx.lock("accounts", 5, LockKind.WRITE);
            tx.lockTable("log", LockKind.READ);
            return db.systemInfo().heldLocks();
        });
        assertThat(held).hasSize(2);
        assertThat(String.join(" ", held)).contains("accounts").contains("write").contains("log").contains("read");
        assertThat(db.systemInfo().heldLocks()).isEmpty();
    }
}
