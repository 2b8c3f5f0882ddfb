package dev.mnemo.engine.records;

import dev.mnemo.engine.LockKind;
import dev.mnemo.engine.NotInTransactionException;
import dev.mnemo.engine.SelectChunk;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed queries inside a {@link Memento} transaction: records are Java records, attributes are named. Every
 * operation runs in the calling thread's current transaction, taking Mnesia's locks (reads a read lock on the
 * record, writes a write lock, scans a read lock on the table). Called outside a transaction, every operation throws
 * {@link NotInTransactionException}; use {@link Memento#dirty()} for the lock-free variants.
 *
 * <p>Keys given to these methods are converted like record values ({@code int} and {@code long} keys are the same);
 * keys returned are of the key component's Java type.
 */
public final class Query {
    private final Memento memento;

    Query(Memento memento) {
        this.memento = memento;
    }

    private <R> R run(Function<Tx, R> op) {
        Tx tx = memento.currentTx();
        if (tx != null) {
            return op.apply(tx);
        }
        if (memento.engine().isTransaction()) {
            return memento.engine().transaction(op::apply); // an engine transaction: join it
        }
        throw new NotInTransactionException("Memento queries need a transaction: run them inside "
                + "memento.transaction(q -> ...) or transactionOrThrow, or use memento.dirty() on purpose");
    }

    /** Every record of the table, in key order. */
    public <T> List<T> all(Class<T> table) {
        return select(table, Where.all());
    }

    /** The record of {@code key} (the first one for a bag table), with a read lock. */
    public <T> Optional<T> read(Class<T> table, Object key) {
        return read(table, key, LockKind.READ);
    }

    /** The record of {@code key}, with a lock of the given kind ({@code WRITE} for read-modify-write). */
    public <T> Optional<T> read(Class<T> table, Object key, LockKind lock) {
        List<T> all = readAll(table, key, lock);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every record of {@code key} (several in a bag table), with a lock of the given kind. */
    public <T> List<T> readAll(Class<T> table, Object key, LockKind lock) {
        RecordMapping m = RecordMapping.of(table);
        return Specs.decode(m, run(tx -> tx.read(m.table(), m.keyToValue(key), lock)));
    }

    /**
     * Writes a record (replacing the key's record in a set table) and returns it; in an autoincrement table a
     * record whose key is null or 0 first gets the next key, and the returned record carries it.
     */
    public <T> T write(T record) {
        RecordMapping m = RecordMapping.of(record.getClass());
        return run(tx -> {
            T r = withKey(memento, m, record);
            tx.write(m.table(), m.toTuple(r));
            return r;
        });
    }

    @SuppressWarnings("unchecked")
    static <T> T withKey(Memento memento, RecordMapping m, T record) {
        return m.needsKey(record) ? (T) m.withKey(record, Sequences.next(memento.engine(), m.table())) : record;
    }

    /** Deletes every record of {@code key}. */
    public void delete(Class<?> table, Object key) {
        RecordMapping m = RecordMapping.of(table);
        run(tx -> {
            tx.delete(m.table(), m.keyToValue(key));
            return null;
        });
    }

    /** Deletes the records equal to {@code record} (in a set table: the key's record only if it is equal). */
    public void deleteRecord(Object record) {
        RecordMapping m = RecordMapping.of(record.getClass());
        run(tx -> {
            tx.deleteObject(m.table(), m.toTuple(record));
            return null;
        });
    }

    /**
     * Records matching an example: each named attribute must equal ({@code =:=}) its value; attributes not named,
     * or given {@code Match.ANY}, match anything. {@code match(Movie.class, Map.of("director", "Tarantino"))}.
     */
    public <T> List<T> match(Class<T> table, Map<String, ?> example) {
        RecordMapping m = RecordMapping.of(table);
        return Specs.decode(m, run(tx -> tx.matchObject(m.table(), Specs.example(m, example))));
    }

    /** Records whose indexed {@code attribute} equals {@code value}. */
    public <T> List<T> indexRead(Class<T> table, String attribute, Object value) {
        RecordMapping m = RecordMapping.of(table);
        m.attributeIndex(attribute);
        return Specs.decode(m, run(tx -> tx.indexRead(m.table(), Codecs.anyToValue(value), attribute)));
    }

    /** Records for which {@code where} holds, in key order. */
    public <T> List<T> select(Class<T> table, Where where) {
        RecordMapping m = RecordMapping.of(table);
        MatchSpec spec = Specs.select(m, where);
        return Specs.decode(m, run(tx -> tx.select(m.table(), spec)));
    }

    /** The first page of about {@code limit} records for which {@code where} holds; see {@link Page}. */
    public <T> Page<T> select(Class<T> table, Where where, int limit) {
        RecordMapping m = RecordMapping.of(table);
        MatchSpec spec = Specs.select(m, where);
        return page(m, run(tx -> tx.select(m.table(), spec, limit)));
    }

    /** The page after {@code page}, in this transaction. */
    public <T> Page<T> resume(Page<T> page) {
        return page(page.mapping, run(tx -> tx.select(page.continuation())));
    }

    static <T> Page<T> page(RecordMapping m, SelectChunk chunk) {
        return new Page<>(Specs.decode(m, chunk.results()), chunk.continuation(), m);
    }

    /**
     * A raw engine select: {@code spec}'s body results for the table's records (element 0 is the record name,
     * element i the i-th attribute, values in engine form).
     */
    public List<Object> select(Class<?> table, MatchSpec spec) {
        RecordMapping m = RecordMapping.of(table);
        return run(tx -> tx.select(m.table(), spec));
    }

    /** Every key, in key order. */
    public List<Object> allKeys(Class<?> table) {
        RecordMapping m = RecordMapping.of(table);
        return Specs.keys(m, run(tx -> tx.allKeys(m.table())));
    }

    /** The first key, or empty for an empty table. */
    public Optional<Object> first(Class<?> table) {
        RecordMapping m = RecordMapping.of(table);
        return run(tx -> tx.first(m.table())).map(m::keyFromValue);
    }

    /** The last key, or empty. */
    public Optional<Object> last(Class<?> table) {
        RecordMapping m = RecordMapping.of(table);
        return run(tx -> tx.last(m.table())).map(m::keyFromValue);
    }

    /** The key after {@code key} (which need not exist), or empty at the end. */
    public Optional<Object> next(Class<?> table, Object key) {
        RecordMapping m = RecordMapping.of(table);
        return run(tx -> tx.next(m.table(), m.keyToValue(key))).map(m::keyFromValue);
    }

    /** The key before {@code key}, or empty at the start. */
    public Optional<Object> prev(Class<?> table, Object key) {
        RecordMapping m = RecordMapping.of(table);
        return run(tx -> tx.prev(m.table(), m.keyToValue(key))).map(m::keyFromValue);
    }

    /** Locks the key of {@code record} for reading or writing, until the transaction ends. */
    public void lock(Object record, LockKind kind) {
        RecordMapping m = RecordMapping.of(record.getClass());
        Tuple t = m.toTuple(record);
        lockKey(m, t.get(1), kind);
    }

    /** Locks one key of a table for reading or writing, until the transaction ends. */
    public void lockKey(Class<?> table, Object key, LockKind kind) {
        RecordMapping m = RecordMapping.of(table);
        lockKey(m, m.keyToValue(key), kind);
    }

    private void lockKey(RecordMapping m, Object key, LockKind kind) {
        run(tx -> {
            tx.lock(m.table(), key, kind);
            return null;
        });
    }

    /** Locks a whole table for reading or writing, until the transaction ends. */
    public void lockTable(Class<?> table, LockKind kind) {
        RecordMapping m = RecordMapping.of(table);
        run(tx -> {
            tx.lockTable(m.table(), kind);
            return null;
        });
    }

    /**
     * Aborts the transaction: nothing it wrote is kept, {@link Memento#transaction} returns
     * {@code Aborted(reason)} and {@link Memento#transactionOrThrow} throws
     * {@link dev.mnemo.engine.TransactionAbortedException}. Never returns; {@code throw q.abort(reason)} reads well.
     */
    public RuntimeException abort(Object reason) {
        return run(tx -> tx.abort(reason));
    }
}
