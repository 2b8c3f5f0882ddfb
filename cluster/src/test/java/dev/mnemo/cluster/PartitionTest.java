package dev.mnemo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionTest {
    @TempDir
    Path dir;

    private static void put(MnemoNode n, String key, long v) {
        n.transaction(tx -> {
            tx.write("kv", Tuple.of("kv", key, v));
            return null;
        });
    }

    private static List<Tuple> read(MnemoNode n, String key) {
        return n.linearizableRead(tx -> tx.read("kv", key));
    }

    @Test
    void aFollowerCutOff_refusesWritesClearly_whileTheMajorityGoesOn_andCatchesUpWhenHealed() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String leader = c.awaitLeader();
            c.node(leader).createTable(TableDef.builder("kv").attributes("k", "v").build(),
                    Copies.disc("n1", "n2", "n3"));
            String cut = List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
            String other = List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader) && !n.equals(cut))
                    .findFirst().orElseThrow();
            for (MnemoNode n : c.nodes()) {
                n.waitForTables(List.of("kv"), Duration.ofSeconds(10));
            }
            put(c.node(cut), "before", 1L);

            try (Partition p = Partition.cut(c, Set.of(cut))) {
                c.awaitContact(cut, true);
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> put(c.node(cut), "minority", 2L))
                        .isInstanceOfSatisfying(ClusterUnavailableException.class,
                                e -> assertThat(e.applied()).as(e.getMessage()).isFalse())
                        .hasMessageContaining("cannot reach a majority").hasMessageContaining(cut)
                        .hasMessageContaining("not applied");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
                // the majority goes on, from the leader and from the other follower
                put(c.node(leader), "majority", 3L);
                put(c.node(other), "majority2", 4L);
                assertThat(read(c.node(other), "majority")).hasSize(1);
                // the cut node's local copy is behind, and a linearizable read there refuses rather than lie
                assertThat(c.node(cut).dirtyRead("kv", "majority")).isEmpty();
                assertThatThrownBy(() -> read(c.node(cut), "majority"))
                        .isInstanceOf(ClusterUnavailableException.class);
            }
            // healed: no operator action; the cut node hears from the leader again, catches up and writes
            c.awaitContact(cut, false);
            put(c.node(cut), "after", 5L);
            for (MnemoNode n : c.nodes()) {
                assertThat(read(n, "majority")).as(n.name()).containsExactly(Tuple.of("kv", "majority", 3L));
                assertThat(read(n, "after")).as(n.name()).hasSize(1);
                assertThat(read(n, "minority")).as(n.name()).isEmpty();
            }
        }
    }

    @Test
    void aLeaderCutOff_stepsAsideForANewOne_itsOwnWritesAreRefused_andItRejoinsAsAFollower() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String old = c.awaitLeader();
            c.node(old).createTable(TableDef.builder("kv").attributes("k", "v").build(),
                    Copies.disc("n1", "n2", "n3"));
            for (MnemoNode n : c.nodes()) {
                n.waitForTables(List.of("kv"), Duration.ofSeconds(10));
            }
            List<String> rest = List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(old)).toList();
            try (Partition p = Partition.cut(c, Set.of(old))) {
                put(c.node(rest.get(0)), "new-leader", 1L); // waits for the majority to elect a new leader
                assertThat(c.node(rest.get(0)).leader()).isPresent().get().isNotEqualTo(old);
                c.awaitContact(old, true);
                assertThatThrownBy(() -> put(c.node(old), "old-leader", 2L))
                        .isInstanceOfSatisfying(ClusterUnavailableException.class,
                                e -> assertThat(e.applied()).as(e.getMessage()).isFalse());
            }
            c.awaitContact(old, false);
            put(c.node(old), "rejoined", 3L);
            for (MnemoNode n : c.nodes()) {
                assertThat(read(n, "new-leader")).as(n.name()).hasSize(1);
                assertThat(read(n, "old-leader")).as(n.name()).isEmpty();
                assertThat(read(n, "rejoined")).as(n.name()).hasSize(1);
            }
        }
    }
}
