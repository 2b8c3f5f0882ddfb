package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcBasicsTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:mnemo:" + dir;
    }

    static List<String> rows(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                sb.append(i > 1 ? "|" : "").append(rs.getObject(i));
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static void seed(Connection c) throws SQLException {
        var db = ((org.apache.calcite.avatica.AvaticaConnection) c);
        var mnemo = org.apache.calcite.jdbc.MnemoMeta.sessionOf(db).database();
        mnemo.createTable(dev.mnemo.engine.TableDef.builder("users")
                .attribute("id", dev.mnemo.engine.AttrType.INTEGER)
                .attribute("name", dev.mnemo.engine.AttrType.STRING)
                .attribute("age", dev.mnemo.engine.AttrType.INTEGER)
                .storage(dev.mnemo.engine.StorageType.DISC_COPIES).build());
    }

    @Test
    void driverManager_findsDriver_andRejectsOtherUrls() throws SQLException {
        assertThat(DriverManager.getDriver(url())).isInstanceOf(Driver.class);
        assertThat(new Driver().acceptsURL("jdbc:h2:mem:x")).isFalse();
        assertThatThrownBy(() -> DriverManager.getConnection(url() + ";sync=maybe"))
                .isInstanceOf(SQLException.class).hasMessageContaining("sync=maybe");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mnemo:"))
                .isInstanceOf(SQLException.class).hasMessageContaining("names no database");
    }

    @Test
    void insertSelectUpdateDelete_withExactCounts() throws SQLException {
        try (Connection c = DriverManager.getConnection(url())) {
            seed(c);
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("insert into users values (1, 'Alice', 30), (2, 'Bob', 25)")).isEqualTo(2);
                assertThat(rows(s.executeQuery("select id, name, age from users order by id")))
                        .containsExactly("1|Alice|30", "2|Bob|25");
                assertThat(s.executeUpdate("update users set age = age + 1 where id = 2")).isEqualTo(1);
                assertThat(s.executeUpdate("update users set age = 0 where id = 99")).isZero();
                assertThat(rows(s.executeQuery("select age from users where id = 2"))).containsExactly("26");
                assertThat(s.executeUpdate("delete from users where age > 28")).isEqualTo(1);
                assertThat(rows(s.executeQuery("select count(*) from users"))).containsExactly("1");
            }
        }
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select * from users"))).containsExactly("2|Bob|26");
        }
    }

    @Test
    void insertSelect_copiesRows_evenFromTheSameTable() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            seed(c);
            s.executeUpdate("insert into users values (1, 'Alice', 30), (2, 'Bob', 25)");
            s.execute("create table archive (id bigint primary key, name varchar)");
            assertThat(s.executeUpdate("insert into archive select id, name from users where age < 29")).isEqualTo(1);
            assertThat(rows(s.executeQuery("select * from archive"))).containsExactly("2|Bob");
            assertThat(s.executeUpdate("insert into users select id + 10, name, age + 1 from users")).isEqualTo(2);
            assertThat(rows(s.executeQuery("select id from users order by id"))).containsExactly("1", "2", "11", "12");
        }
    }

    @Test
    void insert_duplicateKey_isSqlState23505_andChangesNothing() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            seed(c);
            s.executeUpdate("insert into users values (1, 'Alice', 30)");
            assertThatThrownBy(() -> s.executeUpdate("insert into users values (2, 'Bob', 1), (1, 'Again', 2)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"))
                    .hasMessageContaining("duplicate key 1");
            assertThat(rows(s.executeQuery("select id, name from users"))).containsExactly("1|Alice");
        }
    }

    @Test
    void merge_isTheUpsert_updatingMatchedRowsAndInsertingTheRest() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            seed(c);
            s.executeUpdate("insert into users values (1, 'Alice', 30)");
            String merge = "merge into users u using (values (1, 'Alicia', 31), (2, 'Bobbie', 25)) as v(id, name, age) "
                    + "on u.id = v.id when matched then update set name = v.name, age = v.age "
                    + "when not matched then insert (id, name, age) values (v.id, v.name, v.age)";
            assertThat(s.executeUpdate(merge)).isEqualTo(2);
            assertThat(rows(s.executeQuery("select id, name, age from users order by id")))
                    .containsExactly("1|Alicia|31", "2|Bobbie|25");
        }
    }

    @Test
    void preparedStatement_withParameters() throws SQLException {
        try (Connection c = DriverManager.getConnection(url())) {
            seed(c);
            try (PreparedStatement ins = c.prepareStatement("insert into users values (?, ?, ?)")) {
                for (int i = 1; i <= 5; i++) {
                    ins.setInt(1, i);
                    ins.setString(2, "u" + i);
                    ins.setInt(3, 20 + i);
                    assertThat(ins.executeUpdate()).isEqualTo(1);
                }
            }
            try (PreparedStatement q = c.prepareStatement("select name from users where id = ?")) {
                q.setInt(1, 4);
                assertThat(rows(q.executeQuery())).containsExactly("u4");
                q.setInt(1, 2);
                assertThat(rows(q.executeQuery())).containsExactly("u2");
            }
        }
    }

    @Test
    void transactions_autocommitDefaultsOn_rollbackLeavesNoTrace_otherConnectionSeesOnlyCommitted()
            throws SQLException {
        try (Connection a = DriverManager.getConnection(url()); Connection b = DriverManager.getConnection(url())) {
            seed(a);
            assertThat(a.getAutoCommit()).isTrue();
            assertThat(a.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            a.setAutoCommit(false);
            try (Statement s = a.createStatement()) {
                s.executeUpdate("insert into users values (1, 'Alice', 30)");
                assertThat(rows(s.executeQuery("select name from users"))).containsExactly("Alice");
            }
            a.rollback();
            try (Statement s = a.createStatement()) {
                assertThat(rows(s.executeQuery("select name from users"))).isEmpty();
                s.executeUpdate("insert into users values (2, 'Bob', 25)");
            }
            a.commit();
            try (Statement s = b.createStatement()) {
                assertThat(rows(s.executeQuery("select name from users"))).containsExactly("Bob");
            }
        }
    }

    @Test
    void dataSource_opensConnections_andRejectsMissingOrForeignUrls() throws SQLException {
        MnemoDataSource ds = new MnemoDataSource(url());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kv (k varchar primary key, v varchar)");
            s.executeUpdate("insert into kv values ('a', 'b')");
        }
        try (Connection c = ds.getConnection("anyone", "secret"); Statement s = c.createStatement()) {
            assertThat(rows(s.executeQuery("select v from kv"))).containsExactly("b");
        }
        assertThat(ds.isWrapperFor(javax.sql.DataSource.class)).isTrue();
        assertThatThrownBy(() -> new MnemoDataSource().getConnection()).isInstanceOf(SQLException.class)
                .hasMessageContaining("no URL");
        assertThatThrownBy(() -> new MnemoDataSource("jdbc:h2:mem:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainStatementBatch_ofLiteralInsertsAndDdl_runsEveryCommand() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.addBatch("create table kv (k int primary key, v varchar)");
            s.addBatch("insert into kv values (1, 'a')");
            s.addBatch("insert into kv values (2, 'b')");
            s.addBatch("update kv set v = 'c' where k = 2");
            assertThat(s.executeBatch()).containsExactly(0, 1, 1, 1);
            assertThat(rows(s.executeQuery("select k, v from kv order by k"))).containsExactly("1|a", "2|c");
        }
    }

    @Test
    void preparedBatchInAutocommit_isOneTransaction_allRowsOrNone() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("create table batched (k int primary key, v varchar)");
            try (java.sql.PreparedStatement p = c.prepareStatement("insert into batched values (?, ?)")) {
                for (int k = 1; k <= 3; k++) {
                    p.setInt(1, k);
                    p.setString(2, "v" + k);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).containsExactly(1, 1, 1);
                // a batch whose third row repeats a key: none of its rows stays
                for (int k : new int[] {4, 5, 2, 6}) {
                    p.setInt(1, k);
                    p.setString(2, "w" + k);
                    p.addBatch();
                }
                assertThatThrownBy(p::executeBatch).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            }
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(rows(s.executeQuery("select k, v from batched order by k")))
                    .containsExactly("1|v1", "2|v2", "3|v3");
            // and the connection goes on in autocommit: a single insert commits on its own
            s.executeUpdate("insert into batched values (7, 'x')");
            try (Connection other = DriverManager.getConnection(url()); Statement o = other.createStatement()) {
                assertThat(rows(o.executeQuery("select count(*) from batched"))).containsExactly("4");
            }
        }
    }
}
