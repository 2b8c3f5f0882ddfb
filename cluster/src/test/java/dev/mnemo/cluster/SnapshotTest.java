package dev.mnemo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
    @TempDir
    Path dir;

    @Test
    void aNodeThatWasDown_catchesUpFromTheLogTheOthersKept_andOneWhoseDiscWasReplaced_fromASnapshotAndCopies()
            throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").tuned(p -> {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, 100L);
            RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8KB"));
            RaftServerConfigKeys.Log.setPurgeGap(p, 1);
            // notOnLeader has two copies and one of them is down while it is written: the writes are committed, and
            // they return without waiting for that copy (NodeConfig.waitForCopies), as the log keeps them for it
        }).notWaitingForCopies().startAll()) {
            String leader = c.awaitLeader();
            List<String> others = List.of("n1", "n2", "n3").stream().filter(n -> !n.equals(leader)).toList();
            String behind = others.get(0);
            MnemoNode l = c.node(leader);
            l.createTable(TableDef.builder("all3").attributes("k", "v").build(), Copies.disc("n1", "n2", "n3"));
            // a table the leader has no copy of: its snapshots cannot carry it
            l.createTable(TableDef.builder("notOnLeader").attributes("k", "v").build(),
                    new Copies(List.of(), List.of(others.get(0), others.get(1)), List.of()));
            for (String n : List.of("n1", "n2", "n3")) {
                c.node(n).waitForTables(List.of("all3"), Duration.ofSeconds(10));
            }
            MnemoNode writer = c.node(others.get(1));
            c.kill(behind);
            write(writer, 0, 300);
            MnemoNode back = c.start(behind);
            back.waitForTables(List.of("all3", "notOnLeader"), Duration.ofSeconds(60));
            assertThat(back.snapshotsInstalled()).as("caught up from the log").isZero();
            assertThat(TestCluster.contents(back, "notOnLeader")).hasSize(300).isEqualTo(TestCluster.contents(writer, "notOnLeader"));

            // its disc replaced: no log, no copies; the others purged their logs long ago
            c.kill(behind);
            deleteTree(dir.resolve(behind));
            write(writer, 300, 600);
            back = c.start(behind);
            back.waitForTables(List.of("all3", "notOnLeader"), Duration.ofSeconds(60));
            assertThat(back.snapshotsInstalled()).as("caught up from a snapshot").isPositive();
            assertThat(TestCluster.contents(back, "all3")).hasSize(600).isEqualTo(TestCluster.contents(l, "all3"));
            assertThat(TestCluster.contents(back, "notOnLeader")).hasSize(600).isEqualTo(TestCluster.contents(writer, "notOnLeader"));
            back.transaction(tx -> {
                tx.write("all3", Tuple.of("all3", 1_000L, "after"));
                return null;
            });
            assertThat(TestCluster.contents(l, "all3")).hasSize(601);
        }
    }

    private static void write(MnemoNode writer, long from, long to) {
        for (long i = from; i < to; i++) {
            long k = i;
            writer.transaction(tx -> {
                tx.write("all3", Tuple.of("all3", k, "v" + k));
                tx.write("notOnLeader", Tuple.of("notOnLeader", k, "w" + k));
                return null;
            });
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(f);
            }
        }
    }

    @Test
    void aNewNode_joinsTheCluster_catchesUpFromASnapshot_getsCopies_andCountsInTheMajority() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").tuned(p -> {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, 100L);
            RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8KB"));
            RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        }).startAll()) {
            c.awaitLeader();
            MnemoNode n1 = c.node("n1");
            n1.createTable(TableDef.builder("t").attributes("k", "v").build(), Copies.disc("n1", "n2", "n3"));
            for (long i = 0; i < 400; i++) {
                long k = i;
                n1.transaction(tx -> {
                    tx.write("t", Tuple.of("t", k, "v" + k));
                    return null;
                });
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> n1.addTableCopy("t", "n4",
                    dev.mnemo.engine.StorageType.RAM_COPIES)).isInstanceOf(dev.mnemo.engine.SchemaException.class);
            MnemoNode n4 = c.join("n4");
            assertThat(n4.snapshotsInstalled()).as("the log it needed was purged").isPositive();
            for (MnemoNode n : c.nodes()) {
                n.linearizableRead(tx -> null);
                assertThat(n.systemInfo().get("db_nodes")).as(n.name()).isEqualTo(List.of("n1", "n2", "n3", "n4"));
            }
            assertThat(n4.tables()).containsExactly("t");
            n1.addTableCopy("t", "n4", dev.mnemo.engine.StorageType.RAM_COPIES);
            n4.waitForTables(List.of("t"), Duration.ofSeconds(30));
            assertThat(TestCluster.contents(n4, "t")).hasSize(400).isEqualTo(TestCluster.contents(n1, "t"));

            // a fifth node replays the log from entries decided before either joined: it decides them alike
            MnemoNode n5 = c.join("n5");
            for (MnemoNode n : c.nodes()) {
                n.linearizableRead(tx -> null);
                assertThat(n.tableCopies("t")).as(n.name()).isEqualTo(n1.tableCopies("t"));
            }
            c.kill("n5");
            // five nodes, one of them down: a majority is three, so two more down stops writes and one does not
            c.kill("n1");
            c.awaitLeader();
            n4.transaction(tx -> {
                tx.write("t", Tuple.of("t", 1_000L, "from n4"));
                return null;
            });
            assertThat(TestCluster.contents(c.node("n2"), "t")).hasSize(401);
            c.kill("n2");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> n4.transaction(tx -> {
                tx.write("t", Tuple.of("t", 1_001L, "minority"));
                return null;
            })).isInstanceOf(ClusterUnavailableException.class);
        }
    }
}
