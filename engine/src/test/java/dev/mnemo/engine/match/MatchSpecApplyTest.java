package dev.mnemo.engine.match;

import static dev.mnemo.engine.match.Match.ALL;
import static dev.mnemo.engine.match.Match.ALL_VARS;
import static dev.mnemo.engine.match.Match.ANY;
import static dev.mnemo.engine.match.Match.call;
import static dev.mnemo.engine.match.Match.pattern;
import static dev.mnemo.engine.match.Match.tuple;
import static dev.mnemo.engine.match.Match.var;
import static dev.mnemo.engine.match.MatchSpec.clause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MatchSpecApplyTest {
    private static final Tuple ALICE = Tuple.of("users", 1, "Alice", 42);
    private static final Tuple BOB = Tuple.of("users", 2, "Bob", 25);

    private static CompiledMatchSpec spec(Object head, List<?> guards, List<?> body) {
        return MatchSpec.of(clause(head, guards, body)).compile();
    }

    @Test
    void apply_seedExampleUsersOver30StartingWithA_returnsAllVars() {
        CompiledMatchSpec s = MatchSpec.parse(
                "[{{users,'$1','$3','$2'},[{'>','$2',30},{'=:=',{hd,'$3'},65}],['$$']}]").compile();

        assertThat(s.apply(ALICE)).isEqualTo(List.of(1L, 42L, "Alice"));
        assertThat(s.apply(BOB)).isSameAs(CompiledMatchSpec.NO_MATCH);
        assertThat(s.apply(Tuple.of("users", 3, "Ann", 20))).isSameAs(CompiledMatchSpec.NO_MATCH);
    }

    @Test
    void apply_seedExampleSessionsConstructedTuple_returnsVarAndWholeObject() {
        CompiledMatchSpec s = MatchSpec.parse("[{{sessions,'_','$1','_'},[],[{{'$1','$_'}}]}]").compile();
        Tuple session = Tuple.of("sessions", "s1", "alice", 99);

        assertThat(s.apply(session)).isEqualTo(Tuple.of("alice", session));
    }

    @Test
    void apply_groundElements_matchByExactEqualitySo1DoesNotMatch1Point0() {
        CompiledMatchSpec s = MatchSpec.ofPattern(pattern("t", 1, ANY)).compile();

        assertThat(s.matches(Tuple.of("t", 1, "x"))).isTrue();
        assertThat(s.matches(Tuple.of("t", 1.0, "x"))).isFalse();
        assertThat(s.matches(Tuple.of("u", 1, "x"))).isFalse();
    }

    @Test
    void apply_patternSizeDiffersFromObject_noMatch() {
        CompiledMatchSpec s = MatchSpec.ofPattern(pattern("t", ANY)).compile();

        assertThat(s.matches(Tuple.of("t", 1, 2))).isFalse();
        assertThat(s.matches(Tuple.of("t", 1))).isTrue();
    }

    @Test
    void apply_ofPattern_returnsWholeObject() {
        CompiledMatchSpec s = MatchSpec.ofPattern(pattern("users", ANY, "Alice", ANY)).compile();

        assertThat(s.apply(ALICE)).isSameAs(ALICE);
        assertThat(s.apply(BOB)).isSameAs(CompiledMatchSpec.NO_MATCH);
    }

    @Test
    void apply_repeatedVariable_requiresEqualValues() {
        CompiledMatchSpec s = spec(pattern("pair", var(1), var(1)), List.of(), List.of(var(1)));

        assertThat(s.apply(Tuple.of("pair", "a", "a"))).isEqualTo("a");
        assertThat(s.matches(Tuple.of("pair", "a", "b"))).isFalse();
        assertThat(s.matches(Tuple.of("pair", 1, 1.0))).isFalse();
    }

    @Test
    void apply_repeatedVariableAcrossNestingLevels_requiresEqualValues() {
        CompiledMatchSpec s = spec(pattern("e", var(1), pattern("inner", var(1), var(2))), List.of(),
                List.of(var(2)));

        assertThat(s.apply(Tuple.of("e", 7, Tuple.of("inner", 7, "z")))).isEqualTo("z");
        assertThat(s.matches(Tuple.of("e", 7, Tuple.of("inner", 8, "z")))).isFalse();
    }

    @Test
    void apply_nestedTuplePattern_matchesNestedTupleOfSameSize() {
        CompiledMatchSpec s = spec(pattern("geo", pattern("point", var(1), ANY), ANY), List.of(), List.of(var(1)));

        assertThat(s.apply(Tuple.of("geo", Tuple.of("point", 3, 4), "x"))).isEqualTo(3L);
        assertThat(s.matches(Tuple.of("geo", Tuple.of("point", 3, 4, 5), "x"))).isFalse();
        assertThat(s.matches(Tuple.of("geo", Tuple.of("line", 3, 4), "x"))).isFalse();
        assertThat(s.matches(Tuple.of("geo", "not a tuple", "x"))).isFalse();
    }

    @Test
    void apply_listInPattern_matchesListElementWiseWithSameLength() {
        CompiledMatchSpec s = spec(pattern("l", List.of(var(1), ANY, 3)), List.of(), List.of(var(1)));

        assertThat(s.apply(Tuple.of("l", List.of("a", "b", 3)))).isEqualTo("a");
        assertThat(s.matches(Tuple.of("l", List.of("a", "b", 4)))).isFalse();
        assertThat(s.matches(Tuple.of("l", List.of("a", "b")))).isFalse();
        assertThat(s.matches(Tuple.of("l", "abc"))).isFalse();
    }

    @Test
    void apply_headAnyOrVariable_matchesAnyObject() {
        assertThat(spec(ANY, List.of(), List.of("yes")).apply(ALICE)).isEqualTo("yes");
        assertThat(spec(var(5), List.of(), List.of(var(5))).apply(ALICE)).isSameAs(ALICE);
    }

    @Test
    void apply_bodyDollarDollarVsDollarUnderscoreVsConstructedTuple_giveDifferentShapes() {
        MatchPattern head = pattern("users", var(2), var(1), ANY);

        assertThat(spec(head, List.of(), List.of(ALL_VARS)).apply(ALICE)).isEqualTo(List.of("Alice", 1L));
        assertThat(spec(head, List.of(), List.of(ALL)).apply(ALICE)).isSameAs(ALICE);
        assertThat(spec(head, List.of(), List.of(tuple(var(1), "user", var(2)))).apply(ALICE))
                .isEqualTo(Tuple.of("Alice", "user", 1));
    }

    @Test
    void apply_dollarDollar_ordersByVariableNumberEvenWithGaps() {
        CompiledMatchSpec s = spec(pattern("t", var(7), var(0), var(3)), List.of(), List.of(ALL_VARS));

        assertThat(s.apply(Tuple.of("t", "seven", "zero", "three"))).isEqualTo(List.of("zero", "three", "seven"));
    }

    @Test
    void apply_hugeVariableNumbers_useDenseSlots() {
        CompiledMatchSpec s = spec(pattern("t", var(100_000_000), var(99_999_999)), List.of(), List.of(ALL_VARS));

        assertThat(s.apply(Tuple.of("t", "a", "b"))).isEqualTo(List.of("b", "a"));
    }

    @Test
    void apply_bodyWithSeveralExpressions_returnsLast() {
        CompiledMatchSpec s = spec(pattern("users", var(1), ANY, ANY), List.of(), List.of(ALL, var(1)));

        assertThat(s.apply(ALICE)).isEqualTo(1L);
    }

    @Test
    void apply_bodyListAndConstants_evaluatedElementWise() {
        CompiledMatchSpec s = spec(pattern("users", var(1), var(2), ANY), List.of(),
                List.of(List.of(var(2), "const", call("+", var(1), 10), List.of(var(1)))));

        assertThat(s.apply(ALICE)).isEqualTo(List.of("Alice", "const", 11L, List.of(1L)));
    }

    @Test
    void apply_tupleValueInBody_isAConstant() {
        Tuple constant = Tuple.of("a", 1);
        CompiledMatchSpec s = spec(ANY, List.of(), List.of(constant));

        assertThat(s.apply(ALICE)).isEqualTo(constant);
    }

    @Test
    void apply_firstMatchingClauseWins() {
        CompiledMatchSpec s = MatchSpec.of(
                clause(pattern("users", ANY, ANY, var(1)), List.of(call(">", var(1), 40)), List.of("old")),
                clause(pattern("users", ANY, ANY, ANY), List.of(), List.of("any")),
                clause(ANY, List.of(), List.of("never"))).compile();

        assertThat(s.apply(ALICE)).isEqualTo("old");
        assertThat(s.apply(BOB)).isEqualTo("any");
    }

    @Test
    void apply_laterClauseDoesNotSeeBindingsOfFailedEarlierClause() {
        CompiledMatchSpec s = MatchSpec.of(
                clause(pattern("t", var(1), "x"), List.of(), List.of(var(1))),
                clause(pattern("t", ANY, var(1)), List.of(), List.of(ALL_VARS))).compile();

        assertThat(s.apply(Tuple.of("t", "first", "y"))).isEqualTo(List.of("y"));
    }

    @Test
    void apply_guardDividesByZero_clauseFailsNotThrows() {
        CompiledMatchSpec s = MatchSpec.of(
                clause(pattern("users", var(1), ANY, ANY), List.of(call(">", call("div", 10, 0), var(1))),
                        List.of("first")),
                clause(ANY, List.of(), List.of("fallback"))).compile();

        assertThat(s.apply(ALICE)).isEqualTo("fallback");
    }

    @Test
    void apply_guardWithWrongTypeArithmetic_clauseFailsNotThrows() {
        CompiledMatchSpec s = spec(pattern("users", ANY, var(1), ANY), List.of(call(">", call("+", var(1), 1), 0)),
                List.of(ALL));

        assertThat(s.matches(ALICE)).isFalse();
    }

    @Test
    void apply_guardNotExactlyTrue_clauseFails() {
        assertThat(spec(ANY, List.of(1), List.of("r")).matches(ALICE)).isFalse();
        assertThat(spec(ANY, List.of("true"), List.of("r")).matches(ALICE)).isFalse();
        assertThat(spec(ANY, List.of(true), List.of("r")).matches(ALICE)).isTrue();
        assertThat(spec(ANY, List.of(), List.of("r")).matches(ALICE)).isTrue();
    }

    @Test
    void apply_bodyRaises_returnsExitAsErlangDoes() {
        CompiledMatchSpec s = spec(pattern("users", ANY, var(1), ANY), List.of(), List.of(call("+", var(1), 1)));

        assertThat(s.apply(ALICE)).isEqualTo(CompiledMatchSpec.EXIT);
        assertThat(s.matches(ALICE)).isTrue();
    }

    @Test
    void test_bodyRaises_throwsDescribingTheError() {
        MatchSpec s = MatchSpec.of(clause(pattern("users", ANY, var(1), ANY), List.of(),
                List.of(call("+", var(1), 1))));

        assertThatThrownBy(() -> s.test(ALICE)).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("clause 1").hasMessageContaining("badarith").hasMessageContaining("Alice");
        assertThat(s.test(Tuple.of("other"))).isSameAs(CompiledMatchSpec.NO_MATCH);
    }

    @Test
    void test_validSpec_returnsResult() {
        MatchSpec s = MatchSpec.parse("[{{users,'$1','_','_'},[],['$1']}]");

        assertThat(s.test(ALICE)).isEqualTo(1L);
    }

    @Test
    void test_invalidSpec_throwsMatchSpecException() {
        MatchSpec s = MatchSpec.of(clause(ANY, List.of(), List.of(var(1))));

        assertThatThrownBy(() -> s.test(ALICE)).isInstanceOf(MatchSpecException.class).hasMessageContaining("'$1'");
    }

    @Test
    void apply_mapInBodyWithExpressionValues_isConstructed() {
        CompiledMatchSpec s = spec(pattern("users", var(1), var(2), ANY), List.of(),
                List.of(java.util.Map.of("id", var(1), "name", var(2))));

        assertThat(s.apply(ALICE)).isEqualTo(java.util.Map.of("id", 1L, "name", "Alice"));
    }

    @Test
    void apply_nullElements_matchNullAndIsNull() {
        CompiledMatchSpec s = spec(pattern("t", null, var(1)), List.of(call("is_null", var(1))), List.of(ALL));

        assertThat(s.matches(Tuple.of("t", null, null))).isTrue();
        assertThat(s.matches(Tuple.of("t", null, 1))).isFalse();
        assertThat(s.matches(Tuple.of("t", 0, null))).isFalse();
    }

    @Test
    void compile_isCachedAndSharedAcrossThreads() throws Exception {
        MatchSpec spec = MatchSpec.parse("[{{n,'$1','$2'},[{'<','$1','$2'}],[{'*','$1','$2'}]}]");
        CompiledMatchSpec s = spec.compile();
        assertThat(spec.compile()).isSameAs(s);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    long sum = 0;
                    for (long i = 0; i < 10_000; i++) {
                        Object r = s.apply(Tuple.of("n", i, i + 1));
                        sum += (Long) r;
                    }
                    return sum;
                }));
            }
            long expected = 0;
            for (long i = 0; i < 10_000; i++) {
                expected += i * (i + 1);
            }
            for (Future<Long> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }
}
