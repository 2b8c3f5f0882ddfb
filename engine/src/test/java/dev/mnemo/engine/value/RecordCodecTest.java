package dev.mnemo.engine.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A stored record's compact encoding gives back the very record (values, their Java types, the key put back at
 * element 1, the table's record name at element 0), takes at most half the bytes of a term for the rows it was made for, and is told apart from any term by its
 * first byte.
 */
class RecordCodecTest {
    /** Round trips {@code record} as a record of a table named as it is, and of a table named otherwise. */
    private static void checkRoundTrip(Tuple record) {
        for (Object tableName : java.util.Arrays.asList(record.get(0), "another", null)) {
            byte[] bytes = RecordCodec.encode(record, tableName);
            assertThat(RecordCodec.isCompact(bytes, 0, bytes.length)).isTrue();
            assertThat(bytes[0]).isEqualTo((byte) (record.get(0) != null && record.get(0).equals(tableName)
                    ? RecordCodec.WITHOUT_NAME : RecordCodec.WITH_NAME));
            Tuple back = RecordCodec.decode(bytes, 0, bytes.length, record.get(1), tableName);
            assertThat(back).as("%s", record).isEqualTo(record);
            assertThat(TermCodecPropertyTest.sameShape(back, record)).as("types of %s", record).isTrue();
        }
    }

    @Test
    void randomRecords_decodeToTheRecordWritten_withTheKeyPutBack() {
        Random master = new Random(20261206);
        for (int i = 0; i < 20_000; i++) {
            TermCodecPropertyTest.Gen g = new TermCodecPropertyTest.Gen(master.nextLong());
            int size = 2 + master.nextInt(6);
            Object[] elems = new Object[size];
            elems[0] = master.nextInt(4) == 0 ? g.value() : "rec";
            for (int j = 1; j < size; j++) {
                elems[j] = g.value();
            }
            checkRoundTrip(Tuple.of(elems));
        }
    }

    @Test
    void edgeNumbersAndStrings_decodeExactly() {
        List<Object> values = new ArrayList<>(List.of(0L, 1L, -1L, 63L, 64L, -64L, -65L, 127L, 128L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE, 0.1, "", "\u0000", "a\u0000b",
                "\uD800", "\uD83D\uDE00", "caf\u00E9", new java.math.BigDecimal("12.5")));
        values.add(null);
        values.add(true);
        values.add(Tuple.of("inner", 1L, 2.5));
        for (Object v : values) {
            checkRoundTrip(Tuple.of("t", 7L, v, v));
            checkRoundTrip(Tuple.of("t", v == null ? "k" : v, v));
            checkRoundTrip(Tuple.of("t", v == null ? "k" : v));
            checkRoundTrip(Tuple.of(v, 1L, v));
        }
    }

    @Test
    void aRowOfLongsAStringAndADouble_takesAtMostHalfTheBytesOfItsTerm() {
        Tuple row = Tuple.of("t", 1_234_567L, 567L, "row 1234567", 617_283.5);
        assertThat(RecordCodec.encode(row, "t").length * 2).isLessThanOrEqualTo(TermCodec.encode(row).length);
    }

    @Test
    void noTerm_startsWithTheCompactFormatByte() {
        Random master = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] term = TermCodec.encode(new TermCodecPropertyTest.Gen(master.nextLong()).value());
            assertThat(RecordCodec.isCompact(term, 0, term.length)).isFalse();
        }
    }

    @Test
    void truncatedOrPaddedEncodings_areRejected() {
        for (String name : new String[] {"t", "u"}) {
            byte[] bytes = RecordCodec.encode(Tuple.of("t", 1L, 300L, "abc", 2.5), name);
            for (int cut = 1; cut < bytes.length; cut++) {
                byte[] part = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> RecordCodec.decode(part, 0, part.length, 1L, name))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> RecordCodec.decode(padded, 0, padded.length, 1L, name))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        }
        assertThatThrownBy(() -> RecordCodec.encode(Tuple.of("lonely"), "lonely"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
