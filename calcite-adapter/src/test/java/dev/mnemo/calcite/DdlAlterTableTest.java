package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.BadRecordException;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class DdlAlterTableTest extends DdlTestSupport {

    private SQLException fails(String sql, String state) {
        SQLException e = ddlError(sql);
        assertThat(e.getSQLState()).as("%s: %s", sql, e.getMessage()).isEqualTo(state);
        return e;
    }

    private void users() throws SQLException {
        ddl("CREATE TABLE users (name TEXT, id INT PRIMARY KEY, city TEXT NOT NULL)");
        for (long i = 0; i < 5; i++) {
            assertRoundTrip("users", "u" + i, i, "Oslo");
        }
    }

    private Object[] row(String table, Object key) {
        return shape(table).toRow(db.dirtyRead(table, key).get(0));
    }

    @Test
    void addColumn_withDefault_existingRowsGetItAndTypeIsRecorded() throws Exception {
        users();
        ddl("ALTER TABLE users ADD COLUMN score DECIMAL(8,2) NOT NULL DEFAULT 10");
        TableDef d = def("users");
        assertThat(d.attributes()).containsExactly("id", "name", "city", "score");
        assertThat(d.types().get(3)).isEqualTo(AttrType.DECIMAL);
        assertThat(d.userProperties().get("sql.columns")).isEqualTo(List.of("name", "id", "city", "score"));
        assertThat(d.userProperties().get("sql.not_null")).isEqualTo(List.of("id", "city", "score"));
        assertThat(row("users", 3L)).containsExactly("u3", 3L, "Oslo", new BigDecimal("1E+1")); // normalized 10
        assertRoundTrip("users", "new", 9L, "Rome", new BigDecimal("1.25"));
        Assertions.assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("users", 10, "x", "y", "not a number")))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("'score'");
        assertThat(db.tableInfo("users").version()).isEqualTo(List.of(2, 0));
    }

    @Test
    void addColumn_nullable_existingRowsGetNull() throws Exception {
        users();
        ddl("alter table users add born date");
        assertThat(row("users", 1L)).containsExactly("u1", 1L, "Oslo", null);
        assertThat(def("users").types().get(3)).isEqualTo(AttrType.DATE);
    }

    @Test
    void addColumn_defaultLiterals_convertToTheColumnType() throws Exception {
        users();
        ddl("ALTER TABLE users ADD d DOUBLE DEFAULT 2");
        ddl("ALTER TABLE users ADD \"day\" DATE DEFAULT DATE '2024-02-29'");
        ddl("ALTER TABLE users ADD since TIMESTAMP DEFAULT '2024-01-02 03:04:05'");
        ddl("ALTER TABLE users ADD \"at\" TIMESTAMP WITH TIME ZONE DEFAULT TIMESTAMP '2024-01-02 03:04:05'");
        ddl("ALTER TABLE users ADD n INT DEFAULT -7.0");
        ddl("ALTER TABLE users ADD flag BOOLEAN DEFAULT TRUE");
        ddl("ALTER TABLE users ADD note VARCHAR(9) DEFAULT 'it''s'");
        ddl("ALTER TABLE users ADD \"blob\" VARBINARY DEFAULT X'0aff'");
        ddl("ALTER TABLE users ADD anything ANY DEFAULT 1.5");
        Object[] r = row("users", 2L);
        assertThat(r).hasSize(12);
        assertThat(java.util.Arrays.copyOfRange(r, 3, 12)).containsExactly(2.0, LocalDate.of(2024, 2, 29),
                LocalDateTime.of(2024, 1, 2, 3, 4, 5), Instant.parse("2024-01-02T03:04:05Z"), -7L, true, "it's",
                dev.mnemo.engine.value.Binary.of(new byte[] {10, (byte) 255}), new BigDecimal("1.5"));
    }

    @Test
    void addColumn_defaultNotFittingType_42000AtTheLiteral() throws Exception {
        users();
        String sql = "ALTER TABLE users ADD n INT DEFAULT 'many'";
        assertThat(fails(sql, "42000").getMessage()).isEqualTo("DDL error at line 1, column "
                + (sql.indexOf("'many'") + 1) + ": value 'many' does not fit column n of type INTEGER");
        assertThat(fails("ALTER TABLE users ADD n INT DEFAULT 1.5", "42000").getMessage())
                .contains("value 1.5 does not fit column n of type INTEGER");
        assertThat(fails("ALTER TABLE users ADD d DATE DEFAULT '2024-13-01'", "42000").getMessage())
                .contains("invalid DATE '2024-13-01': expected yyyy-mm-dd");
        assertThat(def("users").attributes()).containsExactly("id", "name", "city");
    }

    @Test
    void addColumn_notNullWithoutDefault_refusedOnRowsAllowedWhenEmpty() throws Exception {
        users();
        assertThat(fails("ALTER TABLE users ADD c INT NOT NULL", "42000").getMessage())
                .contains("cannot add NOT NULL column c without a DEFAULT to table users: it has rows");
        assertThat(fails("ALTER TABLE users ADD c INT NOT NULL DEFAULT NULL", "42000").getMessage())
                .contains("it has rows");
        assertThat(def("users").attributes()).containsExactly("id", "name", "city");
        ddl("TRUNCATE TABLE users");
        ddl("ALTER TABLE users ADD c INT NOT NULL");
        assertThat(shape("users").columns().get(3).notNull()).isTrue();
    }

    @Test
    void addColumn_existingName_42S21() throws Exception {
        users();
        ddl("CREATE TABLE lines (o INT, n INT, part INT, PRIMARY KEY (o, n))");
        assertThat(fails("ALTER TABLE users ADD city TEXT", "42S21").getMessage())
                .contains("table users already has a column city");
        fails("ALTER TABLE lines ADD n INT", "42S21");
        fails("ALTER TABLE lines ADD \"$key\" INT", "42S21");
        assertThat(fails("ALTER TABLE users ADD PRIMARY KEY (id)", "42000").getMessage())
                .contains("column 23: ALTER TABLE cannot add a PRIMARY KEY");
    }

    @Test
    void addAndDropColumn_compositeKeyTable_keepKeyAndValues() throws Exception {
        ddl("CREATE TABLE lines (o INT, n INT, part INT, PRIMARY KEY (o, n)) WITH (type = ordered_set)");
        assertRoundTrip("lines", 1L, 2L, 3L);
        assertRoundTrip("lines", 1L, 1L, 4L);
        ddl("ALTER TABLE lines ADD qty DECIMAL DEFAULT 0");
        assertThat(def("lines").attributes()).containsExactly("$key", "part", "qty");
        assertThat(row("lines", Tuple.of(1, 2))).containsExactly(1L, 2L, 3L, BigDecimal.ZERO);
        ddl("ALTER TABLE lines DROP COLUMN part");
        assertThat(def("lines").attributes()).containsExactly("$key", "qty");
        assertThat(columnNames(shape("lines"))).containsExactly("o", "n", "qty");
        assertThat(row("lines", Tuple.of(1, 1))).containsExactly(1L, 1L, BigDecimal.ZERO);
        assertThat(db.dirtyAllKeys("lines")).containsExactly(Tuple.of(1, 1), Tuple.of(1, 2));
        assertThat(fails("ALTER TABLE lines DROP n", "42000").getMessage())
                .contains("cannot drop column n of table lines: it is part of the primary key");
    }

    @Test
    void dropColumn_withData_otherValuesKept() throws Exception {
        users();
        ddl("ALTER TABLE users ADD age INT DEFAULT 30");
        ddl("ALTER TABLE users DROP city");
        TableDef d = def("users");
        assertThat(d.attributes()).containsExactly("id", "name", "age");
        assertThat(d.types()).containsExactly(AttrType.INTEGER, AttrType.STRING, AttrType.INTEGER);
        assertThat(d.userProperties().get("sql.columns")).isEqualTo(List.of("name", "id", "age"));
        assertThat(d.userProperties().get("sql.not_null")).isEqualTo(List.of("id"));
        assertThat(row("users", 4L)).containsExactly("u4", 4L, 30L);
        assertThat(db.tableInfo("users").size()).isEqualTo(5);
    }

    @Test
    void dropColumn_indexed_dropsItsIndexAndIndexName() throws Exception {
        users();
        ddl("CREATE INDEX by_city ON users (city)");
        ddl("CREATE INDEX by_name ON users (name)");
        ddl("ALTER TABLE users DROP COLUMN city");
        TableDef d = def("users");
        assertThat(d.indexes()).containsExactly("name");
        assertThat(d.userProperties().get("sql.indexes")).isEqualTo(Map.of("by_name", "name"));
        assertThat(db.dirtyIndexRead("users", "u1", "name")).hasSize(1);
        fails("DROP INDEX by_city", "42S12");
    }

    @Test
    void dropColumn_keyOrUnknown_refused_theLastValueColumnLeavesTheKeys() throws Exception {
        ddl("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
        db.dirtyWrite(Tuple.of("kv", "a", "1"));
        assertThat(fails("ALTER TABLE kv DROP k", "42000").getMessage())
                .contains("cannot drop column k of table kv: it is the primary key");
        String sql = "ALTER TABLE kv DROP COLUMN w";
        assertThat(fails(sql, "42S22").getMessage()).isEqualTo("DDL error at line 1, column 28: table kv has no "
                + "column w; its columns are [k, v]");
        ddl("ALTER TABLE kv DROP v");
        assertThat(db.tableDef("kv").attributes()).containsExactly("k");
        assertThat(db.dirtyRead("kv", "a")).containsExactly(Tuple.of("kv", "a"));
    }

    @Test
    void alter_engineCreatedTable_getsAnSqlShape() throws Exception {
        db.createTable(dev.mnemo.engine.TableDef.builder("plain").attributes("k", "a", "b").build());
        db.dirtyWrite(Tuple.of("plain", 1, "x", "y"));
        ddl("ALTER TABLE plain ADD c INT DEFAULT 5");
        ddl("ALTER TABLE plain DROP a");
        assertThat(def("plain").userProperties().get("sql.columns")).isEqualTo(List.of("k", "b", "c"));
        assertThat(row("plain", 1L)).containsExactly(1L, "y", 5L);
    }

    @Test
    void alter_survivesReopen() throws Exception {
        users();
        ddl("ALTER TABLE users ADD score INT NOT NULL DEFAULT 1");
        ddl("ALTER TABLE users DROP name");
        reopen();
        TableDef d = def("users");
        assertThat(d.attributes()).containsExactly("id", "city", "score");
        assertThat(d.types()).containsExactly(AttrType.INTEGER, AttrType.STRING, AttrType.INTEGER);
        assertThat(d.userProperties().get("sql.columns")).isEqualTo(List.of("id", "city", "score"));
        assertThat(row("users", 2L)).containsExactly(2L, "Oslo", 1L);
    }
}
