package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Schema changes: create, delete and clear tables, add and remove indexes, change storage type, transform
 * records and replace user properties. Each runs with a write lock on its table and is atomic: the disc part and
 * the schema entry change in one Xodus transaction, and the table switches to its new state only after that
 * transaction committed.
 */
final class SchemaOps {
    private final Database db;

    SchemaOps(Database db) {
        this.db = db;
    }

    void createTable(TableDef def) {
        db.checkRunning();
        if (db.inTransaction()) {
            throw new MnemoException("create_table of " + def.name() + " cannot run inside a transaction");
        }
        db.checkStorageAllowed(def);
        synchronized (db.schemaMonitor()) {
            if (db.tables.containsKey(def.name())) {
                throw new TableExistsException("table " + def.name() + " already exists");
            }
            long id = db.newTableId();
            Table t = new Table(id, def, 1, 0);
            db.inXodus(xt -> {
                t.store = db.createStore(def, id, xt);
                db.persistDef(xt, def.name(), def, id, 1, 0);
            });
            t.loaded.complete(null);
            db.tables.put(def.name(), t);
            db.schemaVersion.incrementAndGet();
            db.schemaEvent(new SystemEvent.TableCreated(def.name(), def), null);
        }
    }

    void deleteTable(String name) {
        synchronized (db.schemaMonitor()) {
            db.exclusive(name, t -> {
                checkUnread(t, "delete_table");
                db.inXodus(xt -> {
                    dropDisc(t.store, xt);
                    db.persistDef(xt, name, null, t.id, 0, 0);
                });
                t.dropped = true;
                db.tables.remove(name, t);
                t.store.close();
                db.schemaEvent(new SystemEvent.TableDeleted(name), new TableEvent.Deleted(name));
                return null;
            });
        }
    }

    private static void dropDisc(TableStore s, jetbrains.exodus.env.Transaction xt) {
        if (s instanceof XodusStore x) {
            x.drop(xt);
        } else if (s instanceof DiscCopiesStore dc) {
            dc.disc().drop(xt);
        }
    }

    void clearTable(String name) {
        db.exclusive(name, false, t -> {
            t.checkWritable();
            checkUnread(t, "clear_table");
            db.inXodus(t.store::stageClear);
            t.store.publishClear();
            t.history.clear(); // emptied outside the commit path: snapshots read the empty table from now on
            t.clears++; // under the table's exclusive lock: one writer
            changed(t, "clear_table", new TableEvent.Cleared(name));
            return null;
        });
    }

    void addIndex(String name, String attribute) {
        db.exclusive(name, t -> {
            List<String> idx = new ArrayList<>(t.def.indexes());
            if (idx.contains(attribute)) {
                throw new SchemaException("table " + name + ": attribute '" + attribute + "' is already indexed");
            }
            idx.add(attribute);
            int pos = t.position(attribute);
            SchemaProgressReport progress = new SchemaProgressReport(db.schemaProgress, name, "add_table_index",
                    t.store.size());
            if (t.store instanceof XodusStore x && x.readable()) {
                buildIndex(x, t.def, pos, progress);
            }
            changeDef(t, t.def.toBuilder().indexes(idx).build(), xt -> t.store.addIndex(xt, pos));
            progress.done();
            changed(t, "add_table_index", null);
            return null;
        });
    }

    /**
     * Builds a disc_only_copies index in batches of {@link #BATCH_RECORDS} records, each in its own Xodus
     * transaction, so that memory stays bounded; the index is read only once the schema change that lists it
     * commits (an unfinished build is dropped by the next build or the next open).
     */
    private void buildIndex(XodusStore x, TableDef def, int pos, SchemaProgressReport progress) {
        db.inXodus(xt -> x.startIndex(xt, pos));
        Object after = null;
        do {
            Object from = after;
            XodusStore.IndexBatch[] b = {null};
            db.inXodus(xt -> b[0] = x.indexBatch(xt, def, pos, from, BATCH_RECORDS));
            progress.add(b[0].records());
            after = b[0].next();
        } while (after != null);
        x.indexBuilt(pos);
    }

