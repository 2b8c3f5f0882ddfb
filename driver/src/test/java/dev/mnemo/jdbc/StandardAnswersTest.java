package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.jdbc.MnemoMeta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers that must be the SQL standard's (and H2's): exact AVG of integers, SUM without overflow, NTILE's bucket sizes, unpadded CASE
 * literals, DECIMAL kept at its declared scale, n-ary CONCAT, and column labels that are the expression's text.
 */
class StandardAnswersTest {
    @TempDir
    Path dir;
    private Connection c;
    private Statement s;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db"));
        s = c.createStatement();
        s.execute("create table items (id int primary key, grp varchar(5), qty int, name varchar(20))");
        s.executeUpdate("insert into items values (1, 'a', 5, 'x'), (2, 'a', 6, null), (3, 'b', 1, 'z'), "
                + "(4, 'b', 2, 'w'), (5, 'b', 4, 'v'), (6, 'c', 7, 'u'), (7, 'c', 8, 't'), (8, 'c', 9, 's'), "
                + "(9, 'c', 1, 'r'), (10, 'c', 3, 'q')");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void avgOfIntegers_isExact_asAggregateAndAsWindow() throws SQLException {
        ResultSet rs = s.executeQuery("select avg(qty) from items where grp = 'a'");
        assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.DECIMAL);
        assertThat(rows(rs)).containsExactly("5.5000000000");
        assertThat(rows(s.executeQuery("select id, avg(qty) over (partition by grp) from items where id <= 3 "
                + "order by id"))).containsExactly("1|5.5000000000", "2|5.5000000000", "3|1.0000000000");
        assertThat(rows(s.executeQuery("select avg(qty) from items where grp = 'b'")))
                .as("7 / 3 to 10 digits, rounded").containsExactly("2.3333333333");
        assertThat(rows(s.executeQuery("select sum(qty), count(qty) from items"))).containsExactly("46|10");
        assertThat(rows(s.executeQuery("select sum(cast(2147483647 as integer)) from items")))
                .as("SUM of INTEGERs is a BIGINT").containsExactly("21474836470");
    }

    @Test
    void ntile_givesTheFirstBucketsTheExtraRows() throws SQLException {
        String q = "select id, ntile(4) over (order by id) from items order by id";
        assertThat(String.join("\n", rows(s.executeQuery("explain plan for " + q)))).doesNotContain("NTILE")
                .contains("ROW_NUMBER()");
        assertThat(rows(s.executeQuery(q))).extracting(r -> r.substring(r.indexOf('|') + 1))
                .containsExactly("1", "1", "1", "2", "2", "2", "3", "3", "4", "4");
        assertThat(rows(s.executeQuery("select id, ntile(2) over (partition by grp order by qty desc) from items "
                + "where grp = 'b' order by id"))).containsExactly("3|2", "4|1", "5|1");
        assertThat(rows(s.executeQuery("select ntile(20) over (order by id) from items where id <= 3 order by id")))
                .as("more buckets than rows: one row each").containsExactly("1", "2", "3");
        assertThat(rows(s.executeQuery("select v, ntile(3) over (order by v) from (select qty as v from items "
                + "where grp = 'c') order by v"))).as("in a subquery")
                .containsExactly("1|1", "3|1", "7|2", "8|2", "9|3");
    }

    @Test
    void caseOfStringLiterals_isVarchar_withoutPadding() throws SQLException {
        ResultSet rs = s.executeQuery("select id, case when qty < 5 then 'low' else 'high' end from items "
                + "where id in (3, 6) order by id");
        assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.VARCHAR);
        assertThat(rows(rs)).containsExactly("3|low", "6|high");
        assertThat(rows(s.executeQuery("select 'a' from items where id = 1 union all select 'bcd' from items "
                + "where id = 1"))).containsExactly("a", "bcd");
        assertThat(rows(s.executeQuery("select coalesce(name, 'none') || '!' from items where id = 2")))
                .containsExactly("none!");
    }

    @Test
    void concat_takesAnyNumberOfArguments_andSkipsNulls() throws SQLException {
        assertThat(rows(s.executeQuery("select concat(grp, '-', name, '-', qty) from items where id in (1, 2) "
                + "order by id"))).containsExactly("a-x-5", "a--6");
        assertThat(rows(s.executeQuery("select concat(name) from items where id = 2"))).containsExactly("");
        assertThat(rows(s.executeQuery("select name || grp from items where id = 2"))).as("|| stays strict")
                .containsExactly("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void decimal_keepsItsDeclaredScale_onEveryStorageType(String storage) throws SQLException {
        s.execute("create table prices (id int primary key, amount decimal(10,2) not null, rate decimal(5,3)) "
                + "with (storage = " + storage + ")");
        s.executeUpdate("insert into prices values (1, 5.50, 1), (2, 7, 0.5), (3, 1.255, 2.0004)");
        ResultSet rs = s.executeQuery("select id, amount, rate from prices order by id");
        ResultSetMetaData md = rs.getMetaData();
        assertThat(List.of(md.getPrecision(2), md.getScale(2), md.getPrecision(3), md.getScale(3)))
                .containsExactly(10, 2, 5, 3);
        assertThat(rows(rs)).as("rounded half up to the scale on write, read at the scale")
                .containsExactly("1|5.50|1.000", "2|7.00|0.500", "3|1.26|2.000");
        try (PreparedStatement p = c.prepareStatement("update prices set amount = ? where id = ?")) {
            p.setBigDecimal(1, new BigDecimal("8.125"));
            p.setInt(2, 2);
            assertThat(p.executeUpdate()).isOne();
        }
        assertThat(rows(s.executeQuery("select amount from prices where id = 2"))).containsExactly("8.13");
        assertThat(rows(s.executeQuery("select sum(amount), max(amount), amount * 2 from prices where id = 1 "
                + "group by amount"))).containsExactly("5.50|5.50|11.00");
        if (!storage.equals("ram_copies")) {
            reopen();
            assertThat(rows(s.executeQuery("select amount from prices where id = 1"))).as("after reopening")
                    .containsExactly("5.50");
        }
        // written through the engine API: the engine keeps 7.1 (decimals are values); SQL reads it at its scale
        Mnemo db = MnemoMeta.sessionOf((AvaticaConnection) c).database();
        db.dirtyWrite(Tuple.of("prices", 4, new BigDecimal("7.1"), new BigDecimal("0.12345")));
        assertThat(rows(s.executeQuery("select amount, rate from prices where id = 4"))).containsExactly("7.10|0.123");
        assertThat(((BigDecimal) db.dirtyRead("prices", 4).get(0).get(2))).isEqualByComparingTo("7.1");
    }

    @Test
    void decimal_tooLargeForItsPrecision_isRefusedWith22003_namingTheTable() throws SQLException {
        s.execute("create table prices (id int primary key, amount decimal(5,2))");
        assertThatThrownBy(() -> s.executeUpdate("insert into prices values (1, 1234.5)"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("22003");
                    assertThat(e.getMessage()).contains("table prices").contains("1234.5").contains("DECIMAL(5, 2)");
                });
        try (PreparedStatement p = c.prepareStatement("update prices set amount = ? where id = ?")) {
            s.executeUpdate("insert into prices values (1, 1)");
            p.setBigDecimal(1, new BigDecimal("999.995"));
            p.setInt(2, 1);
            assertThatThrownBy(p::executeUpdate).as("rounds to 1000.00, one digit too many")
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22003");
                        assertThat(e.getMessage()).contains("column amount");
                    });
        }
        assertThat(rows(s.executeQuery("select amount from prices"))).containsExactly("1.00");
        assertThatThrownBy(() -> s.execute("create table bad (id int primary key, x decimal(40, 2))"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("1 to 38"));
        assertThatThrownBy(() -> s.execute("create table bad (id int primary key, x decimal(4, 5))"))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void columnLabels_areTheExpressionText_unlessAliased() throws SQLException {
        assertThat(labels("select count(*), sum(qty), qty + 1, qty as q, grp, id * 2 as doubled, upper(name) "
                + "from items group by qty, grp, name, id"))
                .containsExactly("COUNT(*)", "SUM(qty)", "qty + 1", "q", "grp", "doubled", "UPPER(name)");
        assertThat(s.executeQuery("select count(*) from items").getMetaData().getColumnName(1)).isEqualTo("COUNT(*)");
        assertThat(labels("select *, count(*) over () from items")).endsWith("COUNT(*) OVER ()")
                .startsWith("id", "grp", "qty", "name");
        assertThat(labels("select count(*) from items where grp = 'a' union all select count(*) from items"))
                .containsExactly("COUNT(*)");
        assertThat(labels("select x from (select count(*) as x from items)")).containsExactly("x");
        // a plain statement that runs a cached plan keeps the literals of its select list in the label
        for (int k = 3; k <= 4; k++) {
            ResultSet rs = s.executeQuery("select count(*) > " + k + " from items where id < " + (k + 3));
            assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("COUNT(*) > " + k);
            assertThat(rows(rs)).containsExactly("true");
        }
        try (PreparedStatement p = c.prepareStatement("select qty * ? from items where id = ?")) {
            assertThat(p.getMetaData().getColumnLabel(1)).isEqualTo("qty * ?");
        }
    }

    private List<String> labels(String sql) throws SQLException {
        ResultSetMetaData md = s.executeQuery(sql).getMetaData();
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            out.add(md.getColumnLabel(i));
        }
        return out;
    }

    private void reopen() throws SQLException {
        c.close();
        c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db"));
        s = c.createStatement();
    }

    @Test
    void randWithASeed_startsItsSequenceOverOnAnotherConnection() throws SQLException {
        // the compiled class of a plan is shared by every connection only if its static fields hold no state: a
        // seeded RAND keeps its generator in one, so another connection's statement starts the sequence over
        String sql = "select rand(7) from items where id <= 3 order by id";
        List<String> first = rows(s.executeQuery(sql));
        assertThat(first).hasSize(3).doesNotHaveDuplicates();
        try (Connection other = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db"));
             Statement st = other.createStatement()) {
            assertThat(rows(st.executeQuery(sql))).isEqualTo(first);
        }
    }
}
