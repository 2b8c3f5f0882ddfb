package dev.mnemo.engine.match;

import static dev.mnemo.engine.match.Match.ALL;
import static dev.mnemo.engine.match.Match.ANY;
import static dev.mnemo.engine.match.Match.call;
import static dev.mnemo.engine.match.Match.pattern;
import static dev.mnemo.engine.match.Match.var;
import static dev.mnemo.engine.match.MatchSpec.clause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every guard/body function family, evaluated in a body (errors give 'EXIT') and as a guard (errors give false). */
class GuardFunctionsTest {
    /** $1=5, $2=2.5, $3="Héllo", $4=[1,2,3], $5={point,1,2}, $6=#{"k"=>"v"}, $7=<<1,2,3>>, $8=true. */
    private static final Tuple ROW = Tuple.of("r", 5, 2.5, "Héllo", List.of(1, 2, 3), Tuple.of("point", 1, 2),
            Map.of("k", "v"), new byte[] {1, 2, 3}, true);
    private static final MatchPattern HEAD = pattern("r", var(1), var(2), var(3), var(4), var(5), var(6), var(7),
            var(8));
    private static final Object EXIT = CompiledMatchSpec.EXIT;

    private static Object eval(Object expr) {
        return MatchSpec.of(clause(HEAD, List.of(), List.of(expr))).compile().apply(ROW);
    }

    private static boolean guard(Object expr) {
        return MatchSpec.of(clause(HEAD, List.of(expr), List.of(ALL))).compile().matches(ROW);
    }

    @Test
    void comparisons_looseVersusExact() {
        assertThat(eval(call("==", 1, 1.0))).isEqualTo(true);
        assertThat(eval(call("=:=", 1, 1.0))).isEqualTo(false);
        assertThat(eval(call("/=", 1, 1.0))).isEqualTo(false);
        assertThat(eval(call("=/=", 1, 1.0))).isEqualTo(true);
        assertThat(eval(call("=:=", var(3), "Héllo"))).isEqualTo(true);
    }

    @Test
    void comparisons_orderAcrossKindsLikeErlang() {
        assertThat(eval(call("<", var(1), var(3)))).isEqualTo(true);
        assertThat(eval(call(">", var(1), var(2)))).isEqualTo(true);
        assertThat(eval(call("=<", 1, 1.0))).isEqualTo(true);
        assertThat(eval(call(">=", 1.0, 1))).isEqualTo(true);
        assertThat(eval(call("<", 1, 1.0))).isEqualTo(false);
        assertThat(eval(call(">", var(4), var(5)))).isEqualTo(true);
    }

    @Test
    void booleans_andalsoOrelseShortCircuit() {
        assertThat(eval(call("andalso", false, call("/", 1, 0)))).isEqualTo(false);
        assertThat(eval(call("orelse", true, call("/", 1, 0)))).isEqualTo(true);
        assertThat(eval(call("andalso", true, true, call("==", var(1), 5)))).isEqualTo(true);
        assertThat(eval(call("orelse", false, false))).isEqualTo(false);
        assertThat(eval(call("andalso", true, 7))).isEqualTo(EXIT);
    }

    @Test
    void booleans_andOrNotXorEvaluateAllAndRequireBooleans() {
        assertThat(eval(call("and", true, false))).isEqualTo(false);
        assertThat(eval(call("or", true, false))).isEqualTo(true);
        assertThat(eval(call("and", false, call("/", 1, 0)))).isEqualTo(EXIT);
        assertThat(eval(call("not", var(8)))).isEqualTo(false);
        assertThat(eval(call("xor", true, false))).isEqualTo(true);
        assertThat(eval(call("xor", true, true))).isEqualTo(false);
        assertThat(eval(call("not", 1))).isEqualTo(EXIT);
    }

    @Test
    void arithmetic_integersStayIntegers() {
        assertThat(eval(call("+", var(1), 3))).isEqualTo(8L);
        assertThat(eval(call("-", var(1), 7))).isEqualTo(-2L);
        assertThat(eval(call("-", var(1)))).isEqualTo(-5L);
        assertThat(eval(call("+", var(1)))).isEqualTo(5L);
        assertThat(eval(call("*", var(1), 4))).isEqualTo(20L);
        assertThat(eval(call("div", 7, 2))).isEqualTo(3L);
        assertThat(eval(call("div", -7, 2))).isEqualTo(-3L);
        assertThat(eval(call("rem", -7, 2))).isEqualTo(-1L);
        assertThat(eval(call("abs", -7))).isEqualTo(7L);
    }

