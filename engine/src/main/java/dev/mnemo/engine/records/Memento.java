package dev.mnemo.engine.records;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NotInTransactionException;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableInfo;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.TxOutcome;
import dev.mnemo.engine.match.CompiledMatchSpec;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Typed tables over a {@link Mnemo} database, after Elixir's Memento: a Java record class annotated with
 * {@link Table} is a table, records round-trip with their Java types, queries name attributes instead of positions,
 * and reads and writes need a transaction.
 *
 * <pre>{@code
 * @Table(storage = StorageType.DISC_COPIES, index = "director")
 * record Movie(long id, String title, String director, int year) {}
 *
 * Memento memento = new Memento(db);
 * memento.createTable(Movie.class);
 * memento.transactionOrThrow(q -> q.write(new Movie(1, "Jackie Brown", "Quentin Tarantino", 1997)));
 * List<Movie> old = memento.transactionOrThrow(q -> q.select(Movie.class,
 *         Where.and(Where.eq("director", "Quentin Tarantino"), Where.lt("year", 2000))));
 * }</pre>
 *
 * <p><b>Mapping.</b> Attributes are the record components in order (the first is the key); the stored record is
 * {@code {recordName, component values...}}. Supported component types, with the engine type each declares (so
 * the engine also checks writes made through the raw API): {@code long}/{@code int} and their boxes (integer; read
 * back as the component's type), {@code double}/{@code Double}, {@code boolean}/{@code Boolean}, {@code String},
 * {@code BigDecimal}, {@code LocalDate}, {@code LocalTime}, {@code LocalDateTime}, {@code Instant},
 * {@code byte[]} (binary), enums (string of the constant's name), nested records (a tuple of their component
 * values, without a name) and {@code List<E>}/{@code Map<K, V>} of supported types. Any other component type is an
 * {@link IllegalArgumentException} naming the record, component and type, thrown the first time the class is used
 * (creating its table, or any query). A null read back into a primitive component is an error.
 *
 * <p><b>Transactions.</b> {@link #transaction} returns Mnesia's {@code {atomic, Result}} or
 * {@code {aborted, Reason}} as a {@link TxOutcome}; {@link #transactionOrThrow} (Memento's bang version) returns the
 * result or throws. The body gets a {@link Query}; {@link #query()} gives the same handle anywhere on the thread
 * while a transaction runs. Outside a transaction every query throws {@link NotInTransactionException}; lock-free
 * operations live behind {@link #dirty()}.
 *
 * <p><b>Autoincrement.</b> In a table declared {@code autoincrement = true} a record written with a null or 0 key
 * gets the next number of a per-table counter kept in the hidden table {@code mnemo_sequences} (disc_copies when
 * the database has a directory). The counter is advanced atomically without any table lock, so concurrent writers
 * never get the same key, and a number is never handed out twice, even after its record is deleted. A transaction
 * that aborts (or re-runs after a lock conflict) does not give its numbers back, which leaves gaps. A key of 0 can
 * therefore not be stored in an autoincrement table. {@link #deleteTable} forgets the table's counter.
 */
public final class Memento {
    private final Mnemo db;
    private final Query query;
    private final Dirty dirty;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();

    /** Typed tables over {@code db}; cheap, and any number may share one database. */
    public Memento(Mnemo db) {
        this.db = Objects.requireNonNull(db, "db");
        this.query = new Query(this);
        this.dirty = new Dirty(this);
    }

    /** The underlying database, for everything this API does not cover. */
    public Mnemo engine() {
        return db;
    }

    Tx currentTx() {
        return current.get();
    }

    // ---------------------------------------------------------------- tables

    /**
     * The table definition a record class declares (name, typed attributes, type, storage, indexes, record name);
     * checks the component types.
     */
    public static TableDef definitionOf(Class<? extends Record> table) {
        return RecordMapping.of(table).tableDef();
    }

    /**
     * Creates the table of a record class; {@link dev.mnemo.engine.TableExistsException} if it exists. For an
     * autoincrement table this also creates the key-counter table if needed. The table is at migration version 0:
     * tables whose shape evolves should be created with {@link #openTable(Class, Migrations)} instead, which creates
     * a table only if absent (at the latest version), checks an existing table's shape and runs migrations.
     */
    public void createTable(Class<? extends Record> table) {
        RecordMapping m = RecordMapping.of(table);
        TableDef def = m.tableDef();
        if (m.autoincrement()) {
            Sequences.ensure(db);
        }
        db.createTable(def);
    }

    /**
     * Opens the table of a record class with no migrations (version 0): creates it if absent, else checks that it
     * has the shape the class declares. See {@link #openTable(Class, Migrations)}.
     */
    public MigrationReport openTable(Class<? extends Record> table) {
        return openTable(table, Migrations.none());
    }

    /**
     * Opens the table of a record class, bringing it to the shape the class declares, once and atomically:
     * <ul>
     * <li>if the table does not exist it is created from the class at {@code migrations.latest()} (no step runs);
     * <li>if it is at an older version (kept in the user property {@value Migrations#VERSION_PROPERTY}, 0 when
     *     absent), the steps of every later version run over all its records in one atomic schema change that also
     *     stores the new version: either all of them apply or none, and a failing step leaves the table as it was.
     *     After the steps the table must have the class's attributes (the key first; the class gives the order and
     *     the types, which every record must then fit) and indexes;
     * <li>if it is at the latest version, its attributes, types, indexes, table type, storage and record name must be
     *     those the class declares.
     * </ul>
     * Concurrent callers are safe: the version is read and bumped under the table's write lock, so steps run once.
     * Call it outside a transaction, typically right after opening the database. A rewritten record must be readable
     * as the class, and no two may merge (the same key in a set, equal records in a bag). For an autoincrement
     * class the key counter is raised past the largest key in the table, so that a table filled by other means
     * never gets a key handed out twice. Tables defined through SQL DDL ({@code sql.*} user properties) are changed
     * with SQL, not with migrations.
     *
     * @throws MigrationException naming the table, version, step and record when the table cannot be brought to
     *                            the class's shape, or is at a version newer than {@code migrations} know
     */
    public MigrationReport openTable(Class<? extends Record> table, Migrations migrations) {
        RecordMapping m = RecordMapping.of(table);
        Objects.requireNonNull(migrations, "migrations");
        if (m.autoincrement()) {
            Sequences.ensure(db);
        }
        return new Migrator(db, m, migrations).open();
    }

    /** Deletes the table of a record class with all its records (and its autoincrement counter). */
    public void deleteTable(Class<? extends Record> table) {
        RecordMapping m = RecordMapping.of(table);
        db.deleteTable(m.table());
        if (m.autoincrement()) {
            Sequences.drop(db, m.table());
        }
    }

    /** Removes every record of the table; an autoincrement counter goes on from where it was. */
    public void clearTable(Class<? extends Record> table) {
        db.clearTable(RecordMapping.of(table).table());
    }

    /** Mnesia's table_info for the table of a record class. */
    public TableInfo tableInfo(Class<? extends Record> table) {
        return db.tableInfo(RecordMapping.of(table).table());
    }

    /** The name of the table of a record class. */
    public static String tableName(Class<? extends Record> table) {
        return RecordMapping.of(table).table();
    }

    /**
     * Waits until the tables of the given record classes are loaded (after opening a database with disc tables);
     * {@link dev.mnemo.engine.TableNotLoadedException} naming those still loading at timeout.
     */
    @SafeVarargs
    public final void waitForTables(Duration timeout, Class<? extends Record>... tables) {
        List<String> names = new ArrayList<>();
        for (Class<? extends Record> c : tables) {
            RecordMapping m = RecordMapping.of(c);
            names.add(m.table());
            if (m.autoincrement() && db.tables().contains(Sequences.TABLE) && !names.contains(Sequences.TABLE)) {
                names.add(Sequences.TABLE);
            }
        }
        db.waitForTables(names, timeout);
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Runs {@code body} as a transaction (atomic, serializable, re-run on lock conflicts) and returns
     * {@code Atomic(result)}, or {@code Aborted(reason)} if it called {@link Query#abort} (the reason given) or threw
     * (the exception); nothing it wrote is kept then. Inside another transaction it is a sub-transaction whose
     * abort rolls back only its own writes.
     */
    public <T> TxOutcome<T> transaction(TxBody<T> body) {
        return db.tryTransaction(tx -> run(tx, body));
    }

    /**
     * Runs {@code body} as a transaction and returns its result (Memento's {@code transaction!}); on abort throws
     * {@link dev.mnemo.engine.TransactionAbortedException} with the reason, and rethrows what the body threw.
     */
    public <T> T transactionOrThrow(TxBody<T> body) {
        return db.transaction(tx -> run(tx, body));
    }

    private <T> T run(Tx tx, TxBody<T> body) throws Exception {
        Tx outer = current.get();
        current.set(tx);
        try {
            return body.apply(query);
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
        }
    }

    /**
     * The query handle of the calling thread's transaction, for code called from a transaction body.
     *
     * @throws NotInTransactionException when no transaction runs on this thread
     */
    public Query query() {
        if (!inside()) {
            throw new NotInTransactionException("not inside a transaction: memento.query() is only for code running "
                    + "inside memento.transaction(...)");
        }
        return query;
    }

    /** Whether the calling thread is inside a transaction. */
    public boolean inside() {
        return current.get() != null || db.isTransaction();
    }

    /** Lock-free typed operations, for when dirty reads and writes are really wanted. */
    public Dirty dirty() {
        return dirty;
    }

    // ---------------------------------------------------------------- match specs

    /**
     * The engine match spec a typed select on {@code table} with {@code where} runs: head
     * {@code {recordName, '$1', ..., '$n'}} (variable i is the i-th attribute), the compiled guard, body
     * {@code ['$_']}. Useful to see a query or to build on it with raw specs.
     */
    public static MatchSpec matchSpec(Class<? extends Record> table, Where where) {
        return Specs.select(RecordMapping.of(table), where);
    }

    /**
     * Tests a match spec on one record without any table, as {@code ets:test_ms/2}: {@code record} is a Java record
     * of a table class (converted to its engine record) or an engine {@link Tuple}.
     */
    public static MatchTest testMatchSpec(Object record, MatchSpec spec) {
        Tuple t = record instanceof Tuple tuple ? tuple : RecordMapping.of(record.getClass()).toTuple(record);
        try {
            Object r = spec.test(t);
            return r == CompiledMatchSpec.NO_MATCH ? new MatchTest(false, null, null) : new MatchTest(true, r, null);
        } catch (IllegalArgumentException e) {
            return new MatchTest(false, null, e.getMessage());
        }
    }

    /** Whether {@code where} holds for {@code record}, evaluated as a select would, without any table. */
    public static boolean test(Record record, Where where) {
        RecordMapping m = RecordMapping.of(record.getClass());
        return Specs.select(m, where).compile().matches(m.toTuple(record));
    }

    /**
     * The outcome of {@link #testMatchSpec}, like {@code ets:test_ms/2}'s {@code {ok, Result}} or
     * {@code {error, Errors}}.
     *
     * @param matched whether a clause matched (its body gave {@code result})
     * @param result  the body's result in engine form (tuples, longs…), or null when nothing matched
     * @param error   why the spec is invalid or its body failed, or null
     */
    public record MatchTest(boolean matched, Object result, String error) {
        /** Whether the spec is valid and ran without error (Erlang's {@code ok}). */
        public boolean ok() {
            return error == null;
        }
    }
}
