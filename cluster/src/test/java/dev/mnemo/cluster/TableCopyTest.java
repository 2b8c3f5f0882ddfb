package dev.mnemo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.SchemaException;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableCopyTest {
    @TempDir
    Path dir;

    private static void fill(MnemoNode n, String table, int from, int to) {
        for (int i = from; i < to; i += 500) {
            int start = i;
            n.transaction(tx -> {
                for (int k = start; k < Math.min(start + 500, to); k++) {
                    tx.write(table, Tuple.of(table, (long) k, "v" + k));
                    if (table.equals("bag")) {
                        tx.write(table, Tuple.of(table, (long) k, "w" + k));
                    }
                }
                return null;
            });
        }
    }

    @Test
    void anAddedCopy_isLoadedAsTheTableStoodAtTheChange_whileWritesGoOn_andFollowsTheLogAfter() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            MnemoNode n1 = c.node("n1");
            n1.createTable(TableDef.builder("t").attributes("k", "v").build(), Copies.disc("n1", "n2"));
            n1.createTable(TableDef.builder("bag").attributes("k", "v").type(TableType.DUPLICATE_BAG).build(),
                    Copies.discOnly("n1"));
            fill(n1, "t", 0, 2_500); // more than two chunks
            fill(n1, "bag", 0, 1_200);
            n1.transaction(tx -> {
                tx.write("bag", Tuple.of("bag", 1L, "v1")); // a duplicate
                return null;
            });

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong next = new AtomicLong(10_000);
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    long k = next.getAndIncrement();
                    c.node("n2").dirtyWrite("t", Tuple.of("t", k, "late"));
                }
            });
            writer.start();
            try {
                n1.addTableCopy("t", "n3", StorageType.RAM_COPIES);
                n1.addTableCopy("bag", "n3", StorageType.DISC_COPIES);
            } finally {
                Thread.sleep(200);
                stop.set(true);
                writer.join();
            }
            MnemoNode n3 = c.node("n3");
            n3.waitForTables(List.of("t", "bag"), Duration.ofSeconds(30));
            assertThat(n3.tableCopies("t")).isEqualTo(new Copies(List.of("n3"), List.of("n1", "n2"), List.of()));
            assertThat(TestCluster.contents(n3, "t")).hasSizeGreaterThan(2_500).isEqualTo(TestCluster.contents(n1, "t"));
            assertThat(TestCluster.contents(n3, "bag")).hasSize(2_401).isEqualTo(TestCluster.contents(n1, "bag"));

            assertThatThrownBy(() -> n1.addTableCopy("t", "n3", StorageType.DISC_COPIES))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("already has a copy");
            n1.moveTableCopy("bag", "n1", "n2");
            assertThat(n1.tableCopies("bag")).isEqualTo(new Copies(List.of(), List.of("n3"), List.of("n2")));
            c.node("n2").waitForTables(List.of("bag"), Duration.ofSeconds(30));
            assertThat(TestCluster.contents(c.node("n2"), "bag")).isEqualTo(TestCluster.contents(n3, "bag"));
        }
    }

    @Test
    void aRamCopy_comesBackFromARestartLoadedFromAnotherCopy() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            MnemoNode n1 = c.node("n1");
            n1.createTable(TableDef.builder("t").attributes("k", "v").build(),
                    new Copies(List.of("n3"), List.of("n1", "n2"), List.of()));
            fill(n1, "t", 0, 1_500);
            c.node("n3").waitForTables(List.of("t"), Duration.ofSeconds(10));
            c.kill("n3");
            fill(n1, "t", 1_500, 2_000);
            MnemoNode n3 = c.start("n3");
            n3.waitForTables(List.of("t"), Duration.ofSeconds(30));
            assertThat(TestCluster.contents(n3, "t")).hasSize(2_000).isEqualTo(TestCluster.contents(n1, "t"));
            n3.transaction(tx -> {
                tx.write("t", Tuple.of("t", 5_000L, "from n3"));
                return null;
            });
            assertThat(TestCluster.contents(n1, "t")).hasSize(2_001);
        }
    }

    @Test
    void aTableWithOnlyRamCopies_isEmptyOnceEveryNodeRestarted_asInMnesia() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            c.node("n1").createTable(TableDef.builder("t").attributes("k", "v").build(), Copies.ram("n1", "n2"));
            fill(c.node("n1"), "t", 0, 10);
            c.kill("n1");
            c.kill("n2");
            c.start("n1");
            c.start("n2");
            for (String n : List.of("n1", "n2")) {
                c.node(n).waitForTables(List.of("t"), Duration.ofSeconds(60));
                assertThat(TestCluster.contents(c.node(n), "t")).as(n).isEmpty();
            }
            fill(c.node("n2"), "t", 0, 3);
            assertThat(TestCluster.contents(c.node("n1"), "t")).hasSize(3);
        }
    }

    @Test
    void theOnlyCopy_inRam_comesBackEmptyAfterItsNodeRestarts_andIsUsable() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            c.node("n2").createTable(TableDef.builder("t").attributes("k", "v").build(), Copies.ram("n1"));
            c.node("n1").waitForTables(List.of("t"), Duration.ofSeconds(10));
            fill(c.node("n1"), "t", 0, 10);
            c.kill("n1");
            MnemoNode n1 = c.start("n1");
            n1.waitForTables(List.of("t"), Duration.ofSeconds(30));
            assertThat(TestCluster.contents(n1, "t")).isEmpty();
            fill(n1, "t", 0, 3);
            assertThat(TestCluster.contents(n1, "t")).hasSize(3);
        }
    }

    @Test
    void aLoadOfACopyLoadedAlready_orOfTheOnlyDiscCopy_leavesItsContentsAlone() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            MnemoNode n1 = c.node("n1");
            n1.createTable(TableDef.builder("t").attributes("k", "v").build(), Copies.disc("n1"));
            n1.createTable(TableDef.builder("u").attributes("k", "v").build(), Copies.disc("n1", "n2"));
            fill(n1, "t", 0, 10);
            fill(n1, "u", 0, 10);
            // a load asked twice (a retry whose first try was committed after all) finds the copy loaded
            assertThat(n1.submit(Entries.load("t", "n1"), "t").get(0)).isEqualTo("ok");
            assertThat(n1.submit(Entries.load("u", "n1"), "u").get(0)).isEqualTo("ok");
            n1.waitForTables(List.of("t", "u"), Duration.ofSeconds(10));
            assertThat(TestCluster.contents(n1, "t")).hasSize(10);
            assertThat(TestCluster.contents(n1, "u")).hasSize(10);
            c.kill("n1");
            n1 = c.start("n1");
            n1.waitForTables(List.of("t", "u"), Duration.ofSeconds(30));
            assertThat(TestCluster.contents(n1, "t")).hasSize(10);
        }
    }
}