    @Test
    void arithmetic_overflowPromotesToExactBigInteger() {
        Object big = eval(call("+", Long.MAX_VALUE, 1));
        assertThat(big).isInstanceOf(BigDecimal.class);
        assertThat(((BigDecimal) big).toBigIntegerExact())
                .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
        assertThat(eval(call("*", Long.MAX_VALUE, Long.MAX_VALUE))).isEqualTo(
                new BigDecimal(BigInteger.valueOf(Long.MAX_VALUE).pow(2)).stripTrailingZeros());
        assertThat(eval(call("-", Long.MIN_VALUE))).isInstanceOf(BigDecimal.class);
        assertThat(eval(call("-", call("+", Long.MAX_VALUE, 1), 1))).isEqualTo(Long.MAX_VALUE);
        assertThat(eval(call("is_integer", call("*", Long.MAX_VALUE, 2)))).isEqualTo(true);
        assertThat(eval(call("div", Long.MIN_VALUE, -1))).isInstanceOf(BigDecimal.class);
    }

    @Test
    void arithmetic_mixedTypesFollowErlangAndDecimals() {
        assertThat(eval(call("+", var(1), var(2)))).isEqualTo(7.5);
        assertThat(eval(call("+", new BigDecimal("1.5"), 1))).isEqualTo(new BigDecimal("2.5"));
        assertThat(eval(call("*", new BigDecimal("1.5"), 0.5))).isEqualTo(0.75);
        assertThat(eval(call("/", 7, 2))).isEqualTo(3.5);
        assertThat(eval(call("/", 4, 2))).isEqualTo(2.0);
        assertThat(eval(call("float", 3))).isEqualTo(3.0);
        assertThat(eval(call("round", 2.5))).isEqualTo(3L);
        assertThat(eval(call("round", -2.5))).isEqualTo(-3L);
        assertThat(eval(call("trunc", -2.7))).isEqualTo(-2L);
        assertThat(eval(call("round", new BigDecimal("7.5")))).isEqualTo(8L);
        assertThat(eval(call("abs", -2.5))).isEqualTo(2.5);
        assertThat(eval(call("min", 1, 1.0))).isEqualTo(1L);
        assertThat(eval(call("max", 1, 2.0))).isEqualTo(2.0);
        assertThat(eval(call("max", "a", 99))).isEqualTo("a");
    }

    @Test
    void arithmetic_errorsGiveExitInBodyAndFalseInGuard() {
        assertThat(eval(call("/", 1, 0))).isEqualTo(EXIT);
        assertThat(eval(call("div", 1, 0))).isEqualTo(EXIT);
        assertThat(eval(call("rem", 1, 0))).isEqualTo(EXIT);
        assertThat(eval(call("div", 1.0, 2))).isEqualTo(EXIT);
        assertThat(eval(call("+", var(3), 1))).isEqualTo(EXIT);
        assertThat(eval(call("*", 1.0e300, 1.0e300))).isEqualTo(EXIT);
        assertThat(guard(call("==", call("/", var(1), 0), 1))).isFalse();
        assertThat(guard(call("==", call("div", var(1), 2), 2))).isTrue();
    }

    @Test
    void bitwise_onIntegers() {
        assertThat(eval(call("band", 12, 10))).isEqualTo(8L);
        assertThat(eval(call("bor", 12, 10))).isEqualTo(14L);
        assertThat(eval(call("bxor", 12, 10))).isEqualTo(6L);
        assertThat(eval(call("bnot", 0))).isEqualTo(-1L);
        assertThat(eval(call("bsl", 1, 3))).isEqualTo(8L);
        assertThat(eval(call("bsr", 16, 2))).isEqualTo(4L);
        assertThat(eval(call("bsl", 1, 64))).isEqualTo(new BigDecimal(BigInteger.ONE.shiftLeft(64)).stripTrailingZeros());
        assertThat(eval(call("band", 1.0, 1))).isEqualTo(EXIT);
    }

    @Test
    void data_elementIsOneBased() {
        assertThat(eval(call("element", 1, var(5)))).isEqualTo("point");
        assertThat(eval(call("element", 3, var(5)))).isEqualTo(2L);
        assertThat(eval(call("element", 2, ALL))).isEqualTo(5L);
        assertThat(eval(call("element", 0, var(5)))).isEqualTo(EXIT);
        assertThat(eval(call("element", 4, var(5)))).isEqualTo(EXIT);
    }

    @Test
    void data_sizesOfTuplesBinariesAndStrings() {
        assertThat(eval(call("size", var(5)))).isEqualTo(3L);
        assertThat(eval(call("size", var(7)))).isEqualTo(3L);
        assertThat(eval(call("size", var(3)))).isEqualTo(5L);
        assertThat(eval(call("tuple_size", ALL))).isEqualTo(9L);
        assertThat(eval(call("tuple_size", var(7)))).isEqualTo(EXIT);
        assertThat(eval(call("byte_size", var(7)))).isEqualTo(3L);
        assertThat(eval(call("byte_size", var(3)))).isEqualTo(6L);
        assertThat(eval(call("size", var(1)))).isEqualTo(EXIT);
    }

