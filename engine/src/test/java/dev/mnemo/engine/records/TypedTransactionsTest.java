package dev.mnemo.engine.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.LockKind;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NotInTransactionException;
import dev.mnemo.engine.TransactionAbortedException;
import dev.mnemo.engine.TxOutcome;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TypedTransactionsTest {
    record Account(String id, long balance) {
    }

    Mnemo db;
    Memento m;

    @BeforeEach
    void open() {
        db = Mnemo.inMemory();
        m = new Memento(db);
        m.createTable(Account.class);
        m.transactionOrThrow(q -> q.write(new Account("a", 100)));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Optional<Account> a() {
        return m.dirty().read(Account.class, "a");
    }

    @Test
    void transaction_returnsAtomicResult_orAbortedReason_andKeepsNothingOnAbort() {
        TxOutcome<Long> ok = m.transaction(q -> q.read(Account.class, "a").orElseThrow().balance());
        assertThat(ok).isEqualTo(new TxOutcome.Atomic<>(100L));

        TxOutcome<Object> aborted = m.transaction(q -> {
            q.write(new Account("a", 0));
            throw q.abort("insufficient_funds");
        });
        assertThat(aborted).isEqualTo(new TxOutcome.Aborted<>("insufficient_funds"));
        assertThat(aborted.isAtomic()).isFalse();

        TxOutcome<Object> failed = m.transaction(q -> {
            q.write(new Account("a", 1));
            throw new IllegalStateException("boom");
        });
        assertThat(((TxOutcome.Aborted<Object>) failed).reason()).isInstanceOf(IllegalStateException.class);
        assertThat(a()).contains(new Account("a", 100));
    }

    @Test
    void transactionOrThrow_returnsTheResult_orThrowsTheAbort() {
        Account b = m.transactionOrThrow(q -> q.write(new Account("b", 5)));
        assertThat(b).isEqualTo(new Account("b", 5));
        assertThatThrownBy(() -> m.transactionOrThrow(q -> {
            q.delete(Account.class, "a");
            throw q.abort("no");
        })).isInstanceOf(TransactionAbortedException.class)
                .satisfies(e -> assertThat(((TransactionAbortedException) e).abortReason()).isEqualTo("no"));
        assertThatThrownBy(() -> m.transactionOrThrow(q -> {
            throw new IllegalArgumentException("bad input");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad input");
        assertThat(a()).isPresent();
    }

    @Test
    void queriesOutsideATransaction_areRejected_dirtyOnesAreNot() {
        assertThat(m.inside()).isFalse();
        assertThatThrownBy(() -> m.query()).isInstanceOf(NotInTransactionException.class)
                .hasMessageContaining("not inside a transaction");
        AtomicReference<Query> leaked = new AtomicReference<>();
        Boolean inside = m.transactionOrThrow(q -> {
            leaked.set(q);
            return m.inside() && m.query() == q;
        });
        assertThat(inside).isTrue();
        assertThatThrownBy(() -> leaked.get().read(Account.class, "a"))
                .isInstanceOf(NotInTransactionException.class).hasMessageContaining("memento.transaction");
        assertThatThrownBy(() -> leaked.get().write(new Account("c", 1)))
                .isInstanceOf(NotInTransactionException.class);
        assertThat(m.dirty().write(new Account("c", 1))).isEqualTo(new Account("c", 1));
        assertThat(m.dirty().all(Account.class)).hasSize(2);
        m.dirty().delete(Account.class, "c");
        m.dirty().deleteRecord(new Account("a", 100));
        assertThat(m.dirty().allKeys(Account.class)).isEmpty();
    }

    @Test
    void queryFromHelperCode_runsInTheCallersTransaction_andNestedTransactionsAreSubTransactions() {
        Long total = m.transactionOrThrow(q -> {
            deposit(5);
            TxOutcome<Object> inner = m.transaction(q2 -> {
                deposit(1000);
                throw q2.abort("undo inner");
            });
            assertThat(inner.isAtomic()).isFalse();
            return q.read(Account.class, "a").orElseThrow().balance();
        });
        assertThat(total).isEqualTo(105);
        assertThat(a()).contains(new Account("a", 105));
    }

    private void deposit(long amount) {
        Query q = m.query();
        Account acc = q.read(Account.class, "a", LockKind.WRITE).orElseThrow();
        q.write(new Account(acc.id(), acc.balance() + amount));
    }

    @Test
    void lockHelpers_takeRecordAndTableLocksUntilTheEnd() {
        List<String> held = m.transactionOrThrow(q -> {
            q.lock(new Account("a", 100), LockKind.WRITE);
            q.lockKey(Account.class, "zz", LockKind.READ);
            q.lockTable(Account.class, LockKind.READ);
            return db.systemInfo().heldLocks();
        });
        assertThat(held).extracting(l -> l.replaceAll(", tid \\d+", ""))
                .containsExactlyInAnyOrder("{account, a, write}", "{account, zz, read}", "{account, '_', read}");
        assertThat(db.systemInfo().heldLocks()).isEmpty();
    }
}
