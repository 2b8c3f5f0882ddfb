package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link CrashDurabilityTest}: opens the database in {@code args[0]}, creates the tables if
 * absent, and commits transactions numbered from one past the stored counter, acknowledging each after its
 * commit returns, until it is killed. Never closes the database: it is meant to die by {@code kill -9}.
 *
 * <p>Transaction n writes {a, n, n} (disc_copies set), {b, n, "n-"+n} (disc_only_copies set), {c, n mod 10, n}
 * (disc_copies bag) and sets the counter {a, -1, n}, after checking that the counter held n - 1.
 *
 * <p>Acknowledgements go to the file {@code args[1]}: {@code READY s} once open (s = the counter found), then
 * {@code ACK n} lines, each appended by one unbuffered write, so a line the writer wrote is in the file even when
 * it is killed right after (the kernel holds it, not this process). A pipe is no such channel: the parent's
 * {@code Process.destroyForcibly()} closes its end of stdout, dropping what was still in the pipe.
 *
 * <p>An optional {@code args[2]} stops after that many commits (exit 0), for running it by hand. It halts by
 * itself when its stdin reaches end of file (the test, which holds the other end, is gone) or after
 * {@link #MAX_LIFETIME_MS}, so it cannot outlive the test.
 */
final class CrashWriter {
    static final long COUNTER_KEY = -1;
    /** A safety net against an orphan writer if its stdin somehow stays open after the test is gone. */
    private static final long MAX_LIFETIME_MS = 300_000;

    private CrashWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path ackFile = Path.of(args[1]);
        long limit = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE;
        startDaemon("crash-writer-stdin-watch", CrashWriter::haltWhenStdinCloses);
        startDaemon("crash-writer-watchdog", CrashWriter::haltWhenTooOld);
        try (FileOutputStream acks = new FileOutputStream(ackFile.toFile(), true)) {
            Mnemo db = open(dir);
            List<Tuple> counter = db.dirtyRead("a", COUNTER_KEY);
            long start = counter.isEmpty() ? 0 : (Long) counter.get(0).get(2);
            ack(acks, "READY " + start);
            for (long i = 1; i <= limit; i++) {
                long n = start + i;
                commit(db, n);
                ack(acks, "ACK " + n);
            }
            db.close();
        }
    }

    private static Mnemo open(Path dir) {
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
        return db;
    }

    private static void commit(Mnemo db, long n) {
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
    }

    /** One write(2) of the whole line: FileOutputStream does not buffer. */
    private static void ack(FileOutputStream acks, String line) throws IOException {
        acks.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void haltWhenStdinCloses() {
        try {
            while (System.in.read() >= 0) {
                // the test never writes; it only holds the pipe open
            }
        } catch (IOException e) {
            // as good as closed
        }
        System.err.println("CrashWriter: stdin closed, the test is gone; halting");
        Runtime.getRuntime().halt(3);
    }

    private static void haltWhenTooOld() {
        try {
            Thread.sleep(MAX_LIFETIME_MS);
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("CrashWriter: still running after " + MAX_LIFETIME_MS + " ms, giving up");
        Runtime.getRuntime().halt(4);
    }

    private static void startDaemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
