package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DdlDropTruncateTest extends DdlTestSupport {

    @Test
    void dropTable_removesTableAndRows_ifExistsIsQuiet() throws Exception {
        ddl("CREATE TABLE t (k INT PRIMARY KEY, v TEXT)");
        assertRoundTrip("t", 1L, "a");
        assertThat(ddl("DROP TABLE t")).isZero();
        assertThat(db.tables()).doesNotContain("t");
        assertThat(ddl("DROP TABLE IF EXISTS t;")).isZero();
        ddl("CREATE TABLE t (k INT, v INT, w INT)");
        assertThat(db.tableInfo("t").size()).isZero();
        reopen();
        assertThat(def("t").attributes()).containsExactly("$rowid", "k", "v", "w");
    }

    @Test
    void truncate_removesRowsKeepsDefinitionAndIndexes() throws Exception {
        ddl("CREATE TABLE t (a INT, b INT, c TEXT, PRIMARY KEY (a, b))");
        ddl("CREATE INDEX t_c ON t (c)");
        assertRoundTrip("t", 1L, 2L, "x");
        assertRoundTrip("t", 1L, 3L, "y");
        assertThat(ddl("TRUNCATE t")).isZero();
        assertThat(db.tableInfo("t").size()).isZero();
        assertThat(db.dirtyIndexRead("t", "x", "c")).isEmpty();
        assertRoundTrip("t", 5L, 6L, "z");
        ddl("truncate table t");
        assertThat(db.dirtyAllKeys("t")).isEmpty();
        assertThat(def("t").userProperties().get("sql.key")).isEqualTo(List.of("a", "b"));
        assertThat(def("t").indexes()).containsExactly("c");
    }
}
