package dev.mnemo.engine.match;

import static dev.mnemo.engine.match.Match.ALL;
import static dev.mnemo.engine.match.Match.ANY;
import static dev.mnemo.engine.match.Match.call;
import static dev.mnemo.engine.match.Match.pattern;
import static dev.mnemo.engine.match.Match.var;
import static dev.mnemo.engine.match.MatchSpec.clause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyHintTest {
    private static KeyHint hint(String spec) {
        return MatchSpec.parse(spec).compile().keyHint(1);
    }

    @Test
    void keyHint_fixedKey_givesExactKey() {
        KeyHint h = hint("[{{users,42,'$1','_'},[],['$1']}]");

        assertThat(h.exactKeys()).containsExactly(42L);
        assertThat(h.isNone()).isFalse();
    }

    @Test
    void keyHint_twoClausesFixingTwoKeys_givesBothSorted() {
        KeyHint h = hint("[{{users,\"b\",'_','_'},[],['$_']},{{users,\"a\",'_','_'},[],['$_']},"
                + "{{users,\"b\",'_',1},[],['$_']}]");

        assertThat(h.exactKeys()).containsExactly("a", "b");
    }

    @Test
    void keyHint_keyVarEqualsConstantInGuard_givesExactKey() {
        assertThat(hint("[{{users,'$1','_'},[{'=:=','$1',7}],['$_']}]").exactKeys()).containsExactly(7L);
        assertThat(hint("[{{users,'$1','_'},[{'==',\"k\",'$1'}],['$_']}]").exactKeys()).containsExactly("k");
    }

    @Test
    void keyHint_keyVarWithGreaterAndLessOrEqualGuards_givesRange() {
        KeyHint h = hint("[{{users,'$1','_'},[{'>','$1',10},{'=<','$1',20}],['$_']}]");

        assertThat(h.exactKeys()).isNull();
        assertRange(h, 10L, false, 20L, true);
    }

    @Test
    void keyHint_rangeInsideAndalsoWithConstantOnLeft_isUsed() {
        KeyHint h = hint("[{{users,'$1','_'},[{andalso,{'=<',5,'$1'},{'<','$1',9}}],['$_']}]");

        assertRange(h, 5L, true, 9L, false);
    }

    @Test
    void keyHint_onlyLowerBound_upperIsUnbounded() {
        KeyHint h = hint("[{{users,'$1','_'},[{'>=','$1',\"m\"}],['$_']}]");

        assertThat(h.lower()).isEqualTo("m");
        assertThat(h.lowerInclusive()).isTrue();
        assertThat(h.upper()).isNull();
        assertThat(h.upperInclusive()).isFalse();
    }

    @Test
    void keyHint_looseBoundsCoverEqualNumbersOfOtherTypes() {
        CompiledMatchSpec s = MatchSpec.parse("[{{t,'$1'},[{'>=','$1',1.0},{'=<','$1',2}],['$_']}]").compile();
        KeyHint h = s.keyHint(1);

        for (Object key : List.of(1L, 1.0, new BigDecimal("1"), 2L, 2.0, new BigDecimal("2"), 1.5)) {
            assertThat(s.matches(Tuple.of("t", key))).isTrue();
            assertThat(inRange(h, Terms.normalize(key))).as("key %s", key).isTrue();
        }
    }

    @Test
    void keyHint_twoClausesWithRanges_givesUnion() {
        KeyHint h = hint("[{{t,'$1','_'},[{'>','$1',10},{'<','$1',20}],['$_']},"
                + "{{t,'$2','_'},[{'>=','$2',5},{'<','$2',15}],['$_']},{{t,30,'_'},[],['$_']}]");

        assertRange(h, 5L, true, 30L, true);
    }

    @Test
    void keyHint_clauseWithoutBound_makesRangeNone() {
        assertThat(hint("[{{t,'$1'},[{'>','$1',10}],['$_']},{{t,'_'},[],['$_']}]").isNone()).isTrue();
    }

    @Test
    void keyHint_orelseNotUsedForRange_returnsNone() {
        KeyHint h = hint("[{{t,'$1','_'},[{orelse,{'<','$1',3},{'>','$1',10}}],['$_']}]");

        assertThat(h.isNone()).isTrue();
        assertThat(h).isEqualTo(KeyHint.none());
    }

    @Test
    void keyHint_tupleKeyWithGroundPrefix_givesPrefixAndSize() {
        KeyHint h = hint("[{{orders,{\"acme\",'_','$1'},'_'},[],['$_']}]");

        assertThat(h.exactKeys()).isNull();
        assertThat(h.tupleSize()).isEqualTo(3);
        assertThat(h.tuplePrefix()).containsExactly("acme");
    }

    @Test
    void keyHint_tupleKeysInSeveralClauses_giveCommonPrefix() {
        KeyHint h = hint("[{{o,{a,b,'_'},'_'},[],['$_']},{{o,{a,c,'_'},'_'},[],['$_']},{{o,{a,b,c},'_'},[],['$_']}]");

        assertThat(h.tupleSize()).isEqualTo(3);
        assertThat(h.tuplePrefix()).containsExactly("a");
    }

    @Test
    void keyHint_tupleKeysOfDifferentSizes_giveNone() {
        assertThat(hint("[{{o,{a,'_'},'_'},[],['$_']},{{o,{a,'_','_'},'_'},[],['$_']}]").isNone()).isTrue();
    }

    @Test
    void keyHint_noInformation_givesNone() {
        assertThat(hint("[{{users,'_','$1'},[{'>','$1',3}],['$_']}]").isNone()).isTrue();
        assertThat(hint("[{'_',[],['$_']}]").isNone()).isTrue();
        assertThat(hint("[{'$1',[{'>','$1',3}],['$_']}]").isNone()).isTrue();
        assertThat(hint("[{{users,'$1'},[{'>',{'+','$1',1},3}],['$_']}]").isNone()).isTrue();
        assertThat(hint("[{{users,'$1'},[{'/=','$1',3}],['$_']}]").isNone()).isTrue();
    }

    @Test
    void keyHint_otherKeyPosition_isSupported() {
        CompiledMatchSpec s = MatchSpec.of(clause(pattern("t", ANY, 9), List.of(), List.of(ALL))).compile();

        assertThat(s.keyHint(2).exactKeys()).containsExactly(9L);
        assertThat(s.keyHint(1).isNone()).isTrue();
        assertThat(s.keyHint(5).isNone()).isTrue();
    }

    @Test
    void boundValue_indexedPositionFixedInEveryClause_isReturned() {
        CompiledMatchSpec s = MatchSpec.of(
                clause(pattern("users", ANY, "Alice", var(1)), List.of(), List.of(ALL)),
                clause(pattern("users", var(2), var(3), ANY), List.of(call("=:=", var(3), "Alice")), List.of(ALL)))
                .compile();

        assertThat(s.boundValue(2)).contains("Alice");
        assertThat(s.boundValue(0)).contains("users");
        assertThat(s.boundValue(1)).isEmpty();
        assertThat(s.boundValue(3)).isEmpty();
    }

    @Test
    void boundValue_clausesFixDifferentValues_isEmpty() {
        CompiledMatchSpec s = MatchSpec.of(
                clause(pattern("users", ANY, "Alice"), List.of(), List.of(ALL)),
                clause(pattern("users", ANY, "Bob"), List.of(), List.of(ALL))).compile();

        assertThat(s.boundValue(2)).isEqualTo(Optional.empty());
    }

    @Test
    void boundValue_nestedGroundPattern_isTheTuple() {
        CompiledMatchSpec s = MatchSpec.ofPattern(pattern("t", ANY, pattern("p", 1, 2))).compile();

        assertThat(s.boundValue(2)).contains(Tuple.of("p", 1, 2));
    }

    @Test
    void keyHint_everyComparisonWithAssortedConstants_isNeverNarrowerThanTheMatches() {
        List<Object> values = List.of(-1L, 0L, 1L, 1.0, new BigDecimal("1"), 1.5, new BigDecimal("1.5"), 2L,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "", "m", "z", Tuple.of("a"), List.of(1L), true);
        for (String op : List.of("<", "=<", ">", ">=", "==", "=:=")) {
            for (Object c : values) {
                for (boolean flipped : List.of(false, true)) {
                    Object guard = flipped ? call(op, c, var(1)) : call(op, var(1), c);
                    CompiledMatchSpec s = MatchSpec.of(clause(pattern("t", var(1)), List.of(guard), List.of(ALL)))
                            .compile();
                    KeyHint h = s.keyHint(1);
                    for (Object key : values) {
                        if (s.matches(Tuple.of("t", key))) {
                            assertThat(h.isNone() || covers(h, Terms.normalize(key)))
                                    .as("%s: key %s within %s", s, key, h).isTrue();
                        }
                    }
                }
            }
        }
    }

    private static boolean covers(KeyHint h, Object key) {
        if (h.exactKeys() != null) {
            return h.exactKeys().stream().anyMatch(k -> Terms.compare(k, key) == 0);
        }
        return inRange(h, key);
    }

    private static void assertRange(KeyHint h, Object lower, boolean lowerInc, Object upper, boolean upperInc) {
        assertThat(h.isNone()).isFalse();
        assertThat(Terms.compareLoose(h.lower(), lower)).as("lower %s", h.lower()).isZero();
        assertThat(h.lowerInclusive()).isEqualTo(lowerInc);
        assertThat(Terms.compareLoose(h.upper(), upper)).as("upper %s", h.upper()).isZero();
        assertThat(h.upperInclusive()).isEqualTo(upperInc);
    }

    private static boolean inRange(KeyHint h, Object key) {
        boolean aboveLower = h.lower() == null || (h.lowerInclusive() ? Terms.compare(key, h.lower()) >= 0
                : Terms.compare(key, h.lower()) > 0);
        boolean belowUpper = h.upper() == null || (h.upperInclusive() ? Terms.compare(key, h.upper()) <= 0
                : Terms.compare(key, h.upper()) < 0);
        return aboveLower && belowUpper;
    }
}
