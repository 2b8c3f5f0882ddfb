package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link GroupCrashWriter} in a child JVM and kills it with SIGKILL, for the crash tests. */
final class CrashRuns {
    private CrashRuns() {
    }

    /**
     * Starts the writer on {@code db} with acknowledgements to {@code acks} and {@code args} after those two
     * ({@code sync} or {@code nosync}, then its optional ones), waits for {@code wantedAcks} acknowledgements, or for
     * the line {@code until} if not null, then kills it; returns each thread's last acknowledged commit.
     */
    static Map<Integer, Long> runAndKill(Path db, Path acks, int wantedAcks, String until, String... args)
            throws Exception {
        Path out = acks.resolveSibling(acks.getFileName() + ".out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), GroupCrashWriter.class.getName(), db.toString(),
                acks.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (until != null ? !Files.readAllLines(acks).contains(until)
                    : Files.readAllLines(acks).size() < wantedAcks + 1) {
                if (!p.isAlive()) {
                    throw new AssertionError("the writer exited with " + p.exitValue() + "; its output: "
                            + Files.readString(out));
                }
                assertThat(System.nanoTime()).as("acks in time").isLessThan(deadline);
                Thread.sleep(5);
            }
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        Map<Integer, Long> acked = new HashMap<>();
        for (String line : Files.readAllLines(acks)) {
            if (!line.equals("READY") && !line.equals("SETTLED")) {
                String[] f = line.split(" ");
                acked.merge(Integer.parseInt(f[0]), Long.parseLong(f[1]), Math::max);
            }
        }
        return acked;
    }
}
