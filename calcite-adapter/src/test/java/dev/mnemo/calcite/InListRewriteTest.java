package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;

/** Which IN lists the parse-tree rewrite makes one call of: long ones that are conjuncts of a WHERE clause. */
class InListRewriteTest {
    private static String values(int n) {
        return IntStream.range(0, n).mapToObj(i -> i % 3 == 0 ? "?" : i % 3 == 1 ? "-" + i : "'s" + i + "'")
                .collect(Collectors.joining(", "));
    }

    private static SqlNode parse(String sql) throws SqlParseException {
        return SqlParser.create(sql).parseStmt();
    }

    @Test
    void longListsThatAreWhereConjuncts_becomeOneCall_atAnyDepth() throws SqlParseException {
        SqlNode tree = parse("select a from t where b = 1 and a in (" + values(25) + ") and (c not in ("
                + values(20) + ")) and a in (select x from u where y in (" + values(30) + "))");
        assertThat(InListRewrite.rewrite(tree)).isEqualTo(3);
        String text = tree.toString();
        assertThat(text).doesNotContain("$IN_LIST").contains("`A` IN (?, -1, 's2'")
                .contains("`C` NOT IN (?, -1, 's2'");
        SqlNode update = parse("update t set a = 1 where b in (" + values(20) + ")");
        SqlNode delete = parse("delete from t where b not in (" + values(20) + ")");
        assertThat(InListRewrite.rewrite(update) + InListRewrite.rewrite(delete)).isEqualTo(2);
    }

    @Test
    void shortListsAndListsElsewhere_stayIn() throws SqlParseException {
        assertThat(InListRewrite.rewrite(parse("select a from t where a in (" + values(19) + ")"))).isZero();
        assertThat(InListRewrite.rewrite(parse("select a in (" + values(25) + ") from t"))).isZero();
        assertThat(InListRewrite.rewrite(parse("select a from t where a in (" + values(25) + ") or b = 1")))
                .isZero();
        assertThat(InListRewrite.rewrite(parse("select a from t where not (a in (" + values(25) + "))")))
                .isZero();
        assertThat(InListRewrite.rewrite(parse("select a from t where a + 1 in (" + values(25) + ")"))).isZero();
        assertThat(InListRewrite.rewrite(parse("select a from t where a in (" + values(24) + ", b)"))).isZero();
        assertThat(InListRewrite.rewrite(parse("select a from t group by a having a in (" + values(25) + ")")))
                .isZero();
    }
}
