package dev.mnemo.engine;

import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

/**
 * The engine core: the open Xodus environment, the tables, the lock manager and the commit path.
 * Commits run one group at a time under {@link #commitLock}: a group's disc_copies changes are encoded as one commit
 * log record and its other disc changes go into one Xodus transaction; then the stores are changed and the lock is
 * released. The committers release their record locks at once, and return (their commit visible to snapshots) once
 * the log record is written, outside the commit lock (see {@link #commit}).
 */
final class Database implements AutoCloseable {
    static final String VERSION = "0.1.0";
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();
    private static final String SCHEMA_STORE = "mnemo.schema";

    final MnemoConfig config;
    private final Path directory;
    private final Environment env;
    private final Store schema;
    final LockManager locks;
    final ReentrantLock commitLock = new ReentrantLock();
    final Snapshots snapshots = new Snapshots(commitLock);
    /** Table and system events for subscribers (see {@link Mnemo#subscribe}). */
    final Events events;
    final Map<String, Table> tables = new ConcurrentHashMap<>();
    final AtomicLong commits = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong restarts = new AtomicLong();
    /** Grows after every schema change has been put in use (see {@link Mnemo#schemaVersion()}). */
    final AtomicLong schemaVersion = new AtomicLong();
    /** Keys visited by selects since open: lets tests see that a range walk or key lookup stays narrow. */
    final java.util.concurrent.atomic.LongAdder visitedKeys = new java.util.concurrent.atomic.LongAdder();
    private final AtomicLong ages = new AtomicLong();
    private final AtomicLong nextTableId = new AtomicLong(1);
    private final ThreadLocal<TxContext> current = new ThreadLocal<>();
    private final Object schemaMonitor = new Object();
    final DirtyAccess dirty = new DirtyAccess(this);
    private ExecutorService loader;
    /** The commit log and its checkpoints into Xodus; null in memory. */
    final Checkpoints checkpoints;
    /** What the last start found in the commit log. */
    private volatile Recovery recovery = new Recovery(0, null);
    private volatile boolean running;
    /** Its figures in JMX (null until opened). */
    private volatile MetricsBean metricsBean;

    boolean isRunning() {
        return running;
    }
    private volatile boolean closed;

    private Database(MnemoConfig config, Path directory, Environment env, Store schema) {
        this.config = config;
        this.directory = directory;
        this.env = env;
        this.schema = schema;
        this.locks = new LockManager(config.lockTimeout().toMillis());
        this.events = new Events(directory == null ? "in memory" : directory.toString(), snapshots);
        this.checkpoints = env == null ? null : new Checkpoints(env, directory, config.sync(),
                config.writeDelay().toNanos());
        if (checkpoints != null) {
            checkpoints.onDurable = snapshots::advance;
        }
    }

    /** Opens (creating if needed) and starts the database. */
    static Database open(MnemoConfig config) {
        // Xodus locks the directory through an interruptible channel: an interrupted opener would be told the
        // database is locked by another process
        checkNotInterrupted("the database was not opened");
        if (config.directory() == null) {
            Database db = new Database(config, null, null, null);
            db.start();
            db.metricsBean = MetricsBean.register(db, null);
            return db;
        }
        Path dir;
        try {
            Files.createDirectories(config.directory());
            dir = config.directory().toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database directory " + config.directory(), e);
        }
        if (!OPEN_DIRECTORIES.add(dir)) {
            throw new DatabaseLockedException("database " + dir + " is already open in this JVM; share that instance");
        }
        Environment env = null;
        try {
            checkDataFilesPresent(dir);
            env = openEnvironment(config, dir);
            Environment e = env;
            Store schema = env.computeInTransaction(xt -> e.openStore(SCHEMA_STORE,
                    StoreConfig.WITHOUT_DUPLICATES, xt));
            Database db = new Database(config, dir, env, schema);
            db.start();
            db.metricsBean = MetricsBean.register(db, dir);
            return db;
        } catch (RuntimeException e) {
            if (env != null) {
                try {
                    env.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            OPEN_DIRECTORIES.remove(dir);
            throw damaged(dir, e);
        }
    }

    /**
     * A database whose commit log is there but none of Xodus's data files ({@code *.xd}) lost them: Xodus would
     * start an empty database over the directory, and every table would seem gone. (Xodus writes its first file
     * when the directory is first opened, before the commit log is created.)
     */
    private static void checkDataFilesPresent(Path dir) {
        if (!CommitLog.generations(dir).isEmpty() && jetbrains.exodus.log.LogUtil.listFiles(dir.toFile()).length == 0) {
            throw new DatabaseDamagedException("database " + dir + " has its commit log but none of its data files "
                    + "(*.xd): they were deleted or moved; restore them or a backup (the directory was left as it "
                    + "was)", null);
        }
    }

    /**
     * A failure opening the database, as a {@link DatabaseDamagedException} if it is one of reading the files'
     * contents (Xodus found a damaged or missing block, or stored bytes did not decode: TermCodec's "corrupt …")
     * rather than of reaching them (a locked or unreadable directory, a full disk) or a bug, which stay as they are.
     */
    private static RuntimeException damaged(Path dir, RuntimeException e) {
        if (e instanceof MnemoException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof UncheckedIOException
                    || t instanceof jetbrains.exodus.OutOfDiskSpaceException) {
                return e;
            }
            if (t instanceof jetbrains.exodus.log.DataCorruptionException // a missing block too
                    || t instanceof jetbrains.exodus.crypto.InvalidCipherParametersException
                    || t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).startsWith("corrupt ")) {
                return new DatabaseDamagedException("database " + dir + " cannot be read: its files are damaged ("
                        + t.getClass().getSimpleName() + ": " + t.getMessage() + "); restore them or a backup",
                        e);
            }
        }
        return e;
    }