    @Test
    void data_listFunctionsAndStringsAsCharlists() {
        assertThat(eval(call("length", var(4)))).isEqualTo(3L);
        assertThat(eval(call("hd", var(4)))).isEqualTo(1L);
        assertThat(eval(call("tl", var(4)))).isEqualTo(List.of(2L, 3L));
        assertThat(eval(call("hd", var(3)))).isEqualTo(72L);
        assertThat(eval(call("tl", var(3)))).isEqualTo("éllo");
        assertThat(eval(call("length", var(3)))).isEqualTo(5L);
        assertThat(eval(call("hd", List.of()))).isEqualTo(EXIT);
        assertThat(eval(call("hd", ""))).isEqualTo(EXIT);
        assertThat(eval(call("hd", "😀x"))).isEqualTo((long) 0x1F600);
        assertThat(eval(call("length", var(5)))).isEqualTo(EXIT);
    }

    @Test
    void guard_hdOfStringNameStartsWithA() {
        MatchSpec s = MatchSpec.of(clause(pattern("users", ANY, var(1)),
                List.of(call("=:=", call("hd", var(1)), 65)), List.of(ALL)));

        assertThat(s.compile().matches(Tuple.of("users", 1, "Alice"))).isTrue();
        assertThat(s.compile().matches(Tuple.of("users", 2, "Bob"))).isFalse();
        assertThat(s.compile().matches(Tuple.of("users", 3, ""))).isFalse();
    }

    @Test
    void data_maps() {
        assertThat(eval(call("map_get", "k", var(6)))).isEqualTo("v");
        assertThat(eval(call("map_get", "missing", var(6)))).isEqualTo(EXIT);
        assertThat(eval(call("is_map_key", "k", var(6)))).isEqualTo(true);
        assertThat(eval(call("is_map_key", "x", var(6)))).isEqualTo(false);
        assertThat(eval(call("is_map_key", "x", var(1)))).isEqualTo(EXIT);
        assertThat(eval(call("map_size", var(6)))).isEqualTo(1L);
    }

    @Test
    void typeTests_neverRaise() {
        assertThat(eval(call("is_integer", var(1)))).isEqualTo(true);
        assertThat(eval(call("is_integer", var(2)))).isEqualTo(false);
        assertThat(eval(call("is_integer", new BigDecimal("2.5")))).isEqualTo(false);
        assertThat(eval(call("is_float", var(2)))).isEqualTo(true);
        assertThat(eval(call("is_number", new BigDecimal("2.5")))).isEqualTo(true);
        assertThat(eval(call("is_number", var(3)))).isEqualTo(false);
        assertThat(eval(call("is_boolean", var(8)))).isEqualTo(true);
        assertThat(eval(call("is_string", var(3)))).isEqualTo(true);
        assertThat(eval(call("is_binary", var(7)))).isEqualTo(true);
        assertThat(eval(call("is_binary", var(3)))).isEqualTo(false);
        assertThat(eval(call("is_tuple", var(5)))).isEqualTo(true);
        assertThat(eval(call("is_list", var(4)))).isEqualTo(true);
        assertThat(eval(call("is_list", var(3)))).isEqualTo(false);
        assertThat(eval(call("is_map", var(6)))).isEqualTo(true);
        assertThat(eval(call("is_null", var(1)))).isEqualTo(false);
    }

    @Test
    void typeTests_isRecordChecksNameAndOptionalSize() {
        assertThat(eval(call("is_record", var(5), "point"))).isEqualTo(true);
        assertThat(eval(call("is_record", var(5), "line"))).isEqualTo(false);
        assertThat(eval(call("is_record", var(5), "point", 3))).isEqualTo(true);
        assertThat(eval(call("is_record", var(5), "point", 2))).isEqualTo(false);
        assertThat(eval(call("is_record", ALL, "r"))).isEqualTo(true);
        assertThat(eval(call("is_record", var(3), "r"))).isEqualTo(false);
    }

    @Test
    void const_returnsItsArgumentUnevaluated() {
        assertThat(eval(Match.constant(Tuple.of("a", 1)))).isEqualTo(Tuple.of("a", 1));
        assertThat(eval(call("const", List.of(1, 2)))).isEqualTo(List.of(1L, 2L));
        assertThat(MatchSpec.parse("[{'_',[],[{const,'$1'}]}]").compile().apply(ROW)).isEqualTo("$1");
    }

    @Test
    void results_bigIntegersAreInFullyNormalizedForm() {
        Object big = eval(call("*", 10_000_000_000L, 10_000_000_000L));

        assertThat(big).isEqualTo(dev.mnemo.engine.value.Terms.normalize(big));
        assertThat(Tuple.of(big).get(0)).isEqualTo(big);
    }

    @Test
    void results_areNormalizedMnemoValues() {
        assertThat(eval(call("-", 0.0))).isEqualTo(0.0);
        assertThat(eval(call("*", new BigDecimal("1.50"), 2))).isEqualTo(new BigDecimal("3"));
        assertThat(eval(Match.tuple(var(7), 1))).isEqualTo(Tuple.of(Binary.of(new byte[] {1, 2, 3}), 1L));
    }
}
