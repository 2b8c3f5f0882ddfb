package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.CommitGate;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoException;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gated view through JDBC ({@code jdbc:mnemo:node:<name>}), with a gate standing in for a cluster node: commits
 * re-run after a conflict, and commits whose outcome is unknown.
 */
class GatedConnectionTest {
    private final Mnemo db = Mnemo.inMemory();
    private final Gate gate = new Gate();
    private final Mnemo view = db.gatedBy(gate);
    private final String name = "gated" + System.nanoTime();

    /** Commits every write into db (no version checks); refuses or fails on demand. */
    private class Gate implements CommitGate {
        int refuse;
        int failAfterApply;
        final List<Commit> commits = new ArrayList<>();

        @Override
        public long readPoint() {
            return 0;
        }

        @Override
        public void checkUsable(String table) {
        }

        @Override
        public synchronized boolean commit(Commit c) {
            commits.add(c);
            if (refuse > 0) {
                refuse--;
                return false;
            }
            if (!c.writes().isEmpty()) {
                db.transaction(tx -> {
                    for (Write w : c.writes()) {
                        tx.delete(w.table(), w.key());
                        w.records().forEach(r -> tx.write(w.table(), r));
                    }
                    return null;
                });
            }
            if (failAfterApply > 0) {
                failAfterApply--;
                throw new MnemoException("committed, but too few copies confirmed in time") {
                    @Override
                    public String reason() {
                        return "outcome_unknown"; // as ClusterUnavailableException with applied() == TRUE
                    }
                };
            }
            return true;
        }

        @Override
        public void createTable(TableDef def) {
            db.createTable(def);
        }

        @Override
        public void deleteTable(String table) {
            db.deleteTable(table);
        }
    }

    @AfterEach
    void close() {
        Mnemo.detach(name, view);
        db.close();
    }

    private static List<Object> keys(Statement st) throws SQLException {
        List<Object> out = new ArrayList<>();
        try (ResultSet k = st.getGeneratedKeys()) {
            while (k.next()) {
                out.add(k.getObject(1));
            }
        }
        return out;
    }

    @Test
    void anInsertReRunAfterAConflict_returnsItsGeneratedKeysOnce() throws Exception {
        Mnemo.attach(name, view);
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:node:" + name);
             Statement s = c.createStatement()) {
            s.execute("create table t (k int primary key, v int)");
            gate.refuse = 1;
            int n = s.executeUpdate("insert into t values (1, 10)", Statement.RETURN_GENERATED_KEYS);
            List<Object> plain = keys(s);
            gate.refuse = 1;
            List<Object> prepared;
            try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setInt(1, 2);
                p.setInt(2, 20);
                p.executeUpdate();
                prepared = keys(p);
            }
            assertThat(n).isEqualTo(1);
            assertThat(plain).as("statement keys").hasSize(1);
            assertThat(prepared).as("prepared keys").hasSize(1);
        }
    }

    @Test
    void aOneRowBatchWhoseCommitOutcomeIsUnknown_isNotSentAgain() throws Exception {
        Mnemo.attach(name, view);
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:node:" + name)) {
            try (Statement s = c.createStatement()) {
                s.execute("create table t (k int primary key, v int)");
            }
            int before = gate.commits.size();
            gate.failAfterApply = 1;
            String state = null;
            try (PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
                p.setInt(1, 5);
                p.setInt(2, 50);
                p.addBatch();
                p.executeBatch();
            } catch (SQLException e) {
                state = e.getSQLState() + " " + e.getMessage();
            }
            int sent = gate.commits.size() - before;
            assertThat(sent).as("commits sent for one row; error " + state).isEqualTo(1);
            assertThat(state).startsWith("40003");
        }
    }

    @Test
    void aSnapshotOfTheViewInsideADatabaseTransaction_cannotWritePastTheGate() {
        view.createTable(TableDef.builder("kv").attributes("k", "v").build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.transaction(tx -> view.snapshot(s -> {
            s.write("kv", Tuple.of("kv", "a", 1L));
            return null;
        }))).isInstanceOf(IllegalStateException.class);
        assertThat(db.dirtyRead("kv", "a")).as("a write made through the view's snapshot, past its gate").isEmpty();
    }
}
