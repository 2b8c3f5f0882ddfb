package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FOREIGN KEY constraints: accepted in DDL, enforced on every write (23503), reported by the metadata. */
class ForeignKeysTest {
    @TempDir
    Path dir;
    private Connection c;
    private Statement s;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection(url());
        s = c.createStatement();
        s.execute("create table customer (id int primary key, name varchar(20))");
        s.execute("create table orders (id int primary key, customer_id int not null references customer (id), "
                + "total decimal(10,2))");
        s.execute("create table line (order_id int, n int, qty int, primary key (order_id, n), "
                + "constraint line_order foreign key (order_id) references orders on delete cascade)");
        s.executeUpdate("insert into customer values (1, 'ann'), (2, 'bob')");
        s.executeUpdate("insert into orders values (10, 1, 5), (11, 1, 6), (20, 2, 7)");
        s.executeUpdate("insert into line values (10, 1, 1), (10, 2, 2), (11, 1, 3)");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private String url() {
        return "jdbc:mnemo:" + dir.resolve("db");
    }

    private void violates(Throwable t, String... fragments) {
        assertThat(t).isInstanceOf(SQLException.class);
        assertThat(((SQLException) t).getSQLState()).isEqualTo("23503");
        for (String f : fragments) {
            assertThat(t.getMessage()).contains(f);
        }
    }

    @Test
    void referencingRow_needsItsParent_onInsertAndUpdate() throws SQLException {
        assertThatThrownBy(() -> s.executeUpdate("insert into orders values (30, 3, 1)"))
                .satisfies(t -> violates(t, "orders_customer_id_fkey", "(customer_id)=(3)", "customer"));
        assertThatThrownBy(() -> s.executeUpdate("update orders set customer_id = 9 where id = 10"))
                .satisfies(t -> violates(t, "(customer_id)=(9)"));
        try (PreparedStatement p = c.prepareStatement("update orders set customer_id = ? where id = ?")) {
            p.setInt(1, 8);
            p.setInt(2, 11);
            assertThatThrownBy(p::executeUpdate).as("the single-key direct path").satisfies(t -> violates(t));
        }
        assertThatThrownBy(() -> s.executeUpdate("insert into line values (99, 1, 1)"))
                .satisfies(t -> violates(t, "line_order"));
        assertThat(rows(s.executeQuery("select id, customer_id from orders order by id")))
                .containsExactly("10|1", "11|1", "20|2");
        s.executeUpdate("insert into customer values (3, 'cy')");
        assertThat(s.executeUpdate("insert into orders values (30, 3, 1)")).isOne();
    }

    @Test
    void deletingAParent_restrictsOrCascades_andNoActionIsCheckedAtTheEndOfTheStatement() throws SQLException {
        assertThatThrownBy(() -> s.executeUpdate("delete from customer where id = 1"))
                .satisfies(t -> violates(t, "still referenced from table orders"));
        try (PreparedStatement p = c.prepareStatement("delete from customer where id = ?")) {
            p.setInt(1, 2);
            assertThatThrownBy(p::executeUpdate).as("the direct path").satisfies(t -> violates(t));
        }
        assertThat(s.executeUpdate("delete from orders where id = 10")).isOne();
        assertThat(rows(s.executeQuery("select order_id, n from line order by order_id, n")))
                .as("ON DELETE CASCADE").containsExactly("11|1");
    }

    @Test
    void selfReferencingTree_deletedInOneStatement_isFineForNoAction_butNotForRestrict() throws SQLException {
        s.execute("create table tree (id int primary key, parent int references tree)");
        s.execute("create table rtree (id int primary key, parent int references rtree on delete restrict)");
        for (String t : List.of("tree", "rtree")) {
            s.executeUpdate("insert into " + t + " values (1, null), (2, 1), (3, 2), (4, 3)");
        }
        assertThatThrownBy(() -> s.executeUpdate("delete from tree where id <= 2")).as("3 still references 2")
                .satisfies(t -> violates(t, "(id)=(2)"));
        assertThat(s.executeUpdate("delete from tree")).as("NO ACTION: all gone by the end").isEqualTo(4);
        assertThatThrownBy(() -> s.executeUpdate("delete from rtree")).as("RESTRICT: at once")
                .satisfies(t -> violates(t));
        assertThat(rows(s.executeQuery("select count(*) from rtree"))).containsExactly("4");
        s.execute("create table emp (id int primary key, boss int references emp on delete set null)");
        s.executeUpdate("insert into emp values (1, null), (2, 1), (3, 2)");
        s.executeUpdate("delete from emp where id = 2");
        assertThat(rows(s.executeQuery("select id, boss from emp order by id"))).as("ON DELETE SET NULL")
                .containsExactly("1|null", "3|null");
    }

