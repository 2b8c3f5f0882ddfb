package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dirty writes take no locks, so they race with transactions writing the same keys. A committer reads its keys' old
 * records before it takes the commit lock, and reads them again if a dirty write ran since: its commit applies
 * against the records the store holds.
 */
class DirtyWritesBesideTransactionsTest {
    @Test
    void aDirtyWriteBetweenACommitsEarlyReadAndItsGroupCommit_doesNotSurviveTheLaterCommit() throws Exception {
        try (Mnemo db = Mnemo.inMemory()) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.RAM_COPIES).build());
            db.dirtyWrite(Tuple.of("t", 1L, "before"));
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                // the dirty write runs (on another thread, as it would) after the transaction read its old records
                db.db.beforeCommitLock = () -> {
                    db.db.beforeCommitLock = null;
                    try {
                        other.submit(() -> db.dirtyWrite(Tuple.of("t", 1L, "dirty"))).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
                // the transaction writes back what it read: against the store's records that is a change
                db.transaction(tx -> {
                    Tuple read = tx.wread("t", 1L).get(0);
                    tx.write(read);
                    return null;
                });
            } finally {
                other.shutdownNow();
            }
            assertThat(db.dirtyRead("t", 1L)).as("the transaction committed after the dirty write")
                    .containsExactly(Tuple.of("t", 1L, "before"));
        }
    }
}