    void removeIndex(String name, String attribute) {
        db.exclusive(name, t -> {
            List<String> idx = new ArrayList<>(t.def.indexes());
            if (!idx.remove(attribute)) {
                throw new SchemaException("table " + name + ": attribute '" + attribute + "' is not indexed; indexes "
                        + "are " + t.def.indexes());
            }
            int pos = t.position(attribute);
            changeDef(t, t.def.toBuilder().indexes(idx).build(), xt -> t.store.removeIndex(xt, pos));
            changed(t, "del_table_index", null);
            return null;
        });
    }

    void setUserProperties(String name, Map<String, Object> properties) {
        Objects.requireNonNull(properties, "user properties");
        db.exclusive(name, t -> {
            changeDef(t, t.def.toBuilder().userProperties(properties).build(), xt -> () -> { });
            changed(t, "write_table_property", null);
            return null;
        });
    }

    /**
     * Stages a change that keeps the records (indexes, user properties) and the new schema entry {@code nd} in one
     * Xodus transaction, then puts both in use; the minor version grows.
     */
    private void changeDef(Table t, TableDef nd, Function<jetbrains.exodus.env.Transaction, Runnable> stage) {
        Runnable[] putInUse = new Runnable[1];
        db.inXodus(xt -> {
            putInUse[0] = stage.apply(xt);
            db.persistDef(xt, nd.name(), nd, t.id, t.majorVersion, t.minorVersion + 1);
        });
        putInUse[0].run();
        t.def = nd;
        t.minorVersion++;
    }

    void changeStorage(String name, StorageType storage) {
        db.exclusive(name, t -> {
            if (t.def.storage() == storage) {
                throw new SchemaException("table " + name + " is already " + storage.mnesiaName());
            }
            TableDef nd = t.def.toBuilder().storage(storage).build();
            db.checkStorageAllowed(nd);
            checkUnread(t, "change_table_copy_type");
            rebuild(t, nd, null, t.majorVersion, t.minorVersion + 1, false, "change_table_copy_type");
            changed(t, "change_table_copy_type", null);
            return null;
        });
    }

    /**
     * transform_table: {@code types} (null: kept attributes keep theirs, new ones are untyped) and
     * {@code userProperties} (null: kept) change in the same atomic step as the records.
     */
    void transform(String name, Function<Tuple, Tuple> fn, List<String> newAttributes, List<AttrType> types,
                   String newRecordName, Map<String, Object> userProperties) {
        db.exclusive(name, t -> {
            TableDef d = t.def;
            t.checkWritable();
            TableDef.Builder b = d.toBuilder();
            if (newAttributes != null) {
                List<String> keptIndexes = new ArrayList<>();
                for (String i : d.indexes()) {
                    if (newAttributes.contains(i) && !newAttributes.get(0).equals(i)) {
                        keptIndexes.add(i);
                    }
                }
                b.attributes(newAttributes, types != null ? types : keptTypes(d, newAttributes)).indexes(keptIndexes);
            }
            if (newRecordName != null) {
                b.recordName(newRecordName);
            }
            if (userProperties != null) {
                b.userProperties(userProperties);
            }
            checkUnread(t, "transform_table");
            rebuild(t, b.build(), fn, t.majorVersion + 1, 0, false, "transform_table");
            changed(t, "transform_table", new TableEvent.Redefined(name, t.def));
            return null;
        });
    }

    boolean alter(String name, Function<TableDef, TableTransform> plan) {
        return db.exclusive(name, t -> {
            TableTransform change = plan.apply(t.def);
            if (change == null) {
                return false;
            }
            t.checkWritable();
            TableDef d = t.def;
            TableDef nd = change.target();
            checkSame(name, "name", d.name(), nd.name());
            checkSame(name, "table type", d.type(), nd.type());
            checkSame(name, "storage", d.storage(), nd.storage());
            checkSame(name, "access mode", d.accessMode(), nd.accessMode());
            checkUnread(t, "alter_table");
            rebuild(t, nd, change.rewrite(), t.majorVersion + 1, 0, true, "alter_table");
            changed(t, "alter_table", new TableEvent.Redefined(name, t.def));
            return true;
        });
    }

    /**
     * Refuses a change that empties, rewrites or deletes a table while a checkpoint or backup reads it: the snapshot
     * it reads would see the change. Under the table's schema change (the commit lock held).
     */
    static void checkUnread(Table t, String operation) {
        if (!t.readers.isEmpty()) {
            java.util.Set<String> who = new java.util.TreeSet<>();
            t.readers.forEach(c -> who.add(c.label()));
            throw new SchemaException(operation + " of table " + t.name() + " cannot run while " + who + " read"
                    + (who.size() == 1 ? "s" : "") + " it; release the checkpoint (or let the backup finish) first");
        }
    }

