package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Bag and duplicate_bag tables through SQL follow Mnesia: many rows per key; identical rows once in a bag. */
class BagSqlTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ram_copies", "disc_copies", "disc_only_copies"})
    void bag_keepsDistinctRowsOfOneKey_duplicateBagKeepsCopies(String storage) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:" + dir); Statement s = c.createStatement()) {
            s.execute("create table comments (post_id bigint, author varchar, content varchar) with (type = bag, storage = " + storage + ")");
            s.execute("create table events (k bigint, v varchar) with (type = duplicate_bag, storage = " + storage + ")");
            assertThat(s.executeUpdate("insert into comments values (10, 'bob', 'one'), (10, 'bob', 'two'), "
                    + "(10, 'bob', 'two'), (11, 'amy', 'x')")).isEqualTo(4);
            assertThat(rows(s.executeQuery("select content from comments where post_id = 10 order by content")))
                    .containsExactly("one", "two");
            s.executeUpdate("insert into events values (1, 'a'), (1, 'a'), (1, 'b')");
            assertThat(rows(s.executeQuery("select v from events where k = 1 order by v")))
                    .containsExactly("a", "a", "b");
            s.execute("create table notes (post_id bigint, content varchar, written timestamp) with (type = bag, storage = " + storage + ")");
            s.executeUpdate("insert into notes values (10, 'Great post!', timestamp '2024-01-01 15:30:00'), "
                    + "(10, 'Still great.', timestamp '2024-01-03 08:00:00')");
            assertThat(rows(s.executeQuery("select content from notes order by content")))
                    .containsExactly("Great post!", "Still great.");
            s.execute("create table posts (id bigint primary key, title varchar)");
            s.executeUpdate("insert into posts values (10, 'p10'), (11, 'p11')");
            // the key of a bag is not unique: the planner must not assume one row per post_id
            String join = "select p.title, count(*) from posts p join notes k on k.post_id = p.id group by p.title";
            assertThat(rows(s.executeQuery(join))).containsExactly("p10|2");
            assertThat(s.executeUpdate("delete from comments where content = 'two'")).isEqualTo(1);
            assertThat(rows(s.executeQuery("select count(*) from comments"))).containsExactly("2");
            assertThat(s.executeUpdate("update events set v = 'c' where v = 'b'")).isEqualTo(1);
            assertThat(rows(s.executeQuery("select v from events order by v"))).containsExactly("a", "a", "c");
        }
    }
}
