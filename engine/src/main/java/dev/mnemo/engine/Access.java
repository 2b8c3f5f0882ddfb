package dev.mnemo.engine;

import dev.mnemo.engine.match.CompiledMatchSpec;
import dev.mnemo.engine.match.KeyHint;
import dev.mnemo.engine.match.MatchPattern;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The query forms of Mnesia (index_read, match_object, select with continuations, fold, all_keys, first/next)
 * written once over three primitives, which a transaction implements with locks and its write buffer and the
 * dirty path implements directly on the stores.
 */
abstract class Access {
    final Database db;

    Access(Database db) {
        this.db = db;
    }

    /** The records of a key as this access sees them, taking a {@code kind} record lock if transactional. */
    abstract List<Tuple> readKey(Table t, Object key, LockKind kind);

    /** A key-ordered scan of {@code range} as this access sees it (taking a table read lock if transactional). */
    abstract void scanTable(Table t, KeyRange range, boolean reverse, TableStore.KeyVisitor visitor);

    /** Keys that may hold a record with {@code value} at {@code pos}, after a table read lock if transactional. */
    abstract Collection<Object> indexCandidates(Table t, int pos, Object value);

    /** Takes a table read lock if transactional, before anything that depends on the table's definition. */
    abstract void lockForRead(Table t);

    /** Records of a key without taking a lock (the caller holds a table lock or is dirty). */
    abstract List<Tuple> peekKey(Table t, Object key);

    Table table(String name) {
        return db.table(name);
    }

    /** Mnesia's index_read: the records whose {@code attribute} is {@code value}, in key order. */
    List<Tuple> indexRead(String tableName, Object value, String attribute) {
        Table t = table(tableName);
        if (t.position(attribute) == 1) {
            return readKey(t, t.key(value), LockKind.READ);
        }
        lockForRead(t);
        int pos = t.position(attribute);
        if (!t.def.indexes().contains(attribute)) {
            throw new SchemaException("table " + t.name() + ": attribute '" + attribute + "' is not indexed; indexes "
                    + "are " + t.def.indexes());
        }
        return indexRecords(t, pos, Terms.normalize(value));
    }

