package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CREATE [OR REPLACE] VIEW and DROP VIEW: views expand into their query (filters reach the tables' access paths),
 * join like tables, are listed as VIEWs by the metadata, survive a restart, and invalidate cached plans when
 * replaced; bad definitions are refused with a SQLState and leave nothing behind.
 */
class ViewTest {
    private static final AtomicInteger N = new AtomicInteger();
    private Connection c;
    private Statement s;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:views" + N.incrementAndGet() + ";close-on-last=true");
        s = c.createStatement();
        createTables(s);
    }

    private static void createTables(Statement s) throws SQLException {
        s.execute("create table users (id bigint primary key, name varchar(20), country varchar(2))");
        s.execute("create table orders (id bigint primary key, user_id bigint, amount decimal(10,2))");
        for (int i = 1; i <= 6; i++) {
            s.execute("insert into users values (" + i + ", 'u" + i + "', '" + (i % 2 == 0 ? "DE" : "FR") + "')");
        }
        for (int i = 1; i <= 12; i++) { // order i, of user 1 + i % 6, for i.50
            s.execute("insert into orders values (" + i + ", " + (1 + i % 6) + ", " + i + ".50)");
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        c.close();
    }

    private String plan(String sql) throws SQLException {
        return String.join("\n", rows(s.executeQuery("explain plan for " + sql)));
    }

    @Test
    void view_expandsIntoItsQuery_filtersReachTheKey_andJoinsLikeATable() throws SQLException {
        s.execute("create view german as select id, name from users where country = 'DE'");
        assertThat(rows(s.executeQuery("select * from german order by id"))).containsExactly("2|u2", "4|u4", "6|u6");
        assertThat(plan("select name from german where id = 4")).contains("key_lookup[[4]]");
        assertThat(rows(s.executeQuery("select g.name, sum(o.amount) from german g join orders o on o.user_id = g.id "
                + "group by g.name order by g.name"))).containsExactly("u2|9.00", "u4|13.00", "u6|17.00");
    }

    @Test
    void columnList_namesTheColumns_andMustMatchTheQuery() throws SQLException {
        s.execute("create view totals (user_id, total) as select user_id, sum(amount) from orders group by user_id");
        assertThat(rows(s.executeQuery("select total from totals where user_id = 1"))).containsExactly("19.00"); // orders 6 and 12
        assertThatThrownBy(() -> s.execute("create view bad (a) as select id, name from users"))
                .isInstanceOf(SQLException.class).hasMessageContaining("names 1 columns but its query has 2")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42000");
        assertThat(names("VIEW")).containsExactly("totals");
    }

    @Test
    void orReplace_changesTheDefinition_andCachedPlansFollow() throws SQLException {
        s.execute("create view v as select id from users where id < 3");
        String query = "select count(*) from v";
        assertThat(rows(s.executeQuery(query))).containsExactly("2");
        assertThatThrownBy(() -> s.execute("create view v as select id from users"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S01");
        s.execute("create or replace view v as select id from users where id < 5");
        assertThat(rows(s.executeQuery(query))).containsExactly("4");
        try (Connection other = DriverManager.getConnection(c.getMetaData().getURL());
             Statement o = other.createStatement()) {
            assertThat(rows(o.executeQuery(query))).containsExactly("4");
        }
    }

    @Test
    void dropView_removesIt_ifExistsIsQuiet_andTablesAndViewsAreNotMixedUp() throws SQLException {
        s.execute("create view v as select id from users");
        assertThatThrownBy(() -> s.execute("drop table v"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42809");
        assertThatThrownBy(() -> s.execute("drop view users"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42809");
        assertThatThrownBy(() -> s.execute("create table V (x bigint primary key, y bigint)"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S01");
        assertThatThrownBy(() -> s.execute("create view USERS as select 1 as one"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S01");
        s.execute("drop view v");
        assertThatThrownBy(() -> s.executeQuery("select * from v"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S02");
        assertThatThrownBy(() -> s.execute("drop view v"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S02");
        s.execute("drop view if exists v");
        assertThat(names("VIEW")).isEmpty();
    }

    @Test
    void invalidQuery_isRefusedWithItsState_andNothingIsStored() throws SQLException {
        assertThatThrownBy(() -> s.execute("create view v as select nope from users"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S22");
        assertThatThrownBy(() -> s.execute("create view v as select * from missing"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S02");
        assertThatThrownBy(() -> s.execute("create view v as select * from users where id = ?"))
                .isInstanceOf(SQLException.class).hasMessageContaining("parameters");
        assertThatThrownBy(() -> s.execute("create view v as"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42000");
        assertThat(names("VIEW")).isEmpty();
        assertThat(rows(s.executeQuery("select count(*) from information_schema.views"))).containsExactly("0");
    }

    @Test
    void viewOverADroppedTable_failsNamingTheTable() throws SQLException {
        s.execute("create table scratch (id bigint primary key, v bigint)");
        s.execute("create view over_scratch as select v from scratch");
        s.execute("drop table scratch");
        assertThatThrownBy(() -> s.executeQuery("select * from over_scratch"))
                .isInstanceOf(SQLException.class).hasMessageContaining("scratch");
    }

    @Test
    void metadata_listsViewsAsViews_withTheirColumns_andInformationSchemaShowsTheQuery() throws SQLException {
        s.execute("create view german as select id, name from users where country = 'DE'");
        assertThat(names("VIEW")).containsExactly("german");
        List<String> types = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTableTypes()) {
            while (rs.next()) {
                types.add(rs.getString(1));
            }
        }
        assertThat(types).containsExactly("SYSTEM TABLE", "TABLE", "VIEW");
        assertThat(names("TABLE")).contains("users", "orders").doesNotContain("german", "mnemo_views");
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, "mnemo", "german", null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
            }
        }
        assertThat(columns).containsExactly("id BIGINT", "name VARCHAR");
        assertThat(rows(s.executeQuery("select table_name, view_definition from information_schema.views")))
                .containsExactly("german|select id, name from users where country = 'DE'");
        assertThat(rows(s.executeQuery("select table_type from information_schema.tables where table_name = 'german'")))
                .containsExactly("VIEW");
    }

    private List<String> names(String type) throws SQLException {
        List<String> out = new ArrayList<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, "mnemo", "%", new String[] {type})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }

    @Test
    void views_surviveARestart(@TempDir Path dir) throws SQLException {
        String url = "jdbc:mnemo:" + dir.resolve("db");
        try (Connection d = DriverManager.getConnection(url); Statement ds = d.createStatement()) {
            createTables(ds);
            ds.execute("create view french as select name from users where country = 'FR'");
        }
        try (Connection d = DriverManager.getConnection(url); Statement ds = d.createStatement()) {
            assertThat(rows(ds.executeQuery("select * from french order by name"))).containsExactly("u1", "u3", "u5");
        }
    }
    /**
     * Views are read-only: INSERT, UPDATE, DELETE and MERGE into one fail with 0A000 naming the view, plain or
     * prepared (Calcite's planner failed on them with no SQLState), and change nothing.
     */
    @Test
    void writingToAView_isRefusedWith0A000_namingTheView() throws SQLException {
        s.execute("insert into users values (100, 'ann', 'zz')");
        s.execute("create view norwegians as select * from users where country = 'zz'");
        for (String sql : java.util.List.of("insert into norwegians values (101, 'bob', 'zz')",
                "update norwegians set name = 'x' where id = 100", "delete from norwegians where id = 100",
                "merge into norwegians n using users u on n.id = u.id when matched then update set name = 'y'")) {
            for (boolean prepared : new boolean[] {false, true}) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    if (prepared) {
                        c.prepareStatement(sql).executeUpdate();
                    } else {
                        s.executeUpdate(sql);
                    }
                }).as(sql).isInstanceOfSatisfying(SQLException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.getSQLState()).isEqualTo("0A000"))
                        .hasMessageContaining("view norwegians cannot be modified");
            }
        }
        try (java.sql.ResultSet rs = s.executeQuery("select id, name from users where country = 'zz'")) {
            org.assertj.core.api.Assertions.assertThat(rs.next()).isTrue();
            org.assertj.core.api.Assertions.assertThat(rs.getString(2)).isEqualTo("ann");
            org.assertj.core.api.Assertions.assertThat(rs.next()).isFalse();
        }
    }
}
