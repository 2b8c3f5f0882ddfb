package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} under delayed durability ({@link MnemoConfig#writeDelay}), with the child JVM of
 * {@link GroupCommitCrashTest} ({@link GroupCrashWriter}, four threads committing at once): a kill in mid-flight may
 * lose the last commits, but never part of one, nor a commit while keeping a later one of the same thread; a kill
 * after the committers stopped and the delay passed, with nothing closed, loses nothing.
 */
class WriteDelayCrashTest {
    private static final int DELAY_MS = 20;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void kill9_inMidFlight_keepsWholeTransactions_inCommitOrder() throws Exception {
        Path db = tmp.resolve("db");
        for (int cycle = 1; cycle <= 2; cycle++) {
            Path acks = Files.createFile(tmp.resolve("acks-" + cycle));
            Map<Integer, Long> acked = CrashRuns.runAndKill(db, acks, 400 + 300 * cycle, null, "nosync",
                    Integer.toString(DELAY_MS));
            try (Mnemo m = reopen(db)) {
                Map<Integer, Long> stored = checkWhole(m, cycle);
                for (int t = 0; t < GroupCrashWriter.THREADS; t++) {
                    assertThat(stored.get(t)).as("cycle %d thread %d: at most the commit in flight past its last ack",
                            cycle, t).isLessThanOrEqualTo(acked.getOrDefault(t, 0L) + 1);
                }
                System.out.printf("WriteDelayCrashTest mid-flight cycle %d: acks %s, stored %s%n", cycle, acked,
                        stored);
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void kill9_afterTheDelayPassed_losesNoCommit_thoughNothingWasClosed() throws Exception {
        Path db = tmp.resolve("db");
        Path acks = Files.createFile(tmp.resolve("acks"));
        Map<Integer, Long> acked = CrashRuns.runAndKill(db, acks, -1, "SETTLED", "nosync",
                Integer.toString(DELAY_MS), "300");
        try (Mnemo m = reopen(db)) {
            Map<Integer, Long> stored = checkWhole(m, 1);
            assertThat(stored).as("every commit made a delay ago is in the log").isEqualTo(acked);
            assertThat(acked.values()).containsOnly(300L);
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void kill9_underAnHourLongDelay_losesNoCommitMadeBeforeASyncLog() throws Exception {
        Path db = tmp.resolve("db");
        Path acks = Files.createFile(tmp.resolve("acks"));
        // 201 commits a thread: the last is not one of every 25th that goes straight into Xodus (writing the queue)
        Map<Integer, Long> acked = CrashRuns.runAndKill(db, acks, -1, "SETTLED", "nosync", "3600000",
                "201", "synclog");
        try (Mnemo m = reopen(db)) {
            assertThat(checkWhole(m, 1)).isEqualTo(acked);
            assertThat(acked.values()).containsOnly(201L);
        }
    }

    private static Mnemo reopen(Path db) {
        Mnemo m = Mnemo.open(MnemoConfig.disc(db));
        // whole, or with a torn last record: a kill can stop a write of several pages at a page boundary
        assertThat(m.recovery().clean() || m.recovery().tornTail()).as("damage: %s", m.recovery().damage())
                .isTrue();
        m.waitForTables(List.of("g", "d"), Duration.ofSeconds(60));
        return m;
    }

    /**
     * Each thread's counter n, with rows 1..n (and the disc_only rows of every 25th) and nothing after: no commit is
     * there in part, and none is lost while a later one of its thread stays.
     */
    private static Map<Integer, Long> checkWhole(Mnemo m, int cycle) {
        Map<Integer, Long> stored = new HashMap<>();
        for (int t = 0; t < GroupCrashWriter.THREADS; t++) {
            List<Tuple> c = m.dirtyRead("g", (long) -(t + 1));
            long n = c.isEmpty() ? 0 : (Long) c.get(0).get(2);
            stored.put(t, n);
            assertThat(m.dirtyRead("g", GroupCrashWriter.key(t, n + 1))).as("cycle %d thread %d after %d", cycle, t, n)
                    .isEmpty();
            for (long i = 1; i <= n; i++) {
                assertThat(m.dirtyRead("g", GroupCrashWriter.key(t, i))).as("cycle %d thread %d row %d", cycle, t, i)
                        .containsExactly(Tuple.of("g", GroupCrashWriter.key(t, i), i));
                assertThat(m.dirtyRead("d", GroupCrashWriter.key(t, i))).hasSize(i % 25 == 0 ? 1 : 0);
            }
        }
        return stored;
    }
}
