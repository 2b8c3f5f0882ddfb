package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchPattern;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model-based random test: for every table type and storage type, a seeded random sequence of dirty operations,
 * committed / aborted / failing transactions, queries and restarts is run against the engine and against a simple
 * in-memory model of Mnesia's semantics ({@link Model}); every read is compared with the model.
 *
 * <p>The seed is printed; rerun a failure with {@code -Dmnemo.seed=N} (and optionally {@code -Dmnemo.ops=N}).
 * A failure names the seed, the combination and the index of the operation that went wrong, with the last
 * operations before it.
 */
class ModelBasedTest {
    private static final long DEFAULT_SEED = 0x5EED_2024L;
    private static final long SEED = Long.getLong("mnemo.seed", DEFAULT_SEED);
    private static final int OPS = Integer.getInteger("mnemo.ops", 1500);
    /** Soak testing: {@code -Dmnemo.runs=N} runs seeds SEED, SEED+1, … SEED+N-1 for every combination. */
    private static final int RUNS = Integer.getInteger("mnemo.runs", 1);
    private static final int REOPEN_EVERY = 300;
    private static final int VERIFY_EVERY = 250;
    private static final String T = "m";

    /** Keys, as a user would pass them (ints, doubles, strings, tuples); 1 and 1.0 and 3 and 3.0 are distinct keys. */
    private static final List<Object> KEYS = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -1, -7, 1.0, 2.5, 3.0,
            "", "a", "b", "ab", "B", "zz", "\u00e9t\u00e9", Tuple.of(1, 2), Tuple.of(1, "x"), Tuple.of(1.0, 2),
            Tuple.of(2), Tuple.of("a", 1), Tuple.of(1, Tuple.of(2, 3)));
    /** Values of the indexed attribute v: few, so index collisions happen; 1 and 1.0 differ; null is a value. */
    private static final List<Object> VALUES = java.util.Arrays.asList("red", "green", "blue", 1, 1.0, 2,
            Tuple.of("c", 1), null);
    /** Values of w: few, so identical records happen in bags. */
    private static final List<Object> WS = List.of(0, 1, 2, "w");
    /** Bounds for key-range guards (numbers and strings; compared loosely as Erlang does). */
    private static final List<Object> BOUNDS = List.of(-3, 0, 1, 1.0, 2.5, 3, 5, 11, "", "a", "b", "zz");

    @TempDir
    Path dir;

    @BeforeAll
    static void printSeed() {
        System.out.println("ModelBasedTest: seed=" + SEED + " ops=" + OPS + (RUNS > 1 ? " runs=" + RUNS : "")
                + " (rerun with -Dmnemo.seed=" + SEED + ")");
    }

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (TableType t : TableType.values()) {
            for (StorageType s : StorageType.values()) {
                out.add(Arguments.of(t, s));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("combinations")
    void engineAgreesWithModel(TableType type, StorageType storage) {
        for (int i = 0; i < RUNS; i++) {
            new Run(dir.resolve("run" + i), SEED + i, type, storage).run();
        }
    }

    // =====================================================================================================
    // The model
    // =====================================================================================================

    /** Mnesia's table semantics, the obvious way: key → the key's records, keys in term order. */
    static final class Model {
        final TableType type;
        final TreeMap<Object, List<Tuple>> rows = new TreeMap<>(Terms.ORDER);

        Model(TableType type) {
            this.type = type;
        }

        Model copy() {
            Model m = new Model(type);
            for (Map.Entry<Object, List<Tuple>> e : rows.entrySet()) {
                m.rows.put(e.getKey(), new ArrayList<>(e.getValue()));
            }
            return m;
        }

        void write(Tuple r) {
            Object k = r.get(1);
            List<Tuple> cur = rows.computeIfAbsent(k, x -> new ArrayList<>());
            switch (type) {
                case SET, ORDERED_SET -> {
                    cur.clear();
                    cur.add(r);
                }
                case BAG -> {
                    if (!cur.contains(r)) {
                        cur.add(r);
                        cur.sort(Terms.ORDER);
                    }
                }
                case DUPLICATE_BAG -> cur.add(r);
            }
        }

        void delete(Object key) {
            rows.remove(key);
        }

        void deleteObject(Tuple r) {
            List<Tuple> cur = rows.get(r.get(1));
            if (cur != null) {
                cur.removeIf(r::equals);
                if (cur.isEmpty()) {
                    rows.remove(r.get(1));
                }
            }
        }

        List<Tuple> read(Object key) {
            return List.copyOf(rows.getOrDefault(key, List.of()));
        }

        long size() {
            long n = 0;
            for (List<Tuple> l : rows.values()) {
                n += l.size();
            }
            return n;
        }

        List<Object> keys() {
            return new ArrayList<>(rows.keySet());
        }

        List<Tuple> all() {
            List<Tuple> out = new ArrayList<>();
            rows.values().forEach(out::addAll);
            return out;
        }

        /** Descending keys, each key's records in the key's own order. */
        List<Tuple> allReverse() {
            List<Tuple> out = new ArrayList<>();
            rows.descendingMap().values().forEach(out::addAll);
            return out;
        }

        List<Tuple> indexRead(Object v) {
            List<Tuple> out = new ArrayList<>();
            for (Tuple r : all()) {
                if (Terms.compare(r.get(2), v) == 0) {
                    out.add(r);
                }
            }
            return out;
        }

        List<Tuple> match(Function<Tuple, Boolean> p) {
            List<Tuple> out = new ArrayList<>();
            for (Tuple r : all()) {
                if (p.apply(r)) {
                    out.add(r);
                }
            }
            return out;
        }

        /**
         * The query's results over the keys strictly after {@code from} (null: from the start) up to {@code to}
         * (null: to the end; inclusive or not), in the given direction.
         */
        List<Object> results(Query q, boolean reverse, Object from, Object to, boolean toInclusive) {
            NavigableMap<Object, List<Tuple>> view = reverse ? rows.descendingMap() : rows;
            if (from != null) {
                view = view.tailMap(from, false);
            }
            if (to != null) {
                view = view.headMap(to, toInclusive);
            }
            List<Object> out = new ArrayList<>();
            for (List<Tuple> recs : view.values()) {
                for (Tuple r : recs) {
                    Object o = q.oracle.apply(r);
                    if (o != null) {
                        out.add(o);
                    }
                }
            }
            return out;
        }

        List<Object> results(Query q, boolean reverse) {
            return results(q, reverse, null, null, true);
        }

        Tuple randomRecord(Random rnd) {
            List<Tuple> all = all();
            return all.isEmpty() ? null : all.get(rnd.nextInt(all.size()));
        }
    }

    /** A match spec and what the model says it returns for one record (null: no match). */
    record Query(String desc, MatchSpec spec, Function<Tuple, Object> oracle) {
        @Override
        public String toString() {
            return desc;
        }
    }

    /** One write of a transaction or dirty operation. */
    record Op(String kind, Tuple record, Object key) {
        void apply(Model m) {
            switch (kind) {
                case "write" -> m.write(record);
                case "delete" -> m.delete(Terms.normalize(key));
                default -> m.deleteObject(record);
            }
        }

        void applyTx(Tx tx, boolean explicitTable) {
            switch (kind) {
                case "write" -> {
                    if (explicitTable) {
                        tx.write(T, record);
                    } else {
                        tx.write(record);
                    }
                }
                case "delete" -> tx.delete(T, key);
                default -> {
                    if (explicitTable) {
                        tx.deleteObject(T, record);
                    } else {
                        tx.deleteObject(record);
                    }
                }
            }
        }

        void applyDirty(Mnemo db, boolean explicitTable) {
            switch (kind) {
                case "write" -> {
                    if (explicitTable) {
                        db.dirtyWrite(T, record);
                    } else {
                        db.dirtyWrite(record);
                    }
                }
                case "delete" -> db.dirtyDelete(T, key);
                default -> {
                    if (explicitTable) {
                        db.dirtyDeleteObject(T, record);
                    } else {
                        db.dirtyDeleteObject(record);
                    }
                }
            }
        }

        Object normalizedKey() {
            return record != null ? record.get(1) : Terms.normalize(key);
        }

        @Override
        public String toString() {
            return kind + " " + (record != null ? record : Terms.format(Terms.normalize(key)));
        }
    }

    // =====================================================================================================
    // Views: the same checks run dirty and inside transactions
    // =====================================================================================================

    interface View {
        String name();

        List<Tuple> read(Object key);

        List<Tuple> indexRead(Object value);

        List<Tuple> matchObject(MatchPattern p);

        List<Object> select(MatchSpec spec);

        /** Null when this view has no select_reverse. */
        List<Object> selectReverse(MatchSpec spec);

        SelectChunk select(MatchSpec spec, int limit, boolean reverse);

        SelectChunk resume(Continuation c);

        boolean hasReverse();

        List<Object> allKeys();

        Optional<Object> first();

        Optional<Object> last();

        Optional<Object> next(Object key);

        Optional<Object> prev(Object key);

        List<Tuple> foldl();

        /** Null when this view has no foldr. */
        List<Tuple> foldr();
    }

    static final class DirtyView implements View {
        final Mnemo db;

        DirtyView(Mnemo db) {
            this.db = db;
        }

        public String name() {
            return "dirty";
        }

        public List<Tuple> read(Object key) {
            return db.dirtyRead(T, key);
        }

        public List<Tuple> indexRead(Object value) {
            return db.dirtyIndexRead(T, value, "v");
        }

        public List<Tuple> matchObject(MatchPattern p) {
            return db.dirtyMatchObject(T, p);
        }

        public List<Object> select(MatchSpec spec) {
            return db.dirtySelect(T, spec);
        }

        public List<Object> selectReverse(MatchSpec spec) {
            return null;
        }

        public SelectChunk select(MatchSpec spec, int limit, boolean reverse) {
            if (reverse) {
                throw new IllegalStateException("no dirty select_reverse");
            }
            return db.dirtySelect(T, spec, limit);
        }

        public SelectChunk resume(Continuation c) {
            return db.dirtySelect(c);
        }

        public boolean hasReverse() {
            return false;
        }

        public List<Object> allKeys() {
            return db.dirtyAllKeys(T);
        }

        public Optional<Object> first() {
            return db.dirtyFirst(T);
        }

        public Optional<Object> last() {
            return db.dirtyLast(T);
        }

        public Optional<Object> next(Object key) {
            return db.dirtyNext(T, key);
        }

        public Optional<Object> prev(Object key) {
            return db.dirtyPrev(T, key);
        }

        public List<Tuple> foldl() {
            return db.dirtyFoldl(T, new ArrayList<>(), (r, acc) -> {
                acc.add(r);
                return acc;
            });
        }

        public List<Tuple> foldr() {
            return null;
        }
    }

    static final class TxView implements View {
        final Tx tx;

        TxView(Tx tx) {
            this.tx = tx;
        }

        public String name() {
            return "tx";
        }

        public List<Tuple> read(Object key) {
            return tx.read(T, key);
        }

        public List<Tuple> indexRead(Object value) {
            return tx.indexRead(T, value, "v");
        }

        public List<Tuple> matchObject(MatchPattern p) {
            return tx.matchObject(T, p);
        }

        public List<Object> select(MatchSpec spec) {
            return tx.select(T, spec);
        }

        public List<Object> selectReverse(MatchSpec spec) {
            return tx.selectReverse(T, spec);
        }

        public SelectChunk select(MatchSpec spec, int limit, boolean reverse) {
            return reverse ? tx.selectReverse(T, spec, limit) : tx.select(T, spec, limit);
        }

        public SelectChunk resume(Continuation c) {
            return tx.select(c);
        }

        public boolean hasReverse() {
            return true;
        }

        public List<Object> allKeys() {
            return tx.allKeys(T);
        }

        public Optional<Object> first() {
            return tx.first(T);
        }

        public Optional<Object> last() {
            return tx.last(T);
        }

        public Optional<Object> next(Object key) {
            return tx.next(T, key);
        }

        public Optional<Object> prev(Object key) {
            return tx.prev(T, key);
        }

        public List<Tuple> foldl() {
            return tx.foldl(T, new ArrayList<>(), (r, acc) -> {
                acc.add(r);
                return acc;
            });
        }

        public List<Tuple> foldr() {
            return tx.foldr(T, new ArrayList<>(), (r, acc) -> {
                acc.add(r);
                return acc;
            });
        }
    }

    // =====================================================================================================
    // One run: one combination, one seed
    // =====================================================================================================

    static final class Run {
        final Path dir;
        final long seed;
        final TableType type;
        final StorageType storage;
        final Random rnd;
        final Deque<String> recent = new ArrayDeque<>();
        Mnemo db;
        Model model;
        int opIndex;
        int reopens;

        Run(Path dir, long seed, TableType type, StorageType storage) {
            this.dir = dir;
            this.seed = seed;
            this.type = type;
            this.storage = storage;
            this.rnd = new Random(seed * 1_000_003L + type.ordinal() * 31L + storage.ordinal());
            this.model = new Model(type);
        }

        String combination() {
            return type.mnesiaName() + "/" + storage.mnesiaName();
        }

        void note(String s) {
            if (recent.size() == 20) {
                recent.removeFirst();
            }
            recent.addLast("#" + opIndex + " " + s);
        }

        void run() {
            long start = System.nanoTime();
            try {
                db = Mnemo.open(dir);
                db.createTable(TableDef.builder(T).attributes("k", "v", "w").type(type).storage(storage)
                        .index("v").build());
                for (opIndex = 0; opIndex < OPS; opIndex++) {
                    step();
                    if (opIndex > 0 && opIndex % REOPEN_EVERY == 0) {
                        reopen();
                    } else if (opIndex % VERIFY_EVERY == 0) {
                        note("verify all");
                        verifyAll("periodic check");
                    }
                }
                opIndex = OPS;
                note("final verify");
                verifyAll("final check");
            } catch (Throwable t) {
                AssertionError e = new AssertionError("model-based test failed: seed=" + seed + " combination="
                        + combination() + " operation #" + opIndex + " (rerun with -Dmnemo.seed=" + seed
                        + "); last operations:\n  " + String.join("\n  ", recent) + "\ncause: " + t, t);
                throw e;
            } finally {
                if (db != null) {
                    db.close();
                }
            }
            System.out.printf("ModelBasedTest %s seed %d: %d ops, %d reopens, final size %d, %d ms%n",
                    combination(), seed, OPS, reopens, model.size(), (System.nanoTime() - start) / 1_000_000);
        }

        // ------------------------------------------------------------------------------------------- generators

        Object randomKey() {
            return KEYS.get(rnd.nextInt(KEYS.size()));
        }

        Object randomValue() {
            return VALUES.get(rnd.nextInt(VALUES.size()));
        }

        Tuple randomRecord() {
            return Tuple.of(T, randomKey(), randomValue(), WS.get(rnd.nextInt(WS.size())));
        }

        /** A random write against {@code m}'s state (delete_object of an existing record more often than not). */
        Op randomOp(Model m) {
            int r = rnd.nextInt(10);
            if (r < 6) {
                return new Op("write", randomRecord(), null);
            }
            if (r < 8) {
                Tuple existing = rnd.nextInt(3) > 0 ? m.randomRecord(rnd) : null;
                if (existing != null && rnd.nextBoolean()) {
                    return new Op("delete", null, existing.get(1));
                }
                return new Op("delete", null, randomKey());
            }
            Tuple existing = rnd.nextInt(3) > 0 ? m.randomRecord(rnd) : null;
            return new Op("delete_object", existing != null ? existing : randomRecord(), null);
        }

        Query randomQuery() {
            switch (rnd.nextInt(9)) {
                case 0, 1: {
                    Object v = randomValue();
                    Object nv = Terms.normalize(v);
                    return new Query("{m,_," + Terms.format(nv) + ",_} -> '$_'", MatchSpec.ofPattern(
                            Match.pattern(T, Match.ANY, v, Match.ANY)),
                            r -> Terms.same(r.get(2), nv) ? r : null);
                }
                case 2: {
                    Object v = randomValue();
                    Object nv = Terms.normalize(v);
                    Object c = Terms.normalize(WS.get(rnd.nextInt(WS.size())));
                    return new Query("{m,'$1'," + Terms.format(nv) + ",'$2'} when '$2' >= " + Terms.format(c)
                            + " -> {'$1','$2'}", MatchSpec.of(MatchSpec.clause(
                            Match.pattern(T, Match.var(1), v, Match.var(2)),
                            List.of(Match.call(">=", Match.var(2), c)),
                            List.of(Match.tuple(Match.var(1), Match.var(2))))),
                            r -> Terms.same(r.get(2), nv) && Terms.compareLoose(r.get(3), c) >= 0
                                    ? Tuple.of(r.get(1), r.get(3)) : null);
                }
                case 3: {
                    Object lo = Terms.normalize(BOUNDS.get(rnd.nextInt(BOUNDS.size())));
                    Object hi = Terms.normalize(BOUNDS.get(rnd.nextInt(BOUNDS.size())));
                    return new Query("key >= " + Terms.format(lo) + " andalso key < " + Terms.format(hi),
                            MatchSpec.of(MatchSpec.clause(Match.pattern(T, Match.var(1), Match.ANY, Match.ANY),
                                    List.of(Match.call(">=", Match.var(1), lo), Match.call("<", Match.var(1), hi)),
                                    List.of(Match.ALL))),
                            r -> Terms.compareLoose(r.get(1), lo) >= 0 && Terms.compareLoose(r.get(1), hi) < 0
                                    ? r : null);
                }
                case 4: {
                    Object b = Terms.normalize(BOUNDS.get(rnd.nextInt(BOUNDS.size())));
                    String op = List.of("<", "=<", ">", ">=", "==", "=:=").get(rnd.nextInt(6));
                    return new Query("key " + op + " " + Terms.format(b) + " -> '$1'", MatchSpec.of(
                            MatchSpec.clause(Match.pattern(T, Match.var(1), Match.ANY, Match.ANY),
                                    List.of(Match.call(op, Match.var(1), b)), List.of(Match.var(1)))),
                            r -> compareOp(op, r.get(1), b) ? r.get(1) : null);
                }
                case 5: {
                    Object k1 = randomKey();
                    Object k2 = randomKey();
                    Object n1 = Terms.normalize(k1);
                    Object n2 = Terms.normalize(k2);
                    return new Query("key in [" + Terms.format(n1) + ", " + Terms.format(n2) + "]", MatchSpec.of(
                            MatchSpec.clause(Match.pattern(T, k1, Match.ANY, Match.ANY), List.of(),
                                    List.of(Match.ALL)),
                            MatchSpec.clause(Match.pattern(T, k2, Match.ANY, Match.ANY), List.of(),
                                    List.of(Match.ALL))),
                            r -> Terms.same(r.get(1), n1) || Terms.same(r.get(1), n2) ? r : null);
                }
                case 6:
                    return new Query("{m,{1,'$1'},_,_}", MatchSpec.ofPattern(Match.pattern(T,
                            Match.pattern(1, Match.var(1)), Match.ANY, Match.ANY)),
                            r -> r.get(1) instanceof Tuple t && t.size() == 2 && Terms.same(t.get(0), 1L) ? r : null);
                case 7: {
                    Object v1 = Terms.normalize(randomValue());
                    Object v2 = Terms.normalize(randomValue());
                    return new Query("v in [" + Terms.format(v1) + ", " + Terms.format(v2) + "]", MatchSpec.of(
                            MatchSpec.clause(Match.pattern(T, Match.ANY, v1, Match.ANY), List.of(),
                                    List.of(Match.ALL)),
                            MatchSpec.clause(Match.pattern(T, Match.ANY, v2, Match.ANY), List.of(),
                                    List.of(Match.ALL))),
                            r -> Terms.same(r.get(2), v1) || Terms.same(r.get(2), v2) ? r : null);
                }
                default:
                    return new Query("all", MatchSpec.of(MatchSpec.clause(Match.ANY, List.of(), List.of(Match.ALL))),
                            r -> r);
            }
        }

        static boolean compareOp(String op, Object a, Object b) {
            return switch (op) {
                case "<" -> Terms.compareLoose(a, b) < 0;
                case "=<" -> Terms.compareLoose(a, b) <= 0;
                case ">" -> Terms.compareLoose(a, b) > 0;
                case ">=" -> Terms.compareLoose(a, b) >= 0;
                case "==" -> Terms.compareLoose(a, b) == 0;
                default -> Terms.compare(a, b) == 0;
            };
        }

        // ------------------------------------------------------------------------------------------- steps

        void step() {
            int r = rnd.nextInt(100);
            if (r < 24) {
                Op op = new Op("write", randomRecord(), null);
                note("dirty " + op);
                op.applyDirty(db, rnd.nextBoolean());
                op.apply(model);
                checkKey(new DirtyView(db), model, op.normalizedKey(), "after dirty write");
            } else if (r < 29) {
                Object k = rnd.nextInt(3) > 0 && !model.rows.isEmpty() ? model.randomRecord(rnd).get(1) : randomKey();
                Op op = new Op("delete", null, k);
                note("dirty " + op);
                op.applyDirty(db, true);
                op.apply(model);
                checkKey(new DirtyView(db), model, op.normalizedKey(), "after dirty delete");
            } else if (r < 37) {
                Tuple existing = rnd.nextInt(3) > 0 ? model.randomRecord(rnd) : null;
                Op op = new Op("delete_object", existing != null ? existing : randomRecord(), null);
                note("dirty " + op);
                op.applyDirty(db, rnd.nextBoolean());
                op.apply(model);
                checkKey(new DirtyView(db), model, op.normalizedKey(), "after dirty delete_object");
            } else if (r < 49) {
                committingTransaction();
            } else if (r < 53) {
                abortingTransaction();
            } else if (r < 56) {
                throwingTransaction();
            } else if (r < 90) {
                readCheck();
            } else if (r < 95) {
                chunkedSelect();
            } else if (r < 98 || (r == 99 && rnd.nextInt(4) > 0)) {
                note("table_info size");
                assertThat(db.tableInfo(T).size()).as("table_info size").isEqualTo(model.size());
            } else if (r == 98) {
                rebuildIndex();
            } else {
                note("clear_table");
                db.clearTable(T);
                model = new Model(type);
                verifyAll("after clear_table");
            }
        }

        /** Drops the index on v (queries must answer the same by scanning), then builds it again from the rows. */
        void rebuildIndex() {
            note("del_table_index v");
            db.delTableIndex(T, "v");
            assertThat(db.tableInfo(T).index()).isEmpty();
            try {
                db.dirtyIndexRead(T, randomValue(), "v");
                fail("index_read on an attribute that is no longer indexed");
            } catch (SchemaException expected) {
                // as documented
            }
            for (int i = 0; i < 3; i++) {
                Query q = randomQuery();
                assertThat(db.dirtySelect(T, q.spec)).as("without index: select " + q + " (plan "
                        + db.explainSelect(T, q.spec) + ")").isEqualTo(model.results(q, false));
            }
            note("add_table_index v");
            db.addTableIndex(T, "v");
            assertThat(db.tableInfo(T).index()).containsExactly("v");
            for (Object val : VALUES) {
                assertThat(db.dirtyIndexRead(T, val, "v")).as("rebuilt index: index_read " + Terms.format(val))
                        .isEqualTo(model.indexRead(Terms.normalize(val)));
            }
        }

        /** A view and the model it must agree with, for one check outside of a write transaction. */
        void readCheck() {
            int which = rnd.nextInt(8);
            if (rnd.nextBoolean()) {
                View v = new DirtyView(db);
                runCheck(which, v, model);
            } else {
                db.transaction(tx -> {
                    runCheck(which, new TxView(tx), model);
                    return null;
                });
            }
        }

        void runCheck(int which, View v, Model m) {
            switch (which) {
                case 0, 1 -> {
                    Object k = randomKey();
                    note(v.name() + " read " + Terms.format(Terms.normalize(k)));
                    assertThat(v.read(k)).as(v.name() + " read " + Terms.format(Terms.normalize(k)))
                            .isEqualTo(m.read(Terms.normalize(k)));
                }
                case 2 -> {
                    Object val = randomValue();
                    note(v.name() + " index_read v=" + Terms.format(Terms.normalize(val)));
                    assertThat(v.indexRead(val)).as(v.name() + " index_read v=" + Terms.format(val))
                            .isEqualTo(m.indexRead(Terms.normalize(val)));
                }
                case 3 -> {
                    note(v.name() + " all_keys");
                    assertThat(v.allKeys()).as(v.name() + " all_keys").isEqualTo(m.keys());
                }
                case 4 -> checkMatchObject(v, m);
                case 5 -> checkSelect(v, m);
                case 6 -> checkWalks(v, m);
                default -> checkFold(v, m);
            }
        }

        void checkKey(View v, Model m, Object key, String what) {
            assertThat(v.read(key)).as(what + ": " + v.name() + " read " + Terms.format(key)).isEqualTo(m.read(key));
        }

        void checkMatchObject(View v, Model m) {
            Object val = randomValue();
            Object nv = Terms.normalize(val);
            MatchPattern p;
            List<Tuple> expected;
            String desc;
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    p = Match.pattern(T, Match.ANY, val, Match.ANY);
                    expected = m.match(r -> Terms.same(r.get(2), nv));
                    desc = "{m,_," + Terms.format(nv) + ",_}";
                }
                case 1 -> {
                    Object w = Terms.normalize(WS.get(rnd.nextInt(WS.size())));
                    p = Match.pattern(T, Match.ANY, val, w);
                    expected = m.match(r -> Terms.same(r.get(2), nv) && Terms.same(r.get(3), w));
                    desc = "{m,_," + Terms.format(nv) + "," + Terms.format(w) + "}";
                }
                default -> {
                    Object k = randomKey();
                    Object nk = Terms.normalize(k);
                    p = Match.pattern(T, k, val, Match.var(1));
                    expected = m.match(r -> Terms.same(r.get(1), nk) && Terms.same(r.get(2), nv));
                    desc = "{m," + Terms.format(nk) + "," + Terms.format(nv) + ",'$1'}";
                }
            }
            note(v.name() + " match_object " + desc);
            assertThat(v.matchObject(p)).as(v.name() + " match_object " + desc).isEqualTo(expected);
        }

        void checkSelect(View v, Model m) {
            Query q = randomQuery();
            note(v.name() + " select " + q);
            assertThat(v.select(q.spec)).as(v.name() + " select " + q + " (plan "
                    + db.explainSelect(T, q.spec) + ")").isEqualTo(m.results(q, false));
            if (v.hasReverse()) {
                assertThat(v.selectReverse(q.spec)).as(v.name() + " select_reverse " + q + " (plan "
                        + db.explainSelect(T, q.spec) + ")").isEqualTo(m.results(q, true));
            }
        }

        void checkWalks(View v, Model m) {
            note(v.name() + " first/next/last/prev walks");
            List<Object> forward = new ArrayList<>();
            Optional<Object> k = v.first();
            assertThat(k).as(v.name() + " first").isEqualTo(m.rows.isEmpty() ? Optional.empty()
                    : Optional.of(m.rows.firstKey()));
            while (k.isPresent()) {
                forward.add(k.get());
                k = v.next(k.get());
            }
            assertThat(forward).as(v.name() + " first/next walk").isEqualTo(m.keys());
            List<Object> backward = new ArrayList<>();
            k = v.last();
            assertThat(k).as(v.name() + " last").isEqualTo(m.rows.isEmpty() ? Optional.empty()
                    : Optional.of(m.rows.lastKey()));
            while (k.isPresent()) {
                backward.add(k.get());
                k = v.prev(k.get());
            }
            List<Object> expected = m.keys();
            Collections.reverse(expected);
            assertThat(backward).as(v.name() + " last/prev walk").isEqualTo(expected);
            for (int i = 0; i < 3; i++) {
                Object probe = randomKey();
                Object np = Terms.normalize(probe);
                assertThat(v.next(probe)).as(v.name() + " next " + Terms.format(np))
                        .isEqualTo(Optional.ofNullable(m.rows.higherKey(np)));
                assertThat(v.prev(probe)).as(v.name() + " prev " + Terms.format(np))
                        .isEqualTo(Optional.ofNullable(m.rows.lowerKey(np)));
            }
        }

        void checkFold(View v, Model m) {
            note(v.name() + " foldl/foldr");
            assertThat(v.foldl()).as(v.name() + " foldl").isEqualTo(m.all());
            List<Tuple> r = v.foldr();
            if (r != null) {
                assertThat(r).as(v.name() + " foldr").isEqualTo(m.allReverse());
            }
        }

        /** A random check inside a transaction whose writes are in {@code shadow}. */
        void randomTxCheck(Tx tx, Model shadow) {
            int which = rnd.nextInt(9);
            if (which == 8) {
                selectInChunks(new TxView(tx), shadow, randomQuery(), 1 + rnd.nextInt(5), rnd.nextBoolean(), null);
            } else {
                runCheck(which, new TxView(tx), shadow);
            }
        }

        // ------------------------------------------------------------------------------------------- transactions

        /** Runs 1–5 random writes in {@code tx}, applying them to {@code shadow}; returns the keys touched. */
        List<Object> txWrites(Tx tx, Model shadow, String label) {
            int n = 1 + rnd.nextInt(5);
            List<Object> touched = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Op op = randomOp(shadow);
                note(label + " " + op);
                if (rnd.nextInt(8) == 0) {
                    // a nested transaction joins the outer one
                    db.transaction(inner -> {
                        op.applyTx(inner, rnd.nextBoolean());
                        return null;
                    });
                } else {
                    op.applyTx(tx, rnd.nextBoolean());
                }
                op.apply(shadow);
                touched.add(op.normalizedKey());
                if (rnd.nextInt(3) == 0) {
                    checkKey(new TxView(tx), shadow, op.normalizedKey(), label + " reads its own write");
                }
                if (rnd.nextInt(4) == 0) {
                    randomTxCheck(tx, shadow);
                }
            }
            return touched;
        }

        void committingTransaction() {
            note("transaction (commit)");
            Model result = db.transaction(tx -> {
                Model shadow = model.copy();
                txWrites(tx, shadow, "  tx");
                return shadow;
            });
            model = result;
            assertThat(db.isTransaction()).isFalse();
            if (rnd.nextBoolean()) {
                runCheck(rnd.nextInt(8), new DirtyView(db), model);
            }
        }

        void abortingTransaction() {
            note("transaction (abort)");
            Tuple reason = Tuple.of("model_abort", (long) opIndex);
            List<Object> touched = new ArrayList<>();
            boolean viaTry = rnd.nextBoolean();
            TxFunction<Object> fn = tx -> {
                Model shadow = model.copy();
                touched.clear();
                touched.addAll(txWrites(tx, shadow, "  aborting tx"));
                throw tx.abort(reason);
            };
            if (viaTry) {
                TxOutcome<Object> out = db.tryTransaction(fn);
                assertThat(out).as("tryTransaction after abort").isEqualTo(new TxOutcome.Aborted<>(reason));
            } else {
                try {
                    db.transaction(fn);
                    fail("transaction that called abort returned normally");
                } catch (TransactionAbortedException e) {
                    assertThat(e.abortReason()).as("abort reason").isEqualTo(reason);
                }
            }
            checkNoTrace(touched, "after abort");
        }

        void throwingTransaction() {
            note("transaction (throws)");
            RuntimeException boom = new IllegalStateException("model boom " + opIndex);
            List<Object> touched = new ArrayList<>();
            boolean viaTry = rnd.nextBoolean();
            TxFunction<Object> fn = tx -> {
                Model shadow = model.copy();
                touched.clear();
                touched.addAll(txWrites(tx, shadow, "  throwing tx"));
                throw boom;
            };
            if (viaTry) {
                TxOutcome<Object> out = db.tryTransaction(fn);
                assertThat(out).as("tryTransaction after throw").isEqualTo(new TxOutcome.Aborted<>(boom));
            } else {
                try {
                    db.transaction(fn);
                    fail("transaction that threw returned normally");
                } catch (IllegalStateException e) {
                    assertThat(e).as("exception rethrown by transaction").isSameAs(boom);
                }
            }
            checkNoTrace(touched, "after throw");
        }

        void checkNoTrace(List<Object> touched, String what) {
            assertThat(db.isTransaction()).isFalse();
            for (Object k : touched) {
                checkKey(new DirtyView(db), model, k, what);
            }
            assertThat(db.tableInfo(T).size()).as(what + ": size").isEqualTo(model.size());
            if (rnd.nextBoolean()) {
                Object val = randomValue();
                assertThat(db.dirtyIndexRead(T, val, "v")).as(what + ": index_read " + Terms.format(val))
                        .isEqualTo(model.indexRead(Terms.normalize(val)));
            } else {
                db.transaction(tx -> {
                    for (Object k : touched) {
                        checkKey(new TxView(tx), model, k, what + " (tx read)");
                    }
                    assertThat(tx.allKeys(T)).as(what + ": tx all_keys").isEqualTo(model.keys());
                    return null;
                });
            }
        }

        // ------------------------------------------------------------------------------------------- select/limit

        /**
         * A select with a limit resumed through its continuations until done, in one of three ways: dirty with
         * dirty writes between chunks; one transaction with its own writes between chunks (then committed); or
         * each chunk in its own transaction. Every chunk must hold exactly the results of the keys it covers,
         * stopping at the first key that reaches the limit.
         */
        void chunkedSelect() {
            Query q = randomQuery();
            int limit = 1 + rnd.nextInt(6);
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    note("dirty select " + q + " limit " + limit);
                    selectInChunks(new DirtyView(db), model, q, limit, false, () -> {
                        if (rnd.nextInt(3) == 0) {
                            Op op = randomOp(model);
                            note("  between chunks: dirty " + op);
                            op.applyDirty(db, true);
                            op.apply(model);
                        }
                    });
                }
                case 1 -> {
                    boolean reverse = rnd.nextBoolean();
                    note("tx select" + (reverse ? "_reverse " : " ") + q + " limit " + limit + " with writes");
                    model = db.transaction(tx -> {
                        Model shadow = model.copy();
                        selectInChunks(new TxView(tx), shadow, q, limit, reverse, () -> {
                            if (rnd.nextInt(3) == 0) {
                                Op op = randomOp(shadow);
                                note("  between chunks: tx " + op);
                                op.applyTx(tx, true);
                                op.apply(shadow);
                            }
                        });
                        return shadow;
                    });
                }
                default -> {
                    boolean reverse = rnd.nextBoolean();
                    note("tx select" + (reverse ? "_reverse " : " ") + q + " limit " + limit
                            + ", a transaction per chunk");
                    SelectChunk c = db.transaction(tx -> new TxView(tx).select(q.spec, limit, reverse));
                    Object prev = verifyChunk(model, q, limit, reverse, null, c, 0);
                    int i = 1;
                    while (c.hasMore()) {
                        Continuation k = c.continuation();
                        c = db.transaction(tx -> tx.select(k));
                        prev = verifyChunk(model, q, limit, reverse, prev, c, i++);
                    }
                }
            }
        }

        void selectInChunks(View v, Model m, Query q, int limit, boolean reverse, Runnable between) {
            SelectChunk c = v.select(q.spec, limit, reverse && v.hasReverse());
            boolean rev = reverse && v.hasReverse();
            Object prev = verifyChunk(m, q, limit, rev, null, c, 0);
            int i = 1;
            while (c.hasMore()) {
                if (between != null) {
                    between.run();
                }
                c = v.resume(c.continuation());
                prev = verifyChunk(m, q, limit, rev, prev, c, i++);
            }
        }

        /** Checks one chunk against the model; returns the chunk's last key. */
        Object verifyChunk(Model m, Query q, int limit, boolean reverse, Object prev, SelectChunk c, int index) {
            String what = "select" + (reverse ? "_reverse " : " ") + q + " limit " + limit + " chunk " + index
                    + " after " + (prev == null ? "start" : Terms.format(prev)) + " (plan "
                    + db.explainSelect(T, q.spec) + ")";
            if (!c.hasMore()) {
                assertThat(c.results()).as(what + " (last chunk)").isEqualTo(m.results(q, reverse, prev, null, true));
                return null;
            }
            Object last = c.continuation().lastKey;
            List<Object> expected = m.results(q, reverse, prev, last, true);
            assertThat(c.results()).as(what + " up to " + Terms.format(last)).isEqualTo(expected);
            assertThat(expected.size()).as(what + ": a chunk with a continuation reaches the limit")
                    .isGreaterThanOrEqualTo(limit);
            assertThat(m.results(q, reverse, prev, last, false).size())
                    .as(what + ": the chunk stops at the first key reaching the limit").isLessThan(limit);
            return last;
        }

        // ------------------------------------------------------------------------------------------- restarts

        void reopen() {
            reopens++;
            boolean stopStart = rnd.nextInt(3) == 0;
            note(stopStart ? "stop + start" : "close + reopen");
            if (stopStart) {
                db.stop();
                db.start();
            } else {
                db.close();
                db = Mnemo.open(dir);
            }
            db.waitForTables(db.tables(), Duration.ofSeconds(30));
            if (!storage.onDisc()) {
                model = new Model(type);
            }
            TableInfo info = db.tableInfo(T);
            assertThat(info.type()).isEqualTo(type);
            assertThat(info.storageType()).isEqualTo(storage);
            assertThat(info.index()).containsExactly("v");
            verifyAll("after " + (stopStart ? "stop/start" : "reopen"));
        }

        /** The whole table equals the model. */
        void verifyAll(String what) {
            DirtyView v = new DirtyView(db);
            assertThat(v.allKeys()).as(what + ": all_keys").isEqualTo(model.keys());
            assertThat(db.tableInfo(T).size()).as(what + ": size").isEqualTo(model.size());
            for (Object k : KEYS) {
                checkKey(v, model, Terms.normalize(k), what);
            }
            for (Object val : VALUES) {
                assertThat(v.indexRead(val)).as(what + ": index_read " + Terms.format(val))
                        .isEqualTo(model.indexRead(Terms.normalize(val)));
            }
            assertThat(v.foldl()).as(what + ": foldl").isEqualTo(model.all());
            db.transaction(tx -> {
                TxView tv = new TxView(tx);
                assertThat(tv.foldr()).as(what + ": tx foldr").isEqualTo(model.allReverse());
                assertThat(tv.first()).as(what + ": first").isEqualTo(model.rows.isEmpty() ? Optional.empty()
                        : Optional.of(model.rows.firstKey()));
                return null;
            });
        }
    }
}
