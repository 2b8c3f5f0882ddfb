package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A table at run time: its definition, where its records live, its locks and whether it has loaded. */
final class Table {
    volatile long id;
    final LockManager.TableLocks locks = new LockManager.TableLocks();
    /** What recently changed keys held before, for snapshot readers. */
    final History history = new History();
    volatile TableDef def;
    volatile TableStore store;
    volatile int majorVersion;
    volatile int minorVersion;
    volatile boolean dropped;
    /**
     * Grows each time clearTable empties the table outside the commit path (same id, no history of what it held):
     * a select continuation made before does not go on, so a chunked read never joins two contents silently.
     */
    volatile long clears;
    volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
    /**
     * The checkpoints (and backups) reading this table: while there is one, nothing may empty, rewrite or delete it
     * (a snapshot reads such a change's new contents). Changed under the commit lock.
     */
    final java.util.Set<Checkpoint> readers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Table(long id, TableDef def, int majorVersion, int minorVersion) {
        this.id = id;
        this.def = def;
        this.majorVersion = majorVersion;
        this.minorVersion = minorVersion;
    }

    String name() {
        return def.name();
    }

    /** Tuple positions (0 = record name, 1 = key) of the indexed attributes. */
    static List<Integer> indexPositions(TableDef def) {
        List<Integer> out = new ArrayList<>();
        for (String a : def.indexes()) {
            out.add(def.attributeIndex(a) + 1);
        }
        return out;
    }

    /** The tuple position of an attribute, or a clear error. */
    int position(String attribute) {
        int i = def.attributeIndex(attribute);
        if (i < 0) {
            throw new SchemaException("table " + name() + " has no attribute '" + attribute + "'; attributes are "
                    + def.attributes());
        }
        return i + 1;
    }

    /** How far the table's load has got. */
    LoadProgress loadProgress() {
        boolean done = isLoaded();
        TableStore s = store;
        long onHeap = s.size();
        // loaded, the heap holds what Xodus does: no read transaction to count it again
        long stored = !done && s instanceof DiscCopiesStore dc ? dc.disc().storedRecords() : onHeap;
        return new LoadProgress(name(), onHeap, stored, done);
    }

    /** Whether the table has loaded (and did not fail to). */
    private boolean isLoaded() {
        CompletableFuture<Void> f = loaded;
        return f.isDone() && !f.isCompletedExceptionally();
    }

    /**
     * " (how far the load has got)" for a timeout's message, or "" if that cannot be counted (the database is
     * closing, say): the timeout is what to report.
     */
    String progressNote() {
        try {
            return " (" + loadProgress().describe() + ")";
        } catch (RuntimeException countFailed) {
            return "";
        }
    }

    /** Waits until the table is loaded, at most {@code timeoutMillis}. */
    void awaitLoaded(long timeoutMillis) {
        if (isLoaded()) {
            return;
        }
        CompletableFuture<Void> f = loaded;
        try {
            f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TableNotLoadedException("table " + name() + " not loaded within " + timeoutMillis + " ms"
                    + progressNote());
        } catch (ExecutionException e) {
            throw new TableNotLoadedException("table " + name() + " failed to load: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TableNotLoadedException("interrupted while waiting for table " + name() + " to load");
        }
    }

    /**
     * Checks that {@code record} fits this table: a tuple of the record name and one value per attribute, a
     * non-null key, and values of the declared types. Errors name the table, attribute, value and expectation.
     */
    void validate(Tuple record) {
        TableDef d = def;
        if (record == null) {
            throw new BadRecordException("table " + d.name() + ": record is null");
        }
        if (record.size() != d.attributeCount() + 1) {
            throw new BadRecordException("table " + d.name() + ": record " + record + " has arity " + record.size()
                    + ", expected " + (d.attributeCount() + 1) + " (record name + " + d.attributes() + ")");
        }
        if (!d.recordName().equals(record.get(0))) {
            throw new BadRecordException("table " + d.name() + ": record " + record + " has record name "
                    + Terms.format(record.get(0)) + ", expected \"" + d.recordName() + "\"");
        }
        if (record.get(1) == null) {
            throw new BadRecordException("table " + d.name() + ": key attribute '" + d.keyAttribute()
                    + "' must not be null");
        }
        for (int i = 0; i < d.attributeCount(); i++) {
            Object v = record.get(i + 1);
            AttrType t = d.types().get(i);
            if (v != null && !t.accepts(v)) {
                throw new BadRecordException("table " + d.name() + ": attribute '" + d.attributes().get(i)
                        + "' expects " + t.typeName() + ", got " + Terms.kindName(v) + " " + Terms.format(v));
            }
        }
        ValueLimits.check(d, record);
    }

    /** The key of a record about to be written, before the full check (which runs once the lock is held). */
    Object keyOf(Tuple record) {
        if (record == null || record.size() < 2) {
            validate(record);
        }
        return key(record.get(1));
    }

    /** A key given by a caller, normalized; null or an unsupported type is an error naming the table. */
    Object key(Object k) {
        if (k == null) {
            throw new BadRecordException("table " + name() + ": key attribute '" + def.keyAttribute()
                    + "' must not be null");
        }
        try {
            return Terms.normalize(k);
        } catch (IllegalArgumentException e) {
            throw new BadRecordException("table " + name() + ": bad value for key attribute '" + def.keyAttribute()
                    + "': " + e.getMessage());
        }
    }

    void checkWritable() {
        if (def.accessMode() == AccessMode.READ_ONLY) {
            throw new ReadOnlyTableException("table " + name() + " is read_only; writes are not allowed");
        }
    }

    /** The records of a key after writing {@code record}, following the table type. */
    List<Tuple> afterWrite(List<Tuple> current, Tuple record) {
        switch (def.type()) {
            case SET:
            case ORDERED_SET:
                return List.of(record);
            case BAG: {
                List<Tuple> out = new ArrayList<>(current.size() + 1);
                boolean placed = false;
                for (Tuple t : current) {
                    int c = Terms.compare(t, record);
                    if (c == 0) {
                        return current;
                    }
                    if (c > 0 && !placed) {
                        out.add(record);
                        placed = true;
                    }
                    out.add(t);
                }
                if (!placed) {
                    out.add(record);
                }
                return List.copyOf(out);
            }
            default: {
                List<Tuple> out = new ArrayList<>(current);
                out.add(record);
                return List.copyOf(out);
            }
        }
    }

    /** The records of a key after deleting every record identical to {@code record}. */
    static List<Tuple> afterDeleteObject(List<Tuple> current, Tuple record) {
        List<Tuple> out = new ArrayList<>(current.size());
        for (Tuple t : current) {
            if (!t.equals(record)) {
                out.add(t);
            }
        }
        return out.size() == current.size() ? current : List.copyOf(out);
    }
}
