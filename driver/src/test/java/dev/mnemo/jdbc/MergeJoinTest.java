package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Joins of two tables on their leading key columns run as merge joins over the tables' key walks (no hash table, no
 * sort), in every storage, and give the rows of any other join, also over a transaction's own uncommitted writes.
 */
class MergeJoinTest {
    private static final String JOIN = "select o.id, l.line, l.qty from orders o join lines l on o.id = l.oid";

    @TempDir
    Path dir;

    /** order id → (line → qty), the model the SQL answers are checked against. */
    private final TreeMap<Long, TreeMap<Integer, Integer>> model = new TreeMap<>();

    private Connection open(String storage) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir.resolve("db"));
        try (Statement s = c.createStatement()) {
            s.execute("create table orders (id bigint primary key, cust int) with (storage = " + storage + ")");
            s.execute("create table lines (oid bigint, line int, qty int, primary key (oid, line)) "
                    + "with (type = ordered_set, storage = " + storage + ")");
        }
        // keys on both sides of zero, written in random order (the walk, not the writing, gives the order)
        List<Long> ids = new ArrayList<>();
        for (long id = -300; id <= 300; id++) {
            ids.add(id);
        }
        Collections.shuffle(ids, new Random(7));
        try (PreparedStatement o = c.prepareStatement("insert into orders values (?, ?)");
             PreparedStatement l = c.prepareStatement("insert into lines values (?, ?, ?)")) {
            for (long id : ids) {
                o.setLong(1, id);
                o.setInt(2, (int) Math.floorMod(id, 17));
                o.executeUpdate();
                for (int line = 1; id % 3 == 0 && line <= 1 + Math.floorMod(id, 4); line++) {
                    int qty = (int) Math.floorMod(id * line, 11);
                    l.setLong(1, id);
                    l.setInt(2, line);
                    l.setInt(3, qty);
                    l.executeUpdate();
                    model.computeIfAbsent(id, k -> new TreeMap<>()).put(line, qty);
                }
            }
            // lines of orders that do not exist join nothing
            for (long orphan : new long[] {-1000, 999, 1000}) {
                l.setLong(1, orphan);
                l.setInt(2, 1);
                l.setInt(3, 5);
                l.executeUpdate();
            }
        }
        return c;
    }

    private List<String> expected() {
        List<String> out = new ArrayList<>();
        model.forEach((id, lines) -> lines.forEach((line, qty) -> out.add(id + "|" + line + "|" + qty)));
        return out;
    }

    private static String plan(Statement s, String sql) throws SQLException {
        return String.join("\n", rows(s.executeQuery("explain plan for " + sql)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void joinOnTheLeadingKeyColumns_isAMergeJoinOfKeyWalks_withTheRowsOfTheModel(String storage) throws SQLException {
        try (Connection c = open(storage); Statement s = c.createStatement()) {
            assertThat(plan(s, JOIN)).contains("EnumerableMergeJoin").doesNotContain("EnumerableSort")
                    .doesNotContain("HashJoin");
            assertThat(rows(s.executeQuery(JOIN))).containsExactlyInAnyOrderElementsOf(expected());
            // the join keeps the key order: rows come out by order id
            List<String> ids = rows(s.executeQuery("select o.id from orders o join lines l on o.id = l.oid"));
            List<Long> got = ids.stream().map(Long::valueOf).toList();
            assertThat(got).isSorted();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void insideATransaction_theMergeJoinSeesItsOwnUncommittedWritesInKeyOrder(String storage) throws SQLException {
        try (Connection c = open(storage); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("insert into orders values (-301, 1), (5000, 2)");
            s.executeUpdate("insert into lines values (-301, 1, 4), (5000, 1, 6), (5000, 2, 7), (1, 9, 9)");
            s.executeUpdate("delete from lines where oid = 3");
            s.executeUpdate("update lines set qty = 100 where oid = 0");
            model.put(-301L, new TreeMap<>(java.util.Map.of(1, 4)));
            model.put(5000L, new TreeMap<>(java.util.Map.of(1, 6, 2, 7)));
            model.put(1L, new TreeMap<>(java.util.Map.of(9, 9)));
            model.remove(3L);
            model.get(0L).replaceAll((line, qty) -> 100);
            assertThat(plan(s, JOIN)).contains("EnumerableMergeJoin");
            assertThat(rows(s.executeQuery(JOIN))).containsExactlyInAnyOrderElementsOf(expected());
            c.rollback();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies"})
    void joinOnOtherColumnsOrStringKeys_isNoMergeJoin(String storage) throws SQLException {
        try (Connection c = open(storage); Statement s = c.createStatement()) {
            // cust is not a key: the sides do not come in its order
            String byCustomer = "select count(*) from orders o join lines l on o.cust = l.qty";
            assertThat(plan(s, byCustomer)).doesNotContain("MergeJoin");
            long expected = 0;
            for (var e : model.entrySet()) {
                // each line's qty meets every order whose cust equals it
                for (int qty : e.getValue().values()) {
                    expected += orders(qty);
                }
            }
            // the three orphan lines (qty 5) meet the orders of customer 5 too
            expected += 3L * orders(5);
            assertThat(rows(s.executeQuery(byCustomer))).containsExactly(String.valueOf(expected));
            // string keys: SQL's order of strings is not the engine's, so their walks claim no order
            s.execute("create table a (k varchar(10) primary key, v int)");
            s.execute("create table b (k varchar(10) primary key, w int)");
            s.executeUpdate("insert into a values ('x', 1), ('y', 2), ('Z', 3)");
            s.executeUpdate("insert into b values ('x', 10), ('Z', 30), ('q', 40)");
            String strings = "select a.k, v, w from a join b on a.k = b.k";
            assertThat(plan(s, strings)).doesNotContain("MergeJoin");
            assertThat(rows(s.executeQuery(strings))).containsExactlyInAnyOrder("x|1|10", "Z|3|30");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies"})
    void repeatedLeftKeys_restartTheRightOrder_soAnOrderByOfTheRightSideStillSorts(String storage)
            throws SQLException {
        try (Connection c = open(storage); Statement s = c.createStatement()) {
            // a bag: two rows per order id, so each line of an order is met twice, once per bag row
            s.execute("create table marks (oid bigint, tag int, primary key (oid)) with (type = bag)");
            try (PreparedStatement p = c.prepareStatement("insert into marks values (?, ?)")) {
                for (long oid : model.keySet()) {
                    for (int tag = 1; tag <= 2; tag++) {
                        p.setLong(1, oid);
                        p.setInt(2, tag);
                        p.executeUpdate();
                    }
                }
            }
            String sql = "select l.oid, l.line from marks m join lines l on m.oid = l.oid order by l.oid, l.line";
            assertThat(plan(s, sql)).contains("EnumerableMergeJoin");
            List<String> expected = new ArrayList<>();
            model.forEach((oid, lines) -> lines.keySet().forEach(line -> {
                expected.add(oid + "|" + line);
                expected.add(oid + "|" + line);
            }));
            assertThat(rows(s.executeQuery(sql))).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ram_copies"})
    void computedColumnOfAKey_isNotTakenToBeInOrder(String storage) throws SQLException {
        try (Connection c = open(storage); Statement s = c.createStatement()) {
            // line is the second key column of lines: CAST(line AS DOUBLE) is not in order across order ids
            s.execute("create table xs (k double primary key, v int)");
            s.executeUpdate("insert into xs values (1, 0), (2, 0), (3, 0)");
            String sql = "select count(*) from xs join (select cast(line as double) d from lines) l on xs.k = l.d";
            assertThat(plan(s, sql)).doesNotContain("MergeJoin");
            long expected = model.values().stream().flatMap(m -> m.keySet().stream()).filter(line -> line <= 3)
                    .count() + 3; // the orphan lines are line 1
            assertThat(rows(s.executeQuery(sql))).containsExactly(String.valueOf(expected));
        }
    }

    /** How many orders (ids -300..300) have customer {@code cust} (id mod 17). */
    private static long orders(int cust) {
        long n = 0;
        for (long id = -300; id <= 300; id++) {
            if (Math.floorMod(id, 17) == cust) {
                n++;
            }
        }
        return n;
    }
}
