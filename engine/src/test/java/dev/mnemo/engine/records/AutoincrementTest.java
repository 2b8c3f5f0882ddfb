package dev.mnemo.engine.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoincrementTest {
    @Table(storage = StorageType.DISC_COPIES, type = TableType.ORDERED_SET, autoincrement = true)
    record Post(long id, String title) {
    }

    @Table(autoincrement = true)
    record Note(Integer id, String text) {
    }

    @TempDir
    Path dir;

    private static <T> T write(Memento m, T record) {
        return m.transactionOrThrow(q -> q.write(record));
    }

    @Test
    void writesFromFourThreads_getDistinctKeys() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.createTable(Post.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> keys = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        String title = "t" + thread + "-" + i;
                        Post p = i % 2 == 0 ? m.transactionOrThrow(q -> q.write(new Post(0, title)))
                                : m.dirty().write(new Post(0, title));
                        keys.add(p.id());
                    }
                    return keys;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                for (long k : f.get()) {
                    assertThat(all.add(k)).as("key %d handed out twice", k).isTrue();
                }
            }
            pool.shutdown();
            assertThat(all).hasSize(400).allMatch(k -> k >= 1 && k <= 400);
            assertThat(m.tableInfo(Post.class).size()).isEqualTo(400);
        }
    }

    @Test
    void deletedKeys_areNeverReused_evenAfterRestart_andGivenKeysAreKept() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.createTable(Post.class);
            assertThat(write(m, new Post(0, "one"))).isEqualTo(new Post(1, "one"));
            assertThat(write(m, new Post(0, "two"))).isEqualTo(new Post(2, "two"));
            m.transactionOrThrow(q -> {
                q.delete(Post.class, 2);
                return null;
            });
            assertThat(write(m, new Post(0, "three"))).isEqualTo(new Post(3, "three"));
            assertThat(write(m, new Post(42, "explicit"))).isEqualTo(new Post(42, "explicit"));
            m.transaction(q -> {
                q.write(new Post(0, "aborted"));
                throw q.abort("gap");
            });
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.waitForTables(Duration.ofSeconds(10), Post.class);
            assertThat(write(m, new Post(0, "five"))).isEqualTo(new Post(5, "five"));
            List<Object> keys = m.transactionOrThrow(q -> q.allKeys(Post.class));
            assertThat(keys).containsExactly(1L, 3L, 5L, 42L);
        }
    }

    @Test
    void boxedKey_nullMeansAssign_onARamDatabase() {
        try (Mnemo db = Mnemo.inMemory()) {
            Memento m = new Memento(db);
            m.createTable(Note.class);
            assertThat(write(m, new Note(null, "a"))).isEqualTo(new Note(1, "a"));
            assertThat(write(m, new Note(0, "b"))).isEqualTo(new Note(2, "b"));
            assertThat(m.tableInfo(Note.class).size()).isEqualTo(2);
            assertThat(db.tableDef(Sequences.TABLE).hidden()).as("counters are hidden from SQL").isTrue();
            m.deleteTable(Note.class);
            m.createTable(Note.class);
            assertThat(write(m, new Note(null, "c"))).isEqualTo(new Note(1, "c"));
        }
    }
}
