package dev.mnemo.engine.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class TermsTest {

    private static Object n(Object raw) {
        return Terms.normalize(raw);
    }

    private static BigDecimal dec(String s) {
        return (BigDecimal) n(new BigDecimal(s));
    }

    private static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> normalized = (Map<Object, Object>) n(m);
        return normalized;
    }

    private static List<Object> list(Object... elements) {
        @SuppressWarnings("unchecked")
        List<Object> normalized = (List<Object>) n(Arrays.asList(elements));
        return normalized;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object v) {
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object v) {
        return (Map<Object, Object>) v;
    }

    private static Binary bin(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Binary.of(b);
    }

    /** Asserts that the values are given in strictly ascending term order, pairwise and in both directions. */
    private static void assertAscending(Object... values) {
        for (int i = 0; i < values.length; i++) {
            assertThat(Terms.compare(values[i], values[i])).as("compare(%s, itself)", Terms.format(values[i]))
                    .isZero();
            for (int j = i + 1; j < values.length; j++) {
                assertThat(Terms.compare(values[i], values[j]))
                        .as("compare(%s, %s)", Terms.format(values[i]), Terms.format(values[j])).isNegative();
                assertThat(Terms.compare(values[j], values[i]))
                        .as("compare(%s, %s)", Terms.format(values[j]), Terms.format(values[i])).isPositive();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // normalize
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void normalize_integer_becomesLong() {
        assertThat(n(42)).isInstanceOf(Long.class).isEqualTo(42L);
        assertThat(n(Integer.MIN_VALUE)).isEqualTo((long) Integer.MIN_VALUE);
    }

    @Test
    void normalize_shortAndByte_becomeLong() {
        assertThat(n((short) -7)).isEqualTo(-7L);
        assertThat(n((byte) -128)).isEqualTo(-128L);
    }

    @Test
    void normalize_float_becomesDoubleOfTheSameValue() {
        assertThat(n(0.1f)).isInstanceOf(Double.class).isEqualTo((double) 0.1f);
        assertThat(n(Float.NaN)).isEqualTo(Double.NaN);
        assertThat(n(Float.NEGATIVE_INFINITY)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void normalize_negativeZero_becomesPositiveZero() {
        assertThat(Double.doubleToRawLongBits((Double) n(-0.0))).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Double.doubleToRawLongBits((Double) n(-0.0f))).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Terms.compare(n(-0.0), 0.0)).isZero();
    }

    @Test
    void normalize_nanWithPayload_becomesCanonicalNaN() {
        Object v = n(Double.longBitsToDouble(0x7FF0_0000_0000_0001L));
        assertThat(Double.doubleToRawLongBits((Double) v)).isEqualTo(Double.doubleToRawLongBits(Double.NaN));
    }

    @Test
    void normalize_decimal_losesTrailingZeros() {
        assertThat(n(new BigDecimal("1.500"))).isEqualTo(new BigDecimal("1.5"));
        assertThat(n(new BigDecimal("100"))).isEqualTo(new BigDecimal("1E+2"));
        assertThat(n(new BigDecimal("0.000"))).isSameAs(BigDecimal.ZERO);
        assertThat(n(new BigDecimal("-0E+5"))).isSameAs(BigDecimal.ZERO);
    }

    @Test
    void normalize_decimalEqualToALong_staysDecimal() {
        assertThat(n(new BigDecimal("1.0"))).isInstanceOf(BigDecimal.class).isEqualTo(BigDecimal.ONE);
    }

    @Test
    void normalize_bigIntegerThatFitsInALong_becomesLong() {
        assertThat(n(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(n(BigInteger.ONE.shiftLeft(63).negate())).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void normalize_bigIntegerBeyondLong_becomesDecimal() {
        assertThat(n(BigInteger.ONE.shiftLeft(63))).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(n(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE)))
                .isEqualTo(new BigDecimal("-9223372036854775809"));
    }

    /** Was a bug: 10^20 became BigDecimal 100000000000000000000 (scale 0), unequal to its own decoding 1E+20. */
    @Test
    void normalize_bigIntegerWithTrailingZeros_becomesTheSameDecimalAsNormalizingTheDecimal() {
        BigInteger tenPow20 = BigInteger.TEN.pow(20);
        assertThat(n(tenPow20)).isEqualTo(n(new BigDecimal(tenPow20))).isEqualTo(new BigDecimal("1E+20"));
        assertThat(TermCodec.decode(TermCodec.encode(n(tenPow20)))).isEqualTo(n(tenPow20));
    }

    /** Was a bug: the codec's 4-byte exponent wrapped for 1E+2147483647, which then encoded below 1L. */
    @Test
    void normalize_decimalOfMagnitude1EPlus2147483647OrMore_throwsOutOfRange() {
        assertThatThrownBy(() -> n(new BigDecimal(BigInteger.ONE, -Integer.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decimal out of range");
        // stripping the trailing zero would need scale Integer.MIN_VALUE - 1: no ArithmeticException leaks out
        assertThatThrownBy(() -> n(new BigDecimal(BigInteger.valueOf(-70), Integer.MIN_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decimal out of range");
        assertThat(n(new BigDecimal(BigInteger.valueOf(9), 1 - Integer.MAX_VALUE))).isInstanceOf(BigDecimal.class);
        assertThat(n(new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE))).isInstanceOf(BigDecimal.class);
    }

    @Test
    void normalize_character_becomesString() {
        assertThat(n('x')).isEqualTo("x");
        assertThat(n('\0')).isEqualTo("\0");
    }

    @Test
    void normalize_byteArray_becomesBinaryCopy() {
        byte[] bytes = {1, 2, 3};
        Object v = n(bytes);
        bytes[0] = 9;
        assertThat(v).isInstanceOf(Binary.class).isEqualTo(bin(1, 2, 3));
    }

    @Test
    void normalize_canonicalScalars_areReturnedAsIs() {
        for (Object v : new Object[] {null, true, 5L, "s", bin(0), Tuple.of(1), LocalDate.EPOCH, LocalTime.NOON,
            LocalDateTime.MIN, Instant.EPOCH}) {
            assertThat(n(v)).isSameAs(v);
        }
    }

    @Test
    void normalize_list_becomesUnmodifiableNormalizedCopy() {
        List<Object> raw = new ArrayList<>(Arrays.asList(1, 2.5f, null, List.of('c')));
        Object v = n(raw);
        raw.set(0, "changed");
        assertThat(asList(v)).containsExactly(1L, 2.5, null, List.of("c"));
        assertThatThrownBy(() -> asList(v).add(1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void normalize_map_becomesUnmodifiableSortedInTermOrder() {
        Map<Object, Object> raw = new LinkedHashMap<>();
        raw.put("b", 1);
        raw.put(List.of(), 2);
        raw.put(3, 3);
        raw.put(null, 4);
        raw.put(Tuple.of(), 5);
        Object v = n(raw);
        assertThat(v).isInstanceOf(SortedMap.class);
        assertThat(asMap(v).keySet()).containsExactly(null, 3L, "b", Tuple.of(), List.of());
        assertThat(asMap(v).values()).containsExactly(4L, 3L, 1L, 5L, 2L);
        assertThatThrownBy(() -> asMap(v).put(1L, 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void normalize_mapKeysThatNormalizeAlike_collapseToOneEntry() {
        Map<Object, Object> raw = new LinkedHashMap<>();
        raw.put(1, "int");
        raw.put(1L, "long");
        raw.put(1.0, "double");
        assertThat(asMap(n(raw))).hasSize(2).containsEntry(1L, "long").containsEntry(1.0, "double");
    }

    @Test
    void normalize_unsupportedType_throwsNamingTheType() {
        assertThatThrownBy(() -> n(new Date(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.Date");
        assertThatThrownBy(() -> n(Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.Optional");
        assertThatThrownBy(() -> n(new int[] {1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported value type [I");
    }

    @Test
    void normalize_unsupportedTypeNestedInAContainer_throwsNamingTheType() {
        assertThatThrownBy(() -> n(List.of(1, new StringBuilder("x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.StringBuilder");
        assertThatThrownBy(() -> Tuple.of("t", new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> n(Map.of(Thread.State.NEW, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Thread$State");
    }

    /** Was a bug: boxing made normalize return a new instance for every Double and BigDecimal. */
    @Test
    void isNormalized_canonicalDoubleAndDecimal_true() {
        assertThat(Terms.isNormalized(1.5)).isTrue();
        assertThat(Terms.isNormalized(Double.NaN)).isTrue();
        assertThat(Terms.isNormalized(0.0)).isTrue();
        assertThat(Terms.isNormalized(new BigDecimal("1.5"))).isTrue();
        assertThat(Terms.isNormalized(BigDecimal.ZERO)).isTrue();
    }

    @Test
    void isNormalized_nonCanonicalForms_false() {
        assertThat(Terms.isNormalized(-0.0)).isFalse();
        assertThat(Terms.isNormalized(new BigDecimal("1.50"))).isFalse();
        assertThat(Terms.isNormalized(new BigDecimal("0.0"))).isFalse();
        assertThat(Terms.isNormalized(1)).isFalse();
        assertThat(Terms.isNormalized(1.5f)).isFalse();
        assertThat(Terms.isNormalized('c')).isFalse();
        assertThat(Terms.isNormalized(new byte[0])).isFalse();
        assertThat(Terms.isNormalized(new Object())).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------
    // compare: between kinds
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void compare_kinds_orderNullBooleanNumberStringBinaryDateTimeDatetimeInstantTupleMapList() {
        // each kind's largest value (where it has one) against the next kind's smallest
        assertAscending(null, true, Double.NaN, "\uDBFF\uDFFF\uDBFF\uDFFF", bin(0xFF, 0xFF), LocalDate.MAX,
                LocalTime.MIN, LocalTime.MAX, LocalDateTime.MIN, LocalDateTime.MAX, Instant.MIN, Instant.MAX,
                Tuple.of(), Tuple.of(list(), list()), map(), map(1, 2, 3, 4), list());
        assertAscending(null, false, Double.NEGATIVE_INFINITY, "", bin(), LocalDate.MIN, LocalTime.MIN,
                LocalDateTime.MIN, Instant.MIN, Tuple.of(), map(), list());
    }

    @Test
    void compare_null_equalsOnlyNull() {
        assertThat(Terms.compare(null, null)).isZero();
        assertAscending(null, false, true);
    }

    @Test
    void compare_sortingMixedKinds_givesTheKindOrder() {
        List<Object> values = new ArrayList<>(Arrays.asList(list(), map(), Tuple.of(), Instant.EPOCH,
                LocalDateTime.of(2000, 1, 1, 0, 0), LocalTime.NOON, LocalDate.EPOCH, bin(), "s", 1L, true, null));
        Collections.shuffle(values, new java.util.Random(1));
        values.sort(Terms.ORDER);
        assertThat(values.stream().map(Terms::kindName)).containsExactly("null", "boolean", "integer", "string",
                "binary", "date", "time", "datetime", "instant", "tuple", "map", "list");
    }

    @Test
    void compare_valueThatIsNotNormalized_throws() {
        assertThatThrownBy(() -> Terms.compare(1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
    }

    // ---------------------------------------------------------------------------------------------------------
    // compare: numbers
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void compare_longAndDoubleOfEqualValue_orderLongFirst() {
        assertAscending(1L, 1.0, BigDecimal.ONE);
        assertAscending(-1L, -1.0, BigDecimal.ONE.negate()); // by type, not by magnitude, for negatives too
        assertAscending(0L, 0.0, BigDecimal.ZERO);
        assertAscending(Long.MIN_VALUE, -0x1p63, new BigDecimal(Long.MIN_VALUE));
    }

    @Test
    void compare_numbersOfDifferentTypes_orderByValueFirst() {
        assertAscending(-2.5, dec("-2.4"), -2L, 0L, dec("0.5"), 1L, 1.5, dec("1.6"), 2L, 2.0);
        assertAscending(1.0, 2L);
        assertAscending(dec("0.1"), 0.1); // the double 0.1 is 0.1000000000000000055511151231257827...
        assertAscending(0.30000000000000004, dec("0.3000000000000000444089209850062616169452667236328125"));
    }

    @Test
    void compare_longsBeyondDoublePrecision_exactly() {
        long big = (1L << 53) + 1; // not representable as a double: (double) big == 2^53
        assertAscending(0x1p53, big);
        assertAscending(Long.MAX_VALUE, 0x1p63, dec("9223372036854775809"));
    }

    @Test
    void compare_nan_aboveInfinityAboveAllFinite() {
        assertAscending(Double.NEGATIVE_INFINITY, dec("-1E+400"), -Double.MAX_VALUE, Long.MIN_VALUE, 0L,
                Double.MIN_VALUE, 1L, Long.MAX_VALUE, Double.MAX_VALUE, dec("1E+400"),
                new BigDecimal(BigInteger.ONE, 1 - Integer.MAX_VALUE), Double.POSITIVE_INFINITY, Double.NaN);
    }

    @Test
    void compare_nanAndNaN_equal() {
        assertThat(Terms.compare(Double.NaN, n(Double.longBitsToDouble(0x7FF8_0000_0000_0042L)))).isZero();
        assertThat(Terms.compare(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isZero();
    }

    @Test
    void compare_subnormalsAndTinyDecimals_byExactValue() {
        BigDecimal belowMinValue = new BigDecimal(Double.MIN_VALUE).divide(BigDecimal.TEN);
        assertAscending(-Double.MIN_VALUE, 0.0, new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE), belowMinValue,
                Double.MIN_VALUE, 2 * Double.MIN_VALUE, Math.nextDown(Double.MIN_NORMAL), Double.MIN_NORMAL);
    }

    @Test
    void compare_decimalsOfEqualValueAndDifferentScale_equalOnceNormalized() {
        assertThat(Terms.compare(dec("1.50"), dec("1.5"))).isZero();
        assertThat(dec("1.50")).isEqualTo(dec("1.5"));
    }

    @Test
    void compareLoose_oneAndOnePointZero_equal() {
        assertThat(Terms.compareLoose(1L, 1.0)).isZero();
        assertThat(Terms.compareLoose(1.0, BigDecimal.ONE)).isZero();
        assertThat(Terms.compareLoose(BigDecimal.ONE, 1L)).isZero();
        assertThat(Terms.compareLoose(0L, 0.0)).isZero();
        assertThat(Terms.compareLoose(Double.NaN, Double.NaN)).isZero();
    }

    @Test
    void compareLoose_numbersOfDifferentValue_orderedByValue() {
        assertThat(Terms.compareLoose(1L, 1.5)).isNegative();
        assertThat(Terms.compareLoose(0.1, dec("0.1"))).isPositive();
        assertThat(Terms.compareLoose(Double.POSITIVE_INFINITY, Double.NaN)).isNegative();
        assertThat(Terms.compareLoose(Long.MAX_VALUE, 0x1p63)).isNegative();
    }

    @Test
    void compareLoose_nonNumbers_likeCompare() {
        assertThat(Terms.compareLoose("a", "b")).isNegative();
        assertThat(Terms.compareLoose(1L, "1")).isNegative();
        assertThat(Terms.compareLoose(null, null)).isZero();
    }

    @Test
    void same_isExactEquality() {
        assertThat(Terms.same(1L, 1L)).isTrue();
        assertThat(Terms.same(1L, 1.0)).isFalse();
        assertThat(Terms.same(Tuple.of(1, "a"), Tuple.of(1L, "a"))).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // compare: strings and binaries
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void compareStrings_supplementaryAfterBmpPrivateUse() {
        String privateUse = "\uE000";
        String emoji = "\uD83D\uDE00"; // U+1F600, UTF-16 units D83D DE00
        assertThat(privateUse.compareTo(emoji)).as("String.compareTo orders by UTF-16 unit").isPositive();
        assertAscending(privateUse, "\uFFFF", "\uD800\uDC00", emoji, "\uDBFF\uDFFF");
    }

    @Test
    void compareStrings_loneSurrogates_byTheirCodePoint() {
        // a lone surrogate is the code point D800..DFFF: above U+D7FF, below U+E000 and every supplementary
        assertAscending("\uD7FF", "\uD800", "\uD800a", "\uD800\uD800", "\uDBFF", "\uDC00", "\uDC00\uD800", "\uDFFF",
                "\uE000", "\uD800\uDC00");
        assertAscending("a\uD800", "a\uD800\uDC00");
        assertAscending("x\uD83Da", "x\uD83D\uDE00");
    }

    @Test
    void compareStrings_prefixFirst_andNulIsTheSmallestCharacter() {
        assertAscending("", "\0", "\0\0", "\0\u0001", "\u0001", "a", "a\0", "a\0b", "ab", "b");
    }

    @Test
    void compareStrings_agreesWithCodePointOrderOnTrickyStrings() {
        String[] atoms = {"", "a", "\0", "\u007F", "\u00E9", "\uD7FF", "\uD800", "\uDBFF", "\uDC00", "\uDFFF",
            "\uE000", "\uFFFF", "\uD800\uDC00", "\uD83D\uDE00", "\uDBFF\uDFFF"};
        List<String> strings = new ArrayList<>();
        for (String x : atoms) {
            for (String y : atoms) {
                strings.add(x + y);
                strings.add("p" + x + y);
                strings.add(x + "\uD83D" + y);
            }
        }
        int[][] codePoints = strings.stream().map(x -> x.codePoints().toArray()).toArray(int[][]::new);
        for (int i = 0; i < strings.size(); i++) {
            for (int j = 0; j < strings.size(); j++) {
                int expected = Integer.signum(Arrays.compare(codePoints[i], codePoints[j]));
                int actual = Integer.signum(Terms.compare(strings.get(i), strings.get(j)));
                if (actual != expected) { // assert only on a mismatch: ~450,000 pairs
                    assertThat(actual).as("compare(%s, %s)", TermCodecPropertyTest.show(strings.get(i)),
                            TermCodecPropertyTest.show(strings.get(j))).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void compare_binaries_unsignedBytesShorterFirst() {
        assertAscending(bin(), bin(0), bin(0, 0), bin(0, 0xFF), bin(1), bin(1, 0), bin(0x7F), bin(0x80), bin(0xFF),
                bin(0xFF, 0));
    }

    // ---------------------------------------------------------------------------------------------------------
    // compare: dates and times
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void compare_datesAndTimes_chronologicallyIncludingNegativeEpochs() {
        assertAscending(LocalDate.MIN, LocalDate.of(-1, 12, 31), LocalDate.of(0, 1, 1), LocalDate.EPOCH.minusDays(1),
                LocalDate.EPOCH, LocalDate.MAX);
        assertAscending(LocalTime.MIN, LocalTime.ofNanoOfDay(1), LocalTime.NOON, LocalTime.MAX);
        assertAscending(LocalDateTime.MIN, LocalDateTime.of(LocalDate.EPOCH.minusDays(1), LocalTime.MAX),
                LocalDateTime.of(LocalDate.EPOCH, LocalTime.MIN), LocalDateTime.MAX);
        assertAscending(Instant.MIN, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 999_999_999),
                Instant.EPOCH, Instant.ofEpochSecond(0, 1), Instant.MAX);
    }

    // ---------------------------------------------------------------------------------------------------------
    // compare: tuples, maps, lists
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void compare_tuples_bySizeFirst() {
        assertAscending(Tuple.of(), Tuple.of(Double.NaN), Tuple.of(list()), Tuple.of(null, null),
                Tuple.of(9, 9), Tuple.of(1, 1, 1));
    }

    @Test
    void compare_tuplesOfEqualSize_elementByElement() {
        assertAscending(Tuple.of(1, "b"), Tuple.of(1.0, "a"), Tuple.of(2, "a"), Tuple.of("a", null));
        assertThat(Terms.compare(Tuple.of("users", 1, "Alice"), Tuple.of("users", 1L, "Alice"))).isZero();
        assertThat(Tuple.of("users", 1, "Alice").compareTo(Tuple.of("users", 2, "Aaron"))).isNegative();
    }

    @Test
    void compare_lists_lexicographicShorterFirst() {
        assertAscending(list(), list((Object) null), list(null, null), list(1), list(1, 2), list(1, 2, 0),
                list(1, 3), list(9), list("a"));
    }

    @Test
    void compare_lists_elementsCompareInTheTermOrder() {
        assertAscending(list(1L), list(1.0), list(BigDecimal.ONE), list(list()), list(list(list())));
    }

    @Test
    void compare_maps_bySizeFirst() {
        assertAscending(map(), map(9, 9), map(1, 1, 2, 2));
    }

    @Test
    void compare_mapsOfEqualSize_allKeysBeforeAnyValue() {
        // #{1=>z, 2=>z} < #{1=>a, 3=>a}: keys [1,2] < [1,3] decides, although z > a
        assertAscending(map(1, "z", 2, "z"), map(1, "a", 3, "a"));
        assertAscending(map(1, "z", 3, "a"), map(1.0, "a", 2, "a"));
    }

    @Test
    void compare_mapsWithEqualKeys_byValuesInKeyOrder() {
        assertAscending(map(1, "a", 2, "z"), map(2, "a", 1, "b"), map(1, "b", 2, "b"));
        assertThat(Terms.compare(map(1, "a", 2, "b"), map(2, "b", 1, "a"))).isZero();
    }

    @Test
    void compare_mapKeys_mixedKindsInTermOrder() {
        Map<Object, Object> m = map("s", 1, null, 2, Tuple.of(), 3, 7, 4, 7.0, 5);
        assertThat(m.keySet()).containsExactly(null, 7L, 7.0, "s", Tuple.of());
    }

    // ---------------------------------------------------------------------------------------------------------
    // kindName and format
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void kindName_namesEveryKind() {
        Object[] values = {null, true, 1L, 1.0, BigDecimal.ONE, "s", bin(), LocalDate.EPOCH, LocalTime.NOON,
            LocalDateTime.MIN, Instant.EPOCH, Tuple.of(), map(), list()};
        String[] names = {"null", "boolean", "integer", "float", "decimal", "string", "binary", "date", "time",
            "datetime", "instant", "tuple", "map", "list"};
        for (int i = 0; i < values.length; i++) {
            assertThat(Terms.kindName(values[i])).as("kindName(%s)", values[i]).isEqualTo(names[i]);
        }
    }

    @Test
    void kindName_unsupportedType_throws() {
        assertThatThrownBy(() -> Terms.kindName(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void format_stringsQuotedAndEscaped() {
        assertThat(Terms.format("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void format_containers_inErlangNotation() {
        Object v = Tuple.of("users", 1, list(2.5, null), map("k", bin(0, 0xAB)), true);
        assertThat(Terms.format(v)).isEqualTo("{\"users\", 1, [2.5, null], #{\"k\" => <<00ab>>}, true}");
        assertThat(Terms.format(list())).isEqualTo("[]");
        assertThat(Terms.format(map())).isEqualTo("#{}");
        assertThat(Terms.format(Tuple.of())).isEqualTo("{}");
        assertThat(Terms.format(null)).isEqualTo("null");
    }
}