    /**
     * Restores table {@code def.name()} from a backup's records ({@link Backups}): creates it (after deleting it, to
     * recreate) if need be, then replaces its records at once, as a transform does, or writes them on top in
     * transactions of {@link Backups#CHUNK} (keep).
     */
    void restore(TableDef def, RestoreMode mode, java.util.function.Supplier<List<Tuple>> records,
                 SchemaProgressReport progress) {
        String name = def.name();
        boolean existed;
        synchronized (db.schemaMonitor()) {
            existed = db.tables.containsKey(name);
            if (!existed) {
                createTable(def);
            }
        }
        if (existed && mode == RestoreMode.KEEP_TABLES) {
            for (List<Tuple> chunk; (chunk = records.get()) != null; ) {
                List<Tuple> c = chunk;
                db.transaction(tx -> {
                    for (Tuple r : c) {
                        tx.write(name, r);
                    }
                    return null;
                });
                progress.add(c.size());
            }
            progress.done();
            return;
        }
        // clear, and recreate of a table that exists, build the new contents (under the backup's definition, to
        // recreate) beside the old and put them in use in one step: a failure part-way leaves the table as it was
        boolean recreate = existed && mode == RestoreMode.RECREATE_TABLES;
        boolean created = !existed;
        db.exclusive(name, t -> {
            if (!created && !recreate) {
                t.checkWritable(); // a table created or recreated from a read_only definition is filled all the same
            }
            checkUnread(t, "restore");
            TableDef nd = recreate ? def : t.def;
            db.checkStorageAllowed(nd);
            rebuild(t, nd, null, recreate ? t.majorVersion + 1 : t.majorVersion, recreate ? 0 : t.minorVersion + 1,
                    false, after -> {
                        List<Tuple> chunk = records.get();
                        return chunk == null ? new Batch(List.of(), null, false) : new Batch(chunk, null, true);
                    }, progress);
            changed(t, "restore", new TableEvent.Redefined(name, t.def));
            return null;
        });
    }

    /** Tells subscribers that {@code t} was changed by {@code operation}; under the table's schema change. */
    private void changed(Table t, String operation, TableEvent tableEvent) {
        db.schemaEvent(new SystemEvent.TableChanged(t.name(), operation, t.def), tableEvent);
    }

    private static void checkSame(String table, String what, Object was, Object wants) {
        if (!was.equals(wants)) {
            throw new SchemaException("table " + table + ": alterTable cannot change the " + what + " (" + was
                    + " to " + wants + ")");
        }
    }

    /** The types of {@code attributes} in {@code d}: a kept attribute keeps its type, a new one is untyped. */
    private static List<AttrType> keptTypes(TableDef d, List<String> attributes) {
        List<AttrType> types = new ArrayList<>();
        for (String a : attributes) {
            int old = d.attributeIndex(a);
            types.add(old >= 0 ? d.types().get(old) : AttrType.ANY);
        }
        return types;
    }

    /** Records read and written per Xodus transaction by a rebuild or an index build. */
    static final int BATCH_RECORDS = 10_000;
    /** A batch also ends once its records pass this many characters and bytes ({@link ValueLimits#weight}). */
    static final long BATCH_WEIGHT = 8L << 20;

    /**
     * Moves every record of {@code t} into new stores built for {@code nd} (through {@code fn} if given), in
     * batches of {@link #BATCH_RECORDS} records, each written in its own Xodus transaction: memory stays bounded
     * whatever the size of a disc_only_copies table. The new stores are not referenced by the schema until one last
     * transaction replaces the schema entry and drops the old stores; then the table switches over. A failure
     * before that drops the new stores and leaves the table as it was; a crash leaves them orphaned, and the next
     * open drops them ({@link Database}). With {@code refuseMerges}, two rewritten records that would become one
     * (the same key in a set, equal records in a bag) are a {@link BadRecordException} naming both, instead of the
     * later one replacing the earlier.
     */
    private void rebuild(Table t, TableDef nd, Function<Tuple, Tuple> fn, int major, int minor,
                         boolean refuseMerges, String operation) {
        rebuild(t, nd, fn, major, minor, refuseMerges, after -> readBatch(t.store, after),
                new SchemaProgressReport(db.schemaProgress, nd.name(), operation, t.store.size()));
    }

