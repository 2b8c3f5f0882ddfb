package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link CrashDurabilityTest}: opens the database in {@code args[0]}, creates the tables if
 * absent, and commits transactions numbered from one past the stored counter, printing {@code ACK n} after each
 * commit returns, until it is killed. Never closes the database: it is meant to die by {@code kill -9}.
 *
 * <p>Transaction n writes {a, n, n} (disc_copies set), {b, n, "n-"+n} (disc_only_copies set), {c, n mod 10, n}
 * (disc_copies bag) and sets the counter {a, -1, n}, after checking that the counter held n - 1.
 *
 * <p>Output: {@code READY s} once open (s = the counter found), then {@code ACK n} lines. An optional
 * {@code args[1]} stops after that many commits (exit 0), for running it by hand. It halts by itself if its
 * stdout is closed (the test is gone) or after {@link #MAX_LIFETIME_MS}, so it cannot outlive the test.
 */
public final class CrashWriter {
    static final long COUNTER_KEY = -1;
    /** A safety net against an orphan writer if the test JVM dies without killing it. */
    private static final long MAX_LIFETIME_MS = 300_000;

    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long limit = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        PrintStream out = System.out;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(MAX_LIFETIME_MS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("CrashWriter: still running after " + MAX_LIFETIME_MS + " ms, giving up");
            Runtime.getRuntime().halt(4);
        }, "crash-writer-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Mnemo db = Mnemo.open(dir);
        List<String> existing = db.tables();
        if (!existing.contains("a")) {
            db.createTable(TableDef.builder("a").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
        }
        if (!existing.contains("b")) {
            db.createTable(TableDef.builder("b").attributes("k", "v").storage(StorageType.DISC_ONLY_COPIES)
                    .build());
        }
        if (!existing.contains("c")) {
            db.createTable(TableDef.builder("c").attributes("k", "v").storage(StorageType.DISC_COPIES)
                    .type(TableType.BAG).build());
        }
        db.waitForTables(List.of("a", "b", "c"), Duration.ofSeconds(60));
        List<Tuple> counter = db.dirtyRead("a", COUNTER_KEY);
        long start = counter.isEmpty() ? 0 : (Long) counter.get(0).get(2);
        out.println("READY " + start);
        out.flush();
        for (long i = 1; i <= limit; i++) {
            long n = start + i;
            db.transaction(tx -> {
                List<Tuple> cur = tx.wread("a", COUNTER_KEY);
                long prev = cur.isEmpty() ? 0 : (Long) cur.get(0).get(2);
                if (prev != n - 1) {
                    throw tx.abort("counter holds " + prev + ", expected " + (n - 1));
                }
                tx.write(Tuple.of("a", n, n));
                tx.write(Tuple.of("b", n, "n-" + n));
                tx.write(Tuple.of("c", n % 10, n));
                tx.write(Tuple.of("a", COUNTER_KEY, n));
                return null;
            });
            out.println("ACK " + n);
            out.flush();
            if (out.checkError()) {
                Runtime.getRuntime().halt(3); // the test is gone (stdout closed): do not outlive it
            }
        }
        db.close();
    }
}
