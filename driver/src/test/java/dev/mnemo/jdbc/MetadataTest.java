package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.jdbc.MnemoMeta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DatabaseMetaData as SQL clients (DBeaver, BI tools) read it on connect: catalogs, schemas, tables, columns,
 * primary keys, indexes, foreign keys, types and the database's capabilities.
 */
class MetadataTest {
    private static final String URL = "jdbc:mnemo:mem:metadata;close-on-last=true";
    private static final int MAX = Integer.MAX_VALUE;

    private Connection c;
    private DatabaseMetaData md;
    private Mnemo db;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection(URL);
        md = c.getMetaData();
        db = MnemoMeta.sessionOf((AvaticaConnection) c).database();
        db.createTable(TableDef.builder("users").attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .attribute("email", AttrType.STRING).attribute("score", AttrType.DOUBLE)
                .attribute("price", AttrType.DECIMAL).attribute("active", AttrType.BOOLEAN)
                .attribute("photo", AttrType.BINARY).attribute("born", AttrType.DATE).attribute("wakes", AttrType.TIME)
                .attribute("seen", AttrType.DATETIME).attribute("at", AttrType.INSTANT)
                .attribute("extra", AttrType.ANY).index("email", "name")
                .userProperty("sql.indexes", Map.of("users_by_name", "name")).build());
        db.createTable(TableDef.builder("lines").attribute("$key", AttrType.TUPLE).attribute("qty", AttrType.INTEGER)
                .attribute("note", AttrType.STRING).type(TableType.ORDERED_SET)
                .userProperty("sql.columns", List.of("orderkey", "qty", "line", "note"))
                .userProperty("sql.key", List.of("orderkey", "line"))
                .userProperty("sql.key.types", List.of("INTEGER", "INTEGER"))
                .userProperty("sql.not_null", List.of("qty")).build());
        db.transaction(tx -> {
            for (long i = 1; i <= 3; i++) {
                tx.write(Tuple.of("users", i, "n" + i, "e" + i, null, null, null, null, null, null, null, null, null));
            }
            return null;
        });
    }

    @AfterEach
    void tearDown() throws SQLException {
        c.close();
    }

    /** The values of {@code columns}, read by name, one "a|b|c" string per row. */
    private static List<String> select(ResultSet rs, String... columns) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (String col : columns) {
                    sb.append(sb.isEmpty() ? "" : "|").append(rs.getObject(col));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static List<String> labels(ResultSet rs) throws SQLException {
        try (rs) {
            ResultSetMetaData m = rs.getMetaData();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= m.getColumnCount(); i++) {
                out.add(m.getColumnLabel(i));
            }
            return out;
        }
    }

    @Test
    void clientWalkOnConnect_describesTablesColumnsKeysIndexesAndTypes() throws SQLException {
        assertThat(select(md.getCatalogs(), "TABLE_CAT")).containsExactly("null");
        assertThat(select(md.getSchemas(), "TABLE_SCHEM", "TABLE_CATALOG")).containsExactly(
                "information_schema|null", "metadata|null", "mnemo|null");
        assertThat(select(md.getTableTypes(), "TABLE_TYPE")).containsExactly("SYSTEM TABLE", "TABLE", "VIEW");

        assertThat(select(md.getTables(null, "mnemo", "%", new String[] {"TABLE"}), "TABLE_CAT", "TABLE_SCHEM",
                "TABLE_NAME", "TABLE_TYPE", "REMARKS")).containsExactly(
                "null|mnemo|lines|TABLE|type=ordered_set storage=ram_copies",
                "null|mnemo|users|TABLE|type=set storage=ram_copies");
        assertThat(select(md.getTables(null, null, "%", null), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"))
                .as("ordered by TABLE_TYPE, TABLE_SCHEM, TABLE_NAME").containsExactly(
                        "information_schema|COLUMNS|SYSTEM TABLE", "information_schema|FOREIGN_KEYS|SYSTEM TABLE",
                        "information_schema|INDEXES|SYSTEM TABLE", "information_schema|KEY_COLUMN_USAGE|SYSTEM TABLE",
                        "information_schema|PRIMARY_KEYS|SYSTEM TABLE",
                        "information_schema|REFERENTIAL_CONSTRAINTS|SYSTEM TABLE",
                        "information_schema|SCHEMATA|SYSTEM TABLE", "information_schema|SYSTEM_INFO|SYSTEM TABLE",
                        "information_schema|TABLES|SYSTEM TABLE", "information_schema|TABLE_CONSTRAINTS|SYSTEM TABLE",
                        "information_schema|TABLE_SIZES|SYSTEM TABLE", "information_schema|VIEWS|SYSTEM TABLE",
                        "metadata|COLUMNS|SYSTEM TABLE", "metadata|TABLES|SYSTEM TABLE",
                        "mnemo|lines|TABLE", "mnemo|users|TABLE");

        String[] col = {"COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "NUM_PREC_RADIX",
                "NULLABLE", "IS_NULLABLE", "ORDINAL_POSITION", "IS_AUTOINCREMENT"};
        assertThat(select(md.getColumns(null, "mnemo", "users", "%"), col)).containsExactly(
                "id|" + Types.BIGINT + "|BIGINT|19|0|10|0|NO|1|NO",
                "name|" + Types.VARCHAR + "|VARCHAR|" + MAX + "|null|null|1|YES|2|NO",
                "email|" + Types.VARCHAR + "|VARCHAR|" + MAX + "|null|null|1|YES|3|NO",
                "score|" + Types.DOUBLE + "|DOUBLE|15|null|10|1|YES|4|NO",
                "price|" + Types.DECIMAL + "|DECIMAL|38|10|10|1|YES|5|NO",
                "active|" + Types.BOOLEAN + "|BOOLEAN|1|null|null|1|YES|6|NO",
                "photo|" + Types.VARBINARY + "|VARBINARY|" + MAX + "|null|null|1|YES|7|NO",
                "born|" + Types.DATE + "|DATE|10|null|null|1|YES|8|NO",
                "wakes|" + Types.TIME + "|TIME|8|0|null|1|YES|9|NO",
                "seen|" + Types.TIMESTAMP + "|TIMESTAMP|23|3|null|1|YES|10|NO",
                "at|" + Types.TIMESTAMP + "|TIMESTAMP WITH LOCAL TIME ZONE|23|3|null|1|YES|11|NO",
                "extra|" + Types.JAVA_OBJECT + "|ANY|null|null|null|1|YES|12|NO");
        assertThat(select(md.getColumns(null, "mnemo", "lines", "%"), "COLUMN_NAME", "TYPE_NAME", "NULLABLE",
                "IS_NULLABLE", "ORDINAL_POSITION")).containsExactly(
                "orderkey|BIGINT|0|NO|1", "qty|BIGINT|0|NO|2", "line|BIGINT|0|NO|3", "note|VARCHAR|1|YES|4");

        assertThat(labels(md.getPrimaryKeys(null, "mnemo", "users"))).containsExactly("TABLE_CAT", "TABLE_SCHEM",
                "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        assertThat(select(md.getPrimaryKeys(null, "mnemo", "users"), "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME",
                "KEY_SEQ", "PK_NAME")).containsExactly("mnemo|users|id|1|users_pk");
        assertThat(select(md.getPrimaryKeys(null, "mnemo", "lines"), "COLUMN_NAME", "KEY_SEQ", "PK_NAME"))
                .as("ordered by COLUMN_NAME; KEY_SEQ is the key order").containsExactly("line|2|lines_pk",
                        "orderkey|1|lines_pk");

        assertThat(labels(md.getIndexInfo(null, "mnemo", "users", false, true))).containsExactly("TABLE_CAT",
                "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME", "TYPE",
                "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY", "PAGES", "FILTER_CONDITION");
        String[] idx = {"TABLE_NAME", "NON_UNIQUE", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME",
                "ASC_OR_DESC", "CARDINALITY"};
        short other = DatabaseMetaData.tableIndexOther;
        assertThat(select(md.getIndexInfo(null, "mnemo", "users", false, true), idx)).containsExactly(
                "users|false|users_pk|" + other + "|1|id|null|3",
                "users|true|users_by_name|" + other + "|1|name|null|0",
                "users|true|users_email_idx|" + other + "|1|email|null|0");
        assertThat(select(md.getIndexInfo(null, "mnemo", "lines", false, true), idx)).containsExactly(
                "lines|false|lines_pk|" + other + "|1|orderkey|A|0",
                "lines|false|lines_pk|" + other + "|2|line|A|0");

        List<String> fkColumns = List.of("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME",
                "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE",
                "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY"); // as JDBC spells it (Avatica: DEFERABILITY)
        assertThat(labels(md.getImportedKeys(null, "mnemo", "lines"))).isEqualTo(fkColumns);
        assertThat(labels(md.getExportedKeys(null, "mnemo", "users"))).isEqualTo(fkColumns);
        assertThat(select(md.getImportedKeys(null, "mnemo", "lines"), "FK_NAME")).isEmpty();
        assertThat(select(md.getExportedKeys(null, "mnemo", "users"), "FK_NAME")).isEmpty();

        assertThat(labels(md.getTypeInfo())).containsExactly("TYPE_NAME", "DATA_TYPE", "PRECISION",
                "LITERAL_PREFIX", "LITERAL_SUFFIX", "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE",
                "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE", "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE",
                "MAXIMUM_SCALE", "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "NUM_PREC_RADIX");
        short basic = DatabaseMetaData.typePredBasic;
        short all = DatabaseMetaData.typeSearchable;
        assertThat(select(md.getTypeInfo(), "TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX",
                "LITERAL_SUFFIX", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE", "MINIMUM_SCALE", "MAXIMUM_SCALE",
                "NUM_PREC_RADIX")).as("ordered by DATA_TYPE").containsExactly(
                "TINYINT|" + Types.TINYINT + "|3|null|null|1|false|" + basic + "|0|0|10",
                "BIGINT|" + Types.BIGINT + "|19|null|null|1|false|" + basic + "|0|0|10",
                "VARBINARY|" + Types.VARBINARY + "|" + MAX + "|X'|'|1|false|" + basic + "|null|null|null",
                "BINARY|" + Types.BINARY + "|" + MAX + "|X'|'|1|false|" + basic + "|null|null|null",
                "CHAR|" + Types.CHAR + "|" + MAX + "|'|'|1|true|" + all + "|null|null|null",
                "DECIMAL|" + Types.DECIMAL + "|38|null|null|1|false|" + basic + "|0|38|10",
                "INTEGER|" + Types.INTEGER + "|10|null|null|1|false|" + basic + "|0|0|10",
                "SMALLINT|" + Types.SMALLINT + "|5|null|null|1|false|" + basic + "|0|0|10",
                "REAL|" + Types.REAL + "|7|null|null|1|false|" + basic + "|null|null|10",
                "DOUBLE|" + Types.DOUBLE + "|15|null|null|1|false|" + basic + "|null|null|10",
                "VARCHAR|" + Types.VARCHAR + "|" + MAX + "|'|'|1|true|" + all + "|null|null|null",
                "BOOLEAN|" + Types.BOOLEAN + "|1|null|null|1|false|" + basic + "|null|null|null",
                "DATE|" + Types.DATE + "|10|DATE '|'|1|false|" + basic + "|0|0|null",
                "TIME|" + Types.TIME + "|12|TIME '|'|1|false|" + basic + "|0|3|null",
                "TIMESTAMP|" + Types.TIMESTAMP + "|23|TIMESTAMP '|'|1|false|" + basic + "|0|3|null",
                "TIMESTAMP WITH LOCAL TIME ZONE|" + Types.TIMESTAMP + "|23|TIMESTAMP WITH LOCAL TIME ZONE '|'|1|false|"
                        + basic + "|0|3|null",
                "ANY|" + Types.JAVA_OBJECT + "|null|null|null|1|false|" + basic + "|null|null|null");
        assertThat(select(md.getTypeInfo(), "TYPE_NAME")).as("every column type is a listed type")
                .containsAll(select(md.getColumns(null, "mnemo", "%", "%"), "TYPE_NAME"));
    }

    @Test
    void ddlTables_areDescribedAsDeclared() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table lineitem (l_orderkey bigint, l_linenumber int, l_quantity decimal(15,2) not null, "
                    + "l_shipdate date, primary key (l_orderkey, l_linenumber)) with (type = ordered_set)");
            s.execute("create index lineitem_shipdate on lineitem (l_shipdate)");
        }
        assertThat(select(md.getTables(null, "mnemo", "lineitem", new String[] {"TABLE"}), "TABLE_NAME", "REMARKS"))
                .containsExactly("lineitem|type=ordered_set storage=ram_copies");
        assertThat(select(md.getColumns(null, "mnemo", "lineitem", "%"), "COLUMN_NAME", "TYPE_NAME", "NULLABLE",
                "ORDINAL_POSITION")).containsExactly("l_orderkey|BIGINT|0|1", "l_linenumber|INTEGER|0|2",
                "l_quantity|DECIMAL|0|3", "l_shipdate|DATE|1|4");
        assertThat(select(md.getPrimaryKeys(null, "mnemo", "lineitem"), "COLUMN_NAME", "KEY_SEQ", "PK_NAME"))
                .containsExactly("l_linenumber|2|lineitem_pk", "l_orderkey|1|lineitem_pk");
        assertThat(select(md.getIndexInfo(null, "mnemo", "lineitem", false, false), "NON_UNIQUE", "INDEX_NAME",
                "ORDINAL_POSITION", "COLUMN_NAME")).containsExactly("false|lineitem_pk|1|l_orderkey",
                "false|lineitem_pk|2|l_linenumber", "true|lineitem_shipdate|1|l_shipdate");
        try (Statement s = c.createStatement()) {
            s.execute("create table narrow (a tinyint primary key, b smallint, c real, d char(3), e binary(4))");
        }
        assertThat(select(md.getTypeInfo(), "TYPE_NAME")).as("every declared column type is a listed type")
                .containsAll(select(md.getColumns(null, "mnemo", "%", "%"), "TYPE_NAME"))
                .contains("INTEGER", "TINYINT", "SMALLINT", "REAL", "CHAR", "BINARY");
    }

    /**
     * getColumns and information_schema report each column's type as its DDL declared it (DATA_TYPE, TYPE_NAME,
     * COLUMN_SIZE, DECIMAL_DIGITS); ResultSetMetaData reports the declared length of a string or binary column,
     * and keeps the types queries compute with (BIGINT for the narrower integers, whose values are Longs).
     */
    @Test
    void declaredTypes_areReportedAsDeclared() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table typed (id int primary key, sm smallint, ti tinyint, v varchar(100), ch char(3), "
                    + "vb varbinary(16), bn binary(4), d decimal(10,2), r real, tx text)");
            assertThat(select(md.getColumns(null, "mnemo", "typed", "%"), "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME",
                    "COLUMN_SIZE", "DECIMAL_DIGITS")).containsExactly("id|4|INTEGER|10|0", "sm|5|SMALLINT|5|0",
                    "ti|-6|TINYINT|3|0", "v|12|VARCHAR|100|null", "ch|1|CHAR|3|null", "vb|-3|VARBINARY|16|null",
                    "bn|-2|BINARY|4|null", "d|3|DECIMAL|10|2", "r|7|REAL|7|null", "tx|12|VARCHAR|2147483647|null");
            assertThat(select(s.executeQuery("select column_name, data_type, character_maximum_length from "
                    + "information_schema.columns where table_name = 'typed' and column_name in ('id', 'ch')"),
                    "COLUMN_NAME", "DATA_TYPE", "CHARACTER_MAXIMUM_LENGTH")).containsExactlyInAnyOrder(
                    "id|INTEGER|null", "ch|CHAR|3");
            try (ResultSet rs = s.executeQuery("select v, ch, vb, d, id, tx, upper(v) from typed")) {
                java.sql.ResultSetMetaData m = rs.getMetaData();
                assertThat(List.of(m.getPrecision(1), m.getPrecision(2), m.getPrecision(3), m.getPrecision(4),
                        m.getScale(4))).containsExactly(100, 3, 16, 10, 2);
                assertThat(m.getColumnDisplaySize(1)).isEqualTo(100);
                assertThat(m.getColumnTypeName(5)).isEqualTo("INTEGER");
                assertThat(m.getPrecision(6)).as("unbounded").isEqualTo(Integer.MAX_VALUE);
                assertThat(m.getPrecision(7)).as("an expression has no declared length").isEqualTo(Integer.MAX_VALUE);
            }
        }
    }

    /**
     * Result set metadata reports a column read from a table as its DDL declared it (type, name, precision, scale,
     * display size, nullability, Java class) and getObject gives that class; an expression over it reports the type
     * Calcite computes. Dates and times report the length of their text as precision and their fraction digits as
     * scale, as JDBC defines them, in getColumns and in result metadata alike.
     */
    /**
     * The first row of {@code rs}, a column a line: label, type, type name, precision, scale, display size,
     * nullability, class name, the class and text of its value (each value also read by label).
     */
    private static List<String> described(ResultSet rs) throws SQLException {
        java.sql.ResultSetMetaData m = rs.getMetaData();
        assertThat(rs.next()).isTrue();
        List<String> got = new java.util.ArrayList<>();
        for (int i = 1; i <= m.getColumnCount(); i++) {
            Object o = rs.getObject(i);
            assertThat(rs.getObject(m.getColumnLabel(i))).as("by label").isEqualTo(o);
            assertThat(rs.getString(m.getColumnLabel(i))).as("by label").isEqualTo(rs.getString(i));
            got.add(String.join("|", m.getColumnLabel(i), "" + m.getColumnType(i), m.getColumnTypeName(i),
                    "" + m.getPrecision(i), "" + m.getScale(i), "" + m.getColumnDisplaySize(i),
                    "" + m.isNullable(i), m.getColumnClassName(i), o.getClass().getSimpleName(), rs.getString(i)));
        }
        return got;
    }

    @Test
    void declaredTypes_roundTripThroughResultSetMetaData_andGetObject() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table rt (id int primary key, sm smallint not null, ti tinyint, bi bigint, "
                    + "v varchar(10), ch char(4), d decimal(7,3), r real, f double, b boolean, vb varbinary(8), "
                    + "dt date, tm time, ts0 timestamp(0), ts timestamp(3), tsd timestamp, bn binary(2))");
            s.execute("insert into rt values (7, -3, 5, 9000000000, 'abc', 'xy', 1234.5, 0.5, 0.25, true, x'0a0b', "
                    + "date '2024-02-29', time '23:59:59', timestamp '2024-02-29 23:59:59.987', "
                    + "timestamp '2024-02-29 23:59:59.987', timestamp '2024-02-29 23:59:59.987', x'0c')");
            List<String> expected = List.of(
                    "id|4|INTEGER|10|0|11|0|java.lang.Integer|Integer|7",
                    "sm|5|SMALLINT|5|0|6|0|java.lang.Short|Short|-3",
                    "ti|-6|TINYINT|3|0|4|1|java.lang.Byte|Byte|5",
                    "bi|-5|BIGINT|19|0|19|1|java.lang.Long|Long|9000000000",
                    "v|12|VARCHAR|10|0|10|1|java.lang.String|String|abc",
                    "ch|1|CHAR|4|0|4|1|java.lang.String|String|xy",
                    "d|3|DECIMAL|7|3|7|1|java.math.BigDecimal|BigDecimal|1234.500",
                    "r|7|REAL|7|0|15|1|java.lang.Float|Float|0.5",
                    "f|8|DOUBLE|15|0|15|1|java.lang.Double|Double|0.25",
                    "b|16|BOOLEAN|1|0|1|1|java.lang.Boolean|Boolean|true",
                    "vb|-3|VARBINARY|8|0|8|1|[B|byte[]|0a0b",
                    "dt|91|DATE|10|0|10|1|java.sql.Date|Date|2024-02-29",
                    "tm|92|TIME|8|0|8|1|java.sql.Time|Time|23:59:59",
                    "ts0|93|TIMESTAMP|19|0|19|1|java.sql.Timestamp|Timestamp|2024-02-29 23:59:59",
                    "ts|93|TIMESTAMP|23|3|23|1|java.sql.Timestamp|Timestamp|2024-02-29 23:59:59.987",
                    "tsd|93|TIMESTAMP|23|3|23|1|java.sql.Timestamp|Timestamp|2024-02-29 23:59:59.987",
                    "bn|-2|BINARY|2|0|2|1|[B|byte[]|0c");
            try (ResultSet rs = s.executeQuery("select * from rt")) {
                java.sql.ResultSetMetaData m = rs.getMetaData();
                assertThat(described(rs)).containsExactlyElementsOf(expected);
                assertThatThrownBy(() -> m.getPrecision(18)).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("07009"));
            }
            // read through a view or a subquery, the columns are still the declared ones
            s.execute("create view rt_view as select * from rt");
            for (String through : List.of("select * from rt_view", "select * from (select * from rt) x")) {
                try (ResultSet rs = s.executeQuery(through)) {
                    assertThat(described(rs)).as(through).containsExactlyElementsOf(expected);
                }
            }
            // computed, or from a UNION (a branch may give a value the declared type cannot hold): Calcite's type
            try (ResultSet rs = s.executeQuery("select id + 1, id, v from rt union all select sm, 9999999999, "
                    + "'longer than ten' from rt")) {
                assertThat(List.of(rs.getMetaData().getColumnTypeName(1), rs.getMetaData().getColumnTypeName(2)))
                        .containsExactly("BIGINT", "BIGINT");
                assertThat(rs.getMetaData().getPrecision(3)).isNotEqualTo(10);
                List<Object> second = new java.util.ArrayList<>();
                while (rs.next()) {
                    if (rs.getLong(2) == 9999999999L) {
                        second.add(rs.getObject(2));
                        second.add(rs.getString(3));
                    }
                }
                assertThat(second).containsExactly(9999999999L, "longer than ten");
            }
            // the numeric getters of columns reported narrower than the engine's values, and SQL NULL
            s.execute("insert into rt (id, sm, r) values (8, 1, 0.1)");
            try (ResultSet rs = s.executeQuery("select id, sm, ti, r, ch from rt where id = 8")) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getInt(1), rs.getLong(1), rs.getShort(2), rs.getByte(2))).containsExactly(8, 8L,
                        (short) 1, (byte) 1);
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("8");
                assertThat(rs.getFloat(4)).isEqualTo(0.1f);
                assertThat(rs.getBigDecimal(4)).as("a REAL's decimal is its text's").isEqualTo(new BigDecimal("0.1"));
                assertThat(rs.getByte(3)).isZero();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getObject(3)).isNull();
                assertThat(rs.getString(5)).isNull();
                assertThat(rs.wasNull()).isTrue();
            }
            // a CHAR read from a row finds that row again
            String ch;
            try (ResultSet rs = s.executeQuery("select ch from rt where id = 7")) {
                assertThat(rs.next()).isTrue();
                ch = rs.getString(1);
            }
            try (java.sql.PreparedStatement p = c.prepareStatement("update rt set v = 'found' where ch = ?")) {
                p.setString(1, ch);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            // a value the engine API wrote beyond the declared width: an integer getter refuses it (22003)
            db.dirtyWrite(Tuple.of("rt", 9L, 70_000L, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null));
            try (ResultSet rs = s.executeQuery("select sm from rt where id = 9")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(70_000L);
                assertThatThrownBy(() -> rs.getShort(1)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("22003"));
                assertThatThrownBy(() -> rs.getObject(1)).isInstanceOf(SQLException.class);
            }
            assertThat(select(md.getColumns(null, "mnemo", "rt", "t%"), "COLUMN_NAME", "DATA_TYPE", "COLUMN_SIZE",
                    "DECIMAL_DIGITS")).containsExactly("ti|-6|3|0", "tm|92|8|0", "ts0|93|19|0", "ts|93|23|3",
                    "tsd|93|23|3");
            try (ResultSet rs = s.executeQuery("select id + 1, sm * 2, ch || '|', r * 2, cast(id as smallint) from rt")) {
                java.sql.ResultSetMetaData m = rs.getMetaData();
                assertThat(rs.next()).isTrue();
                assertThat(List.of(m.getColumnTypeName(1), m.getColumnTypeName(2), m.getColumnTypeName(3),
                        m.getColumnTypeName(4), m.getColumnTypeName(5)))
                        .as("expressions report Calcite's types").containsExactly("BIGINT", "BIGINT", "VARCHAR",
                                "DOUBLE", "SMALLINT");
                assertThat(rs.getObject(3)).as("CHAR padding is of the column, not of the text computed")
                        .isEqualTo("xy|");
                assertThat(rs.getObject(5)).isEqualTo((short) 7);
            }
        }
    }

    @Test
    void metadata_followsSchemaChangesMadeAfterItWasFirstRead() throws SQLException {
        assertThat(select(md.getTables(null, "mnemo", "%", null), "TABLE_NAME")).containsExactly("lines", "users");
        try (Statement s = c.createStatement()) {
            s.execute("create table later (id bigint primary key, v varchar)");
            s.execute("create index later_v on later (v)");
            assertThat(select(md.getTables(null, "mnemo", "%", null), "TABLE_NAME"))
                    .containsExactly("later", "lines", "users");
            assertThat(select(md.getColumns(null, "mnemo", "later", "%"), "COLUMN_NAME")).containsExactly("id", "v");
            assertThat(select(md.getIndexInfo(null, "mnemo", "later", false, false), "INDEX_NAME"))
                    .containsExactly("later_pk", "later_v");
            s.execute("drop index later_v");
            assertThat(select(md.getIndexInfo(null, "mnemo", "later", false, false), "INDEX_NAME"))
                    .containsExactly("later_pk");
            s.execute("drop table later");
        }
        assertThat(select(md.getTables(null, "mnemo", "%", null), "TABLE_NAME")).containsExactly("lines", "users");
        assertThat(select(md.getPrimaryKeys(null, "mnemo", "later"), "COLUMN_NAME")).isEmpty();
    }

    @Test
    void internalTables_areNeitherListedNorOpenedBySql() throws SQLException {
        db.createTable(TableDef.builder("counters").attributes("name", "last")
                .userProperty(TableDef.HIDDEN, true).build());
        db.dirtyWrite(Tuple.of("counters", "users", 7L));
        assertThat(select(md.getTables(null, "mnemo", "%", null), "TABLE_NAME")).containsExactly("lines", "users");
        assertThat(select(md.getColumns(null, "mnemo", "counters", null), "COLUMN_NAME")).isEmpty();
        try (Statement s = c.createStatement()) {
            for (String sql : List.of("select * from counters", "delete from counters", "drop table counters",
                    "truncate table counters", "create index counters_last on counters (last)")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isEqualTo("42S02"));
            }
        }
        assertThat(db.dirtyRead("counters", "users")).containsExactly(Tuple.of("counters", "users", 7L));
    }

    @Test
    void indexInfo_uniqueOnly_listsOnlyThePrimaryKey() throws SQLException {
        assertThat(select(md.getIndexInfo(null, "mnemo", "users", true, false), "INDEX_NAME", "COLUMN_NAME"))
                .containsExactly("users_pk|id");
    }

    @Test
    void bagTable_hasNoPrimaryKey_andItsKeyIsANonUniqueIndex() throws SQLException {
        db.createTable(TableDef.builder("events").attribute("kind", AttrType.STRING).attribute("at", AttrType.INSTANT)
                .type(TableType.BAG).build());
        assertThat(select(md.getPrimaryKeys(null, "mnemo", "events"), "COLUMN_NAME")).isEmpty();
        assertThat(select(md.getIndexInfo(null, "mnemo", "events", false, true), "NON_UNIQUE", "INDEX_NAME",
                "COLUMN_NAME")).containsExactly("true|events_key|kind");
        assertThat(select(md.getIndexInfo(null, "mnemo", "events", true, true), "INDEX_NAME")).isEmpty();
        assertThat(select(md.getTables(null, "mnemo", "events", null), "REMARKS"))
                .containsExactly("type=bag storage=ram_copies");
    }

    @Test
    void keyLookups_matchExactNames_inAnyOrTheGivenSchema_withoutCatalog() throws SQLException {
        assertThat(select(md.getPrimaryKeys(null, null, "users"), "COLUMN_NAME")).containsExactly("id");
        assertThat(select(md.getPrimaryKeys("", "mnemo", "users"), "COLUMN_NAME")).containsExactly("id");
        assertThat(select(md.getPrimaryKeys("cat", "mnemo", "users"), "COLUMN_NAME")).isEmpty();
        assertThat(select(md.getPrimaryKeys(null, "metadata", "users"), "COLUMN_NAME")).isEmpty();
        assertThat(select(md.getPrimaryKeys(null, "mnemo", "USERS"), "COLUMN_NAME")).isEmpty();
        assertThat(select(md.getPrimaryKeys(null, "mnemo", "u%"), "COLUMN_NAME")).as("not a pattern").isEmpty();
        assertThat(select(md.getPrimaryKeys(null, "metadata", "TABLES"), "COLUMN_NAME")).isEmpty();
        assertThat(select(md.getIndexInfo(null, "metadata", "TABLES", false, true), "INDEX_NAME")).isEmpty();
    }

    @Test
    void productDriverAndQuoting_areMnemos() throws SQLException {
        assertThat(md.getDatabaseProductName()).isEqualTo("Mnemo");
        assertThat(md.getDatabaseProductVersion()).isEqualTo("0.1.0").isEqualTo(db.systemInfo().version());
        assertThat(md.getDatabaseMajorVersion()).isZero();
        assertThat(md.getDatabaseMinorVersion()).isEqualTo(1);
        assertThat(md.getDriverName()).isEqualTo("Mnemo JDBC Driver");
        assertThat(md.getDriverVersion()).isEqualTo("0.1.0");
        assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
        assertThat(md.getURL()).isEqualTo(URL);
    }

    @Test
    void isReadOnly_onlyForReadOnlyConnections() throws SQLException {
        assertThat(md.isReadOnly()).isFalse();
        try (Connection ro = DriverManager.getConnection(URL + ";read-only=true")) {
            assertThat(ro.getMetaData().isReadOnly()).isTrue();
            assertThat(ro.isReadOnly()).isTrue();
        }
    }

    @Test
    void transactions_areSupported_allSerializable_weakerLevelsGiven() throws SQLException {
        assertThat(md.supportsTransactions()).isTrue();
        assertThat(md.supportsMultipleTransactions()).isTrue();
        assertThat(md.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE)).isTrue();
        for (int level : new int[] {Connection.TRANSACTION_READ_UNCOMMITTED, Connection.TRANSACTION_READ_COMMITTED,
                Connection.TRANSACTION_REPEATABLE_READ}) {
            assertThat(md.supportsTransactionIsolationLevel(level)).as("level %d, given as SERIALIZABLE", level)
                    .isTrue();
        }
        assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_NONE)).isFalse();
    }
}
