package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** write / delete / delete_object follow Mnesia for each table type, identically on every storage type. */
class TableSemanticsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> storages() {
        return Stream.of(StorageType.values()).map(Arguments::of);
    }

    private Mnemo open(StorageType s) {
        Mnemo db = Mnemo.open(dir);
        for (TableType t : TableType.values()) {
            db.createTable(TableDef.builder(t.mnesiaName()).attributes("k", "v").type(t).storage(s).index("v")
                    .build());
        }
        return db;
    }

    private static Tuple rec(TableType t, Object k, Object v) {
        return Tuple.of(t.mnesiaName(), k, v);
    }

    @ParameterizedTest
    @MethodSource("storages")
    void set_writeSameKey_replaces(StorageType s) {
        try (Mnemo db = open(s)) {
            for (TableType t : List.of(TableType.SET, TableType.ORDERED_SET)) {
                db.dirtyWrite(rec(t, 1, "a"));
                db.dirtyWrite(rec(t, 1, "b"));
                assertThat(db.dirtyRead(t.mnesiaName(), 1)).containsExactly(rec(t, 1, "b"));
                assertThat(db.dirtyIndexRead(t.mnesiaName(), "a", "v")).isEmpty();
                assertThat(db.dirtyIndexRead(t.mnesiaName(), "b", "v")).containsExactly(rec(t, 1, "b"));
                db.dirtyDeleteObject(rec(t, 1, "a"));
                assertThat(db.dirtyRead(t.mnesiaName(), 1)).hasSize(1);
                db.dirtyDeleteObject(rec(t, 1, "b"));
                assertThat(db.dirtyRead(t.mnesiaName(), 1)).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void bag_keepsDistinctRecordsInTermOrder_andDropsIdenticalOnes(StorageType s) {
        try (Mnemo db = open(s)) {
            TableType t = TableType.BAG;
            db.dirtyWrite(rec(t, 1, "c"));
            db.dirtyWrite(rec(t, 1, "a"));
            db.dirtyWrite(rec(t, 1, "c"));
            db.dirtyWrite(rec(t, 1, "b"));
            assertThat(db.dirtyRead("bag", 1)).containsExactly(rec(t, 1, "a"), rec(t, 1, "b"), rec(t, 1, "c"));
            db.dirtyDeleteObject(rec(t, 1, "b"));
            assertThat(db.dirtyRead("bag", 1)).containsExactly(rec(t, 1, "a"), rec(t, 1, "c"));
            assertThat(db.dirtyIndexRead("bag", "b", "v")).isEmpty();
            db.dirtyDelete("bag", 1);
            assertThat(db.dirtyRead("bag", 1)).isEmpty();
            assertThat(db.dirtyIndexRead("bag", "a", "v")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void duplicateBag_keepsDuplicatesInInsertionOrder_deleteObjectRemovesAllCopies(StorageType s) {
        try (Mnemo db = open(s)) {
            TableType t = TableType.DUPLICATE_BAG;
            db.dirtyWrite(rec(t, 1, "z"));
            db.dirtyWrite(rec(t, 1, "a"));
            db.dirtyWrite(rec(t, 1, "z"));
            assertThat(db.dirtyRead("duplicate_bag", 1))
                    .containsExactly(rec(t, 1, "z"), rec(t, 1, "a"), rec(t, 1, "z"));
            assertThat(db.tableInfo("duplicate_bag").size()).isEqualTo(3);
            db.dirtyDeleteObject(rec(t, 1, "z"));
            assertThat(db.dirtyRead("duplicate_bag", 1)).containsExactly(rec(t, 1, "a"));
            assertThat(db.dirtyIndexRead("duplicate_bag", "z", "v")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void orderedSet_iteratesInTermOrder_includingMixedKeyKinds(StorageType s) {
        try (Mnemo db = open(s)) {
            TableType t = TableType.ORDERED_SET;
            List<Object> keys = List.of("b", -5, 2.5, "a", 10, Tuple.of(1, 2), -0.5, 3);
            for (Object k : keys) {
                db.dirtyWrite(rec(t, k, "x"));
            }
            assertThat(db.dirtyAllKeys("ordered_set"))
                    .containsExactly(-5L, -0.5, 2.5, 3L, 10L, "a", "b", Tuple.of(1, 2));
            assertThat(db.dirtyFirst("ordered_set")).contains(-5L);
            assertThat(db.dirtyLast("ordered_set")).contains(Tuple.of(1, 2));
            assertThat(db.dirtyNext("ordered_set", 3)).contains(10L);
            assertThat(db.dirtyNext("ordered_set", 4)).contains(10L);
            assertThat(db.dirtyPrev("ordered_set", "a")).contains(10L);
            assertThat(db.dirtyNext("ordered_set", Tuple.of(1, 2))).isEmpty();
            List<Object> walked = new ArrayList<>();
            Object k = db.dirtyLast("ordered_set").orElseThrow();
            while (k != null) {
                walked.add(k);
                k = db.dirtyPrev("ordered_set", k).orElse(null);
            }
            assertThat(walked).hasSize(keys.size()).first().isEqualTo(Tuple.of(1, 2));
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void allTypes_surviveReopen_whenOnDisc(StorageType s) {
        try (Mnemo db = open(s)) {
            for (TableType t : TableType.values()) {
                db.transaction(tx -> {
                    tx.write(rec(t, 1, "a"));
                    tx.write(rec(t, 1, "b"));
                    tx.write(rec(t, 2, "b"));
                    return null;
                });
            }
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(db.tables(), java.time.Duration.ofSeconds(10));
            for (TableType t : TableType.values()) {
                int expected = s == StorageType.RAM_COPIES ? 0 : t.isBag() ? 3 : 2;
                assertThat(db.tableInfo(t.mnesiaName()).size()).as(t + "/" + s).isEqualTo(expected);
                if (s.onDisc()) {
                    assertThat(db.dirtyIndexRead(t.mnesiaName(), "b", "v")).as(t + "/" + s)
                            .hasSize(t.isBag() ? 2 : 2);
                    assertThat(db.tableInfo(t.mnesiaName()).storageType()).isEqualTo(s);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void indexedAttribute_mayHoldNull(StorageType s) {
        try (Mnemo db = open(s)) {
            for (TableType t : TableType.values()) {
                String tab = t.mnesiaName();
                db.dirtyWrite(rec(t, 1, null));
                db.transaction(tx -> {
                    tx.write(rec(t, 2, null));
                    tx.write(rec(t, 3, "a"));
                    return null;
                });
                assertThat(db.dirtyIndexRead(tab, null, "v")).as(tab).containsExactly(rec(t, 1, null), rec(t, 2, null));
                assertThat(db.<List<Tuple>>transaction(tx -> tx.indexRead(tab, null, "v"))).as(tab)
                        .containsExactly(rec(t, 1, null), rec(t, 2, null));
                db.dirtyDelete(tab, 1);
                db.dirtyDeleteObject(rec(t, 2, null));
                assertThat(db.dirtyIndexRead(tab, null, "v")).as(tab).isEmpty();
                assertThat(db.dirtyIndexRead(tab, "a", "v")).as(tab).containsExactly(rec(t, 3, "a"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void bagTypes_walkBackwards_withSeveralRecordsPerKey(StorageType s) {
        try (Mnemo db = open(s)) {
            for (TableType t : List.of(TableType.BAG, TableType.DUPLICATE_BAG)) {
                String tab = t.mnesiaName();
                List<Tuple> all = new ArrayList<>();
                for (String k : List.of("a", "b", "c", "d")) {
                    for (String v : k.equals("b") ? List.of("x") : List.of("x", "y", "z")) {
                        db.dirtyWrite(rec(t, k, v));
                        all.add(rec(t, k, v));
                    }
                }
                assertThat(db.dirtyLast(tab)).as(tab).contains("d");
                List<Object> walked = new ArrayList<>();
                for (Object k = db.dirtyLast(tab).orElse(null); k != null; k = db.dirtyPrev(tab, k).orElse(null)) {
                    walked.add(k);
                }
                assertThat(walked).as(tab).containsExactly("d", "c", "b", "a");
                assertThat(db.dirtyPrev(tab, "c")).as(tab).contains("b");
                List<Tuple> folded = db.transaction(tx -> tx.foldr(tab, new ArrayList<Tuple>(), (r, acc) -> {
                    acc.add(r);
                    return acc;
                }));
                List<Tuple> expected = new ArrayList<>();
                for (int from = all.size(); from > 0; ) {
                    int to = from;
                    while (from > 0 && all.get(from - 1).get(1).equals(all.get(to - 1).get(1))) {
                        from--;
                    }
                    expected.addAll(all.subList(from, to));
                }
                assertThat(folded).as(tab + " foldr: keys descending, a key's records in its order")
                        .isEqualTo(expected);
                // an upper bound equal to a key (inclusive and exclusive), in one go and chunk by chunk
                MatchSpec upTo = MatchSpec.parse(
                        "[{{" + tab + ",'$1','_'},[{'=<','$1',\"c\"}],['$_']}]");
                MatchSpec below = MatchSpec.parse(
                        "[{{" + tab + ",'$1','_'},[{'<','$1',\"c\"}],['$_']}]");
                assertThat(db.<List<Object>>transaction(tx -> tx.selectReverse(tab, upTo)))
                        .as(tab).isEqualTo(new ArrayList<Object>(expected.subList(3, expected.size())));
                assertThat(db.<List<Object>>transaction(tx -> tx.selectReverse(tab, below)))
                        .as(tab).isEqualTo(new ArrayList<Object>(expected.subList(6, expected.size())));
                List<Object> chunked = db.transaction(tx -> {
                    List<Object> out = new ArrayList<>();
                    SelectChunk c = tx.selectReverse(tab, upTo, 2);
                    out.addAll(c.results());
                    while (c.hasMore()) {
                        c = tx.select(c.continuation());
                        out.addAll(c.results());
                    }
                    return out;
                });
                assertThat(chunked).as(tab).isEqualTo(new ArrayList<Object>(expected.subList(3, expected.size())));
            }
        }
    }
}
