package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mnemo.engine.value.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under {@code kill -9}: a child JVM ({@link CrashWriter}) commits numbered transactions spanning a
 * disc_copies set, a disc_only_copies set and a disc_copies bag, acknowledging each after {@code transaction(...)}
 * returns; the test kills it with SIGKILL at a random point, reopens the directory and checks that every
 * acknowledged transaction is there in full, that no transaction is there in part and that nothing beyond the
 * stored counter is there. Several kill cycles run on the same directory, so later cycles also recover a
 * database that was itself killed.
 *
 * <p>The acknowledgements travel through an append-only file, not the child's stdout: each line is one write
 * by the child, which the kernel keeps after the kill, so the test reads every acknowledgement the child gave,
 * however late its own threads run. (A pipe loses them: {@code Process.destroyForcibly()} closes the parent's
 * end of stdout right after sending the signal, discarding whatever the reader had not yet taken out.) The test
 * polls the file only to decide when to kill; what it checks is the file as the dead child left it.
 *
 * <p>The kill points come from a seeded {@link Random}; set {@code -Dmnemo.crash.seed=N} to vary them, and
 * {@code -Dmnemo.crash.cycles=N} for more cycles.
 */
class CrashDurabilityTest {
    private static final int SIGKILL_EXIT = 128 + 9;
    /** Longest wait for the writer's next line, or for it to die: generous, for a loaded machine. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MS = 1;

    @TempDir
    Path tmp;

    /** What one child run acknowledged: it resumed at {@code start} and acknowledged up to {@code lastAck}. */
    private record Run(long start, long lastAck) {
        long acks() {
            return lastAck - start;
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void kill9_everyAcknowledgedCommitSurvives_noPartialTransactionVisible() throws Exception {
        long seed = Long.getLong("mnemo.crash.seed", 0x4D4E454D4FL);
        int cycles = Integer.getInteger("mnemo.crash.cycles", 5);
        Random rnd = new Random(seed);
        Path dbDir = tmp.resolve("db");
        long stored = 0;
        long totalAcks = 0;
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
        assertThat(totalAcks).isGreaterThanOrEqualTo(cycles * 200L);
    }

    /**
     * Starts the writer on {@code dbDir}, waits until its ack file holds {@code killAfter} acks, kills it with
     * SIGKILL, then reads the acks it wrote before dying (they were acknowledged too).
     */
    private Run runAndKill(Path dbDir, int cycle, int killAfter, long expectedStart) throws Exception {
        Path ackFile = Files.createFile(tmp.resolve("acks-" + cycle + ".txt"));
        Path log = tmp.resolve("writer-" + cycle + ".log");
        Process p = startWriter(dbDir, ackFile, log);
        try (AckFile acks = new AckFile(ackFile, log)) {
            awaitAcks(acks, p, 0);
            assertThat(acks.start()).as("writer resumes from the stored counter").isEqualTo(expectedStart);
            awaitAcks(acks, p, killAfter);
            kill(p);
            acks.poll(); // the dead writer's last writes: everything it acknowledged is in the file now
            return new Run(acks.start(), acks.lastAck());
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(STALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * The writer, with stdout and stderr in {@code log}. Its stdin stays a pipe from this JVM that is never
     * written: the writer halts when it closes, so it dies with the test at the latest.
     */
    private static Process startWriter(Path dbDir, Path ackFile, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dbDir.toString(), ackFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Polls the ack file until the writer is ready and has acknowledged {@code count} commits. */
    private static void awaitAcks(AckFile acks, Process p, int count) throws Exception {
        long stalledSince = System.nanoTime();
        while (!acks.ready() || acks.acks() < count) {
            if (acks.poll()) {
                stalledSince = System.nanoTime();
            } else if (!p.isAlive()) {
                fail("writer died on its own (exit " + p.exitValue() + ") with " + acks.describe()
                        + " while waiting for " + count + " acks; its log:\n" + acks.log());
            } else if (System.nanoTime() - stalledSince > STALL_TIMEOUT.toNanos()) {
                fail("writer wrote nothing within " + STALL_TIMEOUT + " after " + acks.describe()
                        + " while waiting for " + count + " acks; its log:\n" + acks.log());
            } else {
                Thread.sleep(POLL_MS);
            }
        }
    }

    private static void kill(Process p) throws InterruptedException {
        assertThat(p.supportsNormalTermination()).as("destroy() is SIGTERM, destroyForcibly() SIGKILL").isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(STALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("writer died after SIGKILL")
                .isTrue();
        assertThat(p.exitValue()).as("writer's exit status: killed by SIGKILL (128 + 9)").isEqualTo(SIGKILL_EXIT);
    }

    /**
     * The writer's ack file, read as it grows, checked line by line: {@code READY s}, then {@code ACK s+1},
     * {@code ACK s+2}, ... with nothing out of order. Only newline-terminated lines count: a kill can cut the
     * last write short, and a cut line is an acknowledgement that was never given.
     */
    private static final class AckFile implements AutoCloseable {
        private final FileChannel in;
        private final Path log;
        private final ByteBuffer buf = ByteBuffer.allocate(8192);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private long start = -1;
        private long lastAck = -1;

        AckFile(Path file, Path log) throws IOException {
            this.in = FileChannel.open(file, StandardOpenOption.READ);
            this.log = log;
        }

        boolean ready() {
            return start >= 0;
        }

        long start() {
            return start;
        }

        long lastAck() {
            return lastAck;
        }

        long acks() {
            return lastAck - start;
        }

        /** Takes in what the writer appended since the last call; whether that completed any line. */
        boolean poll() throws IOException {
            boolean progress = false;
            for (buf.clear(); in.read(buf) > 0; buf.clear()) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        accept(line.toString(StandardCharsets.US_ASCII));
                        line.reset();
                        progress = true;
                    } else {
                        line.write(b);
                    }
                }
            }
            return progress;
        }

        private void accept(String text) throws IOException {
            if (start < 0) {
                if (!text.startsWith("READY ")) {
                    fail("expected 'READY s' as the writer's first line, got '" + text + "'; its log:\n" + log());
                }
                start = Long.parseLong(text.substring("READY ".length()));
                lastAck = start;
            } else if (text.equals("ACK " + (lastAck + 1))) {
                lastAck++;
            } else {
                fail("expected 'ACK " + (lastAck + 1) + "' from the writer, got '" + text + "'; its log:\n" + log());
            }
        }

        String describe() {
            return ready() ? "READY " + start + " and " + acks() + " acks" : "no READY line";
        }

        String log() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "(none)";
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Reopens the killed database and checks it: returns the counter m, having checked that transactions 1..m
     * are each present in full (a, b, c and the counter) and nothing else is there, and lastAck ≤ m ≤ lastAck + 1.
     *
     * <p>m ≥ lastAck is durability itself. m ≤ lastAck + 1 is no timing assumption: the writer is one thread that
     * begins transaction n + 2 only after its write of {@code ACK n+1} has returned, and that line is then in the
     * file whatever happens to the writer; so if the file ends at {@code ACK n}, at most transaction n + 1 (in
     * flight, or committed with its ack not yet written) can be there unacknowledged. More would mean a commit
     * the writer never made.
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
