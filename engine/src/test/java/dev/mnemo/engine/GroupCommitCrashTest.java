package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Durability of group commit under {@code kill -9}: a child JVM ({@link GroupCrashWriter}) commits from four threads
 * at once, through the commit log, and is killed at a random point; every commit it acknowledged is there after
 * reopening, no transaction is there in part, and the log the kill left is whole or has a torn last record only
 * (Linux stops a write of several pages at a page boundary once the process is killed: found under a write delay,
 * whose writes are larger; that write had not returned, so none of its commits was acknowledged). Three cycles on
 * one directory, so later ones recover a database that was itself killed.
 */
class GroupCommitCrashTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nosync", "sync"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void kill9_ofConcurrentCommitters_losesNoAcknowledgedCommit(String sync) throws Exception {
        Path db = tmp.resolve("db");
        java.util.Random rnd = new java.util.Random(7);
        for (int cycle = 1; cycle <= 3; cycle++) {
            Path acks = Files.createFile(tmp.resolve("acks-" + cycle));
            int wanted = 300 + rnd.nextInt(700);
            Map<Integer, Long> acked = CrashRuns.runAndKill(db, acks, wanted, null, sync);
            try (Mnemo m = Mnemo.open(MnemoConfig.disc(db).withSync(sync.equals("sync")))) {
                // whole, or with a torn last record: a kill can stop a write of several pages at a page boundary
                assertThat(m.recovery().clean() || m.recovery().tornTail()).as("damage: %s", m.recovery().damage())
                        .isTrue();
                m.waitForTables(List.of("g", "d"), Duration.ofSeconds(60));
                for (int t = 0; t < GroupCrashWriter.THREADS; t++) {
                    List<Tuple> c = m.dirtyRead("g", (long) -(t + 1));
                    long stored = c.isEmpty() ? 0 : (Long) c.get(0).get(2);
                    long ack = acked.getOrDefault(t, 0L);
                    assertThat(stored).as("cycle %d thread %d: counter vs last ack", cycle, t)
                            .isGreaterThanOrEqualTo(ack);
                    // whole transactions only: rows 1..stored and nothing after
                    assertThat(m.dirtyRead("g", GroupCrashWriter.key(t, stored + 1))).isEmpty();
                    for (long n = Math.max(1, stored - 50); n <= stored; n++) {
                        assertThat(m.dirtyRead("g", GroupCrashWriter.key(t, n))).as("cycle %d thread %d row %d",
                                cycle, t, n).containsExactly(Tuple.of("g", GroupCrashWriter.key(t, n), n));
                        assertThat(m.dirtyRead("d", GroupCrashWriter.key(t, n))).hasSize(n % 25 == 0 ? 1 : 0);
                    }
                }
                System.out.printf("GroupCommitCrashTest %s cycle %d: acks %s, replayed %d commits%n", sync, cycle,
                        acked, m.recovery().replayedCommits());
            }
        }
    }
}
