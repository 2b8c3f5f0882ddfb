package org.apache.calcite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiteralScanTest {
    private static List<String> literals(String sql) {
        return LiteralScan.of(sql).literals().stream().map(LiteralScan.Literal::text).toList();
    }

    @Test
    void numbersAndStrings_areLiterals_withTheirKinds() {
        LiteralScan s = LiteralScan.of("select a from t where id = 42 and x > 4.5 and y < 1e3 and n = 'O''Brien'");
        assertThat(s.literals()).extracting(LiteralScan.Literal::kind).containsExactly(LiteralScan.Kind.INTEGER,
                LiteralScan.Kind.DECIMAL, LiteralScan.Kind.APPROXIMATE, LiteralScan.Kind.STRING);
        assertThat(s.literals().get(3).stringValue()).isEqualTo("O'Brien");
        assertThat(s.shape()).isEqualTo("select a from t where id = \u0001i and x > \u0001d and y < \u0001a and n = "
                + "\u0001s");
        assertThat(LiteralScan.of("select a from t where id = 7").shape())
                .isEqualTo(LiteralScan.of("select a from t where id = 123456").shape());
    }

    @Test
    void identifiersCommentsAndTypedLiterals_stayInTheShape() {
        assertThat(literals("select col1, \"12 \"\"x\"\" 3\" from t2 -- 5\nwhere d = DATE '2024-01-01' /* 6 */ "
                + "and b = X'0A' and n = N'x' and u = U&'x' and i = interval '1' day and z = 9")).containsExactly("9");
        assertThat(LiteralScan.of("select 1 from t where a = 'it''s\nmultiline'").literals())
                .extracting(LiteralScan.Literal::text).containsExactly("1");
    }

    @Test
    void positions_countLinesAndColumnsFromOne() {
        LiteralScan s = LiteralScan.of("select *\nfrom t\n  where id = 42");
        assertThat(s.literals().get(0).line()).isEqualTo(3);
        assertThat(s.literals().get(0).column()).isEqualTo(14);
    }

    @Test
    void parameterMarksOrUnterminatedTokens_cannotBeScanned() {
        assertThat(LiteralScan.of("select * from t where id = ?")).isNull();
        assertThat(LiteralScan.of("select * from t where n = 'abc")).isNull();
        assertThat(LiteralScan.of("select \"abc from t")).isNull();
        assertThat(LiteralScan.of("select 1 /* never closed")).isNull();
        assertThat(LiteralScan.of("select * from t where n = '?'")).isNotNull();
    }

    @Test
    void withParameters_replacesOnlyTheFlaggedLiterals() {
        String sql = "select * from t where id = 42 and n = 'x' limit 10";
        LiteralScan s = LiteralScan.of(sql);
        assertThat(s.withParameters(sql, new boolean[] {true, true, false}))
                .isEqualTo("select * from t where id = ? and n = ? limit 10");
    }
}
