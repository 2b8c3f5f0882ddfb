package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link GroupCommitCrashTest}: {@value #THREADS} threads commit at once into disc_copies
 * table {@code g} (so their commits go through the commit log, in groups), until it is killed. Thread t's n-th
 * transaction writes {@code {g, key(t, n), n}} and its counter {@code {g, -(t + 1), n}}; every 25th also writes
 * disc_only table {@code d} (a commit straight into Xodus, after the logged ones before it). Each commit is
 * acknowledged, after it returned, with one unbuffered {@code t n} line appended to the file {@code args[1]}.
 * {@code args[2]} is {@code sync} or {@code nosync}; optional {@code args[3]} a write delay in milliseconds
 * ({@link MnemoConfig#writeDelay}) and {@code args[4]} how many commits each thread makes, after which the process
 * waits 20 write delays (at least half a second), or calls {@link Mnemo#syncLog} if {@code args[5]} is
 * {@code synclog}, and until nothing is queued for the log, appends {@code SETTLED}, and idles. Never closes the
 * database.
 */
final class GroupCrashWriter {
    static final int THREADS = 4;

    private GroupCrashWriter() {
    }

    static long key(int thread, long n) {
        return thread * 1_000_000_000L + n;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean sync = args[2].equals("sync");
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test never writes; it only holds the pipe open
                }
            } catch (IOException e) {
                // as good as closed
            }
            Runtime.getRuntime().halt(3);
        });
        watch.setDaemon(true);
        watch.start();
        long delayMs = args.length > 3 ? Long.parseLong(args[3]) : 0;
        long perThread = args.length > 4 ? Long.parseLong(args[4]) : Long.MAX_VALUE;
        Mnemo db = Mnemo.open(MnemoConfig.disc(dir).withSync(sync).withWriteDelay(Duration.ofMillis(delayMs)));
        if (!db.tables().contains("g")) {
            db.createTable(TableDef.builder("g").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("d").attributes("k", "v").storage(StorageType.DISC_ONLY_COPIES).build());
        }
        db.waitForTables(List.of("g", "d"), Duration.ofSeconds(60));
        try (FileOutputStream acks = new FileOutputStream(args[1], true)) {
            Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                threads[t] = new Thread(() -> run(db, me, acks, perThread));
                threads[t].start();
            }
            acks.write("READY\n".getBytes(StandardCharsets.US_ASCII));
            for (Thread t : threads) {
                t.join();
            }
            if (args.length > 5 && args[5].equals("synclog")) {
                if (!db.db.checkpoints.hasUndurable()) {
                    Runtime.getRuntime().halt(7); // the test needs queued commits for syncLog to write
                }
                db.syncLog();
                if (db.db.checkpoints.hasUndurable()) {
                    Runtime.getRuntime().halt(8);
                }
            } else {
                Thread.sleep(Math.max(500, 20 * delayMs));
            }
            while (db.db.checkpoints.hasUndurable()) {
                Thread.sleep(10); // a slow machine: the log writer has not run yet
            }
            acks.write("SETTLED\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void run(Mnemo db, int t, FileOutputStream acks, long commits) {
        List<Tuple> counter = db.dirtyRead("g", (long) -(t + 1));
        long n = counter.isEmpty() ? 0 : (Long) counter.get(0).get(2);
        for (long made = 0; made < commits; made++) {
            long next = ++n;
            db.transaction(tx -> {
                tx.write(Tuple.of("g", key(t, next), next));
                tx.write(Tuple.of("g", (long) -(t + 1), next));
                if (next % 25 == 0) {
                    tx.write(Tuple.of("d", key(t, next), next));
                }
                return null;
            });
            try {
                acks.write((t + " " + next + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                Runtime.getRuntime().halt(5);
            }
        }
    }
}