    /** The longest a Xodus garbage collection holds its exclusive transaction (it finishes the file it is on). */
    private static final int GC_TRANSACTION_MILLIS = 50;
    /**
     * The unit in which Xodus reads its log into its cache. Xodus's default of 64 KiB made a disc_only lookup in a
     * table many times the cache's size read 64 KiB for each tree node not cached: at 10M rows (665 MB) a
     * prepared primary-key SELECT took 98-119 µs, with 4 KiB pages 29-31 µs (16 KiB: 40). Pages are not part of
     * the file format: a database written with other pages opens as it was.
     */
    static final int LOG_CACHE_PAGE_BYTES = 4096;

    private static Environment openEnvironment(MnemoConfig config, Path dir) {
        EnvironmentConfig ec = new EnvironmentConfig()
                .setMemoryUsage(config.logCacheBytes())
                .setLogCachePageSize(LOG_CACHE_PAGE_BYTES)
                // Xodus shares one cache among the environments of a JVM by default, sized and paged by the first
                // opened: each database's logCacheBytes would be ignored after the first
                .setLogCacheShared(false)
                // Xodus's default lock-free cache is 3-way set-associative, indexed by (address + address >>> 16):
                // made for 64 KiB pages, it puts 16 consecutive 4 KiB pages in one set, so a table that fits the
                // cache still missed a quarter of its reads (10 µs a raw get at 100k rows instead of 1.5)
                .setLogCacheNonBlocking(false)
                .setLogDurableWrite(config.sync())
                .setLogLockTimeout(0)
                .setEnvCloseForcedly(true)
                // Xodus's garbage collector cleans files in an exclusive transaction for up to this long (1 s by
                // default), and every Xodus writer, the checkpointer among them, waits for it meanwhile
                .setGcTransactionTimeout(GC_TRANSACTION_MILLIS)
                // Mnemo's log writer: an interrupted thread cannot close the log (see LogFileWriter)
                .setLogDataReaderWriterProvider(LogFilesProvider.class.getCanonicalName());
        try {
            return Environments.newInstance(dir.toFile(), ec);
        } catch (ExodusException e) {
            if (String.valueOf(e.getMessage()).contains("lock")) {
                throw new DatabaseLockedException("database " + dir + " is locked by another process (xd.lck): "
                        + "only one process may open a database directory at a time");
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts the database: registers every stored table and loads disc_copies tables in the background. */
    synchronized void start() {
        if (closed) {
            throw new MnemoException("database is closed");
        }
        if (running) {
            return;
        }
        loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mnemo-loader");
            t.setDaemon(true);
            return t;
        });
        if (env != null) {
            checkpoints.resetQueue();
            for (SchemaCodec.Entry e : readSchema()) {
                nextTableId.accumulateAndGet(e.id() + 1, Math::max);
                Table t = new Table(e.id(), e.def(), e.major(), e.minor());
                inXodus(xt -> t.store = createStore(e.def(), e.id(), xt));
                tables.put(e.def().name(), t);
            }
            dropOrphanStores();
            recovery = checkpoints.recover(tables.values());
            // commits taken back before the stop never became visible, and the stores are loaded anew without them:
            // what is visible from now on starts after them (else events queued behind them would wait for them)
            snapshots.advance(snapshots.applied());
            for (Table t : tables.values()) {
                schemaVersion.incrementAndGet();
                scheduleLoad(t);
            }
            checkpoints.startThread();
        }
        running = true;
        schemaEvent(new SystemEvent.Started(events.database()), null);
    }

    /** Told how far each schema change that rewrites a table has got (see {@link Mnemo#onSchemaProgress}). */
    volatile java.util.function.Consumer<SchemaProgress> schemaProgress;

    /**
     * Drops the Xodus stores of tables that are not in the schema: what a schema change that crashed before its
     * last transaction had built (see {@link SchemaOps}), and index stores of attributes no longer indexed. A
     * table's stores are named {@code t<id>} and {@code t<id>.<part>}; a crashed change's table id would otherwise
     * be given again and find them.
     */
    private void dropOrphanStores() {
        java.util.Set<String> live = new java.util.HashSet<>();
        for (Table t : tables.values()) {
            live.addAll(XodusStore.storeNames(t.id, t.def));
        }
        List<String> orphans = env.computeInReadonlyTransaction(xt -> env.getAllStoreNames(xt)).stream()
                .filter(n -> XodusStore.isTableStoreName(n) && !live.contains(n)).toList();
        if (!orphans.isEmpty()) {
            inXodus(xt -> {
                for (String n : orphans) {
                    env.removeStore(n, xt);
                }
            });
            org.slf4j.LoggerFactory.getLogger(Database.class).info("database {}: dropped {} stores no table uses "
                    + "(left by an unfinished schema change): {}", directory, orphans.size(), orphans);
        }
    }

    /** For tests: runs on the loader thread before each disc_copies table loads. */
    volatile Runnable beforeLoad;

    private void scheduleLoad(Table t) {
        if (t.store instanceof DiscCopiesStore dc) {
            CompletableFuture<Void> f = t.loaded;
            loader.execute(() -> {
                try {
                    Runnable hook = beforeLoad;
                    if (hook != null) {
                        hook.run();
                    }
                    dc.load();
                    f.complete(null);
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                } catch (Error e) {
                    // out of heap, say: the table's waiters learn it now rather than at their timeout
                    f.completeExceptionally(e);
                    throw e;
                }
            });
        } else {
            t.loaded.complete(null);
        }
    }

    private List<SchemaCodec.Entry> readSchema() {
        return env.computeInReadonlyTransaction(xt -> {
            List<SchemaCodec.Entry> out = new ArrayList<>();
            try (Cursor c = schema.openCursor(xt)) {
                while (c.getNext()) {
                    ByteIterable v = c.getValue();
                    out.add(SchemaCodec.fromValue(TermCodec.decode(v.getBytesUnsafe(), 0, v.getLength())));
                }
            }
            return out;
        });
    }

    /** Stops the database: tables become unavailable; ram_copies rows are lost, disc data stays. */
    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        commitLock.lock();
        try {
            for (Checkpoint c : List.copyOf(active)) {
                c.close(); // a checkpoint does not outlive its run (as in Mnesia)
            }
            events.schemaChanged(new SystemEvent.Stopped(events.database()), null);
            if (checkpoints != null) {
                checkpoints.stop();
            }
        } finally {
            // every commit queued is written or failed now: the failed ones are never told
            events.dropInvisible();
            for (Table t : tables.values()) {
                t.dropped = true;
                t.store.close();
            }
            tables.clear();
            commitLock.unlock();
            loader.shutdownNow();
        }
    }

