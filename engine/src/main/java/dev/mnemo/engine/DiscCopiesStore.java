package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.util.Collection;
import java.util.List;
import jetbrains.exodus.env.Transaction;

/** disc_copies: every commit goes to Xodus, every read is served from the heap copy loaded at start. */
final class DiscCopiesStore implements TableStore {
    private final XodusStore disc;
    private final HeapStore heap;

    DiscCopiesStore(XodusStore disc, HeapStore heap) {
        this.disc = disc;
        this.heap = heap;
    }

    /** Loads every record from Xodus into the heap copy: compact records as their bytes, without decoding. */
    void load() {
        KeyVisitor decoded = (key, recs) -> {
            heap.load(key, recs);
            return true;
        };
        // both stores are made from one definition (Database.createStore): one record name, the heap's compact one
        disc.scanStored(heap::loadCompact, decoded);
        heap.loaded();
    }

    XodusStore disc() {
        return disc;
    }

    HeapStore heap() {
        return heap;
    }

    @Override
    public List<Tuple> get(Object key) {
        return heap.get(key);
    }

    @Override
    public void scan(KeyRange range, boolean reverse, KeyVisitor visitor) {
        heap.scan(range, reverse, visitor);
    }

    @Override
    public void scanWithDeleted(KeyRange range, boolean reverse, KeyVisitor visitor) {
        heap.scanWithDeleted(range, reverse, visitor);
    }

    @Override
    public void forget(Object key) {
        heap.forget(key);
    }

    @Override
    public Collection<Object> indexKeys(int pos, Object value) {
        return heap.indexKeys(pos, value);
    }

    @Override
    public long distinctValues(int pos) {
        return heap.distinctValues(pos);
    }

    @Override
    public long size() {
        return heap.size();
    }

    @Override
    public long memoryBytes() {
        return heap.memoryBytes();
    }

    @Override
    public void stage(Transaction xt, Object key, List<Tuple> old, List<Tuple> neu) {
        disc.stage(xt, key, old, neu);
    }

    @Override
    public void stage(Transaction xt, Database.Change c) {
        disc.stageLogged(xt, c);
    }

    @Override
    public void publish(Object key, List<Tuple> old, List<Tuple> neu) {
        heap.publish(key, old, neu);
    }

    @Override
    public void publishAll(List<Database.Change> changes) {
        heap.publishAll(changes);
    }

    @Override
    public Runnable addIndex(Transaction xt, int pos) {
        return heap.addIndex(xt, pos);
    }

    @Override
    public Runnable removeIndex(Transaction xt, int pos) {
        return heap.removeIndex(xt, pos);
    }

    @Override
    public void stageClear(Transaction xt) {
        disc.stageClear(xt);
    }

    @Override
    public void publishClear() {
        heap.publishClear();
    }

    @Override
    public void close() {
        heap.close();
        disc.close();
    }
}
