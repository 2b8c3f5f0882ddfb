package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JDBC savepoints on the engine transaction's savepoints. */
class SavepointsTest {
    private static final AtomicInteger N = new AtomicInteger();
    private Connection c;
    private Statement s;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:savepoints" + N.incrementAndGet() + ";close-on-last=true");
        s = c.createStatement();
        s.execute("create table kv (k int primary key, v varchar)");
        assertThat(c.getMetaData().supportsSavepoints()).isTrue();
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void rollbackToSavepoint_undoesOnlyTheStatementsAfterIt() throws SQLException {
        c.setAutoCommit(false);
        s.executeUpdate("insert into kv values (1, 'a')");
        Savepoint sp = c.setSavepoint("after_a");
        assertThat(sp.getSavepointName()).isEqualTo("after_a");
        assertThatThrownBy(sp::getSavepointId).isInstanceOf(SQLException.class);
        s.executeUpdate("insert into kv values (2, 'b')");
        s.executeUpdate("update kv set v = 'changed' where k = 1");
        try (PreparedStatement p = c.prepareStatement("delete from kv where k = ?")) {
            p.setInt(1, 1);
            assertThat(p.executeUpdate()).isOne();
        }
        c.rollback(sp);
        assertThat(rows(s.executeQuery("select k, v from kv order by k"))).containsExactly("1|a");
        s.executeUpdate("insert into kv values (3, 'c')");
        c.rollback(sp);
        s.executeUpdate("insert into kv values (4, 'd')");
        c.commit();
        assertThat(rows(s.executeQuery("select k from kv order by k"))).containsExactly("1", "4");
        assertThatThrownBy(() -> c.rollback(sp)).as("ended with its transaction")
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3B001"));
    }

    @Test
    void unnamedAndNestedSavepoints_releaseAndRollbackToAnEarlierOne() throws SQLException {
        c.setAutoCommit(false);
        Savepoint first = c.setSavepoint();
        assertThatThrownBy(first::getSavepointName).isInstanceOf(SQLException.class);
        s.executeUpdate("insert into kv values (1, 'a')");
        Savepoint second = c.setSavepoint();
        assertThat(second.getSavepointId()).isGreaterThan(first.getSavepointId());
        s.executeUpdate("insert into kv values (2, 'b')");
        Savepoint third = c.setSavepoint("third");
        s.executeUpdate("insert into kv values (3, 'c')");
        c.releaseSavepoint(third);
        assertThatThrownBy(() -> c.rollback(third))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3B001"));
        c.rollback(first);
        assertThatThrownBy(() -> c.releaseSavepoint(second)).as("ended by the rollback to an earlier one")
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3B001"));
        assertThat(rows(s.executeQuery("select count(*) from kv"))).containsExactly("0");
        s.executeUpdate("insert into kv values (5, 'e')");
        c.commit();
        assertThat(rows(s.executeQuery("select k from kv"))).containsExactly("5");
    }

    @Test
    void aFailedStatement_afterASavepoint_leavesTheSavepointUsable() throws SQLException {
        c.setAutoCommit(false);
        s.executeUpdate("insert into kv values (1, 'a')");
        Savepoint sp = c.setSavepoint("sp");
        s.executeUpdate("insert into kv values (2, 'b')");
        assertThatThrownBy(() -> s.executeUpdate("insert into kv values (1, 'duplicate')"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        c.rollback(sp);
        c.commit();
        assertThat(rows(s.executeQuery("select k from kv"))).containsExactly("1");
    }

    @Test
    void savepoints_needAutocommitOff_andTheirOwnConnection() throws SQLException {
        assertThatThrownBy(() -> c.setSavepoint())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25000"));
        assertThatThrownBy(() -> c.setSavepoint(null)).isInstanceOf(SQLException.class);
        c.setAutoCommit(false);
        try (Connection other = DriverManager.getConnection(c.getMetaData().getURL())) {
            other.setAutoCommit(false);
            Savepoint foreign = other.setSavepoint("foreign");
            assertThatThrownBy(() -> c.rollback(foreign))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3B001"));
        }
        Savepoint mine = c.setSavepoint("mine");
        c.rollback();
        assertThatThrownBy(() -> c.releaseSavepoint(mine))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3B001"));
    }
}
