package org.apache.calcite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain statements that differ only in literals share one plan, and get the rows their literals ask for. */
class PlanCacheTest {
    private Connection c;
    private Statement s;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:plancache;close-on-last=true");
        s = c.createStatement();
        s.execute("create table users (id bigint primary key, name varchar, score decimal(6,2), ratio double, "
                + "age int) with (type = ordered_set)");
        for (int i = 1; i <= 20; i++) {
            s.executeUpdate("insert into users values (" + i + ", 'n" + i + "', " + i + ".25, " + i + ".5, " + i
                    + ")");
        }
        s.executeUpdate("insert into users values (21, 'O''Brien', 0, 0, 0), (22, 'pad ', 0, 0, 0)");
    }

    @AfterEach
    void tearDown() throws SQLException {
        s.close();
        c.close();
    }

    private long prepared() {
        return MnemoMeta.plansOf((AvaticaConnection) c).preparedCount();
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void preparingTheSameTextAgain_reusesItsPlan_untilTheSchemaChanges() throws SQLException {
        String sql = "select u.name, v.name from users u join users v on v.id = u.id + 1 where u.age > ? and u.id < 20 "
                + "order by 1";
        try (java.sql.PreparedStatement p = c.prepareStatement(sql)) {
            p.setInt(1, 18);
            assertThat(rows(p)).containsExactly("n19|n20");
        }
        long before = prepared();
        try (java.sql.PreparedStatement p = c.prepareStatement(sql);
             java.sql.PreparedStatement q = c.prepareStatement(sql)) {
            p.setInt(1, 17);
            q.setInt(1, 19);
            assertThat(rows(p)).containsExactly("n18|n19", "n19|n20");
            assertThat(rows(q)).as("two statements on one plan keep their own parameters").isEmpty();
        }
        assertThat(prepared()).as("planned once").isEqualTo(before);
        s.execute("create index users_age on users (age)");
        try (java.sql.PreparedStatement p = c.prepareStatement(sql)) {
            p.setInt(1, 18);
            assertThat(rows(p)).containsExactly("n19|n20");
        }
        assertThat(prepared()).as("planned again for the new schema").isEqualTo(before + 1);
    }

    private static List<String> rows(java.sql.PreparedStatement p) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2));
            }
        }
        return out;
    }

    @Test
    void keyLookups_differingInTheLiteral_shareOnePlan() throws SQLException {
        rows("select name from users where id = 1");
        long before = prepared();
        for (int i = 1; i <= 20; i++) {
            assertThat(rows("select name from users where id = " + i)).containsExactly("n" + i);
        }
        assertThat(rows("select name from users where id = 99")).isEmpty();
        assertThat(prepared()).isEqualTo(before);
        long direct = MnemoMeta.directExecutions((AvaticaConnection) c);
        assertThat(rows("select name from users where id = 5")).containsExactly("n5");
        assertThat(MnemoMeta.directExecutions((AvaticaConnection) c)).as("a cached key lookup runs directly")
                .isEqualTo(direct + 1);
        assertThat(rows("select name from users where id = 3.0")).as("an integral decimal is that integer")
                .containsExactly("n3");
        assertThat(rows("select name from users where id = 3.5")).as("not an integer: planned as written").isEmpty();
        assertThat(rows("select name from users where id = 99999999999999999999"))
                .as("a decimal beyond BIGINT's range equals no key").isEmpty();
    }

    @Test
    void literalsOfEveryKind_giveTheRowsTheyAskFor() throws SQLException {
        assertThat(rows("select id from users where name = 'O''Brien'")).containsExactly("21");
        assertThat(rows("select id from users where name = 'pad '")).containsExactly("22");
        assertThat(rows("select id from users where name = 'n7'")).containsExactly("7");
        assertThat(rows("select id from users where score = 4.25")).containsExactly("4");
        assertThat(rows("select id from users where score = 4.255")).isEmpty();
        assertThat(rows("select id from users where ratio > 19.5")).containsExactly("20");
        assertThat(rows("select id from users where ratio < 1e0")).containsExactly("21", "22");
        assertThat(rows("select id from users where id in (2, 4, 6)")).containsExactly("2", "4", "6");
        assertThat(rows("select id from users where id in (3, 5)")).containsExactly("3", "5");
        assertThat(rows("select id from users where id between 5 and 7")).containsExactly("5", "6", "7");
        assertThat(rows("select id from users where 8 <= id and age < 10")).containsExactly("8", "9", "21", "22");
    }

    @Test
    void literalsWhereAParameterWouldChangeTheMeaning_stayAsWritten() throws SQLException {
        assertThat(rows("select id from users order by id limit 2")).containsExactly("1", "2");
        assertThat(rows("select id from users order by id limit 3")).containsExactly("1", "2", "3");
        assertThat(rows("select 7, name from users where id = 1")).containsExactly("7|n1");
        assertThat(rows("select 8, name from users where id = 2")).containsExactly("8|n2");
        assertThat(rows("select name from users order by 1 desc limit 1")).containsExactly("pad ");
        assertThat(rows("select age + 1 from users where id = 5")).containsExactly("6");
        assertThat(rows("select age + 2 from users where id = 5")).containsExactly("7");
        assertThat(String.join("\n", rows("explain plan for select name from users where id = 5")))
                .contains("key_lookup[[5]]");
    }

    @Test
    void insertsAndUpdates_bindTheirValues_andCountRows() throws SQLException {
        long before = prepared();
        for (int i = 100; i < 110; i++) {
            assertThat(s.executeUpdate("insert into users values (" + i + ", 'x" + i + "', 1.5, 2.5, " + i + ")"))
                    .isEqualTo(1);
        }
        assertThat(prepared()).as("the inserts in setUp already prepared this shape").isEqualTo(before);
        assertThat(s.executeUpdate("update users set age = 7 where id = 105")).isEqualTo(1);
        assertThat(s.executeUpdate("update users set age = 8 where id = 106")).isEqualTo(1);
        assertThat(s.executeUpdate("update users set age = 9 where id = 999")).isZero();
        assertThat(rows("select age from users where id between 105 and 107")).containsExactly("7", "8", "107");
        assertThatThrownBy(() -> s.executeUpdate("insert into users values (100, 'dup', 1.5, 2.5, 1)"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
        assertThat(rows("select name from users where id = 100")).containsExactly("x100");
    }

    @Test
    void aSchemaChange_makesCachedPlansStale() throws SQLException {
        assertThat(rows("select * from users where id = 1")).containsExactly("1|n1|1.25|1.5|1");
        s.execute("drop table users");
        s.execute("create table users (id bigint primary key, nick varchar)");
        s.executeUpdate("insert into users values (1, 'one')");
        assertThat(rows("select * from users where id = 1")).containsExactly("1|one");
        s.execute("alter table users add column extra int");
        assertThat(rows("select * from users where id = 1")).containsExactly("1|one|null");
    }

    @Test
    void errors_areTheSameAsWithoutTheCache() throws SQLException {
        assertThatThrownBy(() -> rows("select nope from users where id = 1")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42S22"));
        assertThatThrownBy(() -> rows("select name from users where id = 'abc'")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22018"));
        assertThat(rows("select name from users where id = 2")).containsExactly("n2");
    }
}
