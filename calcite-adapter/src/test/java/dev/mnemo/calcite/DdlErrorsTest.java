package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.ReadOnlyTableException;
import dev.mnemo.engine.SchemaException;
import dev.mnemo.engine.TableExistsException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import org.junit.jupiter.api.Test;

class DdlErrorsTest extends DdlTestSupport {

    /** Runs sql, which must fail with {@code state}; returns the exception. */
    private SQLException fails(String sql, String state) {
        SQLException e = ddlError(sql);
        assertThat(e.getSQLState()).as("SQLState of %s: %s", sql, e.getMessage()).isEqualTo(state);
        return e;
    }

    /** The 1-based column of the first {@code marker} in single-line {@code sql}. */
    private static int col(String sql, String marker) {
        return sql.indexOf(marker) + 1;
    }

    @Test
    void syntaxError_reportsLineColumnExpectedAndFound() {
        String sql = "CREATE TABLE t (id INT, name VARCHAR(10) size INT)";
        SQLException e = fails(sql, "42000");
        assertThat((Object) e).isInstanceOf(SQLSyntaxErrorException.class);
        assertThat(e.getMessage()).isEqualTo("DDL syntax error at line 1, column " + col(sql, "size")
                + ": expected NOT NULL, PRIMARY KEY, DEFAULT, GENERATED, REFERENCES, ',' or ')' but found 'size'");
    }

    @Test
    void syntaxError_onLaterLine_countsLinesAndColumns() {
        assertThat(fails("CREATE TABLE t (\n  id INT,\n  name VARCHAR(10)\n  size INT\n)", "42000").getMessage())
                .isEqualTo("DDL syntax error at line 4, column 3: expected NOT NULL, PRIMARY KEY, DEFAULT, GENERATED, REFERENCES, ',' or ')' but "
                        + "found 'size'");
        assertThat(fails("CREATE TABLE t (\r\n  id INT,\r\n  size BIGINTEGER\r\n)", "42000").getMessage())
                .startsWith("DDL error at line 3, column 8: unknown type 'BIGINTEGER' for column size");
    }

    @Test
    void syntaxError_endOfInput_saysSo() {
        assertThat(fails("CREATE TABLE t (id INT", "42000").getMessage())
                .isEqualTo("DDL syntax error at line 1, column 23: expected NOT NULL, PRIMARY KEY, DEFAULT, GENERATED, REFERENCES, ',' or ')' but "
                        + "found end of input");
        assertThat(fails("DROP TABLE", "42000").getMessage())
                .isEqualTo("DDL syntax error at line 1, column 11: expected a table name but found end of input");
    }

    @Test
    void syntaxError_lexicalProblems_pointAtThem() {
        assertThat(fails("CREATE TABLE t (a INT, b TEXT) WITH (user.x = 'open", "42000").getMessage())
                .startsWith("DDL syntax error at line 1, column 47: string is not closed");
        assertThat(fails("DROP TABLE t # x", "42000").getMessage())
                .isEqualTo("DDL syntax error at line 1, column 14: unexpected character '#'");
        assertThat(fails("DROP /* never closed", "42000").getMessage())
                .startsWith("DDL syntax error at line 1, column 6: comment is not closed");
        assertThat(fails("DROP TABLE \"t", "42000").getMessage())
                .startsWith("DDL syntax error at line 1, column 12: quoted identifier is not closed");
    }

    @Test
    void syntaxError_textAfterStatement_rejected() {
        assertThat(fails("DROP TABLE t; DROP TABLE u", "42000").getMessage())
                .isEqualTo("DDL syntax error at line 1, column 15: expected end of statement (one statement at a time) "
                        + "but found 'DROP'");
        assertThat(fails("DROP INDEX i x", "42000").getMessage())
                .contains("column 14: expected ON, ';' or end of statement but found 'x'");
        assertThat(fails("CREATE TABLE t (a INT, b INT) garbage", "42000").getMessage())
                .contains("expected WITH, ';' or end of statement but found 'garbage'");
    }

    @Test
    void syntaxError_unsupportedStatement_listsWhatIsAccepted() {
        assertThat(fails("CREATE SEQUENCE s", "42000").getMessage()).isEqualTo("DDL syntax error at line 1, "
                + "column 8: expected TABLE, INDEX, VIEW or OR REPLACE VIEW but found 'SEQUENCE'");
        // the engine alone cannot validate a view's query: only a JDBC connection creates views
        assertThat(fails("CREATE VIEW v AS SELECT 1", "0A000").getMessage())
                .contains("CREATE VIEW runs through a JDBC connection");
        assertThat(fails("SELECT 1", "42000").getMessage())
                .contains("column 1: expected CREATE, DROP, TRUNCATE, ALTER, CHECKPOINT, BACKUP, DUMP or LOAD but found 'SELECT'");
        assertThat(fails("ALTER TABLE t RENAME TO u", "42000").getMessage())
                .contains("expected ADD or DROP but found 'RENAME'");
    }