    /**
     * Stops the database and closes its files. If the last checkpoint or Xodus's close fails (a full disk), the
     * database is closed all the same (its directory can be opened again, which replays the commit log) and the
     * first failure is thrown.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        RuntimeException failure = null;
        try {
            stop();
        } catch (RuntimeException e) {
            failure = e;
        }
        closed = true;
        events.close();
        MetricsBean bean = metricsBean;
        if (bean != null) {
            bean.unregister();
        }
        if (env != null) {
            try {
                env.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            } finally {
                OPEN_DIRECTORIES.remove(directory);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The Xodus environment (null in memory): for tests of how it is configured. */
    Environment environment() {
        return env;
    }

    void checkRunning() {
        if (!running) {
            throw new MnemoException(closed ? "database is closed" : "database is not running (call start())");
        }
    }

    // ---------------------------------------------------------------- tables

    /** The table called {@code name}, loaded; a clear error if there is none. */
    Table table(String name) {
        checkRunning();
        Table t = tables.get(name);
        if (t == null) {
            throw new NoSuchTableException("table " + name + " does not exist; tables are "
                    + new java.util.TreeSet<>(tables.keySet()));
        }
        t.awaitLoaded(config.loadTimeout().toMillis());
        return t;
    }

    /** Table names in order, without hidden ones unless asked; no waiting for loads. */
    List<String> tableNames(boolean includeHidden) {
        checkRunning();
        List<String> out = new ArrayList<>();
        for (Table t : tables.values()) {
            if (includeHidden || !t.def.hidden()) {
                out.add(t.name());
            }
        }
        out.sort(null);
        return out;
    }

    /** After a lock was granted: the table may have been deleted while we waited. */
    void checkAlive(Table t) {
        if (t.dropped) {
            checkRunning();
            throw new NoSuchTableException("table " + t.name() + " was deleted");
        }
    }

    TableStore createStore(TableDef def, long id, Transaction xt) {
        List<Integer> idx = Table.indexPositions(def);
        int arity = def.attributeCount() + 1;
        return switch (def.storage()) {
            case RAM_COPIES -> new HeapStore(arity, idx);
            // disc_copies answer every read, index reads included, from the heap copy, whose indexes are built
            // while loading: their disc part is the records only, which halves the Xodus work of a commit on an
            // indexed table
            case DISC_COPIES -> new DiscCopiesStore(
                    new XodusStore(env, xt, id, def.type(), def.recordName(), false, List.of(), 0),
                    new HeapStore(arity, idx, def.recordName()));
            case DISC_ONLY_COPIES -> new XodusStore(env, xt, id, def.type(), def.recordName(), true, idx,
                    config.discOnlyCacheRows());
        };
    }

    long newTableId() {
        return nextTableId.getAndIncrement();
    }

    Object schemaMonitor() {
        return schemaMonitor;
    }

    void checkStorageAllowed(TableDef def) {
        if (env == null && def.storage().onDisc()) {
            throw new SchemaException("table " + def.name() + ": " + def.storage().mnesiaName()
                    + " needs a database directory; this database is in memory (use ram_copies)");
        }
    }

    /** Writes (or with a null def removes) a table's schema entry inside {@code xt}. */
    void persistDef(Transaction xt, String name, TableDef def, long id, int major, int minor) {
        if (env == null) {
            return;
        }
        ArrayByteIterable key = new ArrayByteIterable(TermCodec.encode(name));
        if (def == null) {
            schema.delete(xt, key);
        } else {
            schema.put(xt, key, new ArrayByteIterable(TermCodec.encode(SchemaCodec.toValue(def, id, major, minor))));
        }
    }

    /**
     * Runs {@code work} in one Xodus write transaction (or with a null one in memory) and commits it, after the
     * commits logged before it (see {@link Checkpoints}). Safe on an interrupted thread: Xodus's writer syncs
     * through the file descriptor ({@link LogFileWriter}).
     */
    void inXodus(java.util.function.Consumer<Transaction> work) {
        if (checkpoints == null) {
            work.accept(null);
        } else {
            checkpoints.inXodus(work);
        }
    }

    /** What the last start found in the commit log. */
    Recovery recovery() {
        return recovery;
    }

    // ---------------------------------------------------------------- commit

    /** A change of one key. */
    record Change(Table table, Object key, List<Tuple> old, List<Tuple> neu, Encodings encodings) {
        Change(Table table, Object key, List<Tuple> old, List<Tuple> neu) {
            this(table, key, old, neu, new Encodings());
        }

        /** Changes are equal by what they change; their encodings are a cache. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Change c && table == c.table && key.equals(c.key) && old.equals(c.old)
                    && neu.equals(c.neu);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(System.identityHashCode(table), key, old, neu);
        }

        @Override
        public String toString() {
            return "Change[table=" + table.def.name() + ", key=" + key + ", old=" + old + ", neu=" + neu + "]";
        }

        /** Writes the disc part of this change into {@code xt}. */
        void stage(Transaction xt) {
            table.store.stage(xt, this);
        }

        /** The key's {@link dev.mnemo.engine.value.TermCodec} bytes, encoded once for the log, the heap and Xodus. */
        byte[] keyBytes() {
            byte[] k = encodings.key;
            if (k == null) {
                k = dev.mnemo.engine.value.TermCodec.encode(key);
                encodings.key = k;
            }
            return k;
        }

