package dev.mnemo.engine.records;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.match.MatchSpec;
import java.util.List;
import java.util.Optional;

/**
 * Dirty (lock-free, non-transactional) typed operations, reached only through {@link Memento#dirty()} so that
 * nobody uses them by accident. Each operation is atomic on its own and immediately visible, but takes no lock and
 * ignores any surrounding transaction: it may see, and is not rolled back with, a transaction's uncommitted work.
 */
public final class Dirty {
    private final Memento memento;
    private final Mnemo db;

    Dirty(Memento memento) {
        this.memento = memento;
        this.db = memento.engine();
    }

    /** The record of {@code key} (the first one in a bag table). */
    public <T> Optional<T> read(Class<T> table, Object key) {
        RecordMapping m = RecordMapping.of(table);
        List<T> all = Specs.decode(m, db.dirtyRead(m.table(), m.keyToValue(key)));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Writes a record; autoincrement keys are assigned as by {@link Query#write}. Returns the record written. */
    public <T> T write(T record) {
        RecordMapping m = RecordMapping.of(record.getClass());
        T r = Query.withKey(memento, m, record);
        db.dirtyWrite(m.table(), m.toTuple(r));
        return r;
    }

    /** Deletes every record of {@code key}. */
    public void delete(Class<?> table, Object key) {
        RecordMapping m = RecordMapping.of(table);
        db.dirtyDelete(m.table(), m.keyToValue(key));
    }

    /** Deletes the records equal to {@code record}. */
    public void deleteRecord(Object record) {
        RecordMapping m = RecordMapping.of(record.getClass());
        db.dirtyDeleteObject(m.table(), m.toTuple(record));
    }

    /** Every record, in key order. */
    public <T> List<T> all(Class<T> table) {
        return select(table, Where.all());
    }

    /** Records for which {@code where} holds, in key order. */
    public <T> List<T> select(Class<T> table, Where where) {
        RecordMapping m = RecordMapping.of(table);
        return Specs.decode(m, db.dirtySelect(m.table(), Specs.select(m, where)));
    }

    /** The first page of about {@code limit} records for which {@code where} holds. */
    public <T> Page<T> select(Class<T> table, Where where, int limit) {
        RecordMapping m = RecordMapping.of(table);
        return Query.page(m, db.dirtySelect(m.table(), Specs.select(m, where), limit));
    }

    /** The page after {@code page}. */
    public <T> Page<T> resume(Page<T> page) {
        return Query.page(page.mapping, db.dirtySelect(page.continuation()));
    }

    /** A raw engine select without locks. */
    public List<Object> select(Class<?> table, MatchSpec spec) {
        return db.dirtySelect(RecordMapping.of(table).table(), spec);
    }

    /** Every key, in key order. */
    public List<Object> allKeys(Class<?> table) {
        RecordMapping m = RecordMapping.of(table);
        return Specs.keys(m, db.dirtyAllKeys(m.table()));
    }
}