    @Test
    void unknownType_namesItListsAcceptedTypesAndPointsAtIt() {
        String sql = "CREATE TABLE t (id INT, name VARCHA(10))";
        String m = fails(sql, "42000").getMessage();
        assertThat(m).startsWith("DDL error at line 1, column " + col(sql, "VARCHA") + ": unknown type 'VARCHA' "
                + "for column name; accepted types are BIGINT, INT, INTEGER");
        assertThat(m).contains("VARCHAR", "TIMESTAMP WITH [LOCAL] TIME ZONE", "ANY");
    }

    @Test
    void badLength_isASyntaxError() {
        assertThat(fails("CREATE TABLE t (id INT, d DECIMAL(10, x))", "42000").getMessage())
                .contains("expected a scale (a whole number) but found 'x'");
        assertThat(fails("CREATE TABLE t (id INT, s VARCHAR(1.5))", "42000").getMessage())
                .contains("expected a length (a whole number) but found '1.5'");
    }

    @Test
    void twoPrimaryKeys_rejectedAtTheSecond() {
        String sql = "CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (a, b))";
        assertThat(fails(sql, "42000").getMessage()).startsWith("DDL error at line 1, column "
                + col(sql, "PRIMARY KEY (") + ": table t has more than one PRIMARY KEY");
        assertThat(fails("CREATE TABLE t (a INT PRIMARY KEY, b INT PRIMARY KEY)", "42000").getMessage())
                .contains("more than one PRIMARY KEY");
        assertThat(fails("CREATE TABLE t (a INT PRIMARY KEY PRIMARY KEY, b INT)", "42000").getMessage())
                .contains("PRIMARY KEY is given twice");
    }

    @Test
    void primaryKeyProblems_nameTheColumn() {
        String sql = "CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, c))";
        assertThat(fails(sql, "42S22").getMessage()).isEqualTo("DDL error at line 1, column " + col(sql, "c))")
                + ": PRIMARY KEY column c is not a column of table t");
        assertThat(fails("CREATE TABLE t (a INT, b INT, c INT, PRIMARY KEY (a, a))", "42000").getMessage())
                .contains("column a appears twice in the PRIMARY KEY");
    }

    @Test
    void columnProblems_nameTheColumn() {
        String sql = "CREATE TABLE t (a INT, b INT, a TEXT)";
        assertThat(fails(sql, "42000").getMessage()).isEqualTo("DDL error at line 1, column " + col(sql, "a TEXT")
                + ": column a of table t is declared twice");
        assertThat(fails("CREATE TABLE t (a INT, \"$key\" INT)", "42000").getMessage())
                .contains("column name $key is reserved");
        assertThat(fails("CREATE TABLE t (a INT, \"b\tc\" INT)", "42000").getMessage())
                .contains("column 24: bad column name '\"b\tc\"': a name must not contain control characters");
        assertThat(fails("CREATE TABLE \" \" (a INT, b INT)", "42000").getMessage())
                .contains("bad table name '\" \"': a name must not be empty or blank");
        assertThat(fails("CREATE TABLE t (a INT, year INT)", "42000").getMessage())
                .contains("column 24: year is a reserved word in SQL").contains("write it quoted (\"year\"");
        assertThat(fails("CREATE TABLE free (a INT, b INT)", "42000").getMessage())
                .contains("free is a reserved word in SQL, so queries could not name this table unquoted");
    }

    @Test
    void namesSqlQuotes_andTablesOfKeyColumnsAlone_areCreated() throws Exception {
        ddl("CREATE TABLE \"my table.v2\" (\"the id\" INT PRIMARY KEY, \"Straße\" VARCHAR(9), \"列\" INT)");
        assertThat(db.tableDef("my table.v2").attributes()).containsExactly("the id", "Straße", "列");
        ddl("CREATE TABLE t (a INT)");
        assertThat(db.tableDef("t").attributes()).containsExactly("$rowid", "a");
        ddl("CREATE TABLE pairs (a INT, b INT, PRIMARY KEY (a, b))");
        assertThat(db.tableDef("pairs").attributes()).containsExactly("$key");
    }

    @Test
    void optionProblems_nameTheOptionAndWhatIsAccepted() {
        String sql = "CREATE TABLE t (a INT, b INT) WITH (colour = 'red')";
        assertThat(fails(sql, "42000").getMessage()).isEqualTo("DDL error at line 1, column " + col(sql, "colour")
                + ": unknown option colour of table t; known options are " + TableOptions.KNOWN);
        assertThat(fails("CREATE TABLE t (a INT, b INT) WITH (type = heap)", "42000").getMessage())
                .contains("option type cannot be heap; expected set, ordered_set, bag, duplicate_bag");
        assertThat(fails("CREATE TABLE t (a INT, b INT) WITH (storage = 3)", "42000").getMessage())
                .contains("option storage cannot be 3; expected ram_copies, disc_copies, disc_only_copies");
        assertThat(fails("CREATE TABLE t (a INT, b INT) WITH (sql.columns = 'x')", "42000").getMessage())
                .contains("reserved");
        assertThat(fails("CREATE TABLE t (a INT, b INT) WITH (type = bag, TYPE = set)", "42000").getMessage())
                .contains("option TYPE is given twice");
        assertThat(fails("CREATE TABLE t (a INT, b INT) WITH (type bag)", "42000").getMessage())
                .contains("expected '=' but found 'bag'");
    }

