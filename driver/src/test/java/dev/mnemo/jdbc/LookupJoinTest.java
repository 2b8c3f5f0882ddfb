package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Joins on the key, an indexed column or a key prefix of a Mnemo table become lookup joins when the other side is
 * small: EXPLAIN shows MnemoLookupJoin with the path of each lookup, and the rows are those of a plain join.
 */
class LookupJoinTest {
    private static final String BENCH_JOIN = "select o.id, o.qty, p.name as product, u.name as customer, u.email "
            + "from orders o join users u on u.id = o.user_id join products p on p.id = o.product_id "
            + "where o.user_id = ?";

    private static Connection c;
    private Statement s;

    /** One database for the class (loading it takes seconds); a test that writes rolls back. */
    @BeforeAll
    static void load() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:lookupjoin;close-on-last=true");
        Statement s = c.createStatement();
        s.execute("create table users (id bigint primary key, name varchar, email varchar, age int, country varchar) "
                + "with (type = ordered_set)");
        s.execute("create index users_email on users (email)");
        s.execute("create table orders (id bigint primary key, user_id bigint, product_id bigint, qty int) "
                + "with (type = ordered_set)");
        s.execute("create index orders_user on orders (user_id)");
        s.execute("create table products (id bigint primary key, name varchar, price double) with (type = ordered_set)");
        s.execute("create table lines (orderkey bigint, line bigint, qty int, primary key (orderkey, line)) "
                + "with (type = ordered_set)");
        s.execute("create table tags (user_id bigint, tag varchar) with (type = bag)");
        s.execute("create table visits (user_id bigint, page varchar) with (type = duplicate_bag)");
        s.execute("create table countries (code varchar primary key, name varchar)");
        s.execute("create table rates (amount decimal(10, 2) primary key, label varchar)");
        s.execute("create table days (d date primary key, label varchar)");
        s.execute("create table accounts (user_id bigint primary key, balance bigint) with (type = ordered_set)");
        c.setAutoCommit(false);
        // batches of prepared inserts: a long VALUES list takes Calcite seconds to plan
        for (int i = 1; i <= 500; i++) {
            insert("users", i, "u" + i, "e" + i, i % 50, "c" + i % 20);
            insert("accounts", i, i * 100L);
            insert("tags", i, "a" + i);
            insert("tags", i, "b" + i);
            insert("visits", i, "home");
            insert("visits", i, "home");
            insert("rates", new BigDecimal(i + 9 + ".25"), "r" + i);
        }
        for (int i = 1; i <= 5000; i++) {
            insert("orders", i, (i - 1) / 10 + 1, i % 300 + 1, i % 7); // ten orders per user
            insert("lines", i, 1, i * 10 + 1);
            insert("lines", i, 2, i * 10 + 2);
        }
        for (int i = 1; i <= 300; i++) {
            insert("products", i, "p" + i, (double) i);
        }
        for (int i = 0; i < 20; i++) {
            insert("countries", "c" + i, "country " + i);
        }
        for (int i = 0; i < 400; i++) {
            insert("days", java.sql.Date.valueOf(java.time.LocalDate.of(2024, 1, 1).plusDays(i)), "d" + i);
        }
        for (PreparedStatement p : inserts.values()) {
            p.executeBatch();
            p.close();
        }
        s.executeUpdate("insert into orders values (5001, null, 1, 1), (5002, 9999, 1, 1), (5003, 3, null, 1)");
        s.executeUpdate("insert into visits values (7, 'cart')");
        s.executeUpdate("insert into rates values (2.00, 'two'), (2.50, 'two and a half'), (3, 'three')");
        c.commit();
        c.setAutoCommit(true);
        s.close();
    }

    private static final Map<String, PreparedStatement> inserts = new LinkedHashMap<>();

    private static void insert(String table, Object... values) throws SQLException {
        PreparedStatement p = inserts.get(table);
        if (p == null) {
            p = c.prepareStatement("insert into " + table + " values (?" + ", ?".repeat(values.length - 1) + ")");
            inserts.put(table, p);
        }
        for (int i = 0; i < values.length; i++) {
            p.setObject(i + 1, values[i]);
        }
        p.addBatch();
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    @BeforeEach
    void statement() throws SQLException {
        s = c.createStatement();
    }

    @AfterEach
    void closeStatement() throws SQLException {
        s.close();
    }

    private String plan(String sql) throws SQLException {
        return String.join("\n", rows(s.executeQuery("explain plan for " + sql)));
    }

    @Test
    void benchmarkJoin_readsOrdersByIndex_andLooksUpUsersAndProductsByKey() throws SQLException {
        assertThat(plan(BENCH_JOIN)).contains("MnemoLookupJoin(table=[[mnemo, users]], path=[key_lookup[$")
                .contains("MnemoLookupJoin(table=[[mnemo, products]], path=[key_lookup[$")
                .contains("MnemoTableScan(table=[[mnemo, orders]], path=[index_read(column 1 = ?0)])")
                .doesNotContain("HashJoin").doesNotContain("MergeJoin").doesNotContain("full_scan");
        try (PreparedStatement p = c.prepareStatement(BENCH_JOIN + " order by o.id")) {
            p.setLong(1, 42);
            List<String> expected = new ArrayList<>();
            for (int id = 411; id <= 420; id++) {
                expected.add(id + "|" + id % 7 + "|p" + (id % 300 + 1) + "|u42|e42");
            }
            assertThat(rows(p.executeQuery())).isEqualTo(expected);
            p.setLong(1, 3); // order 5003 has no product: an inner join drops it
            assertThat(rows(p.executeQuery())).hasSize(10).allMatch(r -> r.endsWith("|u3|e3"));
            p.setLong(1, 9999); // no such user
            assertThat(rows(p.executeQuery())).isEmpty();
        }
    }

    @Test
    void correlatedScalarSubquery_aggregatesOnlyTheGroupsItsOuterRowsAsk_byKeyPrefix() throws SQLException {
        // the largest line of each order of user 7: decorrelated, the max per order would be computed for all 5,000
        // orders from a full scan of lines; reduced to the keys of user 7's ten orders, it walks their key prefixes
        String sql = "select o.id, l.line, l.qty from orders o join lines l on l.orderkey = o.id where o.user_id = 7 "
                + "and l.qty = (select max(l2.qty) from lines l2 where l2.orderkey = o.id) order by o.id";
        assertThat(plan(sql)).doesNotContain("MnemoTableScan(table=[[mnemo, lines]], path=[full_scan")
                .contains("MnemoLookupJoin(table=[[mnemo, lines]], path=[prefix_walk[$");
        List<String> expected = new ArrayList<>();
        for (int id = 61; id <= 70; id++) {
            expected.add(id + "|2|" + (id * 10 + 2));
        }
        assertThat(rows(s.executeQuery(sql))).isEqualTo(expected);
        // an order the outer rows ask for twice (two lines each) is summed once per asking row, not doubled inside
        long sum = 0;
        for (int id = 61; id <= 70; id++) {
            sum += 2 * (20L * id + 3); // two outer rows per order, each with the order's sum of qty
        }
        assertThat(rows(s.executeQuery("select count(*), sum(l.qty * 0 + (select sum(l2.qty) from lines l2 "
                + "where l2.orderkey = o.id)) from orders o join lines l on l.orderkey = o.id where o.user_id = 7")))
                .containsExactly("20|" + sum);
    }

    @Test
    void aggregateOverASelfJoin_isReducedOnTheGroupKeysSideOnly() throws SQLException {
        // lines a join lines b: only a's side carries the group key; b must keep the lines of every order
        long perLine1 = 0;
        long perLine2 = 0;
        for (long i = 1; i <= 5000; i++) {
            perLine1 += i * 10 + 1;
            perLine2 += i * 10 + 2;
        }
        List<String> expected = new ArrayList<>();
        for (int id = 61; id <= 70; id++) {
            expected.add(id + "|" + (perLine1 + perLine2));
        }
        assertThat(rows(s.executeQuery("select o.id, x.m from orders o join (select a.orderkey as k, sum(b.qty) as m "
                + "from lines a join lines b on a.line = b.line group by a.orderkey) x on x.k = o.id "
                + "where o.user_id = 7 order by o.id"))).isEqualTo(expected);
    }

    @Test
    void joinOfTwoWholeTables_isNeverSortedForAMergeJoin() throws SQLException {
        // Calcite's merge join with sorts is not planned (its sorts of composite keys were half of TPC-H's execution
        // time). Two whole tables joined on their keys come in key order already: a merge join of the two key walks,
        // without sorts (on 100,000 rows each it took 19 ms where the lookup join took 42 ms).
        String sql = "select u.name, a.balance from users u join accounts a on a.user_id = u.id";
        assertThat(plan(sql)).contains("EnumerableMergeJoin").doesNotContain("EnumerableSort");
        assertThat(rows(s.executeQuery("select count(*), sum(a.balance) from users u join accounts a "
                + "on a.user_id = u.id"))).containsExactly("500|" + 100L * 500 * 501 / 2);
        String many = "select o.id, u.name from orders o join users u on u.id = o.user_id";
        assertThat(plan(many)).doesNotContain("key_lookup[$");
        assertThat(rows(s.executeQuery("select count(*), sum(o.id) from orders o join users u on u.id = o.user_id")))
                .containsExactly("5001|" + (5000L * 5001 / 2 + 5003));
    }

    @Test
    void exists_isASemiLookupJoin_notExists_keepsTheRowsWithoutMatch() throws SQLException {
        // orders 8, 9 and 12 have lines 1 and 2 with qty 81, 82, 91, 92, 121, 122; none has a line 3
        String exists = "select o.id from orders o where o.id in (8, 9, 12, 5001) and exists "
                + "(select * from lines l where l.orderkey = o.id and l.qty > 90)";
        assertThat(plan(exists)).contains("MnemoLookupJoin(table=[[mnemo, lines]], path=[prefix_walk[$0]], "
                + "joinType=[semi]");
        assertThat(rows(s.executeQuery(exists + " order by o.id"))).containsExactly("9", "12");
        String notExists = "select o.id from orders o where o.id in (8, 9, 12, 5001) and not exists "
                + "(select * from lines l where l.orderkey = o.id and l.qty > 90)";
        assertThat(rows(s.executeQuery(notExists + " order by o.id"))).containsExactly("8", "5001");
        String inSubquery = "select u.id from users u where u.id in (3, 4, 600) and u.id in "
                + "(select a.user_id from accounts a where a.balance > 350)";
        assertThat(rows(s.executeQuery(inSubquery + " order by u.id"))).containsExactly("4");
    }

    @Test
    void existsAndNotExists_correlatedBeyondTheKey_areLookupJoins_withoutComputingTheOuterQueryAgain()
            throws SQLException {
        // as TPC-H q21: another line of the same order (lines 1 and 2 of order o have qty o*10+1 and o*10+2)
        String exists = "select l.orderkey, l.line from orders o join lines l on l.orderkey = o.id "
                + "where o.id in (8, 9) and exists "
                + "(select * from lines m where m.orderkey = l.orderkey and m.line <> l.line and m.qty > 90)";
        assertThat(plan(exists)).contains("MnemoLookupJoin(table=[[mnemo, lines]], path=[prefix_walk[$1]], "
                + "joinType=[semi], condition=[").doesNotContain("Aggregate").doesNotContain("Correlate");
        assertThat(rows(s.executeQuery(exists + " order by 1, 2"))).containsExactly("9|1", "9|2");
        String notExists = "select l.orderkey, l.line from orders o join lines l on l.orderkey = o.id "
                + "where o.id in (8, 9) and not exists "
                + "(select * from lines m where m.orderkey = l.orderkey and m.line <> l.line and m.qty > 91)";
        assertThat(plan(notExists)).contains("MnemoLookupJoin(table=[[mnemo, lines]], path=[prefix_walk[$1]], "
                + "joinType=[anti], condition=[").doesNotContain("Aggregate").doesNotContain("Correlate");
        assertThat(rows(s.executeQuery(notExists + " order by 1, 2"))).containsExactly("8|1", "8|2", "9|2");
        // both at once, and a condition on the outer query besides NOT EXISTS
        String both = "select l.orderkey, l.line from lines l where l.orderkey between 8 and 10 and l.qty <> 101 "
                + "and exists (select * from lines m where m.orderkey = l.orderkey and m.line <> l.line) "
                + "and not exists (select * from lines m where m.orderkey = l.orderkey and m.qty > l.qty)";
        assertThat(rows(s.executeQuery(both + " order by 1, 2"))).containsExactly("8|2", "9|2", "10|2");
        // NOT EXISTS as one branch of an OR is not an anti join; it still answers (orders 8, 9, 12 have qty 1, 2, 5)
        String either = "select o.id from orders o where o.id in (8, 9, 12) and (o.qty = 2 or not exists "
                + "(select * from lines l where l.orderkey = o.id and l.qty > 90))";
        assertThat(plan(either)).doesNotContain("joinType=[anti]");
        assertThat(rows(s.executeQuery(either + " order by o.id"))).containsExactly("8", "9");
    }

    @Test
    void indexedColumn_isReadPerOuterRow() throws SQLException {
        String sql = "select u.name, o.id from users u join orders o on o.user_id = u.id where u.id in (3, 4)";
        assertThat(plan(sql)).contains("MnemoLookupJoin(table=[[mnemo, orders]], path=[index_read(column 1 = $0)]")
                .contains("path=[key_lookup[[3], [4]]]");
        assertThat(rows(s.executeQuery(sql + " order by o.id"))).hasSize(21).startsWith("u3|21", "u3|22")
                .contains("u4|40").endsWith("u3|5003");
    }

    @Test
    void bagInnerTables_joinEveryRowOfTheKey_duplicateBagKeepsCopies() throws SQLException {
        String tags = "select u.name, t.tag from users u join tags t on t.user_id = u.id where u.id = 7";
        assertThat(plan(tags)).contains("MnemoLookupJoin(table=[[mnemo, tags]], path=[key_lookup[$0]]");
        assertThat(rows(s.executeQuery(tags + " order by t.tag"))).containsExactly("u7|a7", "u7|b7");
        String visits = "select u.name, v.page from users u join visits v on v.user_id = u.id where u.id in (7, 9)";
        assertThat(plan(visits)).contains("MnemoLookupJoin(table=[[mnemo, visits]], path=[key_lookup[$0]]");
        assertThat(rows(s.executeQuery(visits + " order by u.name, v.page")))
                .containsExactly("u7|cart", "u7|home", "u7|home", "u9|home", "u9|home");
    }

    @Test
    void compositeKey_wholeKeyIsLookedUp_leadingColumnIsWalked() throws SQLException {
        String whole = "select o.id, l.qty from orders o join lines l on l.orderkey = o.id and l.line = o.qty "
                + "where o.id in (8, 9, 12)"; // qty 1, 2, 5
        assertThat(plan(whole)).contains("MnemoLookupJoin(table=[[mnemo, lines]], path=[key_lookup[$0, $1]]");
        assertThat(rows(s.executeQuery(whole + " order by o.id"))).containsExactly("8|81", "9|92"); // no line 5
        String prefix = "select o.id, l.line, l.qty from orders o join lines l on l.orderkey = o.id where o.id = 12";
        assertThat(plan(prefix)).contains("MnemoLookupJoin(table=[[mnemo, lines]], path=[prefix_walk[$0]]");
        assertThat(rows(s.executeQuery(prefix + " order by l.line"))).containsExactly("12|1|121", "12|2|122");
    }

    @Test
    void nullOrMissingJoinKey_matchesNothing_leftJoinKeepsTheRowWithNulls() throws SQLException {
        String inner = "select o.id, u.name from orders o join users u on u.id = o.user_id where o.id in (5001, 5002, 1)";
        assertThat(plan(inner)).contains("MnemoLookupJoin(table=[[mnemo, users]], path=[key_lookup[$1]], "
                + "joinType=[inner]");
        assertThat(rows(s.executeQuery(inner))).containsExactly("1|u1");
        String left = inner.replace(" join ", " left join ");
        assertThat(plan(left)).contains("joinType=[left]");
        assertThat(rows(s.executeQuery(left + " order by o.id"))).containsExactly("1|u1", "5001|null", "5002|null");
    }

    @Test
    void outerValueOfAnotherType_isComparedAsSqlDoes() throws SQLException {
        String ints = "select v.x, u.name from (values (1), (2), (1000)) as v(x) join users u on u.id = v.x";
        assertThat(plan(ints)).contains("MnemoLookupJoin(table=[[mnemo, users]], path=[key_lookup[$");
        assertThat(rows(s.executeQuery(ints + " order by v.x"))).containsExactly("1|u1", "2|u2");
        // DECIMAL(19, 0) holds every BIGINT: the key is compared as a decimal, looked up as the integer
        String decimals = "select v.x, u.name from (values (cast(2 as decimal(19, 0))), (cast(3 as decimal(19, 0))))"
                + " as v(x) join users u on u.id = v.x";
        assertThat(plan(decimals)).contains("MnemoLookupJoin(table=[[mnemo, users]], path=[key_lookup[$");
        assertThat(rows(s.executeQuery(decimals + " order by v.x"))).containsExactly("2|u2", "3|u3");
        // DECIMAL(21, 2), to which Calcite casts the key here, holds every BIGINT: a lookup, fractions find nothing
        String cents = "select v.x, u.name from (values (2.0), (2.5), (3.00)) as v(x) join users u on u.id = v.x";
        assertThat(plan(cents)).contains("MnemoLookupJoin(table=[[mnemo, users]], path=[key_lookup[$");
        assertThat(rows(s.executeQuery(cents + " order by v.x"))).containsExactly("2.00|u2", "3.00|u3");
        // DECIMAL(38, 20) cannot hold every BIGINT (18 integer digits): no lookup, the same rows
        String narrow = "select v.x, u.name from (values (cast(2 as decimal(38, 20))), (cast(2.5 as decimal(38, 20))),"
                + " (cast(3 as decimal(38, 20)))) as v(x) join users u on u.id = v.x";
        assertThat(plan(narrow)).doesNotContain("MnemoLookupJoin");
        assertThat(rows(s.executeQuery(narrow + " order by v.x"))).extracting(r -> r.substring(r.indexOf('|')))
                .containsExactly("|u2", "|u3");
        // a DECIMAL key (SQL type DECIMAL(10, 2), as declared) is looked up by value: 2.0 finds 2.00
        String rates = "select v.x, r.label from (values (2.0), (4.0), (3.00)) as v(x) join rates r on r.amount = v.x";
        assertThat(plan(rates)).contains("MnemoLookupJoin(table=[[mnemo, rates]], path=[key_lookup[$");
        assertThat(rows(s.executeQuery(rates + " order by v.x"))).containsExactly("2.00|two", "3.00|three");
        // integers are cast to the key's type as SQL does (below the join), then looked up
        String ints10 = "select v.x, r.label from (values (2), (4), (3)) as v(x) join rates r on r.amount = v.x";
        assertThat(plan(ints10)).contains("CAST($t0):DECIMAL(12, 2)")
                .contains("MnemoLookupJoin(table=[[mnemo, rates]], path=[key_lookup[$1]]");
        assertThat(rows(s.executeQuery(ints10 + " order by v.x"))).containsExactly("2|two", "3|three");
        String halves = "select r.label from (values (2.5), (2.25)) as v(x) join rates r on r.amount = v.x";
        assertThat(plan(halves)).contains("MnemoLookupJoin(table=[[mnemo, rates]], path=[key_lookup[$");
        assertThat(rows(s.executeQuery(halves))).containsExactly("two and a half");
        // a DOUBLE compared with a BIGINT key rounds the key: no lookup, the same rows
        String doubles = "select u.name from (values (2e0), (2.5e0)) as v(x) join users u on u.id = v.x";
        assertThat(plan(doubles)).doesNotContain("key_lookup[$");
        assertThat(rows(s.executeQuery(doubles))).containsExactly("u2");
        // a value read from a string is no lookup either
        String strings = "select u.name from (values ('2'), ('02')) as v(x) join users u on u.id = cast(v.x as bigint)";
        assertThat(rows(s.executeQuery(strings))).containsExactly("u2", "u2");
    }

    @Test
    void residualCondition_isCheckedOnTheLookedUpRows_ofInnerAndLeftJoins() throws SQLException {
        String inner = "select o.id, u.name from orders o join users u on u.id = o.user_id and u.age > o.qty "
                + "where o.id in (1, 6, 7)"; // ages 1, 1, 1; qty 1, 6, 0
        assertThat(plan(inner)).contains("MnemoLookupJoin(table=[[mnemo, users]], path=[key_lookup[$1]], "
                + "joinType=[inner], condition=[>(");
        assertThat(rows(s.executeQuery(inner + " order by o.id"))).containsExactly("7|u1");
        String left = inner.replace(" join ", " left join ");
        assertThat(rows(s.executeQuery(left + " order by o.id"))).containsExactly("1|null", "6|null", "7|u1");
    }

    @Test
    void filteredRightSide_isPartOfTheMatch_computedColumnsAreProjected() throws SQLException {
        String filtered = "select o.id, p.name from orders o join (select id, name from products where price > 100) p "
                + "on p.id = o.product_id where o.id in (99, 100)"; // products 100 and 101
        assertThat(plan(filtered)).contains("MnemoLookupJoin(table=[[mnemo, products]], path=[key_lookup[$")
                .contains("condition=[>(");
        assertThat(rows(s.executeQuery(filtered))).containsExactly("100|p101");
        assertThat(rows(s.executeQuery(filtered.replace(" join ", " left join ") + " order by o.id")))
                .containsExactly("99|null", "100|p101");
        String computed = "select o.id, p.n from orders o join (select id, upper(name) as n, price * 2 as d "
                + "from products) p on p.id = o.product_id where o.id = 99";
        assertThat(plan(computed)).contains("MnemoLookupJoin(table=[[mnemo, products]]");
        assertThat(rows(s.executeQuery(computed))).containsExactly("99|P100");
        // a LEFT join's computed right column must be null where nothing matched
        String leftComputed = "select o.id, p.flag from orders o left join (select id, 1 as flag from products) p "
                + "on p.id = o.product_id where o.id in (99, 5003)";
        assertThat(rows(s.executeQuery(leftComputed + " order by o.id"))).containsExactly("99|1", "5003|null");
        // a window over the right side is computed over the whole table, not over the rows looked up
        String window = "select o.id, p.rn from orders o join (select id, row_number() over (order by id desc) as rn "
                + "from products) p on p.id = o.product_id where o.id = 99";
        assertThat(rows(s.executeQuery(window))).containsExactly("99|201");
    }

    @Test
    void stringKey_isLookedUpByEquality() throws SQLException {
        String sql = "select u.id, c.name from users u join countries c on c.code = u.country where u.id in (5, 45)";
        assertThat(plan(sql)).contains("MnemoLookupJoin(table=[[mnemo, countries]], path=[key_lookup[$1]]");
        assertThat(rows(s.executeQuery(sql + " order by u.id"))).containsExactly("5|country 5", "45|country 5");
    }

    @Test
    void dateKey_isLookedUpByValue() throws SQLException {
        String sql = "select v.d, k.label from (values (date '2024-01-03'), (date '2023-12-31'), (date '2024-02-01')) "
                + "as v(d) join days k on k.d = v.d";
        assertThat(plan(sql)).contains("MnemoLookupJoin(table=[[mnemo, days]], path=[key_lookup[$0]]");
        assertThat(rows(s.executeQuery(sql + " order by v.d"))).containsExactly("2024-01-03|d2", "2024-02-01|d31");
    }

    @Test
    void explicitTransaction_seesItsOwnUncommittedRows_notAfterRollback() throws SQLException {
        c.setAutoCommit(false);
        s.executeUpdate("insert into users values (600, 'new', 'e600', 30, 'c0')");
        s.executeUpdate("insert into orders values (6000, 600, 5, 2)");
        s.executeUpdate("update products set name = 'renamed' where id = 5");
        String sql = "select o.id, u.name, p.name from orders o join users u on u.id = o.user_id "
                + "join products p on p.id = o.product_id where o.user_id = 600";
        assertThat(plan(sql)).contains("MnemoLookupJoin(table=[[mnemo, users]]")
                .contains("MnemoLookupJoin(table=[[mnemo, products]]");
        assertThat(rows(s.executeQuery(sql))).containsExactly("6000|new|renamed");
        c.rollback();
        assertThat(rows(s.executeQuery(sql))).isEmpty();
        String byKey = "select v.x, p.name from (values (5), (6)) as v(x) join products p on p.id = v.x";
        assertThat(plan(byKey)).contains("MnemoLookupJoin(table=[[mnemo, products]], path=[key_lookup[$");
        assertThat(rows(s.executeQuery(byKey + " order by v.x"))).containsExactly("5|p5", "6|p6");
        c.setAutoCommit(true);
    }
}