    /** As above, reading the records to rewrite from {@code source} (given the last key of the batch before). */
    private void rebuild(Table t, TableDef nd, Function<Tuple, Tuple> fn, int major, int minor,
                         boolean refuseMerges, Function<Object, Batch> source, SchemaProgressReport progress) {
        Table shape = new Table(t.id, nd, major, minor);
        long newId = db.newTableId();
        TableStore[] created = new TableStore[1];
        db.inXodus(xt -> created[0] = db.createStore(nd, newId, xt));
        TableStore s = created[0];
        try {
            Object after = null;
            while (true) {
                Batch b = source.apply(after);
                if (b.records().isEmpty()) {
                    break;
                }
                db.inXodus(xt -> {
                    for (Tuple r : b.records()) {
                        Tuple out = fn == null ? r : fn.apply(r);
                        if (out == null) {
                            continue;
                        }
                        shape.validate(out);
                        Object key = out.get(1);
                        List<Tuple> existing = s instanceof XodusStore x ? x.load(xt, key) : s.get(key);
                        if (refuseMerges) {
                            refuseMerge(nd, existing, r, out);
                        }
                        List<Tuple> next = shape.afterWrite(existing, out);
                        s.stage(xt, key, existing, next);
                        if (s instanceof XodusStore x) { // its row cache fills as it is read
                            x.noteWritten(key);
                        } else {
                            s.publish(key, existing, next);
                        }
                    }
                });
                progress.add(b.records().size());
                if (!b.more()) {
                    break;
                }
                after = b.lastKey();
            }
            db.inXodus(xt -> {
                dropDisc(t.store, xt);
                db.persistDef(xt, nd.name(), nd, newId, major, minor);
            });
        } catch (RuntimeException | Error e) {
            try {
                db.inXodus(xt -> dropDisc(s, xt));
                s.close();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        TableStore old = t.store;
        t.store = s;
        t.history.clear(); // the new contents replace the old for snapshots too
        t.def = nd;
        t.id = newId;
        t.majorVersion = major;
        t.minorVersion = minor;
        old.close();
        progress.done();
    }

    /** Records of whole keys in key order, and whether the walk stopped before the end, after {@code lastKey}. */
    private record Batch(List<Tuple> records, Object lastKey, boolean more) {
    }

    /** The next {@link #BATCH_RECORDS} records (whole keys; fewer if they are large) after key {@code after}. */
    private static Batch readBatch(TableStore store, Object after) {
        KeyRange range = after == null ? KeyRange.ALL : KeyRange.ALL.resumeAfter(after, false);
        List<Tuple> records = new ArrayList<>();
        Object[] last = {null};
        boolean[] more = {false};
        long[] weight = {0};
        store.scan(range, false, (k, recs) -> {
            records.addAll(recs);
            last[0] = k;
            weight[0] += ValueLimits.weight(recs);
            if (records.size() >= BATCH_RECORDS || weight[0] > BATCH_WEIGHT) {
                more[0] = true;
                return false;
            }
            return true;
        });
        return new Batch(records, last[0], more[0]);
    }

    private static void refuseMerge(TableDef nd, List<Tuple> existing, Tuple source, Tuple out) {
        Tuple clash = switch (nd.type()) {
            case SET, ORDERED_SET -> existing.isEmpty() ? null : existing.get(0);
            case BAG -> existing.contains(out) ? out : null;
            case DUPLICATE_BAG -> null;
        };
        if (clash != null) {
            throw new BadRecordException("table " + nd.name() + ": record " + Terms.format(source) + " would become "
                    + Terms.format(out) + ", which " + (nd.type() == TableType.BAG ? "equals" : "has the same key as")
                    + " the rewritten record " + Terms.format(clash) + " (one of them would be lost)");
        }
    }

    TableInfo info(String name) {
        Table t = db.table(name);
        TableDef d = t.def;
        return new TableInfo(d.name(), t.store.size(), t.store.memoryBytes(), d.attributes(), d.attributeCount() + 1,
                d.type(), d.storage(), d.indexes(), d.recordName(), d.accessMode(), d.userProperties(),
                List.of(t.majorVersion, t.minorVersion), d.types());
    }
}
