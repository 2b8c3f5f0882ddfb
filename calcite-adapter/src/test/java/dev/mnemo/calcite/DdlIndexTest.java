package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DdlIndexTest extends DdlTestSupport {

    @BeforeEach
    void tables() throws Exception {
        ddl("CREATE TABLE users (id INT PRIMARY KEY, name TEXT, email TEXT, city TEXT)");
        ddl("CREATE TABLE lines (o INT, n INT, part INT, PRIMARY KEY (o, n))");
        for (int i = 0; i < 10; i++) {
            assertRoundTrip("users", (long) i, "u" + i, "u" + i + "@x", i % 2 == 0 ? "Oslo" : "Rome");
        }
    }

    private SQLException fails(String sql, String state) {
        SQLException e = ddlError(sql);
        assertThat(e.getSQLState()).as("%s: %s", sql, e.getMessage()).isEqualTo(state);
        return e;
    }

    @Test
    void createIndex_named_indexesTheColumnAndRecordsTheName() throws Exception {
        assertThat(ddl("CREATE INDEX users_by_city ON users (city)")).isZero();
        assertThat(def("users").indexes()).containsExactly("city");
        assertThat(def("users").userProperties().get("sql.indexes")).isEqualTo(Map.of("users_by_city", "city"));
        assertThat(db.dirtyIndexRead("users", "Rome", "city")).hasSize(5);
        assertThat(db.tableInfo("users").version()).isEqualTo(List.of(1, 2));
    }

    @Test
    void createIndex_unnamed_usesDefaultNameWhichDropIndexAccepts() throws Exception {
        ddl("CREATE INDEX ON users (email)");
        assertThat(def("users").userProperties().get("sql.indexes")).isEqualTo(Map.of("users_email_idx", "email"));
        ddl("DROP INDEX users_email_idx");
        assertThat(def("users").indexes()).isEmpty();
        assertThat(def("users").userProperties()).doesNotContainKey("sql.indexes");
    }

    @Test
    void createIndex_onCompositeKeyTable_indexesANonKeyColumn() throws Exception {
        ddl("CREATE INDEX lines_part ON lines (part)");
        assertRoundTrip("lines", 1L, 2L, 77L);
        assertThat(db.dirtyIndexRead("lines", 77L, "part")).containsExactly(Tuple.of("lines", Tuple.of(1, 2), 77));
    }

    @Test
    void createIndex_severalColumns_rejectedExplainingOneAttributePerIndex() {
        String sql = "CREATE INDEX i ON users (name, city)";
        assertThat(fails(sql, "42000").getMessage()).isEqualTo("DDL error at line 1, column "
                + (sql.indexOf("city") + 1) + ": an index covers exactly one column (the engine indexes one "
                + "attribute per index); create one index per column");
        assertThat(def("users").indexes()).isEmpty();
    }

    @Test
    void createIndex_onKeyColumn_rejectedBecauseTheKeyIsAlwaysIndexed() {
        assertThat(fails("CREATE INDEX i ON users (id)", "42000").getMessage())
                .contains("cannot index column id of table users: it is the primary key, and the key is always "
                        + "indexed");
        assertThat(fails("CREATE INDEX i ON lines (n)", "42000").getMessage())
                .contains("it is part of the primary key");
    }

    @Test
    void createIndex_unknownColumn_42S22NamingColumns() {
        assertThat(fails("CREATE INDEX i ON users (zip)", "42S22").getMessage())
                .contains("table users has no column zip; its columns are [id, name, email, city]");
    }

    @Test
    void createIndex_existingName_42S11UnlessIfNotExists() throws Exception {
        ddl("CREATE INDEX by_name ON users (name)");
        assertThat(fails("CREATE INDEX by_name ON users (city)", "42S11").getMessage())
                .contains("index by_name already exists (on table users, column name)");
        assertThat(fails("CREATE INDEX by_name ON lines (part)", "42S11").getMessage())
                .as("index names are unique in the database").contains("already exists");
        assertThat(ddl("CREATE INDEX IF NOT EXISTS by_name ON users (city)")).isZero();
        assertThat(def("users").indexes()).containsExactly("name");
    }

    @Test
    void createIndex_columnAlreadyIndexed_42S11NamingTheIndex() throws Exception {
        ddl("CREATE INDEX by_name ON users (name)");
        assertThat(fails("CREATE INDEX other ON users (name)", "42S11").getMessage())
                .contains("column name of table users is already indexed by index by_name");
        db.addTableIndex("users", "city");
        assertThat(fails("CREATE INDEX c2 ON users (city)", "42S11").getMessage())
                .contains("already indexed by index users_city_idx");
    }

    @Test
    void dropIndex_withoutOn_findsTheTableAndRemovesIndexAndName() throws Exception {
        ddl("CREATE INDEX by_name ON users (name)");
        ddl("CREATE INDEX by_city ON users (city)");
        ddl("DROP INDEX by_name");
        assertThat(def("users").indexes()).containsExactly("city");
        assertThat(def("users").userProperties().get("sql.indexes")).isEqualTo(Map.of("by_city", "city"));
        ddl("DROP INDEX by_city ON users;");
        assertThat(def("users").indexes()).isEmpty();
    }

    @Test
    void dropIndex_missing_42S12UnlessIfExists() throws Exception {
        ddl("CREATE INDEX by_name ON users (name)");
        assertThat(fails("DROP INDEX nope", "42S12").getMessage()).contains("index nope does not exist");
        assertThat(fails("DROP INDEX by_name ON lines", "42S12").getMessage())
                .contains("index by_name does not exist on table lines");
        assertThat(ddl("DROP INDEX IF EXISTS nope")).isZero();
        assertThat(def("users").indexes()).containsExactly("name");
    }

    @Test
    void dropIndex_createdThroughTheEngine_byDefaultName() throws Exception {
        db.addTableIndex("users", "email");
        ddl("DROP INDEX users_email_idx");
        assertThat(def("users").indexes()).isEmpty();
    }

    @Test
    void dropIndex_ambiguousDefaultName_asksForOn() throws Exception {
        ddl("CREATE TABLE a_b (k INT, c INT)");
        ddl("CREATE TABLE a (k INT, b_c INT)");
        db.addTableIndex("a_b", "c");
        db.addTableIndex("a", "b_c");
        assertThat(fails("DROP INDEX a_b_c_idx", "42000").getMessage())
                .contains("index name a_b_c_idx is ambiguous").contains("add ON table");
        ddl("DROP INDEX a_b_c_idx ON a");
        assertThat(def("a").indexes()).isEmpty();
        assertThat(def("a_b").indexes()).containsExactly("c");
    }

    @Test
    void createIndex_concurrentOnOneTable_everyNameRecorded() throws Exception {
        StringBuilder cols = new StringBuilder("CREATE TABLE wide (k INT PRIMARY KEY");
        for (int i = 0; i < 8; i++) {
            cols.append(", c").append(i).append(" INT");
        }
        ddl(cols.append(")").toString());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String sql = "CREATE INDEX w" + i + " ON wide (c" + i + ")";
                done.add(pool.submit(() -> MnemoDdl.execute(db, sql)));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertThat(f.get()).isZero();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(def("wide").indexes()).hasSize(8);
        assertThat(def("wide").userProperties().get("sql.indexes")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .hasSize(8).containsEntry("w5", "c5");
    }

    @Test
    void indexes_surviveReopen() throws Exception {
        ddl("CREATE INDEX IF NOT EXISTS \"Users By Name\" ON users (name)");
        reopen();
        assertThat(def("users").userProperties().get("sql.indexes")).isEqualTo(Map.of("Users By Name", "name"));
        assertThat(db.dirtyIndexRead("users", "u3", "name")).hasSize(1);
        ddl("DROP INDEX \"Users By Name\"");
        reopen();
        assertThat(def("users").indexes()).isEmpty();
    }
}
