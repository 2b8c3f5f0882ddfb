package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long IN lists (literals or parameters) plan in time linear in the list: on the key they are key lookups, elsewhere
 * a hash-set filter (EnumerableInList); the rows are those of the same list written as ORs.
 */
class InListTest {
    private static final AtomicInteger N = new AtomicInteger();
    private Connection c;
    private Statement s;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:inlist" + N.incrementAndGet() + ";close-on-last=true");
        s = c.createStatement();
        s.execute("create table t (id bigint primary key, v bigint, name varchar(20), d date, amount decimal(10,2))");
        try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 500; i++) {
                p.setLong(1, i);
                if (i % 50 == 0) {
                    p.setNull(2, java.sql.Types.BIGINT);
                } else {
                    p.setLong(2, i % 100);
                }
                p.setString(3, "n" + i);
                p.setDate(4, java.sql.Date.valueOf(java.time.LocalDate.of(2020, 1, 1).plusDays(i)));
                p.setBigDecimal(5, java.math.BigDecimal.valueOf(i, 1));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        c.close();
    }

    private String plan(String sql) throws SQLException {
        return String.join("\n", rows(s.executeQuery("explain plan for " + sql)));
    }

    private static String list(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }

    private long count(String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void longLiteralListOnKey_isKeyLookups() throws SQLException {
        String sql = "select count(*), sum(id) from t where id in (" + list(-500, 1500) + ")";
        assertThat(plan(sql)).contains("key_lookup[2000 keys [-500], [-499], [-498], …").doesNotContain("InList");
        assertThat(rows(s.executeQuery(sql))).containsExactly("500|" + (499L * 500 / 2));
    }

    @Test
    void longLiteralListOnOtherColumn_isHashFilter_nullsMatchNothing() throws SQLException {
        String sql = "select count(*) from t where v in (" + list(10, 40) + ", null)";
        assertThat(plan(sql)).contains("EnumerableInList(column=[$0], values=[30 values [10, 11, 12, …]")
                .contains("MnemoProject(v=[$1])");
        // v = i % 100, null where i % 50 == 0: i in [10, 40) and i in [110, 140) … five times, less none (no i%50==0)
        assertThat(count(sql)).isEqualTo(150);
        assertThat(count("select count(*) from t where v in (" + list(10, 40) + ") and id < 100")).isEqualTo(30);
    }

    @Test
    void longNotInList_isAHashFilter_andANullInTheListLetsNoRowPass() throws SQLException {
        // ten thousand values: written out by Calcite as many <> conjuncts, this overflowed the stack of its code
        // generator (StackOverflowError)
        String keys = "select count(*) from t where id not in (" + list(100, 10100) + ")";
        assertThat(plan(keys)).contains("not in 10000 values");
        assertThat(count(keys)).isEqualTo(100);
        // 490 rows have a v (ten are NULL, which NOT IN does not pass); 150 of them have v in 10..39
        assertThat(count("select count(*) from t where v not in (" + list(10, 40) + ")")).isEqualTo(340);
        assertThat(count("select count(*) from t where v not in (" + list(10, 40) + ", null)")).isZero();
        StringBuilder unequal = new StringBuilder("select count(*) from t where v <> 10");
        for (int v = 11; v < 35; v++) {
            unequal.append(" and v <> ").append(v);
        }
        assertThat(count(unequal.toString())).isEqualTo(490 - 125);
        String marks = IntStream.range(0, 25).mapToObj(i -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement p = c.prepareStatement("select count(*) from t where v not in (" + marks + ")")) {
            for (int i = 0; i < 25; i++) {
                p.setLong(i + 1, 10 + i);
            }
            assertThat(count(p)).isEqualTo(490 - 125);
            p.setNull(7, java.sql.Types.BIGINT);
            assertThat(count(p)).as("a NULL parameter in a NOT IN list").isZero();
        }
    }

    private static long count(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void parameterList_isBoundPerExecution_onKeyAndOtherColumns() throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(1000, "?"));
        try (PreparedStatement byKey = c.prepareStatement("select count(*) from t where id in (" + marks + ")");
             PreparedStatement byName = c.prepareStatement("select count(*) from t where name in (" + marks + ")")) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 1000; i++) {
                    byKey.setLong(i + 1, round == 0 ? i : i * 7);
                    byName.setString(i + 1, "n" + (round == 0 ? i : i * 7));
                }
                long want = round == 0 ? 500 : (499 / 7) + 1;
                try (ResultSet rs = byKey.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(want);
                }
                try (ResultSet rs = byName.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void numbersCompareByValue_datesAndDecimalsMatch() throws SQLException {
        // 25 values of which 5.0 equals id 5 and 5.5 equals nothing; decimals by value whatever their scale
        String ids = list(100, 123) + ", 5.0, 5.5";
        assertThat(count("select count(*) from t where id in (" + ids + ")")).isEqualTo(24);
        assertThat(count("select count(*) from t where v in (" + ids + ")")).isEqualTo(
                count("select count(*) from t where v = 5 or (v >= 100 and v < 123)"));
        String amounts = IntStream.range(0, 30).mapToObj(i -> i + ".50").collect(Collectors.joining(", "));
        assertThat(count("select count(*) from t where amount in (" + amounts + ")")).isEqualTo(30);
        String dates = IntStream.range(0, 25).mapToObj(i -> "date '" + java.time.LocalDate.of(2020, 1, 1)
                .plusDays(i * 3) + "'").collect(Collectors.joining(", "));
        assertThat(plan("select count(*) from t where d in (" + dates + ")")).contains("EnumerableInList");
        assertThat(count("select count(*) from t where d in (" + dates + ")")).isEqualTo(25);
    }

    @Test
    void hundredThousandParameters_planAndRun() throws SQLException {
        int n = 100_000;
        String marks = String.join(", ", java.util.Collections.nCopies(n, "?"));
        try (PreparedStatement p = c.prepareStatement("select count(*) from t where v in (" + marks + ")")) {
            for (int i = 0; i < n; i++) {
                p.setLong(i + 1, i % 1000 + 1000); // no v is 1000 or more
            }
            p.setLong(n, 42);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(5);
            }
        }
    }

    @Test
    void twoDifferentLongListsInOneQuery_areKeptApart() throws SQLException {
        String sql = "select (select count(*) from t where v in (" + list(1, 30) + ")), "
                + "(select count(*) from t where v in (" + list(1, 29) + ", 99))";
        assertThat(rows(s.executeQuery(sql))).containsExactly("145|145");
        String keys = "select (select count(*) from t where id in (" + list(0, 30) + ")), "
                + "(select count(*) from t where id in (" + list(0, 29) + ", 999))";
        assertThat(rows(s.executeQuery(keys))).containsExactly("30|29");
    }

    @Test
    void longListsInSubqueriesUpdatesAndDeletes_areHashFiltersToo() throws SQLException {
        String sub = "select count(*) from t where id in (select id + 1 from t where v in (" + list(10, 40) + "))";
        assertThat(plan(sub)).contains("EnumerableInList(column=[$1], values=[30 values [10, 11, 12, …]");
        assertThat(count(sub)).isEqualTo(150);
        assertThat(s.executeUpdate("update t set name = 'x' where v in (" + list(10, 40) + ") and id < 200"))
                .isEqualTo(60);
        assertThat(s.executeUpdate("delete from t where name in ('x', " + IntStream.range(0, 30)
                .mapToObj(i -> "'n" + i + "'").collect(Collectors.joining(", ")) + ")")).isEqualTo(60 + 30 - 20);
        assertThat(count("select count(*) from t")).isEqualTo(500 - 70);
    }

    @Test
    void longListsOutsideAWhereConjunct_answerAsCalcitesIn() throws SQLException {
        // in a CASE, under an OR, under a NOT: IN as Calcite plans it, with SQL's unknown where a NULL meets the list
        assertThat(count("select count(case when v in (" + list(10, 40) + ") then 1 end) from t")).isEqualTo(150);
        assertThat(count("select count(*) from t where v in (" + list(10, 40) + ") or id = 0")).isEqualTo(151);
        // 30 rows are in the list with id < 100; of the ten NULL v, those with id >= 100 (eight) make the AND false
        // (unknown AND false), so the NOT keeps them; those below 100 stay unknown
        assertThat(count("select count(*) from t where not (v in (" + list(10, 40) + ") and id < 100)"))
                .isEqualTo(490 - 30 + 8);
    }

    @Test
    void longListsOfAnotherKindThanTheColumn_areConvertedAsCalciteConvertsThem() throws SQLException {
        // strings for a DATE and for a number column: Calcite converts them; the list filter does not, so these
        // statements are planned with Calcite's IN
        String dates = IntStream.range(0, 25).mapToObj(i -> "'" + java.time.LocalDate.of(2020, 1, 1)
                .plusDays(i * 3) + "'").collect(Collectors.joining(", "));
        assertThat(count("select count(*) from t where d in (" + dates + ")")).isEqualTo(25);
        String ids = IntStream.range(0, 25).mapToObj(i -> "'" + (i * 2) + "'").collect(Collectors.joining(", "));
        assertThat(count("select count(*) from t where v in (" + ids + ")")).isEqualTo(
                count("select count(*) from t where v in (" + IntStream.range(0, 25).mapToObj(i -> "" + (i * 2))
                        .collect(Collectors.joining(", ")) + ")"));
    }

    @Test
    void plainStatementsWithLongListsAndOtherLiterals_bindEachLiteralToItsPlace() throws SQLException {
        // the shape's parameters come from the statement's own parse tree: each literal must reach its parameter
        for (int shift = 0; shift < 3; shift++) {
            String sql = "select count(*), min(id) from t where name <> 'n" + (20 + shift) + "' and v in ("
                    + list(10 + shift, 40 + shift) + ") and id between " + shift + " and " + (300 + shift);
            long want = 0;
            long min = Long.MAX_VALUE;
            for (int i = shift; i <= 300 + shift; i++) {
                boolean in = i % 50 != 0 && i % 100 >= 10 + shift && i % 100 < 40 + shift && i != 20 + shift;
                if (in) {
                    want++;
                    min = Math.min(min, i);
                }
            }
            assertThat(rows(s.executeQuery(sql))).as(sql).containsExactly(want + "|" + min);
        }
    }
}