    @Test
    void discStorageInMemory_translatedWithEngineCause() throws Exception {
        try (Mnemo mem = Mnemo.inMemory()) {
            SQLException e = null;
            try {
                MnemoDdl.execute(mem, "CREATE TABLE t (a INT, b INT) WITH (storage = disc_copies)");
            } catch (SQLException ex) {
                e = ex;
            }
            assertThat((Object) e).isInstanceOf(SQLSyntaxErrorException.class);
            assertThat(e.getSQLState()).isEqualTo("42000");
            assertThat(e.getCause()).isInstanceOf(SchemaException.class);
            assertThat(e.getMessage()).isEqualTo(e.getCause().getMessage()).contains("in memory");
        }
    }

    @Test
    void tableExistsAndMissing_haveTheirStatesAndEngineCause() throws Exception {
        ddl("CREATE TABLE t (a INT, b INT)");
        SQLException exists = fails("CREATE TABLE t (a INT, b INT)", "42S01");
        assertThat(exists.getCause()).isInstanceOf(TableExistsException.class);
        assertThat(exists.getMessage()).contains("t").contains("already exists");
        SQLException missing = fails("DROP TABLE nope", "42S02");
        assertThat(missing.getCause()).isInstanceOf(NoSuchTableException.class);
        assertThat(missing.getMessage()).contains("nope");
        fails("TRUNCATE TABLE nope", "42S02");
        fails("ALTER TABLE nope ADD c INT", "42S02");
        fails("ALTER TABLE nope DROP c", "42S02");
        fails("CREATE INDEX i ON nope (c)", "42S02");
        fails("DROP INDEX i ON nope", "42S02");
    }

    @Test
    void readOnlyTable_truncateRefusedWithEngineCause() throws Exception {
        ddl("CREATE TABLE t (a INT, b INT) WITH (access_mode = read_only)");
        SQLException e = fails("TRUNCATE t", "25006");
        assertThat(e.getCause()).isInstanceOf(ReadOnlyTableException.class);
        fails("ALTER TABLE t ADD c INT", "25006");
    }

    @Test
    void checkpoint_takesSyncOrNothing_andNothingAfter() {
        assertThat(fails("CHECKPOINT NOW", "42000").getMessage()).isEqualTo("DDL syntax error at line 1, column 12: "
                + "expected SYNC, ';' or end of statement but found 'NOW'");
        assertThat(fails("CHECKPOINT SYNC SYNC", "42000").getMessage()).isEqualTo("DDL syntax error at line 1, "
                + "column 17: expected ';' or end of statement but found 'SYNC'");
    }

    @Test
    void isDdl_recognizesHandledStatementsOnly() {
        assertThat(MnemoDdl.isDdl("CREATE TABLE t (a INT)")).isTrue();
        assertThat(MnemoDdl.isDdl("  -- comment\n/* block */ create\n index i on t(c)")).isTrue();
        assertThat(MnemoDdl.isDdl("Drop Table t")).isTrue();
        assertThat(MnemoDdl.isDdl("drop index i")).isTrue();
        assertThat(MnemoDdl.isDdl("TRUNCATE t")).isTrue();
        assertThat(MnemoDdl.isDdl("truncate table t")).isTrue();
        assertThat(MnemoDdl.isDdl("ALTER TABLE t ADD c INT")).isTrue();
        assertThat(MnemoDdl.isDdl("alter table")).isTrue();
        assertThat(MnemoDdl.isDdl("CHECKPOINT")).isTrue();
        assertThat(MnemoDdl.isDdl("checkpoint sync;")).isTrue();
        assertThat(MnemoDdl.isDdl("SELECT * FROM t")).isFalse();
        assertThat(MnemoDdl.isDdl("INSERT INTO t VALUES (1)")).isFalse();
        assertThat(MnemoDdl.isDdl("CREATE VIEW v AS SELECT 1")).isTrue();
        assertThat(MnemoDdl.isDdl("create or replace view v as select 1")).isTrue();
        assertThat(MnemoDdl.isDdl("drop view v")).isTrue();
        assertThat(MnemoDdl.isDdl("create or replace function f")).isFalse();
        assertThat(MnemoDdl.isDdl("ALTER VIEW v")).isFalse();
        assertThat(MnemoDdl.isDdl("ALTER INDEX i")).isFalse();
        assertThat(MnemoDdl.isDdl("\"CREATE\" TABLE t")).isFalse();
        assertThat(MnemoDdl.isDdl("/* unclosed")).isFalse();
        assertThat(MnemoDdl.isDdl("")).isFalse();
        assertThat(MnemoDdl.isDdl(null)).isFalse();
    }
}