    @Test
    void changingAParentKey_cascadesOrIsRefused() throws SQLException {
        s.execute("create table dept (code varchar(4) primary key, name varchar)");
        s.execute("create table staff (id int primary key, dept varchar(4) references dept on update cascade)");
        s.executeUpdate("insert into dept values ('eng', 'Engineering'), ('ops', 'Operations')");
        s.executeUpdate("insert into staff values (1, 'eng'), (2, 'eng'), (3, 'ops')");
        s.executeUpdate("update dept set code = 'dev' where code = 'eng'");
        assertThat(rows(s.executeQuery("select id, dept from staff order by id")))
                .containsExactly("1|dev", "2|dev", "3|ops");
        assertThatThrownBy(() -> s.executeUpdate("update customer set id = 5 where id = 1")).as("NO ACTION")
                .satisfies(t -> violates(t));
        assertThat(s.executeUpdate("update customer set name = 'Ann' where id = 1")).as("a non-key column").isOne();
    }

    @Test
    void insertReferencingARowOfTheSameStatement_andNullReferences_areFine() throws SQLException {
        s.execute("create table emp (id int primary key, boss int references emp)");
        assertThat(s.executeUpdate("insert into emp values (2, 1), (1, null), (3, 3)")).isEqualTo(3);
        s.execute("create table pair (a int, b int, v int, primary key (a, b))");
        s.execute("create table refs (id int primary key, a int, b int, foreign key (b, a) references pair (b, a))");
        s.executeUpdate("insert into pair values (1, 2, 0)");
        s.executeUpdate("insert into refs values (1, 1, 2), (2, null, 7)");
        assertThatThrownBy(() -> s.executeUpdate("insert into refs values (3, 2, 1)")).as("a composite key")
                .satisfies(t -> violates(t, "key (a, b)=(2, 1)"));
        assertThatThrownBy(() -> s.executeUpdate("delete from pair")).satisfies(t -> violates(t));
    }

