package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mnemo.engine.value.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under {@code kill -9}: a child JVM ({@link CrashWriter}) commits numbered transactions spanning a
 * disc_copies set, a disc_only_copies set and a disc_copies bag, acknowledging each on stdout after
 * {@code transaction(...)} returns; the test kills it with SIGKILL at a random point, reopens the directory and
 * checks that every acknowledged transaction is there in full and that no transaction is there in part. Several
 * kill cycles run on the same directory, so later cycles also recover a database that was itself killed.
 *
 * <p>The kill points come from a seeded {@link Random}; set {@code -Dmnemo.crash.seed=N} to vary them, and
 * {@code -Dmnemo.crash.cycles=N} for more cycles.
 */
class CrashDurabilityTest {
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final String EOF = "\u0000EOF";

    @TempDir
    Path tmp;

    /** What one child run acknowledged. */
    private record Run(long start, long lastAck, int acks) {
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void kill9_everyAcknowledgedCommitSurvives_noPartialTransactionVisible() throws Exception {
        long seed = Long.getLong("mnemo.crash.seed", 0x4D4E454D4FL);
        int cycles = Integer.getInteger("mnemo.crash.cycles", 5);
        Random rnd = new Random(seed);
        Path dbDir = tmp.resolve("db");
        long stored = 0;
        int totalAcks = 0;
        int unacknowledgedCommits = 0;
        long t0 = System.nanoTime();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            int killAfter = 200 + rnd.nextInt(1301);
            long c0 = System.nanoTime();
            Run run = runAndKill(dbDir, cycle, killAfter, stored);
            long c1 = System.nanoTime();
            long m = verify(dbDir, run, "cycle " + cycle + " (seed " + seed + ")");
            long c2 = System.nanoTime();
            if (m > run.lastAck()) {
                unacknowledgedCommits++;
            }
            totalAcks += run.acks();
            System.out.printf("CrashDurabilityTest cycle %d: resumed at %d, killed after %d acks "
                            + "(asked %d), last ack %d, recovered counter %d; writer %d ms, reopen+check %d ms%n", cycle,
                    run.start(), run.acks(), killAfter, run.lastAck(), m, (c1 - c0) / 1_000_000,
                    (c2 - c1) / 1_000_000);
            stored = m;
        }
        System.out.printf("CrashDurabilityTest: %d cycles, %d acks, %d commits recovered, %d committed but "
                        + "unacknowledged at kill, seed %d, %d ms%n", cycles, totalAcks, stored,
                unacknowledgedCommits, seed, (System.nanoTime() - t0) / 1_000_000);
        assertThat(totalAcks).isGreaterThanOrEqualTo(cycles * 200);
    }

