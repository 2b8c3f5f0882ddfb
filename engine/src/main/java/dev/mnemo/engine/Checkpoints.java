package dev.mnemo.engine;

import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.concurrent.locks.ReentrantLock;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

/**
 * The disc side of commits: the {@link CommitLog} that disc_copies commits are appended to, the engine's
 * checkpointer thread that copies logged commits into Xodus in batches, every other Xodus write (which takes the
 * logged commits before it first, so that Xodus always holds a prefix of the commit order), and the replay of the
 * log at start.
 */
final class Checkpoints {
    /** Where the commit log's records stop being in Xodus: one entry, written with the records it covers. */
    private static final String CHECKPOINT_STORE = "mnemo.checkpoint";
    private static final ArrayByteIterable CHECKPOINT_KEY = new ArrayByteIterable(TermCodec.encode("log"));
    /**
     * A checkpoint's Xodus transaction takes logged commits until they hold this many changes (at least one commit,
     * however large; a key changed by n commits counts n times), and a backlog of this many wakes the checkpointer
     * early. Counted in changes, not commits: a bulk load's commits of 1,000 rows each waited for the interval
     * before, every row held on the heap meanwhile, long enough to outlive a young collection and be copied by it.
     */
    private static final int CHECKPOINT_BATCH = 4096;
    /**
     * The checkpointer copies the log into Xodus when a batch is full or this long after its last run, not after
     * every commit: a Xodus transaction has a fixed cost (its tree roots and meta tree written and flushed), and one
     * per commit took a third of the CPU of a pooled transfer workload on 2 cores. Mnesia dumps its log every 1,000
     * writes or 3 minutes; the log is what makes a commit durable either way, so this only bounds replay at open.
     */
    private static final long CHECKPOINT_INTERVAL_NANOS = 100_000_000L;
    /**
     * Changes of logged commits waiting for a checkpoint beyond which a committer checkpoints itself
     * (back-pressure): what bounds the heap the backlog takes.
     */
    private static final int CHECKPOINT_BACKLOG = 100_000;
    /** Under a write delay, bytes of queued log records that wake the log writer before the delay is up. */
    private static final long DELAYED_WAKE_BYTES = 1 << 20;
    /**
     * Under a write delay, bytes of queued log records beyond which a committer writes them itself (back-pressure,
     * when the log writer cannot keep up): what bounds the heap the queue takes.
     */
    private static final long DELAYED_LIMIT_BYTES = 16 << 20;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Checkpoints.class);

    private final Environment env;
    private final Path directory;
    private final boolean sync;
    /** Delayed durability: queued commits are written by {@link #writer} this often, not by committers (0: no). */
    private final long writeDelayNanos;
    /** Bytes of the log records in {@link #buffered}. */
    private final java.util.concurrent.atomic.AtomicLong bufferedBytes = new java.util.concurrent.atomic.AtomicLong();
    /** The engine's log writer thread under a write delay, else null. */
    private volatile Thread writer;
    /**
     * The commit log of disc_copies commits (null before {@link #recover}, after {@link #stop} or a broken log).
     * Written to under {@link #flushLock}.
     */
    private volatile CommitLog log;
    /** Published commits whose log records are not written yet, in commit order (added under the commit lock). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Buffered> buffered =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The newest commit put in {@link #buffered} (written under the commit lock). */
    private volatile long lastBuffered;
    /** Every queued commit up to this version is durable: in the log or in Xodus (written under flushLock). */
    private volatile long durable;
    /**
     * Held while queued commits are written; taken before {@link #checkpointLock} and, by a committer, after the
     * commit lock is released (under it only by a commit or schema change that writes Xodus itself), so that the
     * commit lock is never waited for under it.
     */
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Why queued commits could be written neither to the log nor into Xodus; then no commit is durable any more. */
    private volatile RuntimeException failure;
    /** The changes of the commits that failed so (guarded by itself). */
    private final List<Database.Change> failed = new ArrayList<>();
    /** Told the newest durable commit after each write (see {@link Snapshots#advance}). */
    volatile LongConsumer onDurable;
    /** Logged commits not yet in Xodus, in commit order; removed only under {@link #checkpointLock}. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Logged> unapplied =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The changes of the commits in {@link #unapplied}. */
    private final java.util.concurrent.atomic.AtomicLong unappliedCount =
            new java.util.concurrent.atomic.AtomicLong();
    /** Held while a Xodus write transaction takes logged commits and runs: keeps Xodus in commit order. */
    private final ReentrantLock checkpointLock = new ReentrantLock();
    /** The oldest log generation whose file may still be there (older ones were deleted). */
    private volatile long keptFrom;
    /** The checkpointer thread (read by committers to wake it). */
    private volatile Thread thread;

    Checkpoints(Environment env, Path directory, boolean sync, long writeDelayNanos) {
        this.env = env;
        this.directory = directory;
        this.sync = sync;
        this.writeDelayNanos = writeDelayNanos;
    }

    /**
     * Whether durability is delayed ({@link MnemoConfig#writeDelay}): a commit is visible, and returns, once it is in
     * the stores and queued; the log writer thread writes the queue.
     */
    boolean delayed() {
        return writeDelayNanos > 0;
    }

    /** A logged commit's disc_copies changes, and where its log record ends. */
    record Logged(List<Database.Change> changes, CommitLog.Position end) {
    }

    /**
     * Stops the thread and puts every logged commit into Xodus (nothing to replay at the next start), then empties
     * the log, which holds nothing Xodus does not (it took up to {@link CommitLog#ROTATE_BYTES} on disc until the
     * next start). If the last checkpoint fails (a full disk) the log is closed as it is, for the next start to
     * replay, and the failure thrown; after a {@link #failure} it is closed as it is too (the failure is thrown if
     * this stop's own write of the queued commits met it, else its committers had it already). Under a write delay
     * the committers of the lost commits returned before it, so any failure is thrown: the stop is the last place
     * to learn that acknowledged commits are lost.
     */
    void stop() {
        stopThread();
        try {
            RuntimeException earlier = failure;
            // every queued commit is written now, or failed (then its committer gets the failure): none is left for a
            // later start to forget
            flushQueued();
            if (failure != null && log != null) {
                // commits were taken back: what Xodus and the log hold stays for the next start to replay
                log.close();
                log = null;
            }
            if (failure != null && (earlier == null || delayed())) {
                throw failure; // this stop's own write failed, or a delayed one that nobody waited for
            }
            if (log != null) {
                try {
                    inXodus(xt -> {
                    });
                    if (log == null) {
                        return; // the queued commits broke the log and went into Xodus
                    }
                    // every record of the log is in Xodus now: the checkpoint moves to the current generation, so
                    // that it is not left in a file deleted below (after a rotation it would be)
                    long current = log.generation();
                    inXodus(xt -> writeCheckpoint(xt, new CommitLog.Position(current, 0)));
                    // the log goes only once Xodus holds its records on the device, not just with the OS
                    syncXodus();
                    log.deleteBefore(log.generation());
                    log.closeEmptied();
                } catch (RuntimeException e) {
                    CommitLog l = log;
                    try {
                        if (l != null) {
                            l.close();
                        }
                    } catch (RuntimeException closing) {
                        e.addSuppressed(closing);
                    }
                    throw e;
                } finally {
                    log = null;
                }
            }
        } finally {
            unapplied.clear();
            unappliedCount.set(0);
        }
    }

    /**
     * The commits that failed before the last stop, from and through which version, and why: a committer of that run
     * still waiting after a new start gets the failure, not the new run's progress.
     */
    private volatile long failedFrom = Long.MAX_VALUE;
    private volatile long failedThrough = Long.MIN_VALUE;
    private volatile RuntimeException failedBefore;

    /**
     * At a start, before anything is read or written: nothing is queued, and a failure of the run before no longer
     * stops commits (the stores are loaded anew from the log and Xodus). Its commits that failed keep failing for
     * their committers.
     */
    void resetQueue() {
        flushLock.lock();
        try {
            long through = lastBuffered;
            if (failure != null) {
                failedFrom = durable + 1;
                failedThrough = through;
                failedBefore = failure;
                // what the new run's reads wait for ("everything queued so far") stops before the failed commits
                lastBuffered = durable;
            }
            buffered.clear();
            bufferedBytes.set(0);
            // past the failed commits, so that their committers' waits end (and find them failed)
            durable = through;
            failure = null;
            synchronized (failed) {
                failed.clear();
            }
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Refuses a start whose Xodus files hold an older state than the commit log says they do. Every start writes a
     * checkpoint into Xodus before it creates its log generation; a log file is deleted only once Xodus holds a
     * checkpoint past it durably; a close moves the checkpoint to the current generation. So the checkpoint is in
     * the oldest log generation there is, or at the end of the record that rotated the log out of the one before
     * (its offset past {@link CommitLog#ROTATE_BYTES}; builds before the close moved it left it there). Anything
     * older, or no checkpoint beside log files, means Xodus lost what it held: Xodus opens a log damaged in the
     * middle by cutting it at the damage (as it would a write torn by a crash), which would otherwise open the
     * database as it was long before, silently. Damage that leaves the checkpoint in place is not seen here.
     */
    private void checkNotBehindLog(CommitLog.Position from) {
        List<Long> generations = CommitLog.generations(directory);
        if (generations.isEmpty()) {
            return;
        }
        long oldest = generations.get(0);
        boolean rotated = from.generation() == oldest - 1 && from.offset() >= CommitLog.ROTATE_BYTES;
        if (from.generation() == 0 || from.generation() < oldest && !rotated) {
            throw new DatabaseDamagedException("database " + directory + " cannot be read: its data files (*.xd) "
                    + "hold an older state than its commit log (" + (from.generation() == 0 ? "no checkpoint"
                    : "checkpoint in log generation " + from.generation()) + ", log files from generation "
                    + oldest + "): a data file was damaged, cut short or replaced by an older copy; restore them "
                    + "or a backup (or, to open what the data files hold and lose the rest, move the mnemo-*.log "
                    + "files away)", null);
        }
    }

    /**
     * Replays into Xodus the commits logged after the last checkpoint, reports damage at the log's end (a torn or
     * corrupted record: nothing from it on is applied), and starts a new log generation.
     */
    Recovery recover(java.util.Collection<Table> tables) {
        CommitLog.Position from = checkpoint();
        checkNotBehindLog(from);
        CommitLog.Read read = CommitLog.read(directory, from);
        Map<Long, Table> byId = new java.util.HashMap<>();
        for (Table t : tables) {
            byId.put(t.id, t);
        }
        List<Long> generations = CommitLog.generations(directory);
        long next = Math.max(from.generation(), generations.isEmpty() ? 0 : generations.get(generations.size() - 1)) + 1;
        CommitLog.Position start = new CommitLog.Position(next, 0);
        int skipped = 0;
        if (read.damage() != null) {
            // copied before the checkpoint moves past them, so that a crash in between cannot lose the evidence
            CommitLog.setAside(directory, from.generation());
        }
        // each key's last logged records, staged once against what Xodus holds (as a checkpoint does, see coalesce)
        record StoreKey(XodusStore disc, Object key) {
        }
        Map<StoreKey, List<Tuple>> last = new java.util.LinkedHashMap<>();
        for (CommitLog.Logged c : read.commits()) {
            for (CommitLog.Entry e : c.entries()) {
                Table t = byId.get(e.tableId());
                XodusStore disc = t == null ? null : discOf(t.store);
                if (disc == null) {
                    skipped++;
                } else {
                    last.put(new StoreKey(disc, e.key()), e.records());
                }
            }
        }
        runInXodus(xt -> {
            last.forEach((k, records) -> k.disc().stage(xt, k.key(), k.disc().load(xt, k.key()), records));
            writeCheckpoint(xt, start);
        });
        String damage = read.damage();
        if (damage != null) {
            damage += " (the log files are kept as *.log.damaged)";
        }
        // the older log files go only once Xodus holds the replay and the checkpoint past them on the device
        syncXodus();
        log = CommitLog.start(directory, sync, next);
        log.deleteBefore(next);
        keptFrom = next;
        if (skipped > 0) {
            damage = (damage == null ? "" : damage + "; ") + skipped + " logged changes of tables that no longer "
                    + "exist were skipped";
        }
        if (damage != null) {
            LOG.warn("database {}: the commit log was damaged: {} ({} commits before it were replayed)", directory,
                    damage, read.commits().size());
        }
        return new Recovery(read.commits().size(), damage, read.tornTail() && skipped == 0);
    }

    private static XodusStore discOf(TableStore s) {
        return s instanceof DiscCopiesStore dc ? dc.disc() : s instanceof XodusStore x ? x : null;
    }

    private CommitLog.Position checkpoint() {
        return env.computeInReadonlyTransaction(xt -> {
            if (!env.storeExists(CHECKPOINT_STORE, xt)) {
                return new CommitLog.Position(0, 0);
            }
            ByteIterable v = env.openStore(CHECKPOINT_STORE, StoreConfig.WITHOUT_DUPLICATES, xt).get(xt, CHECKPOINT_KEY);
            if (v == null) {
                return new CommitLog.Position(0, 0);
            }
            List<?> p = (List<?>) TermCodec.decode(v.getBytesUnsafe(), 0, v.getLength());
            return new CommitLog.Position(((Number) p.get(0)).longValue(), ((Number) p.get(1)).longValue());
        });
    }

    private void writeCheckpoint(Transaction xt, CommitLog.Position p) {
        env.openStore(CHECKPOINT_STORE, StoreConfig.WITHOUT_DUPLICATES, xt).put(xt, CHECKPOINT_KEY,
                new ArrayByteIterable(TermCodec.encode(List.of(p.generation(), p.offset()))));
    }

    /** For tests: runs before queued commits are written to the log, under the flush lock. */
    volatile Runnable beforeLogWrite;

    /** For tests: holds the log writer back (under a write delay), so that queued commits pile up. */
    volatile boolean writerPaused;

    /** For tests: holds the checkpointer back, so that logged commits pile up. */
    volatile boolean paused;

    /** The engine's own thread that copies logged commits into Xodus. */
    void startThread() {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (paused || unappliedCount.get() < CHECKPOINT_BATCH) {
                    // until a batch is full (a committer unparks it) or the interval has passed
                    java.util.concurrent.locks.LockSupport.parkNanos(CHECKPOINT_INTERVAL_NANOS);
                    if (paused || unapplied.isEmpty()) {
                        continue;
                    }
                }
                try {
                    checkpointOnce();
                } catch (RuntimeException e) {
                    LOG.warn("database {}: checkpoint of the commit log failed, retrying: {}", directory, e.toString());
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                }
            }
        }, "mnemo-checkpointer");
        t.setDaemon(true);
        thread = t;
        t.start();
        if (delayed()) {
            Thread w = new Thread(this::writeQueued, "mnemo-log-writer");
            w.setDaemon(true);
            writer = w;
            w.start();
        }
    }

    /**
     * The log writer's loop under a write delay: writes whatever is queued every {@link #writeDelayNanos}, or sooner
     * when {@link #DELAYED_WAKE_BYTES} are queued. It stops at its interrupt; {@link #stop} writes what is left.
     */
    private void writeQueued() {
        while (!Thread.currentThread().isInterrupted()) {
            // the whole delay, past spurious wake-ups, unless a megabyte is queued meanwhile (buffer unparks)
            long until = System.nanoTime() + writeDelayNanos;
            for (long left = writeDelayNanos; left > 0 && bufferedBytes.get() < DELAYED_WAKE_BYTES
                    && !Thread.currentThread().isInterrupted(); left = until - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
            if (writerPaused || buffered.isEmpty() || Thread.currentThread().isInterrupted()) {
                continue;
            }
            try {
                flushQueued(); // a failed write is set as the failure there: later commits are refused
            } catch (Throwable e) {
                // outside the write (out of heap, say): the queue stays for the next round, a committer or the stop
                LOG.error("database {}: the log writer could not write the queued commits, retrying", directory, e);
            }
        }
    }

    private void stopThread() {
        Thread w = writer;
        writer = null;
        stop(w);
        Thread t = thread;
        thread = null;
        stop(t);
    }

    /** Interrupts an engine thread and waits for it to end. */
    private static void stop(Thread t) {
        if (t == null) {
            return;
        }
        t.interrupt();
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code work} in one Xodus write transaction and commits it, after the commits logged before it (see
     * {@link CommitLog}), so that Xodus always holds a prefix of the commit order. Safe on an interrupted thread:
     * Mnemo's writer of Xodus's log syncs through the file descriptor ({@link LogFileWriter}).
     */
    void inXodus(java.util.function.Consumer<Transaction> work) {
        flushLock.lock();
        try {
            // the commits queued for the log go first: Xodus must never hold a commit that one before it lacks
            flushBuffered();
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
            xodusAfterLogged(work);
        } finally {
            flushLock.unlock();
        }
    }

    /** Runs {@code work} in Xodus after the logged commits. Caller holds flushLock. */
    private void xodusAfterLogged(java.util.function.Consumer<Transaction> work) {
        checkpointLock.lock();
        try {
            // every commit logged before this write goes first, in as many Xodus transactions as it takes
            while (!checkpointBatch(work)) {
                // a batch of logged commits went in; work waits for the next transaction
            }
        } finally {
            checkpointLock.unlock();
        }
    }

    /** The checkpointer's step: at most one batch of logged commits into Xodus. */
    private void checkpointOnce() {
        checkpointLock.lock();
        try {
            checkpointBatch(null);
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * One Xodus transaction: logged commits of up to about {@link #CHECKPOINT_BATCH} changes, then {@code work} if
     * no logged commit is left after them (else work does not run). Returns whether work ran (true when work is
     * null). Caller holds checkpointLock.
     */
    private boolean checkpointBatch(java.util.function.Consumer<Transaction> work) {
        List<Logged> taken = new ArrayList<>();
        long changes = 0;
        boolean more = false;
        for (Logged l : unapplied) {
            if (changes >= CHECKPOINT_BATCH) {
                more = true;
                break;
            }
            taken.add(l);
            changes += l.changes().size();
        }
        boolean runWork = work != null && !more;
        runInXodus(xt -> {
            for (Database.Change c : coalesce(taken)) {
                c.stage(xt);
            }
            if (runWork) {
                work.accept(xt);
            }
            if (!taken.isEmpty()) {
                writeCheckpoint(xt, taken.get(taken.size() - 1).end());
            }
        });
        // in Xodus now: off the queue (only this lock's holder removes), and older log files can go
        for (int i = 0; i < taken.size(); i++) {
            unapplied.poll();
        }
        if (!taken.isEmpty()) {
            unappliedCount.addAndGet(-changes);
            CommitLog l = log;
            long upTo = taken.get(taken.size() - 1).end().generation();
            if (l != null && upTo > keptFrom) {
                // log files go only once Xodus holds the checkpoint past them on the device (once per rotation):
                // else a crash of the machine could leave Xodus behind a log that no longer has the difference
                syncXodus();
                l.deleteBefore(upTo);
                keptFrom = upTo;
            }
        }
        return work == null || runWork;
    }

    /**
     * The changes of {@code commits} with one change per key: from the key's records before the first of them to
     * its records after the last (none if those are equal), in the order keys were first changed. Staging a key's
     * first old records against its last new ones leaves Xodus as staging every change in turn would (a stage
     * writes the difference between the two, and Xodus holds the first old records when the batch starts), and a
     * hot key changed by thousands of commits between two checkpoints is written once.
     */
    static java.util.Collection<Database.Change> coalesce(List<Logged> commits) {
        record TableKey(Table table, Object key) {
        }
        java.util.Map<TableKey, Database.Change> byKey = new java.util.LinkedHashMap<>();
        for (Logged l : commits) {
            for (Database.Change c : l.changes()) {
                byKey.merge(new TableKey(c.table(), c.key()), c,
                        (first, last) -> new Database.Change(first.table(), first.key(), first.old(), last.neu(),
                                last.encodings()));
            }
        }
        byKey.values().removeIf(c -> c.old().equals(c.neu()));
        return byKey.values();
    }

    /** Runs {@code work} in one Xodus write transaction and commits it. */
    private void runInXodus(java.util.function.Consumer<Transaction> work) {
        Transaction xt = env.beginExclusiveTransaction();
        try {
            work.accept(xt);
            if (!xt.commit()) {
                throw new MnemoException("disc commit failed: Xodus reported a conflict");
            }
        } finally {
            if (!xt.isFinished()) {
                xt.abort();
            }
        }
    }

    /** The commit log being appended to, or null (for tests). */
    CommitLog commitLog() {
        return log;
    }

    /** Whether a commit of {@code changes} goes to the log: its disc changes are all to disc_copies tables. */
    boolean logs(List<Database.Change> changes) {
        if (log == null) {
            return false;
        }
        for (Database.Change c : changes) {
            StorageType s = c.table().def.storage();
            if (s != StorageType.DISC_COPIES && s != StorageType.RAM_COPIES) {
                return false;
            }
        }
        return true;
    }

    /**
     * A commit in the stores waiting to be durable: all its changes (taken back if it cannot be), its disc_copies
     * ones and their encoded log record, or none and a null record for a commit with nothing to write that waits for
     * the ones before it.
     */
    record Buffered(long version, List<Database.Change> changes, List<Database.Change> disc, byte[] record) {
    }

    /**
     * Encodes the log record of the disc_copies part of commit {@code version}, before the commit changes any store
     * (a change that cannot be encoded fails the commit with nothing done). Caller holds commitLock.
     */
    Buffered prepare(long version, List<Database.Change> changes) {
        List<Database.Change> disc = new ArrayList<>(changes.size());
        for (Database.Change c : changes) {
            if (c.table().def.storage() == StorageType.DISC_COPIES) {
                disc.add(c);
            }
        }
        // under a write delay nothing is ever taken back: the queue does not hold the old records
        return new Buffered(version, delayed() ? List.of() : changes, disc, CommitLog.encode(version, disc));
    }

    /**
     * A commit with nothing for the log that is in the stores while commits before it are not durable yet: it is
     * queued behind them, to become durable (or be taken back) with them. Caller holds commitLock.
     */
    Buffered behind(long version, List<Database.Change> changes) {
        return new Buffered(version, changes, List.of(), null);
    }

    /**
     * Queues a prepared commit, now in the stores, for the log: the committer writes it (with whatever else is
     * queued) in {@link #awaitDurable}, after releasing its locks, or under a write delay the log writer does.
     * Caller holds commitLock.
     */
    void buffer(Buffered b) {
        buffered.add(b);
        lastBuffered = b.version();
        if (b.record() != null && delayed()) {
            long after = bufferedBytes.addAndGet(b.record().length);
            Thread w = writer;
            if (after >= DELAYED_WAKE_BYTES && after - b.record().length < DELAYED_WAKE_BYTES && w != null) {
                java.util.concurrent.locks.LockSupport.unpark(w);
            }
        }
    }

    /**
     * Mnesia's {@code sync_log}: writes every queued commit, then puts Xodus (what went straight into it) and the
     * log on the device, so that every commit made so far survives a crash and power loss, whatever {@code sync}
     * and the write delay say. Throws the failure that stops commits, if there is one.
     */
    void syncLog() {
        flushLock.lock();
        try {
            flushBuffered();
            RuntimeException f = failure;
            if (f != null) {
                throw new MnemoException(f.getMessage(), f);
            }
            // what went straight into Xodus (disc_only commits, schema changes, commits after a broken log) is
            // synced with Xodus, without sync only every few seconds; then the log, which holds the rest
            syncXodus();
            CommitLog l = log;
            try {
                if (l != null) {
                    l.force();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("database " + directory + ": cannot sync the commit log "
                        + CommitLog.path(directory, l.generation()), e);
            }
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Whether a commit has been queued for the log and is not durable yet: a commit now becomes visible only after it.
     * Caller holds commitLock.
     */
    boolean hasUndurable() {
        return lastBuffered > durable;
    }

    /** The newest commit queued for the log: everything up to it is durable once it is. */
    long lastBuffered() {
        return lastBuffered;
    }

    /**
     * Returns once every commit queued up to {@code version} is durable: written to the log by this thread or by
     * another committer that took it into the same write (one write, and one fsync with {@code sync}, for all the
     * commits queued meanwhile). If the log cannot take them, they go straight into Xodus; if Xodus cannot either,
     * throws the failure, which every later commit gets too (see {@link #failure}).
     */
    void awaitDurable(long version) {
        checkFailedBefore(version);
        while (durable < version) {
            // if another committer is writing, most likely this one's record too; after a failure this moves what is
            // queued to the failed commits, for the database to take back
            flushQueued();
            RuntimeException f = failure;
            if (durable < version && f != null) {
                // every commit queued up to version is written or failed by now: this one failed
                throw new MnemoException(f.getMessage(), f);
            }
        }
        // a stop and start meanwhile moved durable past the commits that failed before it (resetQueue writes the
        // range first, so seeing its durable means seeing the range)
        checkFailedBefore(version);
    }

    /** Throws if commit {@code version} failed before the last stop (see {@link #resetQueue}). */
    private void checkFailedBefore(long version) {
        RuntimeException before = failedBefore;
        if (before != null && version >= failedFrom && version <= failedThrough) {
            throw new MnemoException(before.getMessage(), before);
        }
    }

    /** {@link #flushBuffered} under flushLock. */
    private void flushQueued() {
        flushLock.lock();
        try {
            flushBuffered();
        } finally {
            flushLock.unlock();
        }
    }

    /** Xodus's writes so far on the device (fsync), whatever {@code sync} says. */
    private void syncXodus() {
        if (env instanceof jetbrains.exodus.env.EnvironmentImpl impl) {
            impl.flushAndSync();
        }
    }

    /**
     * Writes every queued commit, in order: to the log in one write or, if the log cannot take them, into Xodus after
     * the commits logged before them. Caller holds flushLock.
     */
    private void flushBuffered() {
        List<Buffered> batch = new ArrayList<>();
        long bytes = 0;
        for (Buffered b; (b = buffered.poll()) != null; ) {
            batch.add(b);
            bytes += b.record() == null ? 0 : b.record().length;
        }
        if (batch.isEmpty()) {
            return;
        }
        if (delayed()) {
            bufferedBytes.addAndGet(-bytes);
        }
        RuntimeException f = failure;
        boolean failedEarlier = f != null;
        if (f == null) {
            try {
                write(batch);
            } catch (RuntimeException | Error e) {
                f = new MnemoException("database " + directory + ": commit " + batch.get(0).version() + " could not "
                        + "be written to the commit log nor into Xodus; " + (delayed()
                        ? "it and every later commit are lost (they returned before being written: write delay)"
                        : "it and every later commit were taken back")
                        + ", and the database takes no more commits until it is stopped and started, or reopened: "
                        + e, e);
                failure = f;
                if (delayed()) {
                    LOG.error("database {}: commits {} to {} and any after them, acknowledged under a write delay, "
                            + "are lost; the database takes no more commits", directory, batch.get(0).version(),
                            batch.get(batch.size() - 1).version(), e);
                }
            }
        }
        if (f != null && delayed()) {
            if (failedEarlier) {
                LOG.error("database {}: commits {} to {}, acknowledged under a write delay after an earlier write "
                        + "failed, are lost too", directory, batch.get(0).version(),
                        batch.get(batch.size() - 1).version());
            }
            return; // visible and acknowledged already: nothing to take back (the next start does not have them)
        }
        if (f != null) {
            synchronized (failed) {
                for (Buffered b : batch) {
                    failed.addAll(b.changes()); // every change, not just the logged ones: all of it is taken back
                }
            }
            return;
        }
        durable = batch.get(batch.size() - 1).version();
        LongConsumer listener = onDurable;
        if (listener != null) {
            try {
                listener.accept(durable);
            } catch (RuntimeException e) {
                // the commits are durable whatever the listener meets; their committers make them visible again
                LOG.warn("database {}: after commit {} was written: {}", directory, durable, e.toString());
            }
        }
    }

    /** Writes {@code batch} to the log, or into Xodus if the log cannot take it. Caller holds flushLock. */
    private void write(List<Buffered> batch) {
        List<Buffered> logged = new ArrayList<>(batch.size());
        List<byte[]> records = new ArrayList<>(batch.size());
        for (Buffered b : batch) {
            if (b.record() != null) {
                logged.add(b);
                records.add(b.record());
            }
        }
        if (logged.isEmpty()) {
            return; // commits with nothing to write, behind ones written before
        }
        CommitLog l = log;
        IOException logFailure = null;
        if (l != null) {
            try {
                Runnable hook = beforeLogWrite;
                if (hook != null) {
                    hook.run();
                }
                CommitLog.Position[] ends = l.appendAll(records);
                long changes = 0;
                for (int i = 0; i < ends.length; i++) {
                    unapplied.add(new Logged(logged.get(i).disc(), ends[i]));
                    changes += logged.get(i).disc().size();
                }
                long after = unappliedCount.addAndGet(changes);
                Thread t = thread;
                if (after >= CHECKPOINT_BATCH && after - changes < CHECKPOINT_BATCH && t != null) {
                    java.util.concurrent.locks.LockSupport.unpark(t);
                }
                return;
            } catch (IOException e) {
                logFailure = e;
                if (l.broken()) {
                    // a torn record could not be cut off: nothing more goes after it; until the database is reopened,
                    // commits go straight into Xodus (the logged ones first)
                    LOG.warn("database {}: the commit log {} cannot be written any more ({}); commits go straight to "
                            + "Xodus until the database is reopened", directory, CommitLog.path(directory,
                            l.generation()), e.toString());
                    log = null;
                }
            }
        }
        try {
            xodusAfterLogged(xt -> {
                for (Buffered b : logged) {
                    b.disc().forEach(c -> c.stage(xt));
                }
            });
        } catch (RuntimeException e) {
            if (logFailure != null) {
                e.addSuppressed(logFailure);
            }
            throw e;
        }
    }

    /**
     * The changes of commits that could not be written (after {@link #failure}), in commit order, for the database
     * to take back out of its stores.
     */
    List<Database.Change> failedChanges() {
        synchronized (failed) {
            return new ArrayList<>(failed);
        }
    }

    /** Why commits could not be written, or null: once set, every later commit fails too. */
    RuntimeException failure() {
        return failure;
    }

    /** The changes of logged commits not yet in Xodus. */
    long backlogChanges() {
        return unappliedCount.get();
    }

    /** The backlog (in changes) from which committers help the checkpointer. */
    static long backlogLimit() {
        return CHECKPOINT_BACKLOG;
    }

    /**
     * When the checkpointer is far behind, the committer (already published) helps with one batch: back-pressure.
     * A failure here is the checkpointer's to retry, never this commit's, which is durable in the log already.
     */
    void helpIfBehind() {
        if (delayed() && bufferedBytes.get() > DELAYED_LIMIT_BYTES) {
            flushQueued(); // a failure is the database's from now on: later commits are refused
        }
        if (unappliedCount.get() <= CHECKPOINT_BACKLOG) {
            return;
        }
        try {
            checkpointOnce();
        } catch (RuntimeException e) {
            LOG.warn("database {}: checkpoint of the commit log failed: {}", directory, e.toString());
        }
    }
}