        /**
         * The {@link dev.mnemo.engine.value.RecordCodec} bytes of the key's one new record, its record name
         * {@code recordName} (the table's) left out, encoded once for the log, the heap and Xodus; null if the key
         * has no record or several, or the record has no compact form.
         */
        byte[] compactRecord(String recordName) {
            EncodedRecord r = encodings.record;
            if (r == null || !r.name().equals(recordName)) {
                r = new EncodedRecord(recordName, neu.size() != 1 ? null
                        : dev.mnemo.engine.value.RecordCodec.encodeFor(neu.get(0), key, recordName));
                if (r.bytes() == null || r.bytes().length <= ValueLimits.LONG_RECORD) {
                    // a long record is encoded again where needed rather than kept until the checkpoint
                    encodings.record = r;
                }
            }
            return r.bytes();
        }
    }

    /**
     * What a {@link Change} has encoded so far. The committer encodes under the commit lock and the checkpointer
     * reads later on its own thread; an encoding is a value, so either may make it, and each field is one volatile
     * reference to a whole one.
     */
    static final class Encodings {
        private volatile byte[] key;
        private volatile EncodedRecord record;
    }

    /** A record's compact bytes (or null: none) under record name {@code name}. */
    private record EncodedRecord(String name, byte[] bytes) {
    }

    /** A transaction waiting in {@link #commitQueue} for a committer to take it into its group. */
    private static final class Pending {
        final Txn txn;
        /**
         * Its changes, computed before the commit lock (its keys are its own: it holds their write locks), valid
         * unless a dirty write ran since {@link #dirtyWrites} (dirty writes take no locks); null if not computed.
         */
        final List<Change> changes;
        final long dirtyWrites;
        /** Set (after {@link #error} and {@link #applied}) by the committer that took it. */
        volatile boolean done;
        volatile RuntimeException error;
        /** What its group's commit did (null if nothing). */
        Applied applied;

        Pending(Txn txn, List<Change> changes, long dirtyWrites) {
            this.txn = txn;
            this.changes = changes;
            this.dirtyWrites = dirtyWrites;
        }
    }

    /** For tests: runs in a committer after it has read its keys' old records, before it queues for the lock. */
    volatile Runnable beforeCommitLock;

    /** Dirty writes so far: a committer's changes computed before one are computed again under the lock. */
    private final java.util.concurrent.atomic.AtomicLong dirtyWrites = new java.util.concurrent.atomic.AtomicLong();

    /** Transactions ready to commit, taken as one group by whichever of them gets the commit lock first. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Pending> commitQueue =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Commits a transaction's buffered writes atomically. Caller holds its write locks. Group commit: the
     * transaction joins the queue; whoever gets the commit lock first commits every queued transaction in one
     * Xodus transaction (one log write, one fsync with {@code sync}) and one commit version, so committers that
     * arrive while a commit is being written share the next one. Their keys are disjoint (each holds its write
     * locks); a transaction that cannot commit (its table was deleted) fails alone.
     */
    void commit(Txn txn) {
        if (txn.gate != null) {
            commitThroughGate(txn);
            return;
        }
        long started = System.nanoTime();
        commitChanges(txn);
        commitLatency.record(System.nanoTime() - started); // a commit that failed is not timed
    }

