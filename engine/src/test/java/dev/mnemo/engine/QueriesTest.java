package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.match.Match;
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

/** Queries return the same rows on every storage type and take the narrowest access path. */
class QueriesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> storages() {
        return Stream.of(StorageType.values()).map(Arguments::of);
    }

    private Mnemo users(StorageType s) {
        Mnemo db = Mnemo.open(dir);
        db.createTable(TableDef.builder("users").attributes("id", "name", "email", "age").type(TableType.ORDERED_SET)
                .storage(s).index("email").build());
        db.transaction(tx -> {
            for (int i = 1; i <= 100; i++) {
                tx.write(Tuple.of("users", i, (i % 2 == 0 ? "A" : "B") + i, "u" + (i % 10) + "@x", 18 + i % 50));
            }
            return null;
        });
        return db;
    }

    private static long visited(Mnemo db) {
        return db.db.visitedKeys.sum();
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_headFixingKey_usesKeyLookup(StorageType s) {
        try (Mnemo db = users(s)) {
            MatchSpec spec = MatchSpec.parse("[{{users,7,'$1','_','_'},[],['$1']},{{users,9,'$1','_','_'},[],['$1']}]");
            assertThat(db.explainSelect("users", spec)).isEqualTo("key_lookup [7, 9]");
            long before = visited(db);
            assertThat(db.<List<Object>>transaction(tx -> tx.select("users", spec))).containsExactly("B7", "B9");
            assertThat(visited(db) - before).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_boundIndexedAttribute_usesIndex(StorageType s) {
        try (Mnemo db = users(s)) {
            MatchSpec spec = MatchSpec.parse("[{{users,'$1','_',\"u3@x\",'$2'},[{'>','$2',30}],[{{'$1','$2'}}]}]");
            assertThat(db.explainSelect("users", spec)).startsWith("index_read position 3");
            long before = visited(db);
            List<Object> rows = db.transaction(tx -> tx.select("users", spec));
            assertThat(visited(db) - before).isEqualTo(10);
            List<Object> expected = new ArrayList<>();
            for (int i = 3; i <= 100; i += 10) {
                if (18 + i % 50 > 30) {
                    expected.add(Tuple.of(i, 18 + i % 50));
                }
            }
            assertThat(rows).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_keyRangeGuards_walkOnlyThatRange_bothDirections(StorageType s) {
        try (Mnemo db = users(s)) {
            MatchSpec spec = MatchSpec.parse(
                    "[{{users,'$1','_','_','_'},[{'>=','$1',40},{'<','$1',45}],['$1']}]");
            assertThat(db.explainSelect("users", spec)).isEqualTo("range_walk [40, 45)");
            long before = visited(db);
            assertThat(db.<List<Object>>transaction(tx -> tx.select("users", spec))).containsExactly(40L, 41L, 42L, 43L, 44L);
            assertThat(visited(db) - before).isEqualTo(5);
            assertThat(db.<List<Object>>transaction(tx -> tx.selectReverse("users", spec)))
                    .containsExactly(44L, 43L, 42L, 41L, 40L);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_tupleKeyPrefix_walksOnlyPrefix(StorageType s) {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("lines").attributes("key", "qty").type(TableType.ORDERED_SET).storage(s)
                    .build());
            for (int order = 1; order <= 20; order++) {
                for (int line = 1; line <= 5; line++) {
                    db.dirtyWrite(Tuple.of("lines", Tuple.of(order, line), order * line));
                }
            }
            MatchSpec spec = MatchSpec.of(MatchSpec.clause(Match.pattern("lines", Match.pattern(7, Match.var(1)),
                    Match.var(2)), List.of(), List.of(Match.var(2))));
            assertThat(db.explainSelect("lines", spec)).startsWith("range_walk");
            long before = visited(db);
            assertThat(db.dirtySelect("lines", spec)).containsExactly(7L, 14L, 21L, 28L, 35L);
            assertThat(visited(db) - before).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_withLimit_resumesAcrossTransactionsAndWrites(StorageType s) {
        try (Mnemo db = users(s)) {
            MatchSpec spec = MatchSpec.parse("[{{users,'$1','_','_','_'},[{'<','$1',30}],['$1']}]");
            SelectChunk first = db.transaction(tx -> tx.select("users", spec, 10));
            assertThat(first.results()).hasSize(10).first().isEqualTo(1L);
            assertThat(first.hasMore()).isTrue();
            db.transaction(tx -> {
                tx.delete("users", 12);
                tx.write(Tuple.of("users", 11, "new", "n@x", 1));
                tx.write(Tuple.of("users", 5, "early", "e@x", 1));
                return null;
            });
            List<Object> rest = new ArrayList<>();
            SelectChunk c = first;
            while (c.hasMore()) {
                Continuation k = c.continuation();
                c = db.transaction(tx -> tx.select(k));
                rest.addAll(c.results());
            }
            List<Object> expected = new ArrayList<>();
            for (long i = 11; i < 30; i++) {
                if (i != 12) {
                    expected.add(i);
                }
            }
            assertThat(rest).isEqualTo(expected);
            SelectChunk dirty = db.dirtySelect("users", spec, 25);
            assertThat(dirty.results()).hasSize(25);
            assertThat(db.dirtySelect(dirty.continuation()).results()).hasSize(3);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_withLimit_doesNotGoOnAfterItsTableWasCleared(StorageType s) {
        try (Mnemo db = users(s)) {
            MatchSpec spec = MatchSpec.parse("[{{users,'$1','_','_','_'},[],['$1']}]");
            SelectChunk first = db.dirtySelect("users", spec, 10);
            assertThat(first.hasMore()).isTrue();
            db.clearTable("users");
            db.dirtyWrite(Tuple.of("users", 50, "after", "a@x", 1));
            assertThatThrownBy(() -> db.dirtySelect(first.continuation()))
                    .isInstanceOf(TransactionConflictException.class).hasMessageContaining("cleared");
            SelectChunk fresh = db.dirtySelect("users", spec, 10);
            assertThat(fresh.results()).containsExactly(50L);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void matchObject_withWildcards_andIndexRead(StorageType s) {
        try (Mnemo db = users(s)) {
            List<Tuple> m = db.transaction(tx -> tx.matchObject("users",
                    Match.pattern("users", Match.ANY, Match.ANY, "u5@x", 23)));
            assertThat(m).extracting(t -> t.get(1)).containsExactly(5L, 55L);
            assertThat(db.dirtyMatchObject("users", Match.pattern("users", 3, Match.ANY, Match.ANY, Match.ANY)))
                    .containsExactly(Tuple.of("users", 3, "B3", "u3@x", 21));
            assertThat(db.<List<Tuple>>transaction(tx -> tx.indexRead("users", "u0@x", "email"))).hasSize(10);
            assertThat(db.dirtyIndexRead("users", "u0@x", "email")).extracting(t -> t.get(1))
                    .containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void seedExample_namesStartingWithA_viaGuardOnFirstCharacter(StorageType s) {
        try (Mnemo db = users(s)) {
            MatchSpec spec = MatchSpec.parse(
                    "[{{users,'$1','$2','$3','$4'},[{'=:=',{hd,'$2'},65},{'<','$1',7}],['$$']}]");
            assertThat(db.<List<Object>>transaction(tx -> tx.select("users", spec))).containsExactly(
                    List.of(2L, "A2", "u2@x", 20L), List.of(4L, "A4", "u4@x", 22L), List.of(6L, "A6", "u6@x", 24L));
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void foldAndFirstNext_inTransaction(StorageType s) {
        try (Mnemo db = users(s)) {
            long sum = db.transaction(tx -> tx.foldl("users", 0L, (r, acc) -> acc + (Long) r.get(1)));
            assertThat(sum).isEqualTo(5050);
            List<Object> order = db.transaction(tx -> tx.foldr("users", new ArrayList<>(), (r, acc) -> {
                acc.add(r.get(1));
                return acc;
            }));
            assertThat(order).first().isEqualTo(100L);
            assertThat(db.<List<Object>>transaction(tx -> List.of(tx.first("users").orElseThrow(), tx.last("users").orElseThrow(),
                    tx.next("users", 50).orElseThrow(), tx.prev("users", 50).orElseThrow())))
                    .containsExactly(1L, 100L, 51L, 49L);
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void selectReverse_onBags_keepsEachKeysRecordOrder_onEveryAccessPath(StorageType s) {
        try (Mnemo db = Mnemo.open(dir)) {
            for (TableType t : List.of(TableType.BAG, TableType.DUPLICATE_BAG)) {
                String tab = t.mnesiaName();
                db.createTable(TableDef.builder(tab).attributes("k", "v", "w").type(t).storage(s).index("v").build());
                for (int k = 1; k <= 3; k++) {
                    for (int w = 1; w <= 3; w++) {
                        db.dirtyWrite(Tuple.of(tab, k, "x", w));
                    }
                }
                List<Object> expected = new ArrayList<>();
                for (int k = 3; k >= 1; k--) {
                    for (int w = 1; w <= 3; w++) {
                        expected.add(Tuple.of(tab, k, "x", w));
                    }
                }
                MatchSpec byIndex = MatchSpec.ofPattern(Match.pattern(tab, Match.ANY, "x", Match.ANY));
                MatchSpec byScan = MatchSpec.ofPattern(Match.pattern(tab, Match.ANY, Match.ANY, Match.ANY));
                assertThat(db.explainSelect(tab, byIndex)).startsWith("index_read");
                assertThat(db.explainSelect(tab, byScan)).isEqualTo("full_scan");
                assertThat(db.<List<Object>>transaction(tx -> tx.selectReverse(tab, byScan))).as(tab)
                        .isEqualTo(expected);
                assertThat(db.<List<Object>>transaction(tx -> tx.selectReverse(tab, byIndex))).as(tab)
                        .isEqualTo(expected);
                assertThat(db.<List<Object>>transaction(tx -> {
                    SelectChunk c = tx.selectReverse(tab, byIndex, 2);
                    List<Object> out = new ArrayList<>(c.results());
                    while (c.hasMore()) {
                        c = tx.select(c.continuation());
                        out.addAll(c.results());
                    }
                    return out;
                })).as(tab).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_boundsOnTypedKey_returnExactlyTheRecordsInRange_alsoWithOwnWrites(StorageType s) {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("nums").attribute("id", AttrType.INTEGER).attribute("v", AttrType.ANY)
                    .type(TableType.ORDERED_SET).storage(s).build());
            db.transaction(tx -> {
                for (int i = 0; i < 200; i += 2) {
                    tx.write(Tuple.of("nums", i, "c" + i));
                }
                return null;
            });
            java.util.Random rnd = new java.util.Random(42);
            String[] ops = {"<", "=<", ">", ">="};
            for (int round = 0; round < 60; round++) {
                String op1 = ops[rnd.nextInt(4)];
                String op2 = ops[rnd.nextInt(4)];
                long c1 = rnd.nextInt(220) - 10;
                long c2 = rnd.nextInt(220) - 10;
                boolean reverse = rnd.nextBoolean();
                MatchSpec spec = MatchSpec.of(MatchSpec.clause(Match.pattern("nums", Match.var(1), Match.ANY),
                        List.of(Match.call(op1, Match.var(1), c1), Match.call(op2, c2, Match.var(1))),
                        List.of(Match.ALL)));
                List<Object> seen = new ArrayList<>();
                int r = round;
                db.transaction(tx -> {
                    // an odd key written by this transaction is merged into the walk
                    tx.write(Tuple.of("nums", 2 * r + 1, "own"));
                    seen.addAll(reverse ? tx.selectReverse("nums", spec) : tx.select("nums", spec));
                    return null;
                });
                List<Object> expected = new ArrayList<>();
                db.transaction(tx -> {
                    for (Object o : tx.select("nums", MatchSpec.ofPattern(Match.pattern("nums", Match.ANY, Match.ANY)))) {
                        long k = (Long) ((Tuple) o).get(1);
                        if (holds(op1, k, c1) && holds(op2, c2, k)) {
                            expected.add(o);
                        }
                    }
                    return null;
                });
                if (reverse) {
                    java.util.Collections.reverse(expected);
                }
                assertThat(seen).as("%s %s %d, %d %s %s", "$1", op1, c1, c2, op2, "$1").isEqualTo(expected);
                db.transaction(tx -> {
                    tx.delete("nums", (long) (2 * r + 1));
                    return null;
                });
            }
        }
    }

    private static boolean holds(String op, long a, long b) {
        return switch (op) {
            case "<" -> a < b;
            case "=<" -> a <= b;
            case ">" -> a > b;
            default -> a >= b;
        };
    }

    @ParameterizedTest
    @MethodSource("storages")
    void select_boundsOnUntypedKeyWithEqualNumbersOfOtherTypes_keepLooseComparison(StorageType s) {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("mixed").attributes("k", "v").type(TableType.ORDERED_SET).storage(s)
                    .build());
            db.transaction(tx -> {
                tx.write(Tuple.of("mixed", 4, "a"));
                tx.write(Tuple.of("mixed", 5, "b"));
                tx.write(Tuple.of("mixed", 5.0, "c"));
                tx.write(Tuple.of("mixed", new java.math.BigDecimal("5.5"), "d"));
                tx.write(Tuple.of("mixed", 6, "e"));
                return null;
            });
            MatchSpec above5 = MatchSpec.parse("[{{mixed,'$1','_'},[{'>','$1',5}],['$_']}]");
            MatchSpec atMost5 = MatchSpec.parse("[{{mixed,'$1','_'},[{'=<','$1',5}],['$_']}]");
            MatchSpec below5 = MatchSpec.parse("[{{mixed,'$1','_'},[{'<','$1',5.0}],['$_']}]");

            assertThat(db.<List<Object>>transaction(tx -> tx.select("mixed", above5)))
                    .containsExactly(Tuple.of("mixed", new java.math.BigDecimal("5.5"), "d"), Tuple.of("mixed", 6, "e"));
            assertThat(db.<List<Object>>transaction(tx -> tx.select("mixed", atMost5)))
                    .containsExactly(Tuple.of("mixed", 4, "a"), Tuple.of("mixed", 5, "b"), Tuple.of("mixed", 5.0, "c"));
            assertThat(db.<List<Object>>transaction(tx -> tx.select("mixed", below5)))
                    .containsExactly(Tuple.of("mixed", 4, "a"));
        }
    }
}
