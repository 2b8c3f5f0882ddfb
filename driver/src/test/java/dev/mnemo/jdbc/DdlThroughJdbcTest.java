package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DDL through a JDBC Statement: tables made by SQL are usable at once, survive reopen, and bad DDL is explained. */
class DdlThroughJdbcTest {
    @TempDir
    Path dir;

    @Test
    void createInsertQuery_compositeKeyTable_inKeyOrder_andAfterReopen() throws SQLException {
        String url = "jdbc:mnemo:" + dir;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("create table partsupp (ps_partkey bigint, ps_suppkey bigint, "
                    + "ps_availqty int not null, ps_comment varchar(199), primary key (ps_partkey, ps_suppkey)) "
                    + "with (type = ordered_set)")).isZero();
            s.executeUpdate("insert into partsupp values (2, 1, 10, 'b'), (1, 2, 20, 'a'), (1, 1, 30, null)");
            assertThat(rows(s.executeQuery("select ps_partkey, ps_suppkey, ps_availqty from partsupp")))
                    .containsExactly("1|1|30", "1|2|20", "2|1|10");
            assertThat(String.join("", rows(s.executeQuery(
                    "explain plan for select * from partsupp where ps_partkey = 1")))).contains("prefix_walk[1]");
            s.execute("create index ps_comment_idx on partsupp (ps_comment)");
            assertThat(rows(s.executeQuery("select ps_suppkey from partsupp where ps_comment = 'a'")))
                    .containsExactly("2");
            s.execute("alter table partsupp add column ps_supplycost decimal(15,2) default 0");
            assertThat(rows(s.executeQuery("select ps_supplycost from partsupp where ps_partkey = 2")))
                    .as("a DECIMAL(15,2) reads at its scale").containsExactly("0.00");
            assertThatThrownBy(() -> s.executeUpdate("insert into partsupp values (1, 1, 1, 'dup', 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select count(*) from partsupp"))).containsExactly("3");
            s.execute("truncate table partsupp");
            assertThat(rows(s.executeQuery("select count(*) from partsupp"))).containsExactly("0");
            s.execute("drop table partsupp");
            assertThatThrownBy(() -> s.executeQuery("select * from partsupp"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S02"));
        }
    }

    @Test
    void preparedDdl_runsWhenExecuted_asOftenAsExecuted_andReportsItsErrorsThen() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:mem:prepddl;close-on-last=true");
             Statement s = c.createStatement()) {
            java.sql.PreparedStatement create = c.prepareStatement("create table t (id bigint primary key, v int)");
            assertThatThrownBy(() -> s.executeQuery("select count(*) from t")).as("preparing runs nothing")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S02"));
            assertThat(create.executeUpdate()).isZero();
            s.executeUpdate("insert into t values (1, 10)");
            assertThatThrownBy(create::execute).as("run again, as prepared")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S01"));
            assertThat(c.prepareStatement("alter table t add column w int default 7").execute()).isFalse();
            assertThat(rows(s.executeQuery("select id, v, w from t"))).containsExactly("1|10|7");
            java.sql.PreparedStatement checkpoint = c.prepareStatement("CHECKPOINT");
            assertThat(checkpoint.executeUpdate()).isZero();
            assertThat(checkpoint.getParameterMetaData().getParameterCount()).isZero();
            assertThatThrownBy(checkpoint::executeQuery)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("07005"));
            java.sql.PreparedStatement bad = c.prepareStatement("create table u (id bigint primary key, name varchar");
            assertThatThrownBy(bad::execute)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"))
                    .hasMessageContaining("line 1, column");
            java.sql.PreparedStatement batched = c.prepareStatement("create index t_v on t (v)");
            batched.addBatch();
            assertThat(batched.executeBatch()).containsExactly(0);
            assertThatThrownBy(() -> s.execute("create index t_v on t (v)")).as("the batch made it")
                    .isInstanceOf(SQLException.class).hasMessageContaining("t_v");
            java.sql.PreparedStatement twice = c.prepareStatement("create index t_w on t (w)");
            twice.addBatch();
            twice.addBatch();
            assertThatThrownBy(twice::executeBatch).as("DDL commits as it runs: the counts say the first ran")
                    .isInstanceOfSatisfying(java.sql.BatchUpdateException.class,
                            e -> assertThat(e.getLargeUpdateCounts()).containsExactly(0L));
            java.sql.PreparedStatement withKeys = c.prepareStatement("CHECKPOINT", Statement.RETURN_GENERATED_KEYS);
            assertThat(withKeys.executeUpdate()).isZero();
            assertThat(withKeys.getGeneratedKeys().next()).isFalse();
            assertThat(c.prepareStatement("checkpoint sync", new String[] {"id"}).execute()).isFalse();
            assertThat(c.prepareStatement("drop table t").executeUpdate()).isZero();
            assertThatThrownBy(() -> s.executeQuery("select * from t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S02"));
        }
    }

    @Test
    void badDdl_pointsAtTheError() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:mem:ddl;close-on-last=true"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("create table t (id bigint primary key, name varchar"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42000"))
                    .hasMessageContaining("line 1, column");
            s.execute("create table t (id bigint primary key, name varchar)");
            assertThatThrownBy(() -> s.execute("create table t (id bigint primary key, name varchar)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S01"));
        }
    }

    @Test
    void ddl_commitsTheOpenTransactionFirst() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:mem:ddltx;close-on-last=true"); Statement s = c.createStatement()) {
            s.execute("create table t (id bigint primary key, v varchar)");
            c.setAutoCommit(false);
            s.executeUpdate("insert into t values (1, 'kept')");
            s.execute("create index t_v on t (v)");
            c.rollback();
            assertThat(rows(s.executeQuery("select v from t where v = 'kept'"))).containsExactly("kept");
        }
    }
}