    /**
     * Hands a gated transaction's reads and writes to its gate, which commits them (they reach the stores through
     * its own transactions) or finds a conflict: then the attempt is re-run (an explicit transaction rolls back),
     * after a short random pause that grows with its re-runs, so that transactions conflicting on one key do not
     * re-run in step.
     */
    private void commitThroughGate(Txn txn) {
        txn.checkNotDoomed();
        long started = System.nanoTime();
        // the gate commits through transactions of its own: they must not join this one, which is over
        TxContext ending = current.get();
        current.remove();
        boolean committed;
        try {
            committed = txn.gate.commit(txn.gatedCommit());
        } finally {
            if (ending != null) {
                current.set(ending);
            }
        }
        if (committed) {
            if (!txn.writes.isEmpty()) {
                commitLatency.record(System.nanoTime() - started);
            }
            return;
        }
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << Math.min(txn.restarts, 5)) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while waiting to re-run a transaction whose commit "
                    + "conflicted; it was rolled back", e);
        }
        throw new LockManager.Restart(new java.util.concurrent.CountDownLatch(0));
    }

    /** Commit latencies since open (see {@link Metrics}). */
    final LatencyHistogram commitLatency = new LatencyHistogram();

    private void commitChanges(Txn txn) {
        txn.checkNotDoomed();
        if (txn.writes.isEmpty()) {
            // what it read under its locks may be a commit whose log record is being written: it returns once that is
            // durable, as a writer would
            awaitDurable(nothingApplied());
            return;
        }
        // the old records of its keys are read here, outside the commit lock, which serializes every commit
        long dirty = dirtyWrites.get();
        List<Change> changes;
        try {
            changes = changesOf(txn);
        } catch (RuntimeException e) {
            changes = null; // its table was deleted, say: the group commit reports it
        }
        Runnable hook = beforeCommitLock;
        if (hook != null) {
            hook.run();
        }
        Pending mine = new Pending(txn, changes, dirty);
        commitQueue.add(mine);
        List<Pending> group = List.of();
        boolean led = lockForCommit(mine);
        if (led) {
            try {
                if (!mine.done) {
                    group = commitQueued();
                }
            } finally {
                commitLock.unlock();
            }
        }
        // early lock release: the group's commits are in the stores, so whoever waits for their locks may go on
        // while the log record is written; the commits become visible to snapshots, and their committers return,
        // only once it is (a later commit's record follows theirs in the log, so it cannot survive a crash without
        // them); under a write delay they are visible already and return at once
        for (Pending p : group) {
            locks.releaseAll(p.txn);
        }
        if (led) {
            try {
                afterCommitLock();
            } catch (RuntimeException | Error e) {
                if (events.hasPending()) {
                    events.release(); // the group's commits may be visible (a write delay): told all the same
                }
                throw e;
            }
        }
        if (mine.error != null) {
            throw mine.error;
        }
        locks.releaseAll(txn);
        Runnable beforeWait = beforeDurableWait;
        if (beforeWait != null) {
            beforeWait.run();
        }
        awaitDurable(mine.applied);
    }

    /** For tests: runs in a committer whose commit is in the stores, before it waits for it to be durable. */
    volatile Runnable beforeDurableWait;

    /**
     * What {@link #apply} did: the commit's version, and the newest commit queued for the log that must be durable
     * before the commit returns and becomes visible (0: none, it is visible already).
     */
    record Applied(long version, long durableAfter) {
    }

    /**
     * What a commit that changes nothing waits for: the commits in the stores so far (it may have read them) to be
     * durable.
     */
    private Applied nothingApplied() {
        if (checkpoints == null || checkpoints.delayed()) {
            return null;
        }
        long last = checkpoints.lastBuffered();
        return new Applied(last, last);
    }

    /**
     * Returns once every commit in the stores now is durable and visible, for a snapshot that must read what a
     * lock-holding transaction reads (see {@link TxContext#readView}).
     */
    void awaitAllVisible() {
        if (checkpoints == null || checkpoints.delayed()) {
            return;
        }
        long applied = snapshots.applied();
        // read after applied: every commit for the log up to applied was queued before it was applied (none queued:
        // every commit is visible at once, and no wait is needed)
        awaitDurable(new Applied(applied, checkpoints.lastBuffered()));
    }

    /**
     * Returns once commit {@code a} is durable and visible; if the commits queued for the log could be written
     * neither there nor into Xodus, takes them back out of the stores and throws why.
     */
    private void awaitDurable(Applied a) {
        if (a != null && a.durableAfter() != 0) {
            try {
                checkpoints.awaitDurable(a.durableAfter());
            } catch (RuntimeException e) {
                takeBackFailed();
                throw e;
            }
            if (a.version() > 0) {
                snapshots.advance(a.version());
            }
        }
        // its events, and any others visible now, are handed to the subscribers before the commit returns
        if (events.hasPending()) {
            events.release();
        }
    }

    /**
     * Puts back, in the stores, the records that the commits that could not be written (see
     * {@link Checkpoints#failure}) replaced: each key's records before the first of them. Snapshots never saw them
     * (they were not visible); no later commit is taken (the database refuses them), so this is final.
     */
    private void takeBackFailed() {
        record TableKey(Table table, Object key) {
        }
        if (checkpoints.failure() == null) {
            // the commit failed in the run before a stop and start, which took it back (and dropped its events); what
            // is not visible now is the new run's commits on their way
            return;
        }
        commitLock.lock();
        try {
            if (checkpoints.failure() == null) {
                return; // a stop and start came while this waited for the lock (see above)
            }
            Map<TableKey, Change> first = new java.util.LinkedHashMap<>();
            for (Change c : checkpoints.failedChanges()) {
                first.putIfAbsent(new TableKey(c.table(), c.key()), c);
            }
            List<Change> back = new ArrayList<>();
            for (Change c : first.values()) {
                if (!c.table().dropped) {
                    List<Tuple> now = c.table().store.get(c.key());
                    if (!now.equals(c.old())) {
                        back.add(new Change(c.table(), c.key(), now, c.old()));
                    }
                }
            }
            publish(back);
            events.dropInvisible();
        } finally {
            unlockCommit();
        }
    }

    /**
     * Releases the commit lock, then runs the purge a closing snapshot could not run while it was held, and helps
     * the checkpointer if it is far behind (back-pressure on this committer only, never under the commit lock: a
     * checkpoint can wait a while for Xodus, whose garbage collector takes exclusive transactions).
     */
    private void unlockCommit() {
        commitLock.unlock();
        afterCommitLock();
    }

    /** What {@link #unlockCommit} does once the lock is released. */
    private void afterCommitLock() {
        snapshots.afterCommitLock();
        if (checkpoints != null) {
            checkpoints.helpIfBehind();
        }
    }

    /** Tries for the commit lock this many times before parking for it. */
    private static final int COMMIT_SPINS = 256;

    /**
     * Takes the commit lock, trying for a while before parking: most commits hold it for a few microseconds, and
     * handing it to a parked thread costs more than that (two threads committing at once parked each other and ran
     * slower together than one alone). Returns false, without the lock, once another committer has taken
     * {@code mine} into its group.
     */
    private boolean lockForCommit(Pending mine) {
        for (int i = 0; i < COMMIT_SPINS; i++) {
            if (mine.done) {
                return false;
            }
            if (commitLock.tryLock()) {
                return true;
            }
            Thread.onSpinWait();
        }
        commitLock.lock();
        return true;
    }

    /**
     * Commits every queued transaction as one group; returns those committed (their commits are in the stores, maybe
     * not durable yet). Caller holds commitLock.
     */
    private List<Pending> commitQueued() {
        List<Pending> polled = new ArrayList<>();
        for (Pending p; (p = commitQueue.poll()) != null; ) {
            polled.add(p);
        }
        List<Pending> members = new ArrayList<>();
        try {
            List<Change> changes = new ArrayList<>();
            List<Events.Part> parts = new ArrayList<>(polled.size());
            for (Pending p : polled) {
                try {
                    int from = changes.size();
                    if (p.changes != null && p.dirtyWrites == dirtyWrites.get()) {
                        checkAlive(p.txn);
                        changes.addAll(p.changes);
                    } else {
                        changes.addAll(changesOf(p.txn));
                    }
                    parts.add(new Events.Part(p.txn.age(), from, changes.size()));
                    members.add(p);
                } catch (RuntimeException e) {
                    p.error = e;
                } catch (Error e) {
                    p.error = notWritten(e);
                }
            }
            Applied applied = changes.isEmpty() ? nothingApplied() : apply(changes, parts);
            for (Pending p : members) {
                p.applied = applied;
            }
            return members;
        } catch (RuntimeException | Error e) {
            for (Pending p : members) {
                p.error = e instanceof RuntimeException r && members.size() == 1 ? r : notWritten(e);
            }
            if (e instanceof Error err) {
                throw err;
            }
            return List.of();
        } finally {
            for (Pending p : polled) {
                if (!members.contains(p) && p.error == null) {
                    p.error = notWritten(null);
                }
                p.done = true;
            }
        }
    }

    /** The failure a member of a commit group gets when the group's commit failed because of {@code cause}. */
    private static MnemoException notWritten(Throwable cause) {
        return new MnemoException("commit failed; nothing of this transaction was written"
                + (cause == null ? "" : ": " + cause), cause);
    }

    /**
     * The changes a transaction's buffered writes make to the committed records. Its keys are its own (it holds
     * their write locks); only a dirty write could change them meanwhile.
     */
    /** Fails if a table {@code txn} wrote to was deleted or replaced meanwhile. */
    private void checkAlive(Txn txn) {
        for (Table t : txn.writes.keySet()) {
            checkAlive(t);
        }
    }

    private List<Change> changesOf(Txn txn) {
        checkAlive(txn);
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<Table, java.util.NavigableMap<Object, List<Tuple>>> e : txn.writes.entrySet()) {
            Table t = e.getKey();
            for (Map.Entry<Object, List<Tuple>> k : e.getValue().entrySet()) {
                List<Tuple> old = t.store.get(k.getKey());
                if (!old.equals(k.getValue())) {
                    changes.add(new Change(t, k.getKey(), old, k.getValue()));
                }
            }
        }
        return changes;
    }

    /**
     * Applies changes as one commit version: their old records into the tables' history (for snapshots), the disc
     * part in one Xodus transaction or, for disc_copies tables, queued for the commit log, then the heap part; then
     * the version becomes visible, or, if a log record is queued, once it is durable (see {@link #awaitDurable}).
     * Caller holds commitLock.
     */
    Applied apply(List<Change> changes, List<Events.Part> parts) {
        RuntimeException failed = checkpoints == null ? null : checkpoints.failure();
        if (failed != null) {
            throw new MnemoException("database " + directory + " takes no more commits until it is stopped and "
                    + "started, or reopened: an earlier commit could not be written (" + failed.getCause() + ")", failed);
        }
        long version = snapshots.nextVersion();
        boolean disc = false;
        for (Change c : changes) {
            disc |= c.table().def.storage().onDisc();
        }
        Checkpoints.Buffered logged = disc && checkpoints != null && checkpoints.logs(changes)
                ? checkpoints.prepare(version, changes) : null;
        boolean direct = disc && logged == null; // into Xodus now, after every commit queued for the log
        boolean delayed = checkpoints != null && checkpoints.delayed();
        if (logged == null && !direct && !delayed && checkpoints != null && checkpoints.hasUndurable()) {
            // nothing to write, but commits before it are not durable yet: it waits for them, and fails with them
            logged = checkpoints.behind(version, changes);
        }
        // visible only once durable: the history of its keys must be kept until then, whoever reads (under a write
        // delay it is visible at once, and returns, while its record waits for the log writer)
        boolean deferred = logged != null && !delayed;
        // with no snapshot open or opening, nobody can read history: none is recorded, and a deleted key goes at once
        boolean history = deferred || snapshots.recordsHistory();
        try {
            if (history) {
                snapshots.recordBefore(version, changes);
            }
            if (direct) {
                inXodus(xt -> changes.forEach(c -> c.stage(xt)));
            }
            publish(changes);
            if (logged != null) {
                checkpoints.buffer(logged);
            }
            if (events.wants(changes)) {
                // its log record may be written, and the commit visible, before this: its committer hands it over
                events.committed(version, changes, parts);
            }
            if (!history) {
                for (Change c : changes) {
                    if (c.neu().isEmpty()) {
                        c.table().store.forget(c.key());
                    }
                }
            }
            snapshots.published(version, !deferred);
        } finally {
            snapshots.recorded();
        }
        return new Applied(version, deferred ? checkpoints.lastBuffered() : 0);
    }

    /** Publishes {@code changes} in order, each run of changes to one table at once. */
    private static void publish(List<Change> changes) {
        int from = 0;
        for (int i = 1; i <= changes.size(); i++) {
            if (i == changes.size() || changes.get(i).table() != changes.get(from).table()) {
                changes.get(from).table().store.publishAll(changes.subList(from, i));
                from = i;
            }
        }
    }

    /** The writer of Xodus's log files, or null in memory (for tests). */
    LogFileWriter logWriter() {
        return env == null ? null
                : (LogFileWriter) ((jetbrains.exodus.env.EnvironmentImpl) env).getLog().getConfig().getWriter();
    }

    /** See {@link Mnemo#syncLog}. Synchronized as stop and start are: the log is not closed meanwhile. */
    synchronized void syncLog() {
        checkRunning();
        if (checkpoints == null) {
            return; // in memory: nothing is written
        }
        checkNotInterrupted("the log was not synced");
        checkpoints.syncLog();
    }

    /** Who made a dirty change: no transaction (id 0). */
    private static final List<Events.Part> DIRTY = List.of(new Events.Part(0, 0, 1));

    /** A dirty change of one key: computed from the current records and applied atomically, without locks. */
    List<Tuple> dirtyUpdate(Table t, Object key, java.util.function.UnaryOperator<List<Tuple>> fn) {
        Applied applied;
        List<Tuple> neu;
        commitLock.lock();
        try {
            checkAlive(t);
            List<Tuple> old = t.store.get(key);
            neu = fn.apply(old);
            // read under the commit lock, after old: a commit that old comes from is queued by now
            applied = nothingApplied();
            if (!old.equals(neu)) {
                try {
                    applied = apply(List.of(new Change(t, key, old, neu)), DIRTY);
                } finally {
                    // counted once the store holds the change (still under the commit lock): a committer that read
                    // the count before this reads its old records again; one that read it after saw the change
                    dirtyWrites.incrementAndGet();
                }
            }
        } finally {
            unlockCommit();
        }
        awaitDurable(applied);
        return neu;
    }

    // ---------------------------------------------------------------- transactions

    boolean inTransaction() {
        return current.get() != null;
    }

    /** Runs {@code fn} as a transaction, re-running it on lock conflicts; nested calls join the outer one. */
    <T> T transaction(TxFunction<T> fn) {
        return transaction(fn, null);
    }

    /** {@link #transaction(TxFunction)} of a view gated by {@code gate} (or of this database itself, null). */
    <T> T transaction(TxFunction<T> fn, CommitGate gate) {
        checkRunning();
        TxContext outer = current.get();
        if (outer != null) {
            return nested(fn, outer, gate, "transaction");
        }
        checkNotInterrupted("the transaction was not run");
        Txn txn = new Txn(ages.incrementAndGet(), gate);
        while (true) {
            if (txn.restarts > 0) {
                txn.beginAttempt();
            }
            LockManager.Restart restart;
            TxContext ctx = new TxContext(this, txn);
            current.set(ctx);
            try {
                T result = call(fn, ctx);
                commit(txn);
                commits.incrementAndGet();
                return result;
            } catch (LockManager.Restart r) {
                restart = r;
            } catch (AbortSignal a) {
                failures.incrementAndGet();
                throw new TransactionAbortedException(a.reason, null);
            } catch (RuntimeException | Error e) {
                failures.incrementAndGet();
                throw e;
            } finally {
                ctx.deactivate();
                current.remove();
                locks.releaseAll(txn);
                txn.endAttempt();
            }
            restarts.incrementAndGet();
            if (++txn.restarts > config.maxRetries()) {
                failures.incrementAndGet();
                throw new TransactionAbortedException("lock conflicts: gave up after " + config.maxRetries()
                        + " restarts", null);
            }
            awaitBlocker(restart);
        }
    }

    /**
     * A transaction inside a transaction: it joins the outer one (same locks, same commit) but if it fails, its
     * writes are rolled back to where it started and the failure is thrown to the outer function, which may go
     * on. A lost lock conflict is not a failure of the inner part: it restarts the whole transaction.
     */
    private <T> T nested(TxFunction<T> fn, TxContext ctx) {
        return ctx.subTransaction(fn);
    }

    /**
     * {@link #nested} for a {@code what} (transaction or snapshot) of the view gated by {@code gate} (null: of this
     * database): one of another view, or of the database inside a view's, is refused, since joining would put its
     * writes past the gate, or past the locks.
     */
    private <T> T nested(TxFunction<T> fn, TxContext ctx, CommitGate gate, String what) {
        if (ctx.txn.gate != gate && !ctx.readsSnapshot()) {
            throw new IllegalStateException("a " + what + " of " + (gate != null ? "a gated view" : "the database")
                    + " cannot run inside a transaction of " + (gate != null ? "its database" : "a gated view of it")
                    + ": joining it would put its writes past the gate or past the locks; run it on its own");
        }
        return nested(fn, ctx);
    }

    /** Nothing begins on an interrupted thread: {@code what} says what did not happen. */
    static void checkNotInterrupted(String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new OperationInterruptedException("the thread is interrupted: " + what, null);
        }
    }

    private static void awaitBlocker(LockManager.Restart r) {
        Cancels.check();
        try {
            r.blockerDone.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while waiting to re-run a transaction that lost a "
                    + "lock conflict; it was rolled back", e);
        }
    }

    private static <T> T call(TxFunction<T> fn, Tx tx) {
        try {
            return fn.apply(tx);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new TransactionAbortedException(e, e);
        }
    }

    /** Begins an explicit transaction (see {@link Transaction}). */
    dev.mnemo.engine.Transaction begin(CommitGate gate) {
        checkRunning();
        return new TxContext(this, new Txn(ages.incrementAndGet(), gate), true, -1);
    }

    /** Begins an explicit read-only transaction on a snapshot of the newest commit. */
    dev.mnemo.engine.Transaction beginReadOnly(CommitGate gate) {
        checkRunning();
        return TxContext.readOnly(this, true, gate);
    }

    /**
     * Runs {@code fn} read-only on a snapshot of the newest commit: no locks, never waits, never re-run. Inside a
     * transaction it joins that one (whose locks already give it a consistent view).
     */
    <T> T snapshot(TxFunction<T> fn, CommitGate gate) {
        checkRunning();
        TxContext outer = current.get();
        if (outer != null) {
            return nested(fn, outer, gate, "snapshot");
        }
        checkNotInterrupted("the read was not run");
        TxContext ctx = TxContext.readOnly(this, false, gate);
        current.set(ctx);
        try {
            return call(fn, ctx);
        } catch (AbortSignal a) {
            throw new TransactionAbortedException(a.reason, null);
        } finally {
            ctx.deactivate();
            current.remove();
        }
    }

    /** Runs a schema operation with a write lock on the table, outside any transaction. */
    <T> T exclusive(String name, java.util.function.Function<Table, T> op) {
        return exclusive(name, true, op);
    }

    /**
     * Runs an operation with a write lock on the table, outside any transaction; one that leaves the table's
     * definition as it was ({@code definitionChanges} false: clearing it) does not move the schema version, so
     * that plans of the table stay current.
     */
    <T> T exclusive(String name, boolean definitionChanges, java.util.function.Function<Table, T> op) {
        if (inTransaction()) {
            throw new MnemoException("schema operations on table " + name + " cannot run inside a transaction");
        }
        try {
            return transaction(tx -> {
                tx.lockTable(name, LockKind.WRITE);
                Table t = table(name);
                commitLock.lock();
                try {
                    checkAlive(t);
                    return op.apply(t);
                } finally {
                    unlockCommit();
                }
            });
        } finally {
            if (definitionChanges) {
                schemaVersion.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- events

    /**
     * Queues a schema change's events behind the commits before it, and hands over what is visible. Runs under the
     * table's schema change (where it holds the commit lock) or the schema monitor.
     */
    void schemaEvent(SystemEvent event, TableEvent tableEvent) {
        commitLock.lock();
        try {
            events.schemaChanged(event, tableEvent);
        } finally {
            commitLock.unlock();
        }
        events.release();
    }

    /** See {@link Mnemo#subscribe}; {@code table} null for system events. */
    Subscription subscribe(String table, EventDetail detail, int capacity, java.util.function.Consumer<?> listener) {
        commitLock.lock();
        try {
            if (closed) {
                throw new MnemoException("database is closed: nothing to subscribe to");
            }
            if (table != null) {
                checkRunning();
                if (!tables.containsKey(table)) {
                    throw new NoSuchTableException("cannot subscribe to table " + table + ": it does not exist; tables "
                            + "are " + new java.util.TreeSet<>(tables.keySet()));
                }
            }
            return events.subscribe(table, detail, capacity, listener);
        } finally {
            commitLock.unlock();
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** The active checkpoints by name. */
    private final Map<String, Checkpoint> checkpointsByName = new ConcurrentHashMap<>();

    /** See {@link Mnemo#activateCheckpoint}. */
    Checkpoint activateCheckpoint(String name, java.util.Collection<String> names) {
        java.util.Objects.requireNonNull(name, "checkpoint name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a checkpoint's name cannot be blank");
        }
        return activate(name, names, "checkpoint " + name, true);
    }

    /**
     * Activates a checkpoint of tables {@code names}, called {@code label} in the message of a schema change it
     * refuses; {@code register}: by its name, among the active checkpoints (a backup's is not).
     */
    Checkpoint activate(String name, java.util.Collection<String> names, String label, boolean register) {
        while (names == null) { // every table, as of the snapshot: listed under the commit lock below
            for (String n : tableNames(true)) {
                table(n); // loaded, waited for outside the commit lock
            }
            commitLock.lock();
            try {
                List<String> now = tableNames(true);
                if (now.stream().allMatch(n -> tables.get(n).loaded.isDone())) {
                    return activate(name, now, label, register);
                }
                // a stop and start came meanwhile: wait for the loads again, not under the commit lock
            } finally {
                commitLock.unlock();
            }
        }
        List<String> list = List.copyOf(names);
        if (list.isEmpty() && register) {
            throw new IllegalArgumentException(label + ": no tables given"); // a backup of none is an empty archive
        }
        if (new java.util.HashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException(label + ": a table is given twice in " + list);
        }
        for (String n : list) {
            table(n); // exists, and is loaded: waited for outside the commit lock
        }
        commitLock.lock();
        try {
            checkRunning();
            if (register && checkpointsByName.containsKey(name)) {
                throw new MnemoException(label + " is already active; checkpoints are "
                        + new java.util.TreeSet<>(checkpointsByName.keySet()));
            }
            List<Table> ts = new ArrayList<>();
            for (String n : list) {
                Table t = tables.get(n);
                if (t == null) {
                    throw new NoSuchTableException(label + ": table " + n + " does not exist; tables are "
                            + new java.util.TreeSet<>(tables.keySet()));
                }
                ts.add(t);
            }
            // under the commit lock no commit is being published: the snapshot is of the last visible commit, and no
            // schema change of these tables can run between it and their marking
            Checkpoint c = new Checkpoint(this, name, label, list, ts, beginReadOnly(null));
            for (Table t : ts) {
                t.readers.add(c);
            }
            if (register) {
                checkpointsByName.put(name, c);
            }
            active.add(c);
            return c;
        } finally {
            commitLock.unlock();
        }
    }

    /** Every checkpoint not released, a backup's too (released at a stop). */
    private final Set<Checkpoint> active = ConcurrentHashMap.newKeySet();

    /** A checkpoint was released: its tables may be changed as a whole again. */
    void released(Checkpoint c) {
        commitLock.lock();
        try {
            if (active.remove(c)) {
                checkpointsByName.remove(c.name(), c);
                for (Table t : c.tableObjects()) {
                    t.readers.remove(c);
                }
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** The active checkpoint named {@code name}, if any. */
    java.util.Optional<Checkpoint> checkpoint(String name) {
        return java.util.Optional.ofNullable(checkpointsByName.get(name));
    }

    /** The names of the active checkpoints, sorted. */
    List<String> checkpointNames() {
        return List.copyOf(new java.util.TreeSet<>(checkpointsByName.keySet()));
    }

    // ---------------------------------------------------------------- info

    Metrics metrics() {
        double[] q = commitLatency.quantilesMicros(0.5, 0.9, 0.99, 0.999);
        Map<String, Long> sizes = new TreeMap<>();
        for (Table t : tables.values()) {
            sizes.put(t.name(), t.store.size());
        }
        double hitRate = env == null ? Double.NaN
                : ((jetbrains.exodus.env.EnvironmentImpl) env).getLog().getCacheHitRate();
        return new Metrics(commits.get(), failures.get(), restarts.get(), locks.waits.sum(), locks.deadlocks.sum(),
                locks.timeouts.sum(), dirtyWrites.get(), commitLatency.count(), q[0], q[1], q[2], q[3],
                commitLatency.maxMicros(), hitRate, snapshots.openCount(), locks.waitingCount(), sizes);
    }

    SystemInfo systemInfo() {
        Map<String, LockManager.TableLocks> tl = new TreeMap<>();
        for (Table t : tables.values()) {
            tl.put(t.name(), t.locks);
        }
        return new SystemInfo(new ArrayList<>(tl.keySet()), directory == null ? null : directory.toString(), running,
                VERSION, commits.get(), failures.get(), restarts.get(), locks.heldLocks(tl), locks.waitingCount(), snapshots.openCount());
    }
}