    /**
     * Starts the writer on {@code dbDir}, reads acks until {@code killAfter}, kills it with SIGKILL, then drains
     * the acks it printed before dying (they were acknowledged too).
     */
    private Run runAndKill(Path dbDir, int cycle, int killAfter, long expectedStart) throws Exception {
        Path err = tmp.resolve("writer-" + cycle + ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dbDir.toString())
                .redirectError(err.toFile());
        Process p = pb.start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the stream closes when the child dies
                } finally {
                    lines.add(EOF);
                }
            }, "crash-writer-stdout-" + cycle);
            reader.setDaemon(true);
            reader.start();

            String ready = next(lines, p, err, "READY");
            assertThat(ready).as("writer's first line").startsWith("READY ");
            long start = Long.parseLong(ready.substring(6));
            assertThat(start).as("writer resumes from the stored counter").isEqualTo(expectedStart);

            long expected = start + 1;
            int acks = 0;
            while (acks < killAfter) {
                expected = expectAck(next(lines, p, err, "ACK " + expected), expected, err);
                acks++;
            }

            assertThat(p.supportsNormalTermination()).as("destroy() is SIGTERM, destroyForcibly() SIGKILL").isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("writer died after SIGKILL").isTrue();
            assertThat(p.exitValue()).as("writer's exit status: killed by SIGKILL (128 + 9)")
                    .isEqualTo(SIGKILL_EXIT);

            // acks already in the pipe when the kill landed: printed after their commit returned, so they count
            while (true) {
                String line = lines.poll(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    fail("stdout of the killed writer did not close within " + ACK_TIMEOUT);
                }
                if (line.equals(EOF)) {
                    break;
                }
                if (line.isEmpty()) {
                    continue; // no partial lines are expected, but a kill between the text and the newline is benign
                }
                expected = expectAck(line, expected, err);
                acks++;
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return new Run(start, expected - 1, acks);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The next stdout line of the writer; fails with its stderr if it died or fell silent. */
    private static String next(BlockingQueue<String> lines, Process p, Path err, String waitingFor)
            throws Exception {
        String line = lines.poll(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            fail("writer printed nothing within " + ACK_TIMEOUT + " while waiting for " + waitingFor
                    + "; stderr:\n" + stderr(err));
        }
        if (line.equals(EOF)) {
            p.waitFor(30, TimeUnit.SECONDS);
            fail("writer died on its own (exit " + (p.isAlive() ? "?" : p.exitValue()) + ") while waiting for "
                    + waitingFor + "; stderr:\n" + stderr(err));
        }
        return line;
    }

    private static long expectAck(String line, long expected, Path err) throws IOException {
        if (!line.equals("ACK " + expected)) {
            fail("expected 'ACK " + expected + "' from the writer, got '" + line + "'; stderr:\n" + stderr(err));
        }
        return expected + 1;
    }

    private static String stderr(Path err) throws IOException {
        return Files.exists(err) ? Files.readString(err) : "(none)";
    }

    /**
     * Reopens the killed database and checks it: returns the counter m, having checked that transactions 1..m
     * are each present in full (a, b, c and the counter) and nothing else is there, and lastAck ≤ m ≤ lastAck + 1.
     */
    private static long verify(Path dbDir, Run run, String what) {
        try (Mnemo db = Mnemo.open(dbDir)) {
            db.waitForTables(List.of("a", "b", "c"), Duration.ofSeconds(60));

            List<Tuple> counter = db.dirtyRead("a", CrashWriter.COUNTER_KEY);
            assertThat(counter).as(what + ": counter record {a, -1, m}").hasSize(1);
            long m = (Long) counter.get(0).get(2);

            TreeSet<Long> inA = new TreeSet<>();
            for (Tuple t : all(db, "a")) {
                long k = (Long) t.get(1);
                if (k == CrashWriter.COUNTER_KEY) {
                    continue;
                }
                assertThat(t).as(what + ": record of a").isEqualTo(Tuple.of("a", k, k));
                inA.add(k);
            }
            TreeSet<Long> inB = new TreeSet<>();
            for (Tuple t : all(db, "b")) {
                long k = (Long) t.get(1);
                assertThat(t).as(what + ": record of b").isEqualTo(Tuple.of("b", k, "n-" + k));
                inB.add(k);
            }
            TreeSet<Long> inC = new TreeSet<>();
            List<Tuple> cRecords = all(db, "c");
            for (Tuple t : cRecords) {
                long n = (Long) t.get(2);
                assertThat(t).as(what + ": record of c").isEqualTo(Tuple.of("c", n % 10, n));
                inC.add(n);
            }
            assertThat(cRecords).as(what + ": c holds each n once").hasSize(inC.size());

            TreeSet<Long> expected = new TreeSet<>();
            for (long n = 1; n <= m; n++) {
                expected.add(n);
            }
            assertThat(m).as(what + ": counter m ≥ last acknowledged " + run.lastAck())
                    .isGreaterThanOrEqualTo(run.lastAck());
            assertThat(m).as(what + ": at most the one transaction in flight at the kill is unacknowledged")
                    .isLessThanOrEqualTo(run.lastAck() + 1);
            assertSameSet(what + ": a (disc_copies set) vs 1..counter", inA, expected);
            assertSameSet(what + ": b (disc_only_copies set) vs 1..counter", inB, expected);
            assertSameSet(what + ": c (disc_copies bag) vs 1..counter", inC, expected);
            return m;
        }
    }

    private static List<Tuple> all(Mnemo db, String table) {
        return db.dirtyFoldl(table, new ArrayList<Tuple>(), (t, acc) -> {
            acc.add(t);
            return acc;
        });
    }

    /** Equality with a readable difference (the sets hold thousands of numbers). */
    private static void assertSameSet(String what, TreeSet<Long> actual, TreeSet<Long> expected) {
        if (actual.equals(expected)) {
            return;
        }
        TreeSet<Long> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        TreeSet<Long> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        fail(what + ": missing " + head(missing) + ", unexpected " + head(extra));
    }

    private static String head(TreeSet<Long> s) {
        List<Long> first = new ArrayList<>();
        for (Long v : s) {
            if (first.size() == 20) {
                break;
            }
            first.add(v);
        }
        return s.size() + " " + first + (s.size() > 20 ? "..." : "");
    }

    @Test
    void syncTrue_opensCommitsAndReopens(@TempDir Path dir) {
        MnemoConfig config = MnemoConfig.disc(dir).withSync(true);
        assertThat(config.sync()).isTrue();
        try (Mnemo db = Mnemo.open(config)) {
            db.createTable(TableDef.builder("a").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("b").attributes("k", "v").storage(StorageType.DISC_ONLY_COPIES).build());
            for (int n = 1; n <= 20; n++) {
                long k = n;
                db.transaction(tx -> {
                    tx.write(Tuple.of("a", k, k));
                    tx.write(Tuple.of("b", k, "n-" + k));
                    return null;
                });
            }
            assertThat(db.db.config.sync()).isTrue();
        }
        try (Mnemo db = Mnemo.open(config)) {
            db.waitForTables(List.of("a", "b"), Duration.ofSeconds(30));
            assertThat(db.dirtyAllKeys("a")).hasSize(20);
            assertThat(db.dirtyRead("b", 20)).containsExactly(Tuple.of("b", 20L, "n-20"));
        }
    }
}
