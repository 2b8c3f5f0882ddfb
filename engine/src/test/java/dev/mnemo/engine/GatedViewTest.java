package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A gated view ({@link Mnemo#gatedBy}): no locks, reads recorded, commits decided and made by the gate. */
class GatedViewTest {
    private final Mnemo db = Mnemo.inMemory();

    /**
     * A gate that validates as a replicated log would: a version per key and per table, bumped by each commit it
     * makes, and a commit conflicts if anything it read has a version newer than its read point.
     */
    private class VersionGate implements CommitGate {
        long version;
        final Map<KeyRead, Long> keys = new HashMap<>();
        final Map<String, Long> tables = new HashMap<>();
        final List<Commit> commits = new ArrayList<>();
        final List<String> created = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        /** Refuse this many commits as conflicts before deciding any. */
        int refuse;
        String unusable;

        @Override
        public synchronized long readPoint() {
            return version;
        }

        @Override
        public void checkUsable(String table) {
            if (table.equals(unusable)) {
                throw new TableNotLoadedException("table " + table + " is being loaded here");
            }
        }

        @Override
        public synchronized boolean commit(Commit c) {
            commits.add(c);
            if (refuse > 0) {
                refuse--;
                return false;
            }
            for (KeyRead r : c.keyReads()) {
                if (keys.getOrDefault(r, 0L) > c.readPoint()) {
                    return false;
                }
            }
            for (String t : c.tableReads()) {
                if (tables.getOrDefault(t, 0L) > c.readPoint()) {
                    return false;
                }
            }
            if (c.writes().isEmpty()) {
                return true;
            }
            long v = ++version;
            db.transaction(tx -> {
                for (Write w : c.writes()) {
                    tx.delete(w.table(), w.key());
                    w.records().forEach(r -> tx.write(w.table(), r));
                    keys.put(new KeyRead(w.table(), w.key()), v);
                    tables.put(w.table(), v);
                }
                return null;
            });
            return true;
        }

        @Override
        public void createTable(TableDef def) {
            created.add(def.name());
            db.createTable(def);
        }

        @Override
        public void deleteTable(String table) {
            deleted.add(table);
            db.deleteTable(table);
        }
    }

    private final VersionGate gate = new VersionGate();
    private final Mnemo view = db.gatedBy(gate);

    @AfterEach
    void close() {
        db.close();
    }

    private void counters() {
        view.createTable(TableDef.builder("c").attributes("k", "n").build());
        db.transaction(tx -> {
            tx.write(Tuple.of("c", "a", 0L));
            return null;
        });
    }

    @Test
    void aTransaction_recordsWhatItReadAndScanned_andItsWritesReachTheDatabaseOnlyThroughTheGate() {
        counters();
        assertThat(gate.created).containsExactly("c");
        view.transaction(tx -> {
            tx.read("c", "a");
            tx.allKeys("c");
            tx.write(Tuple.of("c", "b", 7L));
            return null;
        });
        CommitGate.Commit c = gate.commits.get(0);
        assertThat(c.keyReads()).contains(new CommitGate.KeyRead("c", "a"), new CommitGate.KeyRead("c", "b"));
        assertThat(c.tableReads()).containsExactly("c");
        assertThat(c.writes()).containsExactly(new CommitGate.Write("c", "b", List.of(Tuple.of("c", "b", 7L))));
        assertThat(db.dirtyRead("c", "b")).containsExactly(Tuple.of("c", "b", 7L));

        // a gate that says yes without making the commit: nothing reaches the database by the engine's own path
        Mnemo silent = db.gatedBy(new VersionGate() {
            @Override
            public synchronized boolean commit(Commit commit) {
                return true;
            }
        });
        silent.transaction(tx -> {
            tx.write(Tuple.of("c", "z", 1L));
            return null;
        });
        assertThat(db.dirtyRead("c", "z")).isEmpty();
    }

    @Test
    void aCommitTheGateRefuses_reRunsTheFunction_butRollsAnExplicitTransactionBackWithAConflict() {
        counters();
        gate.refuse = 2;
        AtomicInteger runs = new AtomicInteger();
        view.transaction(tx -> {
            runs.incrementAndGet();
            tx.write(Tuple.of("c", "a", 1L));
            return null;
        });
        assertThat(runs).hasValue(3);
        assertThat(db.dirtyRead("c", "a")).containsExactly(Tuple.of("c", "a", 1L));

        gate.refuse = 1;
        Transaction t = view.begin();
        t.write(Tuple.of("c", "a", 2L));
        assertThatThrownBy(t::commit).isInstanceOf(TransactionConflictException.class)
                .hasMessageContaining("retry");
        assertThat(t.isActive()).isFalse();
        assertThat(db.dirtyRead("c", "a")).containsExactly(Tuple.of("c", "a", 1L));
    }

    @Test
    void transactionsOnManyThreads_takeNoLocks_yetLoseNoIncrement() throws Exception {
        counters();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    view.transaction(tx -> {
                        long n = (Long) tx.read("c", "a").get(0).get(2);
                        tx.write(Tuple.of("c", "a", n + 1));
                        return null;
                    });
                }
            }));
        }
        pool.shutdown();
        for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
        }
        assertThat(db.dirtyRead("c", "a")).containsExactly(Tuple.of("c", "a", 800L));
        // an explicit transaction of the view holds no lock a transaction of the database would wait for
        Transaction open = view.begin();
        open.write(Tuple.of("c", "a", -1L));
        db.transaction(tx -> {
            tx.write(Tuple.of("c", "a", 801L));
            return null;
        });
        open.rollback();
        assertThat(db.dirtyRead("c", "a")).containsExactly(Tuple.of("c", "a", 801L));
    }

    @Test
    void schemaChangesTheGateCannotMake_areRefused_dirtyWritesAreGatedTransactions_andCloseLeavesTheDatabaseOpen() {
        counters();
        assertThatThrownBy(() -> view.addTableIndex("c", "n")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("addTableIndex").hasMessageContaining("not replicated");
        assertThatThrownBy(() -> view.clearTable("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.setUserProperties("c", Map.of())).isInstanceOf(
                UnsupportedOperationException.class);
        assertThatThrownBy(view::stop).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.restore(java.nio.file.Path.of("x.bak"), RestoreMode.KEEP_TABLES, null, null))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("restore");
        assertThatThrownBy(() -> view.load(java.nio.file.Path.of("x.dump"), RestoreMode.KEEP_TABLES))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("load");
        // a backup or checkpoint would hold the copies against the log the node must apply
        assertThatThrownBy(() -> view.backup(java.nio.file.Path.of("x.bak"))).isInstanceOf(
                UnsupportedOperationException.class).hasMessageContaining("backup");
        assertThatThrownBy(() -> view.dump(java.nio.file.Path.of("x.dump"))).isInstanceOf(
                UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.activateCheckpoint("cp", List.of("c"))).isInstanceOf(
                UnsupportedOperationException.class);

        view.dirtyWrite("c", Tuple.of("c", "d", 4L));
        assertThat(view.dirtyUpdateCounter("c", "d", 3)).isEqualTo(7L);
        assertThat(gate.commits).hasSize(2);
        assertThat(db.dirtyRead("c", "d")).containsExactly(Tuple.of("c", "d", 7L));
        view.dirtyDelete("c", "d");
        assertThat(db.dirtyRead("c", "d")).isEmpty();

        gate.unusable = "c";
        assertThatThrownBy(() -> view.dirtyRead("c", "a")).isInstanceOf(TableNotLoadedException.class);
        assertThatThrownBy(() -> view.snapshot(tx -> tx.read("c", "a"))).isInstanceOf(TableNotLoadedException.class);
        assertThatThrownBy(() -> view.transaction(tx -> tx.read("c", "a")))
                .isInstanceOf(TableNotLoadedException.class);
        gate.unusable = null;

        view.deleteTable("c");
        assertThat(gate.deleted).containsExactly("c");
        view.close();
        assertThat(db.tables()).isEmpty();
        db.createTable(TableDef.builder("after").attributes("k", "v").build()); // still open
        assertThat(view.isGated()).isTrue();
        assertThat(db.isGated()).isFalse();
        assertThatThrownBy(() -> view.gatedBy(gate)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTransactionOfTheView_insideOneOfTheDatabase_orTheOtherWayRound_isRefused_ratherThanPastTheGate() {
        counters();
        assertThatThrownBy(() -> db.transaction(tx -> view.transaction(v -> {
            v.write(Tuple.of("c", "x", 1L));
            return null;
        }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("gated view");
        assertThatThrownBy(() -> db.transaction(tx -> {
            view.dirtyWrite("c", Tuple.of("c", "y", 1L));
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> view.transaction(v -> db.transaction(tx -> {
            tx.write(Tuple.of("c", "z", 1L));
            return null;
        }))).isInstanceOf(IllegalStateException.class);
        assertThat(db.dirtyRead("c", "x")).isEmpty();
        assertThat(db.dirtyRead("c", "y")).isEmpty();
        assertThat(gate.commits).isEmpty();
        // a transaction of the view inside another of the same view joins it, as in the database
        view.transaction(v -> view.transaction(inner -> {
            inner.write(Tuple.of("c", "w", 1L));
            return null;
        }));
        assertThat(gate.commits).hasSize(1);
        assertThat(db.dirtyRead("c", "w")).hasSize(1);
    }

    @Test
    void aDatabaseAttachedByName_isFoundInTheJvm_untilDetached() {
        Mnemo.attach("gated-view-test", view);
        try {
            assertThat(Mnemo.attached("gated-view-test")).containsSame(view);
            assertThatThrownBy(() -> Mnemo.attach("gated-view-test", db)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gated-view-test");
        } finally {
            Mnemo.detach("gated-view-test", view);
        }
        assertThat(Mnemo.attached("gated-view-test")).isEmpty();
    }
}
