package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.util.Collection;
import java.util.List;

/** Queries straight on the stores: no locks, no buffer, committed data only (Mnesia's dirty_* reads). */
final class DirtyAccess extends Access {
    DirtyAccess(Database db) {
        super(db);
    }

    @Override
    List<Tuple> readKey(Table t, Object key, LockKind kind) {
        return t.store.get(key);
    }

    @Override
    void lockForRead(Table t) {
        // dirty: no locks
    }

    @Override
    List<Tuple> peekKey(Table t, Object key) {
        return t.store.get(key);
    }

    @Override
    void scanTable(Table t, KeyRange range, boolean reverse, TableStore.KeyVisitor visitor) {
        t.store.scan(range, reverse, visitor);
    }

    @Override
    Collection<Object> indexCandidates(Table t, int pos, Object value) {
        return t.store.indexKeys(pos, value);
    }
}