    @Test
    void ddl_refusesDroppingOrTruncatingAReferencedTable_andChecksExistingRows() throws SQLException {
        assertThatThrownBy(() -> s.execute("drop table customer")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("2BP01")).hasMessageContaining("orders_customer_id_fkey");
        assertThatThrownBy(() -> s.execute("truncate table orders")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("2BP01"));
        s.execute("create table note (id int primary key, customer_id int)");
        s.executeUpdate("insert into note values (1, 1), (2, 42)");
        assertThatThrownBy(() -> s.execute("alter table note add constraint note_customer foreign key (customer_id) "
                + "references customer")).satisfies(t -> violates(t, "{\"note\", 2, 42}"));
        s.executeUpdate("delete from note where id = 2");
        s.execute("alter table note add constraint note_customer foreign key (customer_id) references customer");
        assertThatThrownBy(() -> s.executeUpdate("insert into note values (3, 42)")).satisfies(t -> violates(t));
        s.execute("alter table note drop constraint note_customer");
        assertThat(s.executeUpdate("insert into note values (3, 42)")).isOne();
        assertThatThrownBy(() -> s.execute("alter table note drop constraint note_customer"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
        s.execute("alter table note drop constraint if exists note_customer");
        assertThatThrownBy(() -> s.execute("create table bad (id int primary key, x varchar references customer)"))
                .isInstanceOf(SQLException.class).hasMessageContaining("types must be the same");
        assertThatThrownBy(() -> s.execute("create table bad (id int primary key, x int references nowhere)"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42S02"));
        assertThatThrownBy(() -> s.execute("create table bad (id int primary key, x int references customer (name))"))
                .isInstanceOf(SQLException.class).hasMessageContaining("primary key");
        assertThatThrownBy(() -> s.execute("create table bad (id int primary key, x int not null "
                + "references customer on delete set null)")).isInstanceOf(SQLException.class)
                .hasMessageContaining("nullable");
        s.execute("alter table orders drop column customer_id");
        assertThat(s.executeUpdate("delete from customer")).as("the constraint went with its column").isEqualTo(2);
    }

    @Test
    void constraints_surviveReopen_andAreReportedByTheMetadata() throws SQLException {
        c.close();
        c = DriverManager.getConnection(url());
        s = c.createStatement();
        assertThatThrownBy(() -> s.executeUpdate("insert into orders values (30, 3, 1)")).satisfies(t -> violates(t));
        DatabaseMetaData md = c.getMetaData();
        String[] cols = {"PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE",
                "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY"};
        short noAction = DatabaseMetaData.importedKeyNoAction;
        short cascade = DatabaseMetaData.importedKeyCascade;
        short never = DatabaseMetaData.importedKeyNotDeferrable;
        assertThat(select(md.getImportedKeys(null, "mnemo", "orders"), cols)).containsExactly(
                "customer|id|orders|customer_id|1|" + noAction + "|" + noAction + "|orders_customer_id_fkey|"
                        + "customer_pk|" + never);
        assertThat(select(md.getExportedKeys(null, "mnemo", "orders"), cols)).containsExactly(
                "orders|id|line|order_id|1|" + noAction + "|" + cascade + "|line_order|orders_pk|" + never);
        assertThat(select(md.getCrossReference(null, "mnemo", "customer", null, "mnemo", "orders"), cols))
                .hasSize(1);
        assertThat(select(md.getCrossReference(null, "mnemo", "customer", null, "mnemo", "line"), cols)).isEmpty();
        try (ResultSet r = md.getIndexInfo(null, "mnemo", "orders", false, true)) {
            List<String> indexed = new ArrayList<>();
            while (r.next()) {
                indexed.add(r.getString("COLUMN_NAME"));
            }
            assertThat(indexed).as("a one-column foreign key is indexed").contains("customer_id");
        }
    }

    @Test
    void concurrentParentDeletesAndChildInserts_neverLeaveAnOrphan() throws Exception {
        s.execute("create table p (id int primary key, v int)");
        s.execute("create table ch (id int primary key, pid int references p)");
        for (int i = 0; i < 40; i++) {
            s.executeUpdate("insert into p values (" + i + ", 0)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        // The workers start together, each with its statements already planned, and the deleters put a parent back
        // after each delete: on a loaded machine the deleters could otherwise remove every parent before the first
        // child insert, and the test would check nothing. A child, once in, pins its parent (no cascade).
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
        for (int w = 0; w < 4; w++) {
            int worker = w;
            work.add(pool.submit(() -> {
                Random rnd = new Random(worker);
                try (Connection x = DriverManager.getConnection(url());
                        PreparedStatement insertChild = x.prepareStatement("insert into ch values (?, ?)");
                        PreparedStatement deleteParent = x.prepareStatement("delete from p where id = ?");
                        PreparedStatement insertParent = x.prepareStatement("insert into p values (?, 0)")) {
                    start.await(60, TimeUnit.SECONDS);
                    for (int i = 0; i < 150; i++) {
                        int k = rnd.nextInt(40);
                        if (worker % 2 == 0) {
                            insertChild.setInt(1, worker * 1000 + i);
                            insertChild.setInt(2, k);
                            tolerate(insertChild);
                        } else {
                            deleteParent.setInt(1, k);
                            tolerate(deleteParent);
                            insertParent.setInt(1, rnd.nextInt(40));
                            tolerate(insertParent);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(rows(s.executeQuery("select count(*) from ch where pid not in (select id from p)")))
                .containsExactly("0");
        assertThat(rows(s.executeQuery("select count(*) from ch"))).doesNotContain("0");
    }

    /** Runs a write that may lose a race: no parent (23503), a parent already back (23505) or a conflict (40001). */
    private static void tolerate(PreparedStatement write) throws SQLException {
        try {
            write.executeUpdate();
        } catch (SQLException e) {
            if (!List.of("23503", "23505", "40001").contains(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static List<String> select(ResultSet rs, String... columns) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                List<String> v = new ArrayList<>();
                for (String col : columns) {
                    v.add(rs.getString(col));
                }
                out.add(String.join("|", v));
            }
        }
        return out;
    }
}
