package dev.mnemo.engine;

import dev.mnemo.engine.match.MatchPattern;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An embedded Mnemo database: Mnesia's tables, transactions, dirty operations and queries, stored in Xodus.
 *
 * <p>Open one per directory and share it between threads; it is thread-safe. Disc tables (disc_copies,
 * disc_only_copies), their definitions, indexes and rows survive {@link #close()} and a crash of the JVM;
 * ram_copies tables keep their definition but lose their rows. A second process opening the same directory gets
 * {@link DatabaseLockedException}.
 *
 * <pre>{@code
 * try (Mnemo db = Mnemo.open(Path.of("data"))) {
 *     db.createTable(TableDef.builder("users").attributes("id", "name", "email")
 *             .storage(StorageType.DISC_COPIES).index("email").build());
 *     db.transaction(tx -> { tx.write(Tuple.of("users", 1, "Alice", "alice@example.com")); return null; });
 *     List<Tuple> alice = db.transaction(tx -> tx.read("users", 1));
 * }
 * }</pre>
 */
public final class Mnemo implements AutoCloseable {
    /**
     * The longest string (in characters) or binary (in bytes) an attribute may hold, on every storage type: 256 MiB.
     * A longer one is a {@link ValueTooLargeException} naming the table and attribute. Values over 1 MiB are kept
     * on disc in 1 MiB chunks, so they are not limited by the size of a Xodus log file.
     */
    public static final long MAX_VALUE_LENGTH = 256L << 20;
    /** At most this many characters and bytes (strings and binaries; 16 per other value) in one record: 512 MiB. */
    public static final long MAX_RECORD_LENGTH = 512L << 20;
    /** The longest encoded key of a disc table and encoded indexed value of a disc_only_copies table: 64 KiB. */
    public static final int MAX_DISC_KEY_BYTES = 64 << 10;
    /** The longest encoded record of a bag or duplicate_bag on disc (bag records are not chunked): 4 MiB. */
    public static final int MAX_DISC_BAG_RECORD_BYTES = 4 << 20;

    final Database db;
    private final SchemaOps schema;
    /** The gate of a gated view ({@link #gatedBy}), or null for the database itself. */
    private final CommitGate gate;

    private Mnemo(Database db) {
        this(db, new SchemaOps(db), null);
    }

    private Mnemo(Database db, SchemaOps schema, CommitGate gate) {
        this.db = db;
        this.schema = schema;
        this.gate = gate;
    }

    /**
     * A view of this database whose commits {@code gate} decides: what a replicated node gives SQL, so that its
     * writes go through the cluster (see {@link CommitGate}). Its transactions take no locks; each records what it
     * reads and is checked at commit. Its reads and dirty reads check {@link CommitGate#checkUsable} first; its
     * {@code createTable} and {@code deleteTable} go through the gate; its dirty writes are gated transactions; the
     * schema changes the gate cannot make (indexes, transforms, user properties, copy types, clearing, restores and
     * loads) and {@code start}/{@code stop} throw {@link UnsupportedOperationException}. Closing the view does
     * nothing: the database stays open for its owner.
     */
    public Mnemo gatedBy(CommitGate gate) {
        if (this.gate != null) {
            throw new IllegalStateException("this view is gated already");
        }
        return new Mnemo(db, schema, java.util.Objects.requireNonNull(gate, "gate"));
    }

    /** Whether this is a gated view ({@link #gatedBy}). */
    public boolean isGated() {
        return gate != null;
    }

    private void ungated(String what) {
        if (gate != null) {
            throw new UnsupportedOperationException(what + " is not replicated, or would hold the node's copies "
                    + "against the log it applies: it cannot run on a cluster node's database (only creating and "
                    + "deleting tables, and reading and writing records, can)");
        }
    }

    private void checkUsable(String table) {
        if (gate != null) {
            gate.checkUsable(table);
        }
    }

    private static final Map<String, Mnemo> ATTACHED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Makes {@code db} findable in this JVM as {@code name} ({@link #attached}): how a cluster node offers its
     * gated view to the JDBC driver ({@code jdbc:mnemo:node:<name>}). Throws if another database has that name.
     */
    public static void attach(String name, Mnemo db) {
        Mnemo before = ATTACHED.putIfAbsent(name, java.util.Objects.requireNonNull(db, "db"));
        if (before != null && before != db) {
            throw new IllegalStateException("a database named '" + name + "' is attached already in this JVM");
        }
    }

    /** Undoes {@link #attach} of {@code db} as {@code name}, if it is attached so. */
    public static void detach(String name, Mnemo db) {
        ATTACHED.remove(name, db);
    }

    /** The database attached as {@code name} in this JVM, if any. */
    public static Optional<Mnemo> attached(String name) {
        return Optional.ofNullable(ATTACHED.get(name));
    }

    /** Opens (creating if needed) and starts the database in {@code directory}, with default settings. */
    public static Mnemo open(Path directory) {
        return open(MnemoConfig.disc(directory));
    }

    /** Opens and starts a database as configured. */
    public static Mnemo open(MnemoConfig config) {
        return new Mnemo(Database.open(config));
    }

    /** Opens a database that lives in memory only (ram_copies tables). */
    public static Mnemo inMemory() {
        return open(MnemoConfig.inMemory());
    }

    /**
     * Mnesia's {@code sync_log}: returns once every commit made so far is written to the commit log and the log is
     * on the device (fsync), so that they survive a crash of the JVM and of the machine, whatever
     * {@link MnemoConfig#sync} and {@link MnemoConfig#writeDelay} say. With a write delay, this is how an application
     * makes the commits before a point durable (before it tells another system, say). Throws if commits cannot be
     * written (then the database takes no more, see {@link MnemoConfig#writeDelay}), or if the database is stopped
     * or closed; in memory, does nothing.
     */
    public void syncLog() {
        db.syncLog();
    }

    /** How this database was opened. */
    public MnemoConfig config() {
        return db.config;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts a stopped database: tables are registered again and disc_copies tables load in the background. */
    public void start() {
        ungated("start");
        db.start();
    }

    /**
     * Stops the database: tables become unavailable and ram_copies rows are dropped (an in-memory database loses
     * its tables); {@link #start()} starts it again.
     */
    public void stop() {
        ungated("stop");
        db.stop();
    }

    /** Stops the database and releases the directory. Idempotent. */
    @Override
    public void close() {
        if (gate != null) {
            return; // a view: its database belongs to the node that made it
        }
        db.close();
    }

    /**
     * Waits until every named table is loaded (Mnesia's wait_for_tables). Throws {@link NoSuchTableException} for
     * a table that does not exist and {@link TableNotLoadedException} naming the tables still loading at timeout,
     * with how far each has got.
     */
    public void waitForTables(Collection<String> tables, Duration timeout) {
        waitForTables(tables, timeout, null);
    }

    /** How often {@link #waitForTables(Collection, Duration, java.util.function.Consumer)} reports progress. */
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    /**
     * Like {@link #waitForTables(Collection, Duration)}, reporting to {@code progress} (if not null) how far a table
     * still loading has got about once a second, and each table once it has loaded.
     */
    public void waitForTables(Collection<String> tables, Duration timeout,
                              java.util.function.Consumer<LoadProgress> progress) {
        db.checkRunning();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> pending = new ArrayList<>();
        for (String name : tables) {
            Table t = db.tables.get(name);
            if (t == null) {
                throw new NoSuchTableException("table " + name + " does not exist");
            }
            while (true) {
                long left = deadline - System.nanoTime();
                try {
                    t.loaded.get(Math.max(0, Math.min(left, PROGRESS_NANOS)), TimeUnit.NANOSECONDS);
                    if (progress != null) {
                        progress.accept(t.loadProgress());
                    }
                    break;
                } catch (TimeoutException e) {
                    if (left <= PROGRESS_NANOS) {
                        pending.add(name + t.progressNote());
                        break;
                    }
                    if (progress != null) {
                        progress.accept(t.loadProgress());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TableNotLoadedException("interrupted while waiting for tables " + tables);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new TableNotLoadedException("table " + name + " failed to load: " + e.getCause());
                }
            }
        }
        if (!pending.isEmpty()) {
            throw new TableNotLoadedException("tables not loaded within " + timeout + ": " + pending);
        }
    }

    // ---------------------------------------------------------------- schema

    /** Creates a table; {@link TableExistsException} if one of that name exists. */
    public void createTable(TableDef def) {
        if (gate != null) {
            gate.createTable(def);
            return;
        }
        schema.createTable(def);
    }

    /** Deletes a table and all its records. */
    public void deleteTable(String table) {
        if (gate != null) {
            gate.deleteTable(table);
            return;
        }
        schema.deleteTable(table);
    }

    /**
     * Tells {@code listener} how far each schema change that rewrites a table has got, after each batch of records
     * and when done, on the thread running the change (null: nobody). The changes also log their progress.
     */
    public void onSchemaProgress(java.util.function.Consumer<SchemaProgress> listener) {
        db.schemaProgress = listener;
    }

    /**
     * Subscribes to a table's events (Mnesia's {@code mnesia:subscribe({table, Tab, simple | detailed})}): each
     * record its commits write or delete, in commit order, once the commit is visible to snapshots (and, unless a
     * {@link MnemoConfig#writeDelay write delay} is set, durable); never anything of a rolled-back transaction or a
     * failed commit; then its clears, rewrites and deletion (see {@link TableEvent}). Dirty writes are told too,
     * with transaction id 0. Events go to {@code listener} on a thread of the engine's, one at a time; a commit
     * never waits for a listener: if 100,000 events wait for it, later ones are dropped
     * and it is told how many ({@link TableEvent.Lost}). The subscription lasts until it is closed, the table is
     * deleted or the database is closed; it outlives a {@link #stop()} and {@link #start()}.
     *
     * @throws NoSuchTableException if the table does not exist
     */
    public Subscription subscribe(String table, EventDetail detail, java.util.function.Consumer<? super TableEvent>
            listener) {
        return subscribe(table, detail, Events.DEFAULT_CAPACITY, listener);
    }

    /**
     * As {@link #subscribe(String, EventDetail, java.util.function.Consumer)}, with a queue of at most
     * {@code queueCapacity} events (at least 1; a single commit's events are queued whole however many they are).
     */
    public Subscription subscribe(String table, EventDetail detail, int queueCapacity,
                                  java.util.function.Consumer<? super TableEvent> listener) {
        java.util.Objects.requireNonNull(table, "table");
        java.util.Objects.requireNonNull(detail, "detail");
        return db.subscribe(table, detail, checkCapacity(queueCapacity), java.util.Objects.requireNonNull(listener,
                "listener"));
    }

    /**
     * Subscribes to system events (Mnesia's {@code mnesia:subscribe(system)} and {@code {table, schema}}): tables
     * created, deleted and changed, the database started and stopped, and subscribers that fell behind (see
     * {@link SystemEvent}), in the order they happened, each schema change after the commits before it are visible.
     * Delivered as {@link #subscribe} delivers, with a queue of 100,000 events.
     */
    public Subscription subscribeSystem(java.util.function.Consumer<? super SystemEvent> listener) {
        return subscribeSystem(Events.DEFAULT_CAPACITY, listener);
    }

    /** As {@link #subscribeSystem(java.util.function.Consumer)}, with a queue of at most {@code queueCapacity}. */
    public Subscription subscribeSystem(int queueCapacity, java.util.function.Consumer<? super SystemEvent> listener) {
        return db.subscribe(null, null, checkCapacity(queueCapacity), java.util.Objects.requireNonNull(listener,
                "listener"));
    }

    private static int checkCapacity(int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("an event queue's capacity must be at least 1 event, not "
                    + queueCapacity);
        }
        return queueCapacity;
    }

    /**
     * Activates a checkpoint named {@code name} of {@code tables} (Mnesia's {@code activate_checkpoint}): a
     * consistent, read-only view of them as of the last commit, read with {@link Checkpoint#read} while writers go
     * on, until it is released ({@link Checkpoint#close}) or the database stops. See {@link Checkpoint}.
     *
     * @throws NoSuchTableException if a table does not exist
     * @throws MnemoException if a checkpoint of that name is active
     */
    public Checkpoint activateCheckpoint(String name, java.util.Collection<String> tables) {
        ungated("activateCheckpoint");
        return db.activateCheckpoint(name, java.util.Objects.requireNonNull(tables, "tables"));
    }

    /** The active checkpoint named {@code name}, if there is one. */
    public Optional<Checkpoint> checkpoint(String name) {
        return db.checkpoint(name);
    }

    /** The names of the active checkpoints, sorted. */
    public List<String> checkpoints() {
        return db.checkpointNames();
    }

    /** Backs up every table (see {@link #backup(Path, java.util.Collection, java.util.function.Consumer)}). */
    public BackupSummary backup(Path file) {
        ungated("backup");
        return backup(file, null, null);
    }

    /**
     * Writes an online, consistent backup of {@code tables} (null: every table, Mnemo's own too, e.g. the one of SQL
     * views) to the archive
     * {@code file} (Mnesia's {@code backup}): all of them as of one moment, every transaction whole or not at all,
     * while writers go on (they never wait for it). The archive is written to a file of its own beside
     * {@code file} and renamed over it once complete and forced to the device, so a failed backup leaves no archive
     * and an earlier one as it was. {@code progress} (null: none)
     * is told after each 1,000 records of a table and when the table is done. While it runs, its tables cannot be
     * cleared, rewritten or deleted (see {@link Checkpoint}). The format is described in the README.
     */
    public BackupSummary backup(Path file, java.util.Collection<String> tables,
                                java.util.function.Consumer<SchemaProgress> progress) {
        ungated("backup");
        java.util.Objects.requireNonNull(file, "backup file");
        if (db.inTransaction()) {
            throw new MnemoException("a backup cannot run inside a transaction");
        }
        return Backups.backup(db, file, tables, progress);
    }

    /** Restores every table of a backup in {@code mode} (see {@link #restore(Path, RestoreMode, java.util.Collection, java.util.function.Consumer)}). */
    public BackupSummary restore(Path file, RestoreMode mode) {
        return restore(file, mode, null, null);
    }

    /**
     * Restores {@code tables} (null: every table in it) from a backup written by {@link #backup} (Mnesia's
     * {@code restore}); {@code mode} says what becomes of a table that exists (see {@link RestoreMode}); a table
     * that does not exist is created with the backup's definition. The whole archive is read and checked first
     * (checksums, completeness, every record against its definition), and so is every table it restores (the
     * same shape unless recreated, not read_only unless recreated, no checkpoint reading it, a storage this
     * database has), so a damaged, truncated or crafted archive, or one that does not fit, changes nothing. Then
     * each table is restored in the archive's order, each at once (clear and recreate: every commit of the
     * database waits meanwhile, as during {@code transform_table}). A failure part-way (a full disk, say) leaves
     * the tables before it restored, and the one it failed on and the ones after it as they were. To restore into
     * a new database, open one on a new directory and restore with {@link RestoreMode#RECREATE_TABLES}.
     */
    public BackupSummary restore(Path file, RestoreMode mode, java.util.Collection<String> tables,
                                 java.util.function.Consumer<SchemaProgress> progress) {
        ungated("restore");
        java.util.Objects.requireNonNull(file, "backup file");
        java.util.Objects.requireNonNull(mode, "restore mode");
        if (db.inTransaction()) {
            throw new MnemoException("a restore cannot run inside a transaction");
        }
        db.checkRunning();
        return Backups.restore(db, schema, file, mode, tables, progress);
    }

    /**
     * The database's counters and commit latency percentiles since it was opened, and its tables' sizes now (see
     * {@link Metrics}); the same figures are in JMX ({@link DatabaseMXBean}) and SQL
     * ({@code information_schema.system_info}).
     */
    public Metrics metrics() {
        return db.metrics();
    }

    /** Dumps every table (see {@link #dump(Path, java.util.Collection, java.util.function.Consumer)}). */
    public BackupSummary dump(Path file) {
        ungated("dump");
        return dump(file, null, null);
    }

    /**
     * Writes {@code tables} (null: every table, Mnemo's own too) to the text file {@code file} (Mnesia's
     * {@code dump_to_textfile}): UTF-8, one term per line in Erlang syntax, the tables' definitions first, then
     * their records, every value's type kept exact (the format is in the README). As consistent, and as safe
     * against a failure, as {@link #backup}: read in one checkpoint while writers go on, written beside the file and
     * renamed over it.
     */
    public BackupSummary dump(Path file, java.util.Collection<String> tables,
                              java.util.function.Consumer<SchemaProgress> progress) {
        ungated("dump");
        java.util.Objects.requireNonNull(file, "dump file");
        if (db.inTransaction()) {
            throw new MnemoException("a dump cannot run inside a transaction");
        }
        return Dumps.dump(db, file, tables, progress);
    }

    /** Loads every table of a dump in {@code mode} (see {@link #load(Path, RestoreMode, java.util.Collection, java.util.function.Consumer)}). */
    public BackupSummary load(Path file, RestoreMode mode) {
        return load(file, mode, null, null);
    }

    /**
     * Loads {@code tables} (null: all) from a dump written by {@link #dump} (Mnesia's {@code load_textfile}). The
     * whole file is read and checked first: a line that cannot be read, a record that does not fit its table, a
     * count that does not agree, is reported with its line number (and column), and nothing is changed. Then the
     * tables are loaded as {@link #restore} restores them, in {@code mode}.
     */
    public BackupSummary load(Path file, RestoreMode mode, java.util.Collection<String> tables,
                              java.util.function.Consumer<SchemaProgress> progress) {
        ungated("load");
        java.util.Objects.requireNonNull(file, "dump file");
        java.util.Objects.requireNonNull(mode, "load mode");
        if (db.inTransaction()) {
            throw new MnemoException("a load cannot run inside a transaction");
        }
        db.checkRunning();
        return Dumps.load(db, schema, file, mode, tables, progress);
    }

    /** Removes every record of a table, keeping its definition. */
    public void clearTable(String table) {
        ungated("clearTable");
        schema.clearTable(table);
    }

    /** Adds an index on {@code attribute}, built from the records present. */
    public void addTableIndex(String table, String attribute) {
        ungated("addTableIndex");
        schema.addIndex(table, attribute);
    }

    /** Removes the index on {@code attribute}. */
    public void delTableIndex(String table, String attribute) {
        ungated("delTableIndex");
        schema.removeIndex(table, attribute);
    }

    /** Moves a table, with its records, to another storage type (Mnesia's change_table_copy_type). */
    public void changeTableCopyType(String table, StorageType storage) {
        ungated("changeTableCopyType");
        schema.changeStorage(table, storage);
    }

    /**
     * Rewrites every record through {@code fn} and changes the attribute list, atomically (Mnesia's
     * transform_table). {@code fn} returns the new record (with the table's record name) or null to drop it;
     * if it throws or returns a record that does not fit, nothing changes. Indexes on attributes that remain are
     * rebuilt; types of kept attributes are kept, new attributes are untyped.
     */
    public void transformTable(String table, Function<Tuple, Tuple> fn, List<String> newAttributes) {
        ungated("transformTable");
        schema.transform(table, fn, newAttributes, null, null, null);
    }

    /** transform_table that also changes the record name. */
    public void transformTable(String table, Function<Tuple, Tuple> fn, List<String> newAttributes,
                               String newRecordName) {
        ungated("transformTable");
        schema.transform(table, fn, newAttributes, null, newRecordName, null);
    }

    /**
     * transform_table that also declares the types of the new attribute list ({@code types.get(i)} is the type of
     * {@code newAttributes.get(i)}; a kept attribute may change type if every rewritten record fits) and, unless
     * {@code userProperties} is null, replaces the user properties — all in the same atomic step, so nobody sees
     * the new attributes with the old properties or the other way round.
     */
    public void transformTable(String table, Function<Tuple, Tuple> fn, List<String> newAttributes,
                               List<AttrType> types, Map<String, Object> userProperties) {
        ungated("transformTable");
        schema.transform(table, fn, Objects.requireNonNull(newAttributes, "newAttributes"),
                Objects.requireNonNull(types, "types"), null, userProperties);
    }

    /**
     * transform_table decided under the table's write lock: {@code plan} gets the table's current definition and
     * returns the change to make, or null to leave the table alone. Records, attributes, types, indexes, record name
     * and user properties change in one atomic, durable step; if {@code plan} or the rewrite throws, or a rewritten
     * record does not fit the target, nothing changes. Because the decision and the change happen under one lock,
     * concurrent callers can use it as a compare-and-set (for example on a version kept in the user properties).
     * Unlike {@link #transformTable}, rewritten records never silently replace each other: two that get the same key
     * (set, ordered_set) or become equal (bag) are a {@link BadRecordException} and nothing changes.
     *
     * @return whether the table was changed
     * @throws SchemaException if the target renames the table or changes its type, storage or access mode
     */
    public boolean alterTable(String table, Function<TableDef, TableTransform> plan) {
        ungated("alterTable");
        return schema.alter(table, Objects.requireNonNull(plan, "plan"));
    }

    /**
     * Replaces all user properties of a table, atomically and durably (the records are untouched). Takes a write
     * lock on the table, cannot run inside a transaction and grows the minor version, like an index change.
     */
    public void setUserProperties(String table, Map<String, Object> properties) {
        ungated("setUserProperties");
        schema.setUserProperties(table, properties);
    }

    /**
     * Checks every table (hidden ones too) against its codec, size and indexes, and lists the problems found, an
     * empty list for a sound database: every record decodes, has the table's arity and sits under its own key; the
     * record count is the table's size; each record's indexed values find its key through the index, and each key an
     * index lists under a value belongs to a record holding that value. Reads a whole disc table: run it while no
     * writes go on (the command line's {@code mnemo check} opens the directory alone), else a write between its
     * reads may be reported.
     */
    public List<String> check() {
        return Verifier.check(db);
    }

    /** Mnesia's table_info. */
    public TableInfo tableInfo(String table) {
        return schema.info(table);
    }

    /**
     * An estimate of how many distinct values an indexed attribute holds (null counting as one value), for query
     * planners: exact for tables on the heap; for disc_only_copies counted from the index and remembered until the
     * table's size moves by a fifth.
     *
     * @throws SchemaException if the attribute is not indexed
     */
    public long distinctValues(String table, String attribute) {
        Table t = db.table(table);
        if (!t.def.indexes().contains(attribute)) {
            throw new SchemaException("table " + table + ": attribute '" + attribute + "' is not indexed; indexed "
                    + "attributes are " + t.def.indexes());
        }
        return t.store.distinctValues(t.position(attribute));
    }

    /** The current definition of a table. */
    public TableDef tableDef(String table) {
        return db.table(table).def;
    }

    /** Mnesia's system_info. */
    public SystemInfo systemInfo() {
        return db.systemInfo();
    }

    /**
     * A number that grows after every schema change (a table created, deleted, altered or transformed, an index or
     * user property changed, the database started; not a table cleared, which leaves its definition as it was):
     * anything derived from table definitions, such as a compiled query plan, is current while this number is
     * unchanged.
     */
    public long schemaVersion() {
        return db.schemaVersion.get();
    }

    /** Names of all tables. */
    public List<String> tables() {
        return db.systemInfo().tables();
    }

    /**
     * Names of the tables, in order, leaving out those marked {@link TableDef#HIDDEN} unless {@code includeHidden};
     * does not wait for tables that are still loading.
     */
    public List<String> tables(boolean includeHidden) {
        return db.tableNames(includeHidden);
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Runs {@code fn} as a transaction: atomic across all tables and storage types, serializable, re-run
     * automatically when it loses a lock conflict (so {@code fn} must be free of side effects). A call inside
     * another transaction on the same thread joins it. Returns fn's result; if fn called {@link Tx#abort}, throws
     * {@link TransactionAbortedException} with the reason; if fn threw, rethrows that exception (checked ones
     * wrapped in TransactionAbortedException). Either way nothing fn wrote is kept.
     */
    public <T> T transaction(TxFunction<T> fn) {
        return db.transaction(fn, gate);
    }

    /**
     * Like {@link #transaction} but returns Mnesia's {@code {atomic, Result}} or {@code {aborted, Reason}}.
     * Called inside a transaction it is a sub-transaction: if it aborts, its writes are rolled back and the outer
     * transaction goes on (its locks are kept until the outer one ends).
     */
    public <T> TxOutcome<T> tryTransaction(TxFunction<T> fn) {
        try {
            return new TxOutcome.Atomic<>(db.transaction(fn, gate));
        } catch (TransactionAbortedException e) {
            return new TxOutcome.Aborted<>(e.abortReason());
        } catch (LockManager.Restart e) {
            throw e; // nested in a transaction that lost a lock conflict: the outer one must re-run
        } catch (RuntimeException e) {
            return new TxOutcome.Aborted<>(e);
        }
    }

    /**
     * Begins an explicit transaction, to be ended with {@link Transaction#commit()} or
     * {@link Transaction#rollback()}. Prefer {@link #transaction}, which re-runs on conflict; an explicit transaction
     * that loses a lock conflict is rolled back and its operation throws {@link TransactionConflictException}.
     */
    public Transaction begin() {
        return db.begin(gate);
    }

    /**
     * Runs {@code fn} read-only on a consistent snapshot: it sees every transaction committed before it began,
     * whole, and nothing committed after. It takes no locks, so it never waits for, blocks or aborts a writer, and
     * it is never re-run. A write in it throws {@link ReadOnlyTransactionException}. Inside a transaction it joins
     * that transaction. The history a snapshot needs is kept while it is open: keep snapshots short. Not versioned:
     * a table emptied by {@link #clearTable}, or rewritten by {@code transformTable} or a copy-type change, reads
     * with its new contents from then on, also in a snapshot opened before.
     */
    public <T> T snapshot(TxFunction<T> fn) {
        return db.snapshot(fn, gate);
    }

    /**
     * Begins an explicit read-only transaction on a snapshot of the newest commit, as {@link #snapshot} but ended
     * by {@link Transaction#commit()} or {@link Transaction#rollback()} (both just close the snapshot).
     */
    public Transaction beginReadOnly() {
        return db.beginReadOnly(gate);
    }

    /**
     * What opening found in the commit log: commits replayed, and any damage (a torn or corrupted record, from
     * which on nothing was applied), which is also logged as a warning.
     */
    public Recovery recovery() {
        return db.recovery();
    }

    /**
     * Runs {@code work} with {@code check} as the calling thread's cancellation check: the operations of any
     * database that {@code work} runs on this thread call it often (a scan every few hundred keys, a lock wait at
     * least every 20 ms, a transaction before it is re-run), and when it returns a reason (not null) they stop with
     * an {@link OperationCanceledException} carrying it. For a statement that can be canceled or has a deadline.
     * {@code check} must be cheap and must not throw.
     */
    public static <T> T cancellable(java.util.function.Supplier<String> check, java.util.function.Supplier<T> work) {
        return Cancels.with(check, work);
    }

    /** Throws {@link OperationCanceledException} if the calling thread's check (see {@link #cancellable}) says so. */
    public static void checkCanceled() {
        Cancels.check();
    }

    /** Whether the calling thread is inside a transaction of this database. */
    public boolean isTransaction() {
        return db.inTransaction();
    }

    // ---------------------------------------------------------------- dirty operations

    /** Records of a key, without locks. */
    public List<Tuple> dirtyRead(String table, Object key) {
        checkUsable(table);
        Table t = db.table(table);
        return t.store.get(t.key(key));
    }

    /** Writes a record to the table named by its record name, without locks (indexes stay in step). */
    public void dirtyWrite(Tuple record) {
        dirtyWrite(TxContext.recordTable(record), record);
    }

    /** Writes a record to {@code table}, without locks. */
    public void dirtyWrite(String table, Tuple record) {
        if (gate != null) {
            gatedDirty(tx -> tx.write(table, record));
            return;
        }
        Table t = db.table(table);
        dirtyChange(t, record, cur -> t.afterWrite(cur, record));
    }

    /** Checks the record under the commit lock (so no schema change slips in) and applies the change of its key. */
    private void dirtyChange(Table t, Tuple record, java.util.function.UnaryOperator<List<Tuple>> change) {
        db.dirtyUpdate(t, t.keyOf(record), cur -> {
            t.checkWritable();
            t.validate(record);
            return change.apply(cur);
        });
    }

    /** Deletes a key's records, without locks. */
    public void dirtyDelete(String table, Object key) {
        if (gate != null) {
            gatedDirty(tx -> tx.delete(table, key));
            return;
        }
        Table t = db.table(table);
        db.dirtyUpdate(t, t.key(key), cur -> {
            t.checkWritable();
            return List.of();
        });
    }

    /** Deletes the records identical to {@code record}, without locks. */
    public void dirtyDeleteObject(String table, Tuple record) {
        if (gate != null) {
            gatedDirty(tx -> tx.deleteObject(table, record));
            return;
        }
        dirtyChange(db.table(table), record, cur -> Table.afterDeleteObject(cur, record));
    }

    /** Deletes the records identical to {@code record} from the table named by its record name. */
    public void dirtyDeleteObject(Tuple record) {
        dirtyDeleteObject(TxContext.recordTable(record), record);
    }

    /**
     * Atomically adds {@code increment} to the integer counter in attribute 2 of the record of {@code key}
     * (Mnesia's dirty_update_counter on a {@code {Tab, Key, Counter}} record), creating the record with the value
     * {@code increment} if absent. Returns the new value. Unlike Mnesia there is no floor at 0: values may go
     * negative. The table must be a set or ordered_set whose second attribute holds integers.
     */
    public long dirtyUpdateCounter(String table, Object key, long increment) {
        Table t = db.table(table);
        Object k = t.key(key);
        long[] out = new long[1];
        if (gate != null) {
            // through the gate as a transaction of its own: the counter's key is read and written there
            gatedDirty(tx -> {
                List<Tuple> next = counted(t, table, k, increment, tx.read(table, k), out);
                tx.write(table, next.get(0));
            });
            return out[0];
        }
        db.dirtyUpdate(t, k, cur -> counted(t, table, k, increment, cur, out));
        return out[0];
    }

    /** A dirty write of a gated view: a gated transaction of its own, re-run on conflicts. */
    private void gatedDirty(java.util.function.Consumer<Tx> write) {
        transaction(tx -> {
            write.accept(tx);
            return null;
        });
    }

    /** The records of counter {@code k} after adding {@code increment} to {@code cur}; the new value into out[0]. */
    private static List<Tuple> counted(Table t, String table, Object k, long increment, List<Tuple> cur, long[] out) {
        t.checkWritable();
        if (t.def.type().isBag()) {
            throw new SchemaException("table " + table + ": update_counter needs a set or ordered_set table, "
                    + "not " + t.def.type().mnesiaName());
        }
        if (t.def.attributeCount() != 2) {
            throw new SchemaException("table " + table + ": update_counter needs a {key, counter} table, it has "
                    + "attributes " + t.def.attributes());
        }
        long value = increment;
        if (!cur.isEmpty()) {
            Object v = cur.get(0).get(2);
            if (!(v instanceof Long l)) {
                throw new BadRecordException("table " + table + ": counter of key " + Terms.format(k)
                        + " holds " + Terms.kindName(v) + " " + Terms.format(v) + ", expected integer");
            }
            value = Math.addExact(l, increment);
        }
        Tuple rec = Tuple.of(t.def.recordName(), k, value);
        t.validate(rec);
        out[0] = value;
        return List.of(rec);
    }

    /** index_read without locks. */
    public List<Tuple> dirtyIndexRead(String table, Object value, String attribute) {
        checkUsable(table);
        return db.dirty.indexRead(table, value, attribute);
    }

    /** match_object without locks. */
    public List<Tuple> dirtyMatchObject(String table, MatchPattern pattern) {
        checkUsable(table);
        return db.dirty.matchObject(table, pattern);
    }

    /** select without locks. */
    public List<Object> dirtySelect(String table, MatchSpec spec) {
        checkUsable(table);
        return db.dirty.select(table, spec, false, 0).results();
    }

    /** select with a limit, without locks. */
    public SelectChunk dirtySelect(String table, MatchSpec spec, int limit) {
        checkUsable(table);
        return db.dirty.select(table, spec, false, TxContext.requirePositive(limit));
    }

    /** The next chunk of a dirty select. */
    public SelectChunk dirtySelect(Continuation continuation) {
        return db.dirty.select(continuation);
    }

    /** Every key, without locks. */
    public List<Object> dirtyAllKeys(String table) {
        checkUsable(table);
        return db.dirty.allKeys(table);
    }

    /** The first key in key order, without locks. */
    public Optional<Object> dirtyFirst(String table) {
        checkUsable(table);
        return db.dirty.firstKey(table, false);
    }

    /** The last key, without locks. */
    public Optional<Object> dirtyLast(String table) {
        checkUsable(table);
        return db.dirty.firstKey(table, true);
    }

    /** The key after {@code key}, without locks. */
    public Optional<Object> dirtyNext(String table, Object key) {
        checkUsable(table);
        return db.dirty.nextKey(table, key, false);
    }

    /** The key before {@code key}, without locks. */
    public Optional<Object> dirtyPrev(String table, Object key) {
        checkUsable(table);
        return db.dirty.nextKey(table, key, true);
    }

    /**
     * The access path a select with {@code spec} would take on {@code table}: {@code key_lookup [keys]},
     * {@code index_read position P = V}, {@code range_walk [low, high)} or {@code full_scan}.
     */
    public String explainSelect(String table, MatchSpec spec) {
        checkUsable(table);
        return db.dirty.explain(table, spec);
    }

    /** foldl without locks. */
    public <A> A dirtyFoldl(String table, A acc, BiFunction<Tuple, A, A> fn) {
        checkUsable(table);
        return db.dirty.fold(table, acc, fn, false);
    }
}
