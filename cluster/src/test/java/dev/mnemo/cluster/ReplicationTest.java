package dev.mnemo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.SchemaException;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableExistsException;
import dev.mnemo.engine.TableNotLoadedException;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationTest {
    @TempDir
    Path dir;

    static TableDef person() {
        return TableDef.builder("person").attributes("name", "age").build();
    }

    @Test
    void aTransactionOnOneNode_isOnEveryCopy_andTheTablesCopyListsAreMnesias() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            MnemoNode n1 = c.node("n1");
            n1.createTable(person(), new Copies(List.of("n3"), List.of("n1"), List.of("n2")));
            for (MnemoNode n : c.nodes()) {
                n.waitForTables(List.of("person"), Duration.ofSeconds(10));
            }
            assertThat(c.node("n2").tableDef("person").storage()).isEqualTo(StorageType.DISC_ONLY_COPIES);
            assertThat(c.node("n3").tableDef("person").storage()).isEqualTo(StorageType.RAM_COPIES);

            n1.transaction(tx -> {
                tx.write("person", Tuple.of("person", "ann", 31L));
                tx.write("person", Tuple.of("person", "bob", 40L));
                return null;
            });
            // the writer's own node sees it at once; the others once they have applied it
            assertThat(n1.dirtyRead("person", "ann")).containsExactly(Tuple.of("person", "ann", 31L));
            for (MnemoNode n : c.nodes()) {
                List<Tuple> bob = n.linearizableRead(tx -> tx.read("person", "bob"));
                assertThat(bob).as(n.name()).containsExactly(Tuple.of("person", "bob", 40L));
            }
            c.node("n2").transaction(tx -> {
                tx.delete("person", "bob");
                return null;
            });
            c.node("n3").dirtyWrite("person", Tuple.of("person", "cy", 5L));
            for (MnemoNode n : c.nodes()) {
                List<Object> keys = n.linearizableRead(tx -> tx.allKeys("person"));
                assertThat(keys).as(n.name()).containsExactlyInAnyOrder("ann", "cy");
            }
            Map<String, Object> info = c.node("n2").systemInfo();
            assertThat(info.get("db_nodes")).isEqualTo(List.of("n1", "n2", "n3"));
            assertThat(info.get("tables")).isEqualTo(List.of("person"));
        }
    }

    @Test
    void aWriteReturns_onceAMajorityOfTheTablesCopiesHasIt_notJustAMajorityOfTheNodes() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            c.node("n3").createTable(person(), Copies.disc("n1", "n2"));
            c.node("n1").waitForTables(List.of("person"), Duration.ofSeconds(10));
            c.node("n2").waitForTables(List.of("person"), Duration.ofSeconds(10));
            // both copies have it when the call returns, no barrier needed
            c.node("n1").dirtyWrite("person", Tuple.of("person", "ann", 1L));
            c.node("n1").transaction(tx -> {
                tx.write("person", Tuple.of("person", "bob", 2L));
                return null;
            });
            for (String n : List.of("n1", "n2")) {
                assertThat(c.node(n).dirtyRead("person", "bob")).as(n).containsExactly(Tuple.of("person", "bob", 2L));
                assertThat(c.node(n).dirtyRead("person", "ann")).as(n).hasSize(1);
            }
            // with one of its two copies down, n1 and n3 are a majority of the nodes but not of the copies: the
            // write is committed, and the writer is told its copies did not all confirm it
            c.kill("n2");
            c.awaitLeader();
            assertThatThrownBy(() -> c.node("n1").transaction(tx -> {
                tx.write("person", Tuple.of("person", "cy", 3L));
                return null;
            })).isInstanceOfSatisfying(ClusterUnavailableException.class, e -> assertThat(e.applied()).isTrue())
                    .hasMessageContaining("1 of the 2 copies of table 'person' [n1, n2]");
            c.start("n2").waitForTables(List.of("person"), Duration.ofSeconds(20));
            assertThat(c.node("n2").dirtyRead("person", "cy")).containsExactly(Tuple.of("person", "cy", 3L));
            c.node("n1").dirtyWrite("person", Tuple.of("person", "dee", 4L));
            assertThat(c.node("n2").dirtyRead("person", "dee")).hasSize(1);
        }
    }

    @Test
    void aNodeWithoutACopy_refusesToRunOnTheTable_andSchemaChangesAreReplicated() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            MnemoNode n3 = c.node("n3");
            n3.createTable(person(), Copies.disc("n1", "n2"));
            assertThatThrownBy(() -> n3.transaction(tx -> tx.read("person", "x")))
                    .isInstanceOf(TableNotLoadedException.class).hasMessageContaining("n3")
                    .hasMessageContaining("person").hasMessageContaining("[n1, n2]");
            assertThatThrownBy(() -> n3.createTable(person(), Copies.disc("n3")))
                    .isInstanceOf(TableExistsException.class);
            assertThatThrownBy(() -> n3.createTable(TableDef.builder("t").attributes("k").build(),
                    Copies.disc("n9"))).isInstanceOf(SchemaException.class).hasMessageContaining("n9");
            assertThatThrownBy(() -> n3.delTableCopy("nope", "n1")).isInstanceOf(NoSuchTableException.class);

            c.node("n1").transaction(tx -> {
                tx.write("person", Tuple.of("person", "ann", 1L));
                return null;
            });
            n3.changeTableCopyType("person", "n2", StorageType.DISC_ONLY_COPIES);
            c.node("n2").waitForTables(List.of("person"), Duration.ofSeconds(10));
            assertThat(c.node("n2").tableDef("person").storage()).isEqualTo(StorageType.DISC_ONLY_COPIES);
            List<Tuple> ann = c.node("n2").linearizableRead(tx -> tx.read("person", "ann"));
            assertThat(ann).hasSize(1);

            n3.delTableCopy("person", "n2");
            c.node("n1").linearizableRead(tx -> null); // other nodes see a schema change once they applied it
            assertThat(c.node("n1").tableCopies("person")).isEqualTo(Copies.disc("n1"));
            assertThatThrownBy(() -> n3.delTableCopy("person", "n1")).isInstanceOf(SchemaException.class)
                    .hasMessageContaining("no copy");
            n3.deleteTable("person");
            for (MnemoNode n : c.nodes()) {
                n.linearizableRead(tx -> null);
                assertThat(n.tables()).as(n.name()).isEmpty();
            }
        }
    }

    @Test
    void aWriteCheckedAgainstATableSinceRedefined_isRefusedAlikeByEveryNode_andNoCopyStops() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            c.awaitLeader();
            MnemoNode n3 = c.node("n3");
            n3.createTable(TableDef.builder("t").attributes("k", "v").build(), Copies.disc("n1", "n2"));
            assertThatThrownBy(() -> n3.createTable(TableDef.builder("mnemo_cluster").attributes("k", "v").build(),
                    Copies.disc("n1"))).isInstanceOf(SchemaException.class).hasMessageContaining("state table");
            n3.linearizableRead(tx -> null);
            long before = (Long) n3.systemInfo().get("applied_index");
            // a blind write made against t(k, v), sent after t was deleted and made again as t(k, v, w)
            n3.deleteTable("t");
            n3.createTable(TableDef.builder("t").attributes("k", "v", "w").build(), Copies.disc("n1", "n2"));
            Tuple out = n3.submit(Entries.tx(new Entries.Tx(before, List.of(), List.of(),
                    List.of(new Entries.Op(Entries.WRITE, "t", Tuple.of("t", 1L, "two attributes"))))), null);
            assertThat(out.get(0)).isEqualTo("conflict");
            Tuple dirty = n3.submit(Entries.dirty(before, List.of(new Entries.Op(Entries.WRITE, "t",
                    Tuple.of("t", 2L, "two attributes")))), "t");
            assertThat(dirty.get(0)).isEqualTo("conflict");
            c.node("n1").transaction(tx -> {
                tx.write("t", Tuple.of("t", 3L, "a", "b"));
                return null;
            });
            for (String n : List.of("n1", "n2")) {
                List<Tuple> rows = c.node(n).linearizableRead(tx -> tx.read("t", 3L));
                assertThat(rows).as(n).containsExactly(Tuple.of("t", 3L, "a", "b"));
                List<Tuple> none = c.node(n).linearizableRead(tx -> tx.read("t", 1L));
                assertThat(none).as(n).isEmpty();
            }
        }
    }
}
