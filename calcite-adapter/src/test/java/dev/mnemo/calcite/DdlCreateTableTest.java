package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.AccessMode;
import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DdlCreateTableTest extends DdlTestSupport {

    @Test
    void createTable_singleColumnPrimaryKey_putsKeyFirstAndKeepsDeclaredOrder() throws Exception {
        assertThat(ddl("CREATE TABLE users (name VARCHAR(40) NOT NULL, id BIGINT PRIMARY KEY, email TEXT)"))
                .isZero();
        TableDef d = def("users");
        assertThat(d.attributes()).containsExactly("id", "name", "email");
        assertThat(d.types()).containsExactly(AttrType.INTEGER, AttrType.STRING, AttrType.STRING);
        assertThat(d.userProperties().get("sql.columns")).isEqualTo(List.of("name", "id", "email"));
        assertThat(d.userProperties()).doesNotContainKey("sql.key");
        assertThat(d.userProperties().get("sql.not_null")).isEqualTo(List.of("name", "id"));
        SqlShape s = SqlShape.of(d);
        assertThat(columnNames(s)).containsExactly("name", "id", "email");
        assertThat(s.keyColumns()).containsExactly(1);
        assertThat(s.columns().get(2).notNull()).isFalse();
        assertRoundTrip("users", "Alice", 7L, "alice@example.com");
        assertThat(db.dirtyRead("users", 7L)).containsExactly(Tuple.of("users", 7, "Alice", "alice@example.com"));
    }

    @Test
    void createTable_compositePrimaryKey_storesTupleKeyInKeyOrder() throws Exception {
        ddl("CREATE TABLE stock (warehouse INT, qty DECIMAL(10, 2), item VARCHAR(10), "
                + "PRIMARY KEY (item, warehouse))");
        TableDef d = def("stock");
        assertThat(d.attributes()).containsExactly("$key", "qty");
        assertThat(d.types()).containsExactly(AttrType.TUPLE, AttrType.DECIMAL);
        assertThat(d.userProperties().get("sql.key")).isEqualTo(List.of("item", "warehouse"));
        assertThat(d.userProperties().get("sql.key.types")).isEqualTo(List.of("STRING", "INTEGER"));
        assertThat(d.userProperties().get("sql.columns")).isEqualTo(List.of("warehouse", "qty", "item"));
        SqlShape s = SqlShape.of(d);
        assertThat(s.compositeKey()).isTrue();
        assertThat(columnNames(s)).containsExactly("warehouse", "qty", "item");
        assertThat(s.keyColumns()).containsExactly(2, 0);
        assertThat(s.columns()).extracting(SqlShape.Column::type)
                .containsExactly(AttrType.INTEGER, AttrType.DECIMAL, AttrType.STRING);
        assertThat(s.columns()).extracting(SqlShape.Column::notNull).containsExactly(true, false, true);
        assertRoundTrip("stock", 3L, new BigDecimal("12.5"), "bolt");
        assertThat(db.dirtyAllKeys("stock")).containsExactly(Tuple.of("bolt", 3));
    }

    @Test
    void createTable_withoutPrimaryKey_hasAHiddenRowIdKey() throws Exception {
        ddl("create table notes (title string, body string, stars int);");
        TableDef d = def("notes");
        assertThat(d.attributes()).containsExactly("$rowid", "title", "body", "stars");
        assertThat(d.types().get(0)).isEqualTo(AttrType.INTEGER);
        assertThat(d.userProperties().get("sql.not_null")).isEqualTo(List.of());
        SqlShape s = SqlShape.of(d);
        assertThat(s.rowId()).isTrue();
        assertThat(s.keyColumns()).isEmpty();
        assertThat(columnNames(s)).containsExactly("title", "body", "stars");
        assertThat(s.columns()).extracting(SqlShape.Column::notNull).containsExactly(false, false, false);
        assertRoundTrip("notes", "hello", "world", 5L);
        assertRoundTrip("notes", null, null, null);
    }

    @Test
    void createTable_bagWithoutPrimaryKey_firstColumnIsTheKey() throws Exception {
        ddl("create table tags (tag string, item int) with (type = bag)");
        SqlShape s = shape("tags");
        assertThat(s.def().attributes()).containsExactly("tag", "item");
        assertThat(s.rowId()).isFalse();
        assertThat(s.keyColumns()).containsExactly(0);
        assertThat(s.columns().get(0).notNull()).isTrue();
        assertRoundTrip("tags", "red", 5L);
    }

    @Test
    void createTable_typeNames_mapToEngineTypes() throws Exception {
        ddl("CREATE TABLE \"every\" (k INTEGER PRIMARY KEY, a BIGINT, b INT, c SMALLINT, d TINYINT, e DOUBLE, "
                + "f DOUBLE PRECISION, g FLOAT, h FLOAT(24), i REAL, j DECIMAL, l DECIMAL(12,2), m NUMERIC(5), "
                + "n VARCHAR, o VARCHAR(20), p CHAR(3), q CHARACTER, r CHARACTER VARYING(9), s TEXT, t STRING, "
                + "u BOOLEAN, v VARBINARY(16), w BINARY(4), x BLOB, y BYTEA, z DATE, aa TIME, ab TIME(3), "
                + "ac TIMESTAMP, ad TIMESTAMP(6), ae TIMESTAMP WITHOUT TIME ZONE, af TIMESTAMP WITH TIME ZONE, "
                + "ag TIMESTAMP WITH LOCAL TIME ZONE, ah ANY)");
        AttrType i = AttrType.INTEGER;
        AttrType dbl = AttrType.DOUBLE;
        AttrType s = AttrType.STRING;
        AttrType b = AttrType.BINARY;
        assertThat(def("every").types()).containsExactly(i, i, i, i, i, dbl, dbl, dbl, dbl, dbl,
                AttrType.DECIMAL, AttrType.DECIMAL, AttrType.DECIMAL, s, s, s, s, s, s, s, AttrType.BOOLEAN, b, b, b,
                b, AttrType.DATE, AttrType.TIME, AttrType.TIME, AttrType.DATETIME, AttrType.DATETIME,
                AttrType.DATETIME, AttrType.INSTANT, AttrType.INSTANT, AttrType.ANY);
    }

    @Test
    void createTable_typedColumns_roundTripTheirValues() throws Exception {
        ddl("CREATE TABLE vals (k INT PRIMARY KEY, d DOUBLE, n DECIMAL(8,3), s VARCHAR(5), b BOOLEAN, "
                + "bin VARBINARY, dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, a ANY)");
        assertRoundTrip("vals", 1L, 2.5, new BigDecimal("1.125"), "abcdefgh", true, Binary.of(new byte[] {1, 2}),
                LocalDate.of(2024, 2, 29), LocalTime.of(10, 30), LocalDateTime.of(2024, 1, 1, 12, 0),
                Instant.parse("2024-01-01T12:00:00Z"), Tuple.of("any", 1));
    }

    @Test
    void createTable_withOptions_setsTypeStorageAccessModeRecordNameAndUserProperties() throws Exception {
        ddl("CREATE TABLE events (id INT PRIMARY KEY, what TEXT) WITH (TYPE = 'ordered_set', "
                + "Storage = disc_only_copies, access_mode = READ_WRITE, record_name = event, user.owner = 'ops', "
                + "\"user.Retention\" = 30, app.audited = TRUE, user.ratio = 0.5)");
        TableDef d = def("events");
        assertThat(d.type()).isEqualTo(TableType.ORDERED_SET);
        assertThat(d.storage()).isEqualTo(StorageType.DISC_ONLY_COPIES);
        assertThat(d.accessMode()).isEqualTo(AccessMode.READ_WRITE);
        assertThat(d.recordName()).isEqualTo("event");
        assertThat(d.userProperties()).containsEntry("owner", "ops").containsEntry("Retention", 30L)
                .containsEntry("app.audited", true).containsEntry("ratio", new BigDecimal("0.5"));
        assertRoundTrip("events", 1L, "start");
        assertThat(db.dirtyRead("events", 1)).containsExactly(Tuple.of("event", 1, "start"));
        ddl("CREATE TABLE frozen (id INT PRIMARY KEY, v INT) WITH (access_mode = read_only, type = bag)");
        assertThat(def("frozen").accessMode()).isEqualTo(AccessMode.READ_ONLY);
        assertThat(def("frozen").type()).isEqualTo(TableType.BAG);
    }

    @Test
    void createTable_defaultStorage_discCopiesOnDiscRamCopiesInMemory() throws Exception {
        ddl("CREATE TABLE t (k INT, v INT)");
        assertThat(def("t").storage()).isEqualTo(StorageType.DISC_COPIES);
        assertThat(def("t").type()).isEqualTo(TableType.SET);
        try (Mnemo mem = Mnemo.inMemory()) {
            MnemoDdl.execute(mem, "CREATE TABLE t (k INT, v INT, PRIMARY KEY (k, v), w INT)");
            TableDef d = TableDdl.definition(mem, "t");
            assertThat(d.storage()).isEqualTo(StorageType.RAM_COPIES);
            assertThat(d.attributes()).containsExactly("$key", "w");
            SqlShape s = SqlShape.of(d);
            Tuple rec = s.toRecord(new Object[] {1L, 2L, 3L});
            mem.dirtyWrite("t", rec);
            assertThat(s.toRow(mem.dirtyRead("t", Tuple.of(1, 2)).get(0))).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void createTable_quotedIdentifiersAndComments_keepCaseAsWritten() throws Exception {
        ddl("-- a comment\n /* and a block\n comment */ Create Table \"Orders\" (\n"
                + "  \"OrderId\" int primary key, -- trailing\n  Amount decimal, \"$x\" any\n)");
        TableDef d = def("Orders");
        assertThat(d.attributes()).containsExactly("OrderId", "Amount", "$x");
        assertThat(db.tables()).contains("Orders").doesNotContain("orders");
    }

    @Test
    void createTable_sqlProperties_surviveReopen() throws Exception {
        ddl("CREATE TABLE li (ok BIGINT NOT NULL, \"ln\" INT NOT NULL, qty DECIMAL(15,2) NOT NULL, note VARCHAR(44), "
                + "PRIMARY KEY (ok, \"ln\")) WITH (type = ordered_set, user.source = 'tpch')");
        ddl("CREATE INDEX li_note ON li (note)");
        Map<String, Object> before = def("li").userProperties();
        assertRoundTrip("li", 1L, 2L, new BigDecimal("3.5"), "n");
        reopen();
        TableDef d = def("li");
        assertThat(d.userProperties()).isEqualTo(before);
        assertThat(d.userProperties().get("sql.indexes")).isEqualTo(Map.of("li_note", "note"));
        assertThat(d.userProperties().get("sql.not_null")).isEqualTo(List.of("ok", "ln", "qty"));
        SqlShape s = SqlShape.of(d);
        assertThat(s.toRow(db.dirtyRead("li", Tuple.of(1, 2)).get(0)))
                .containsExactly(1L, 2L, new BigDecimal("3.5"), "n");
    }

    @Test
    void createTable_ifNotExists_existingTableUnchanged() throws Exception {
        ddl("CREATE TABLE t (k INT PRIMARY KEY, v INT)");
        db.dirtyWrite(Tuple.of("t", 1, 1));
        assertThat(ddl("CREATE TABLE IF NOT EXISTS t (a TEXT, b TEXT, c TEXT)")).isZero();
        assertThat(def("t").attributes()).containsExactly("k", "v");
        assertThat(db.dirtyAllKeys("t")).containsExactly(1L);
        ddl("create table if not exists u (a text, b text)");
        assertThat(def("u").attributes()).containsExactly("$rowid", "a", "b");
    }

    @Test
    void createTable_tpchLineitemAndPartsupp_orderedSetWalksKeysInCompositeKeyOrder() throws Exception {
        ddl("CREATE TABLE lineitem (l_orderkey BIGINT NOT NULL, l_partkey BIGINT NOT NULL, "
                + "l_suppkey BIGINT NOT NULL, l_linenumber INTEGER NOT NULL, l_quantity DECIMAL(15,2) NOT NULL, "
                + "l_shipdate DATE NOT NULL, l_comment VARCHAR(44) NOT NULL, "
                + "PRIMARY KEY (l_orderkey, l_linenumber)) WITH (type = ordered_set)");
        ddl("CREATE TABLE partsupp (ps_partkey BIGINT NOT NULL, ps_suppkey BIGINT NOT NULL, "
                + "ps_availqty INTEGER NOT NULL, ps_supplycost DECIMAL(15,2) NOT NULL, ps_comment VARCHAR(199), "
                + "PRIMARY KEY (ps_partkey, ps_suppkey)) "
                + "WITH (type = ordered_set)");
        List<long[]> keys = new ArrayList<>();
        for (long a = 1; a <= 12; a++) {
            for (long b = 1; b <= 11; b++) {
                keys.add(new long[] {a, b});
            }
        }
        Collections.shuffle(keys, new Random(42));
        SqlShape li = shape("lineitem");
        SqlShape ps = shape("partsupp");
        for (long[] k : keys) {
            db.dirtyWrite("lineitem", li.toRecord(new Object[] {k[0], 7L, 8L, k[1], new BigDecimal("1.5"),
                    LocalDate.of(1995, 3, 1), "c"}));
            db.dirtyWrite("partsupp", ps.toRecord(new Object[] {k[1], k[0], 5L, BigDecimal.ONE, null}));
        }
        List<Object> expected = new ArrayList<>();
        for (long a = 1; a <= 12; a++) {
            for (long b = 1; b <= 11; b++) {
                expected.add(Tuple.of(a, b));
            }
        }
        assertThat(db.dirtyAllKeys("lineitem")).containsExactlyElementsOf(expected);
        List<Object> psExpected = new ArrayList<>();
        for (long b = 1; b <= 11; b++) {
            for (long a = 1; a <= 12; a++) {
                psExpected.add(Tuple.of(b, a));
            }
        }
        assertThat(db.dirtyAllKeys("partsupp")).containsExactlyElementsOf(psExpected);
        assertThat(li.toRow(db.dirtyRead("lineitem", Tuple.of(10, 9)).get(0)))
                .containsExactly(10L, 7L, 8L, 9L, new BigDecimal("1.5"), LocalDate.of(1995, 3, 1), "c");
    }

    @Test
    void createTable_inMemoryDatabase_everyStatementWorks() throws Exception {
        try (Mnemo mem = Mnemo.inMemory()) {
            MnemoDdl.execute(mem, "CREATE TABLE t (a INT, b INT, c TEXT, PRIMARY KEY (a, b))");
            mem.dirtyWrite("t", SqlShape.of(TableDdl.definition(mem, "t")).toRecord(new Object[] {1L, 2L, "x"}));
            MnemoDdl.execute(mem, "CREATE INDEX t_c ON t (c)");
            MnemoDdl.execute(mem, "ALTER TABLE t ADD COLUMN d INT DEFAULT 4");
            MnemoDdl.execute(mem, "ALTER TABLE t DROP COLUMN c");
            TableDef d = TableDdl.definition(mem, "t");
            assertThat(d.attributes()).containsExactly("$key", "d");
            assertThat(d.userProperties()).doesNotContainKey("sql.indexes");
            assertThat(SqlShape.of(d).toRow(mem.dirtyRead("t", Tuple.of(1, 2)).get(0))).containsExactly(1L, 2L, 4L);
            MnemoDdl.execute(mem, "TRUNCATE t");
            assertThat(mem.tableInfo("t").size()).isZero();
            MnemoDdl.execute(mem, "DROP TABLE t");
            assertThat(mem.tables()).doesNotContain("t");
        }
    }
}
