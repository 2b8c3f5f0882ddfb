package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.jdbc.MnemoMeta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WHERE clauses become engine access paths: EXPLAIN shows the path, and the rows are right. */
class PushdownTest {
    private Connection c;
    private Statement s;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:pushdown;close-on-last=true");
        s = c.createStatement();
        Mnemo db = MnemoMeta.sessionOf((AvaticaConnection) c).database();
        db.createTable(TableDef.builder("users").attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .attribute("email", AttrType.STRING).attribute("age", AttrType.INTEGER).type(TableType.ORDERED_SET)
                .index("email").build());
        db.createTable(TableDef.builder("lines").attribute("$key", AttrType.TUPLE).attribute("qty", AttrType.INTEGER)
                .type(TableType.ORDERED_SET).userProperty("sql.columns", List.of("orderkey", "line", "qty"))
                .userProperty("sql.key", List.of("orderkey", "line"))
                .userProperty("sql.key.types", List.of("INTEGER", "INTEGER")).build());
        db.transaction(tx -> {
            for (int i = 1; i <= 100; i++) {
                tx.write(Tuple.of("users", i, "n" + i, "e" + (i % 10) + "@x", 20 + i % 30));
            }
            for (int o = 1; o <= 10; o++) {
                for (int l = 1; l <= 4; l++) {
                    tx.write(Tuple.of("lines", Tuple.of(o, l), o * 10 + l));
                }
            }
            return null;
        });
    }

    @AfterEach
    void tearDown() throws SQLException {
        s.close();
        c.close();
    }

    private String plan(String sql) throws SQLException {
        return String.join("\n", rows(s.executeQuery("explain plan for " + sql)));
    }

    @Test
    void keyEquality_isKeyLookup_withoutFilter() throws SQLException {
        String sql = "select name from users where id = 42";
        assertThat(plan(sql)).contains("path=[key_lookup[[42]]]").doesNotContain("$condition");
        assertThat(rows(s.executeQuery(sql))).containsExactly("n42");
    }

    @Test
    void explainWithAllAttributes_estimatesRowsFromTheTableSizeAndTheFilter() throws SQLException {
        assertThat(explainAll("select * from users"))
                .contains("MnemoTableScan(table=[[mnemo, users]], path=[full_scan]): rowcount = 100.0");
        // the guarded scan still visits every row; the filter above it (which re-checks the guard) keeps a share
        // of them, counted once: 0.15 for an equality, a third for one bound, a ninth for a range
        assertThat(explainAll("select * from users where age = 25"))
                .contains("path=[full_scan guard [$3 == 25]]): rowcount = 100.0").contains("rowcount = 15.0");
        assertThat(explainAll("select * from users where age > 25")).contains("rowcount = 33.3");
        assertThat(explainAll("select * from users where age between 25 and 30")).contains("rowcount = 11.1");
    }

    @Test
    void explainWithAllAttributes_countsAKeyJoinAsItsOtherSide_scaledByWhatTheKeySideKept() throws SQLException {
        // lines.orderkey meets users.id, which is unique: each of the 40 lines meets at most one user (Calcite
        // alone counts 40 × 100 × 0.15 = 600)
        String join = "select * from lines join users on lines.orderkey = users.id";
        assertThat(joinRows(explainAll(join))).isEqualTo(40.0);
        // users filtered to 15 of 100 keep 15% of the lines
        assertThat(joinRows(explainAll(join + " where users.age = 25"))).isEqualTo(6.0);
    }

    @Test
    void explainWithAllAttributes_countsGroupsAndJoinsOfAnIndexedColumnByItsDistinctValues() throws SQLException {
        // email is indexed: 10 distinct values among 100 users (Calcite alone counts a join of two non-unique
        // columns as 100 × 100 × 0.15, and a GROUP BY as a tenth of the rows)
        assertThat(joinRows(explainAll("select * from users a join users b on a.email = b.email")))
                .isEqualTo(1000.0);
        // the engine keeps the count as rows come: 40 more addresses among 100 more users (a tenth would be 20)
        for (int i = 101; i <= 200; i++) {
            s.executeUpdate("insert into users values (" + i + ", 'n', 'f" + (i % 40) + "@x', 30)");
        }
        assertThat(aggregateRows(explainAll("select email, count(*) from users group by email"))).isEqualTo(50.0);
    }

    /** The estimated rows of the first aggregate in {@code plan}. */
    private static double aggregateRows(String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Aggregate\\(.*?\\): rowcount = ([0-9.E]+)")
                .matcher(plan);
        assertThat(m.find()).as("an aggregate in %s", plan).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private String explainAll(String sql) throws SQLException {
        return String.join("\n", rows(s.executeQuery("explain plan including all attributes for " + sql)));
    }

    /** The estimated rows of the first join in {@code plan}. */
    private static double joinRows(String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Join\\(.*?\\): rowcount = ([0-9.E]+)")
                .matcher(plan);
        assertThat(m.find()).as("a join in %s", plan).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void anAggregateOverAScan_convertsOnlyTheColumnsItUses() throws SQLException {
        String sql = "select age, count(*) from users group by age";
        assertThat(plan(sql)).contains("MnemoProject(age=[$3])");
        assertThat(rows(s.executeQuery(sql + " order by age limit 2"))).containsExactly("20|3", "21|4");
    }

    @Test
    void keyInList_isKeyLookups() throws SQLException {
        String sql = "select id from users where id in (3, 5, 500) order by id";
        assertThat(plan(sql)).contains("key_lookup[[3], [5], [500]]");
        assertThat(rows(s.executeQuery(sql))).containsExactly("3", "5");
    }

    @Test
    void keyEqualsParameter_isKeyLookup_perExecution() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select name from users where id = ?")) {
            for (int id : new int[] {7, 8, 1000}) {
                p.setInt(1, id);
                assertThat(rows(p.executeQuery())).isEqualTo(id <= 100 ? List.of("n" + id) : List.of());
            }
        }
        assertThat(plan("select name from users where id = ?")).contains("key_lookup[[?0]]");
    }

    @Test
    void keyEqualsFractionalParameter_neverMatchesTheTruncatedKey() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select name from users where id = ?")) {
            p.setDouble(1, 7.0);
            assertThat(rows(p.executeQuery())).containsExactly("n7");
            for (double fraction : new double[] {7.5, 7.000001, 1e30, Double.NaN}) {
                p.setDouble(1, fraction);
                assertThatThrownBy(p::executeQuery).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("22000"));
            }
            // as a BigDecimal already did
            p.setBigDecimal(1, new java.math.BigDecimal("7.5"));
            assertThatThrownBy(p::executeQuery).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("22000"));
        }
    }

    @Test
    void indexedColumnEquality_isIndexRead_restStaysInFilter() throws SQLException {
        String sql = "select id from users where email = 'e3@x' and age > 30 order by id";
        assertThat(plan(sql)).contains("index_read(column 2 = e3@x) guard [$3 > 30]").contains("$condition");
        assertThat(rows(s.executeQuery(sql))).containsExactly("13", "23", "43", "53", "73", "83");
    }

    @Test
    void keyRange_isRangeWalk() throws SQLException {
        String sql = "select id from users where id between 10 and 13 or false";
        assertThat(plan("select id from users where id >= 10 and id < 14")).contains("range_walk([10, 14))");
        assertThat(rows(s.executeQuery("select id from users where id >= 10 and id < 14 order by id")))
                .containsExactly("10", "11", "12", "13");
        assertThat(plan("select id from users where id between 10 and 13")).contains("range_walk([10, 13])");
        assertThat(rows(s.executeQuery(sql + " order by id"))).containsExactly("10", "11", "12", "13");
    }

    @Test
    void compositeKey_fullKeyIsLookup_prefixIsPrefixWalk() throws SQLException {
        assertThat(plan("select qty from lines where orderkey = 3 and line = 2")).contains("key_lookup[[3, 2]]");
        assertThat(rows(s.executeQuery("select qty from lines where line = 2 and orderkey = 3"))).containsExactly("32");
        assertThat(plan("select qty from lines where orderkey = 3")).contains("prefix_walk[3]");
        assertThat(rows(s.executeQuery("select line, qty from lines where orderkey = 3 order by line")))
                .containsExactly("1|31", "2|32", "3|33", "4|34");
    }

    @Test
    void orderByKeyWithLimit_walksOnlyThatManyKeys_inEitherDirection() throws SQLException {
        assertThat(plan("select id from users order by id limit 3")).contains("MnemoLimit(sort0=[$0], dir0=[ASC], fetch=[3])")
                .doesNotContain("EnumerableSort");
        assertThat(rows(s.executeQuery("select id from users order by id limit 3"))).containsExactly("1", "2", "3");
        assertThat(plan("select id from users order by id desc limit 2 offset 1")).contains("MnemoLimit")
                .doesNotContain("EnumerableSort");
        assertThat(rows(s.executeQuery("select id from users order by id desc limit 2 offset 1")))
                .containsExactly("99", "98");
        assertThat(plan("select id from users where id > 50 order by id limit 2")).contains("MnemoLimit")
                .contains("range_walk((50, +inf))").doesNotContain("EnumerableSort");
        assertThat(rows(s.executeQuery("select id from users where id > 50 order by id limit 2")))
                .containsExactly("51", "52");
        assertThat(rows(s.executeQuery("select qty from lines where orderkey = 4 order by orderkey desc, line desc "
                + "limit 2"))).containsExactly("44", "43");
    }

    @Test
    void projection_isPushedIntoTheScan() throws SQLException {
        assertThat(plan("select name from users where id = 42")).contains("MnemoProject(name=[$1])")
                .doesNotContain("EnumerableCalc");
        assertThat(plan("select age, name from users where email = 'e1@x'")).contains("MnemoProject(age=[$3], name=[$1])");
        assertThat(rows(s.executeQuery("select age, name from users where id between 5 and 6")))
                .containsExactly("25|n5", "26|n6");
        assertThat(rows(s.executeQuery("select line, orderkey from lines where orderkey = 2 and line = 3")))
                .containsExactly("3|2");
    }

    @Test
    void orderByKeyWithoutLimit_isServedByTheWalk_withoutSort() throws SQLException {
        assertThat(plan("select id from users where id > 95 order by id desc")).contains("MnemoLimit")
                .doesNotContain("EnumerableSort");
        assertThat(rows(s.executeQuery("select id from users where id > 95 order by id desc")))
                .containsExactly("100", "99", "98", "97", "96");
        assertThat(rows(s.executeQuery("select id from users where email = 'e5@x' order by id desc")))
                .containsExactly("95", "85", "75", "65", "55", "45", "35", "25", "15", "5");
    }

    @Test
    void limitWithoutOrder_isPushed_butOrderOnOtherColumnsIsNot() throws SQLException {
        assertThat(plan("select name from users limit 5")).contains("MnemoLimit(fetch=[5])");
        assertThat(rows(s.executeQuery("select name from users limit 5"))).hasSize(5);
        assertThat(plan("select id from users order by age, id limit 5")).doesNotContain("MnemoLimit");
        assertThat(plan("select id from users order by name limit 5")).doesNotContain("MnemoLimit");
        assertThat(rows(s.executeQuery("select id from users order by age desc, id limit 2")))
                .containsExactly("29", "59");
    }

    @Test
    void nonKeyCondition_isCheckedInsideTheEngineScan_andAgainAbove() throws SQLException {
        String sql = "select count(*) from users where age = 25";
        assertThat(plan(sql)).contains("path=[full_scan guard [$3 == 25]]").contains("$condition");
        assertThat(rows(s.executeQuery(sql))).containsExactly("4");
    }
}