    private List<Tuple> indexRecords(Table t, int pos, Object value) {
        TreeSet<Object> keys = new TreeSet<>(Terms.ORDER);
        keys.addAll(indexCandidates(t, pos, value));
        List<Tuple> out = new ArrayList<>();
        for (Object k : keys) {
            for (Tuple r : peekKey(t, k)) {
                if (Terms.compare(r.get(pos), value) == 0) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Mnesia's match_object on a table: the records matching the pattern. */
    List<Tuple> matchObject(String tableName, MatchPattern pattern) {
        Table mt = table(tableName);
        List<Object> raw = select(mt, MatchSpec.ofPattern(pattern).compile(), false, 0, null, mt.clears).results();
        List<Tuple> out = new ArrayList<>(raw.size());
        for (Object o : raw) {
            out.add((Tuple) o);
        }
        return out;
    }

    /** select / select_reverse; {@code limit} 0 means all. */
    SelectChunk select(String tableName, MatchSpec spec, boolean reverse, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("select limit must be positive, got " + limit);
        }
        Table t = table(tableName);
        return select(t, spec.compile(), reverse, limit, null, t.clears);
    }

    /** The chunk after {@code c}. */
    SelectChunk select(Continuation c) {
        Table t = table(c.table);
        if (t.id != c.tableId) {
            throw new NoSuchTableException("table " + c.table + " was deleted, transformed or moved to another "
                    + "storage type since the continuation was made; start a new select");
        }
        if (t.clears != c.clears) {
            throw new TransactionConflictException("table " + c.table + " was cleared since the continuation was "
                    + "made: the rest of the select would not belong with what it gave so far; start a new select");
        }
        return select(t, c.spec, c.reverse, c.limit, c.lastKey, c.clears);
    }

    /** How a select reaches its records: a key lookup, an index read, a key-range walk or a full scan. */
    enum Path { KEY_LOOKUP, INDEX_READ, RANGE_WALK, FULL_SCAN }

    record Plan(Path kind, List<Object> keys, Integer indexPos, Object indexValue, KeyRange range) {
        @Override
        public String toString() {
            return switch (kind) {
                case KEY_LOOKUP -> "key_lookup " + keys;
                case INDEX_READ -> "index_read position " + indexPos + " = " + Terms.format(indexValue);
                case RANGE_WALK -> "range_walk " + (range.lower() == null ? "(-inf" : (range.lowerInclusive() ? "[" : "(")
                        + Terms.format(range.lower())) + ", " + (range.upper() == null ? "+inf)"
                        : Terms.format(range.upper()) + (range.upperInclusive() ? "]" : ")"));
                default -> "full_scan";
            };
        }
    }

    /** Chooses the most selective access path: key point > index point > key range > full scan. */
    static Plan plan(Table t, CompiledMatchSpec spec, KeyHint hint) {
        if (hint.exactKeys() != null) {
            TreeSet<Object> keys = new TreeSet<>(Terms.ORDER);
            for (Object k : hint.exactKeys()) {
                keys.add(Terms.normalize(k));
            }
            return new Plan(Path.KEY_LOOKUP, new ArrayList<>(keys), null, null, null);
        }
        for (int pos : Table.indexPositions(t.def)) {
            Optional<Object> v = spec.boundValue(pos);
            if (v.isPresent()) {
                return new Plan(Path.INDEX_READ, null, pos, Terms.normalize(v.get()), null);
            }
        }
        KeyRange range = rangeOf(hint);
        return range.isAll() ? new Plan(Path.FULL_SCAN, null, null, null, KeyRange.ALL)
                : new Plan(Path.RANGE_WALK, null, null, null, range);
    }

    /** The access path a select with {@code spec} on {@code table} would take, as text. */
    String explain(String tableName, MatchSpec spec) {
        CompiledMatchSpec compiled = spec.compile();
        return plan(table(tableName), compiled, compiled.keyHint(1)).toString();
    }

    /** A chunk of a select; {@code clears} is the table's {@link Table#clears} when the select began. */
    private SelectChunk select(Table t, CompiledMatchSpec spec, boolean reverse, int limit, Object after,
                               long clears) {
        KeyHint hint = spec.keyHint(1);
        if (hint.exactKeys() == null) {
            lockForRead(t); // the plan depends on the table's indexes: fix them first
        }
        Plan plan = plan(t, spec, hint);
        Collector col = new Collector(spec, limit, db, walkIsExact(t, spec, plan),
                limit > 0 && t.def.storage() == StorageType.DISC_ONLY_COPIES);
        switch (plan.kind()) {
            case KEY_LOOKUP -> {
                List<Object> keys = new ArrayList<>(plan.keys());
                if (reverse) {
                    java.util.Collections.reverse(keys);
                }
                for (Object k : keys) {
                    if (after != null && (reverse ? Terms.compare(k, after) >= 0 : Terms.compare(k, after) <= 0)) {
                        continue;
                    }
                    if (!col.visit(k, readKey(t, k, LockKind.READ))) {
                        break;
                    }
                }
            }
            case INDEX_READ -> visitGrouped(indexRecords(t, plan.indexPos(), plan.indexValue()), after, reverse, col);
            default -> {
                KeyRange range = plan.range();
                if (after != null) {
                    range = range.resumeAfter(after, reverse);
                }
                scanTable(t, range, reverse, col::visit);
            }
        }
        return col.chunk(t, reverse, clears);
    }

    /**
     * Visits records given in key order as one group per key, in descending key order if {@code reverse}; a key's
     * records keep the key's own order either way, as on the other access paths.
     */
    private static void visitGrouped(List<Tuple> recs, Object after, boolean reverse, Collector col) {
        List<List<Tuple>> groups = new ArrayList<>();
        int i = 0;
        while (i < recs.size()) {
            Object k = recs.get(i).get(1);
            List<Tuple> group = new ArrayList<>();
            while (i < recs.size() && Terms.compare(recs.get(i).get(1), k) == 0) {
                group.add(recs.get(i++));
            }
            groups.add(group);
        }
        if (reverse) {
            java.util.Collections.reverse(groups);
        }
        for (List<Tuple> group : groups) {
            Object k = group.get(0).get(1);
            if (after != null && (reverse ? Terms.compare(k, after) >= 0 : Terms.compare(k, after) <= 0)) {
                continue;
            }
            if (!col.visit(k, group)) {
                return;
            }
        }
    }

    /**
     * Whether every record a walk of {@code plan}'s key range visits matches {@code spec}, so that the spec need not
     * run per record: it only bounds the key (see {@link CompiledMatchSpec#selectsByKeyBoundsOnly}), and the key's
     * declared type holds values whose loose and strict orders agree (no long/double/decimal mix, where
     * {@code 1 == 1.0} but the range walk orders them apart), with constants of that type.
     */
    static boolean walkIsExact(Table t, CompiledMatchSpec spec, Plan plan) {
        if (plan.kind() != Path.RANGE_WALK && plan.kind() != Path.FULL_SCAN) {
            return false;
        }
        AttrType keyType = t.def.types().get(0);
        boolean ordersAgree = switch (keyType) {
            case INTEGER, STRING, BOOLEAN, BINARY, DATE, TIME, DATETIME, INSTANT -> true;
            default -> false;
        };
        return spec.selectsByKeyBoundsOnly(t.def.recordName(), t.def.attributeCount() + 1, 1,
                c -> ordersAgree && keyType.accepts(c));
    }

    static KeyRange rangeOf(KeyHint hint) {
        if (hint.tuplePrefix() != null && !hint.tuplePrefix().isEmpty()) {
            return new KeyRange(Terms.prefixBound(hint.tupleSize(), hint.tuplePrefix(), false), true,
                    Terms.prefixBound(hint.tupleSize(), hint.tuplePrefix(), true), true);
        }
        if (hint.lower() != null || hint.upper() != null) {
            return new KeyRange(hint.lower() == null ? null : Terms.normalize(hint.lower()), hint.lowerInclusive(),
                    hint.upper() == null ? null : Terms.normalize(hint.upper()), hint.upperInclusive());
        }
        return KeyRange.ALL;
    }

    /** Applies a compiled spec to records, stopping after the key at which the limit is reached. */
    private static final class Collector {
        final CompiledMatchSpec spec;
        final int limit;
        final List<Object> results = new ArrayList<>();
        Object lastKey;
        boolean stopped;

        final Database db;
        /** Every visited record matches (see {@link #walkIsExact}): add it without running the spec. */
        final boolean all;

        /**
         * A chunk of a disc_only table also ends after the key at which its records pass {@link #CHUNK_WEIGHT}:
         * they are decoded copies, and a chunk of large records must not hold thousands of them.
         */
        final boolean weighed;
        long weight;
        /** Characters and bytes (see {@link ValueLimits#weight}) after which a weighed chunk ends: 32 Mi. */
        static final long CHUNK_WEIGHT = 32L << 20;

        Collector(CompiledMatchSpec spec, int limit, Database db, boolean all, boolean weighed) {
            this.spec = spec;
            this.limit = limit;
            this.db = db;
            this.all = all;
            this.weighed = weighed;
        }

        /** Keys visited, added to the database's count once per chunk (a shared counter per key cost 6% of a scan). */
        long visited;

        boolean visit(Object key, List<Tuple> recs) {
            Cancels.checkEvery(++visited);
            if (all) {
                results.addAll(recs);
            } else {
                for (Tuple r : recs) {
                    Object out = spec.apply(r);
                    if (out != CompiledMatchSpec.NO_MATCH) {
                        results.add(out);
                    }
                }
            }
            lastKey = key;
            if (weighed) {
                weight += ValueLimits.weight(recs);
            }
            if (limit > 0 && (results.size() >= limit || weight > CHUNK_WEIGHT)) {
                stopped = true;
                return false;
            }
            return true;
        }

        SelectChunk chunk(Table t, boolean reverse, long clears) {
            db.visitedKeys.add(visited);
            Continuation next = stopped ? new Continuation(t.name(), t.id, clears, spec, reverse, limit, lastKey) : null;
            return new SelectChunk(results, next);
        }
    }

    /** foldl (forward) or foldr (reverse) over every record. */
    <A> A fold(String tableName, A acc, BiFunction<Tuple, A, A> fn, boolean reverse) {
        Object[] box = {acc};
        long[] keys = {0};
        scanTable(table(tableName), KeyRange.ALL, reverse, (k, recs) -> {
            Cancels.checkEvery(++keys[0]);
            for (Tuple r : recs) {
                @SuppressWarnings("unchecked")
                A a = (A) box[0];
                box[0] = fn.apply(r, a);
            }
            return true;
        });
        @SuppressWarnings("unchecked")
        A result = (A) box[0];
        return result;
    }

    /** Every key, in key order. */
    List<Object> allKeys(String tableName) {
        List<Object> keys = new ArrayList<>();
        scanTable(table(tableName), KeyRange.ALL, false, (k, recs) -> keys.add(k));
        return keys;
    }

    /** The first key (or last if {@code reverse}) in key order. */
    Optional<Object> firstKey(String tableName, boolean reverse) {
        return adjacent(table(tableName), KeyRange.ALL, reverse);
    }

    /** The key after (or before, if {@code reverse}) {@code key}. */
    Optional<Object> nextKey(String tableName, Object key, boolean reverse) {
        Table t = table(tableName);
        return adjacent(t, KeyRange.ALL.resumeAfter(t.key(key), reverse), reverse);
    }

    private Optional<Object> adjacent(Table t, KeyRange range, boolean reverse) {
        Object[] found = {null};
        scanTable(t, range, reverse, (k, recs) -> {
            found[0] = k;
            return false;
        });
        return Optional.ofNullable(found[0]);
    }
}
