package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@code DatabaseMetaData.supports…} answer matches what the driver does. Each no-argument method has a probe
 * that exercises the feature and throws if it is not there: a method answering true must have one, and it must pass;
 * where a method answering false has one, it must fail. A new supports method without a probe fails the test. The
 * methods taking arguments (isolation levels, result set types, concurrencies, holdabilities, conversions) are
 * checked for every argument value.
 */
class DatabaseMetaDataClaimsTest {
    private static final AtomicInteger N = new AtomicInteger();
    private String url;
    private Connection c;
    private Statement s;
    private DatabaseMetaData md;

    /** Exercises a feature; throws if it is not there. */
    private interface Probe {
        void run() throws Exception;
    }

    @BeforeEach
    void open() throws SQLException {
        url = "jdbc:mnemo:mem:claims" + N.incrementAndGet() + ";close-on-last=true";
        c = DriverManager.getConnection(url);
        s = c.createStatement();
        md = c.getMetaData();
        s.execute("create table t (id int primary key, a int, b varchar)");
        s.execute("create table u (id int primary key, t_id int)");
        s.executeUpdate("insert into t values (1, 10, 'x%'), (2, 20, 'y'), (3, 20, null)");
        s.executeUpdate("insert into u values (1, 1), (2, 9)");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private List<String> q(String sql) throws SQLException {
        return rows(s.executeQuery(sql));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    private Map<String, Probe> probes() {
        Map<String, Probe> p = new TreeMap<>();
        p.put("supportsAlterTableWithAddColumn", () -> {
            s.execute("alter table u add column extra int default 7");
            check(q("select extra from u where id = 1").equals(List.of("7")), "added column");
        });
        p.put("supportsAlterTableWithDropColumn", () -> {
            s.execute("alter table t drop column b");
            check(!md.getColumns(null, "mnemo", "t", "b").next(), "dropped column");
        });
        p.put("supportsANSI92EntryLevelSQL", () -> {
            q("select a, count(*) from t where b is not null group by a having count(*) > 0 order by a");
            q("select id from t union select id from u");
            q("select id from t where id in (select t_id from u)");
            s.executeUpdate("update t set a = a + 1 where id = 1");
            s.executeUpdate("delete from u where id = 2");
        });
        p.put("supportsANSI92IntermediateSQL", () -> s.execute("create domain money as decimal(10,2)"));
        p.put("supportsANSI92FullSQL", () -> s.execute("create assertion positive check (1 = 1)"));
        p.put("supportsBatchUpdates", () -> {
            s.addBatch("insert into u values (10, 1)");
            s.addBatch("insert into u values (11, 1)");
            check(s.executeBatch().length == 2, "batch");
            try (PreparedStatement ps = c.prepareStatement("insert into u values (?, 1)")) {
                ps.setInt(1, 12);
                ps.addBatch();
                ps.setInt(1, 13);
                ps.addBatch();
                check(ps.executeBatch().length == 2, "prepared batch");
            }
            check(q("select count(*) from u").equals(List.of("6")), "batch rows");
        });
        for (String where : List.of("DataManipulation", "IndexDefinitions", "PrivilegeDefinitions", "ProcedureCalls",
                "TableDefinitions")) {
            p.put("supportsCatalogsIn" + where, () -> q("select * from somecatalog.mnemo.t"));
        }
        p.put("supportsColumnAliasing", () -> check(s.executeQuery("select a as alias from t").getMetaData()
                .getColumnLabel(1).equals("alias"), "alias"));
        p.put("supportsConvert", () -> check(q("select {fn CONVERT(a, SQL_VARCHAR)} from t where id = 1")
                .equals(List.of("10")), "CONVERT"));
        p.put("supportsCoreSQLGrammar", () -> {
            s.execute("create table core (k int primary key, v varchar)");
            s.executeUpdate("insert into core values (1, 'a')");
            check(q("select v from core where k = 1 order by v").equals(List.of("a")), "core grammar");
            s.execute("create index core_v on core (v)");
            s.execute("drop table core");
        });
        p.put("supportsMinimumSQLGrammar", p.get("supportsCoreSQLGrammar"));
        p.put("supportsExtendedSQLGrammar", () -> q("select id from t for update"));
        p.put("supportsCorrelatedSubqueries", () -> check(q("select id, (select count(*) from u where u.t_id = t.id) "
                + "from t order by id").equals(List.of("1|1", "2|0", "3|0")), "correlated"));
        p.put("supportsDataDefinitionAndDataManipulationTransactions", () -> {
            c.setAutoCommit(false);
            s.executeUpdate("insert into u values (50, 1)");
            s.execute("create table ddl_in_tx (k int primary key, v int)");
            c.rollback();
            c.setAutoCommit(true);
            check(q("select count(*) from u where id = 50").equals(List.of("0")), "DDL committed the open DML");
        });
        p.put("supportsDataManipulationTransactionsOnly", () -> {
            c.setAutoCommit(false);
            s.executeUpdate("insert into u values (51, 1)");
            c.rollback();
            c.setAutoCommit(true);
            check(q("select count(*) from u where id = 51").equals(List.of("0")), "rolled back");
        });
        p.put("supportsDifferentTableCorrelationNames", () -> {
            boolean sameNameAllowed = q("select t.id from t t where t.id = 1").size() == 1;
            check(!sameNameAllowed, "a correlation name may equal its table's name: not restricted");
        });
        p.put("supportsExpressionsInOrderBy", () -> check(q("select id from t order by a * -1, id")
                .equals(List.of("2", "3", "1")), "order by expression"));
        p.put("supportsFullOuterJoins", () -> check(q("select t.id, u.id from t full join u on t.id = u.t_id "
                + "order by t.id nulls first, u.id").equals(List.of("null|2", "1|1", "2|null", "3|null")), "full"));
        p.put("supportsLimitedOuterJoins", () -> check(q("select t.id, u.id from t left join u on t.id = u.t_id "
                + "order by t.id").size() == 3, "left"));
        p.put("supportsOuterJoins", p.get("supportsFullOuterJoins"));
        p.put("supportsGetGeneratedKeys", () -> {
            s.execute("create table gk (id bigint generated by default as identity primary key, v int)");
            s.executeUpdate("insert into gk (v) values (1)", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet k = s.getGeneratedKeys()) {
                check(k.next() && k.getLong(1) == 1, "generated key");
            }
        });
        p.put("supportsGroupBy", () -> check(q("select a, count(*) from t group by a order by a")
                .equals(List.of("10|1", "20|2")), "group by"));
        p.put("supportsGroupByBeyondSelect", () -> check(q("select count(*) from t group by a, b order by 1")
                .size() == 3, "group by columns not selected"));
        p.put("supportsGroupByUnrelated", p.get("supportsGroupByBeyondSelect"));
        p.put("supportsIntegrityEnhancementFacility", () -> s.execute("create table chk (k int primary key, "
                + "v int check (v > 0))"));
        p.put("supportsLikeEscapeClause", () -> check(q("select id from t where b like 'x!%' escape '!'")
                .equals(List.of("1")), "escape"));
        p.put("supportsMixedCaseIdentifiers", () -> {
            s.execute("create table CaseT (k int primary key, v int)");
            check(s.executeQuery("select * from caset") == null, "unquoted identifiers are not case-sensitive");
        });
        p.put("supportsMixedCaseQuotedIdentifiers", () -> {
            s.execute("create table \"QuotedT\" (k int primary key, v int)");
            check(s.executeQuery("select * from \"quotedt\"") == null, "quoted identifiers are not case-sensitive");
        });
        p.put("supportsMultipleResultSets", () -> check(s.execute("select 1 from t; select 2 from t")
                && s.getMoreResults(), "two result sets"));
        p.put("supportsMultipleOpenResults", p.get("supportsMultipleResultSets"));
        p.put("supportsMultipleTransactions", () -> {
            try (Connection other = DriverManager.getConnection(url)) {
                c.setAutoCommit(false);
                other.setAutoCommit(false);
                s.executeUpdate("insert into u values (60, 1)");
                other.createStatement().executeUpdate("insert into u values (61, 1)");
                other.commit();
                c.commit();
                c.setAutoCommit(true);
            }
            check(q("select count(*) from u where id >= 60").equals(List.of("2")), "two transactions");
        });
        p.put("supportsNamedParameters", () -> c.prepareCall("{call p(?)}"));
        p.put("supportsNonNullableColumns", () -> {
            s.execute("create table nn (k int primary key, v int not null)");
            try {
                s.executeUpdate("insert into nn values (1, null)");
                check(false, "null accepted");
            } catch (SQLException e) {
                check("23502".equals(e.getSQLState()), "NOT NULL: " + e.getSQLState());
            }
        });
        p.put("supportsOpenCursorsAcrossCommit", () -> openCursorAcross(true));
        p.put("supportsOpenCursorsAcrossRollback", () -> openCursorAcross(false));
        p.put("supportsOpenStatementsAcrossCommit", () -> statementAcross(true));
        p.put("supportsOpenStatementsAcrossRollback", () -> statementAcross(false));
        p.put("supportsOrderByUnrelated", () -> check(q("select id from t order by a desc, id")
                .equals(List.of("2", "3", "1")), "order by a column not selected"));
        p.put("supportsPositionedDelete", () -> s.executeUpdate("delete from t where current of c1"));
        p.put("supportsPositionedUpdate", () -> s.executeUpdate("update t set a = 1 where current of c1"));
        p.put("supportsRefCursors", () -> c.prepareCall("{? = call cursor_of()}"));
        p.put("supportsSavepoints", () -> {
            c.setAutoCommit(false);
            s.executeUpdate("insert into u values (70, 1)");
            java.sql.Savepoint sp = c.setSavepoint();
            s.executeUpdate("insert into u values (71, 1)");
            c.rollback(sp);
            c.commit();
            c.setAutoCommit(true);
            check(q("select id from u where id >= 70").equals(List.of("70")), "savepoint");
        });
        p.put("supportsSchemasInDataManipulation", () -> {
            s.executeUpdate("insert into mnemo.u values (80, 1)");
            check(q("select count(*) from mnemo.u where id = 80").equals(List.of("1")), "schema in DML");
        });
        p.put("supportsSchemasInIndexDefinitions", () -> {
            s.execute("create index u_t_id on mnemo.u (t_id)");
            s.execute("drop index u_t_id on mnemo.u");
        });
        p.put("supportsSchemasInTableDefinitions", () -> {
            s.execute("create table mnemo.qualified (k int primary key, v int)");
            s.execute("drop table mnemo.qualified");
        });
        p.put("supportsSchemasInPrivilegeDefinitions", () -> s.execute("grant select on mnemo.t to someone"));
        p.put("supportsSchemasInProcedureCalls", () -> c.prepareCall("{call mnemo.p()}"));
        p.put("supportsSelectForUpdate", p.get("supportsExtendedSQLGrammar"));
        p.put("supportsSharding", () -> c.setShardingKey(null));
        p.put("supportsStatementPooling", () -> {
            throw new UnsupportedOperationException("no statement pool: every prepareStatement prepares anew");
        });
        p.put("supportsStoredFunctionsUsingCallSyntax", () -> c.prepareCall("{? = call f()}"));
        p.put("supportsStoredProcedures", () -> c.prepareCall("{call p()}"));
        p.put("supportsSubqueriesInComparisons", () -> check(q("select id from t where a = (select max(a) from t) "
                + "order by id").equals(List.of("2", "3")), "comparison"));
        p.put("supportsSubqueriesInExists", () -> check(q("select id from t where exists (select 1 from u where "
                + "u.t_id = t.id)").equals(List.of("1")), "exists"));
        p.put("supportsSubqueriesInIns", () -> check(q("select id from t where id in (select t_id from u)")
                .equals(List.of("1")), "in"));
        p.put("supportsSubqueriesInQuantifieds", () -> check(q("select id from t where a > all (select a from t "
                + "where id = 1) order by id").equals(List.of("2", "3")), "quantified"));
        p.put("supportsTableCorrelationNames", () -> check(q("select x.id from t x where x.id = 2")
                .equals(List.of("2")), "correlation name"));
        p.put("supportsTransactions", p.get("supportsDataManipulationTransactionsOnly"));
        p.put("supportsUnion", () -> check(q("select a from t union select a from t order by 1")
                .equals(List.of("10", "20")), "union"));
        p.put("supportsUnionAll", () -> check(q("select a from t union all select a from t").size() == 6,
                "union all"));
        return p;
    }

    /** A result set opened in a transaction is still read to its end after commit (or rollback). */
    private void openCursorAcross(boolean commit) throws SQLException {
        for (int i = 100; i < 300; i++) {
            s.executeUpdate("insert into u values (" + i + ", 0)");
        }
        c.setAutoCommit(false);
        ResultSet rs = c.createStatement().executeQuery("select id from u where id >= 100 order by id");
        check(rs.next(), "first row");
        if (commit) {
            c.commit();
        } else {
            c.rollback();
        }
        int n = 1;
        while (rs.next()) {
            n++;
        }
        c.setAutoCommit(true);
        check(n == 200, "read " + n + " rows across the end of the transaction");
    }

    /** A prepared statement runs again after commit (or rollback). */
    private void statementAcross(boolean commit) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("select count(*) from t where a = ?")) {
            ps.setInt(1, 20);
            check(rows(ps.executeQuery()).equals(List.of("2")), "before");
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            check(rows(ps.executeQuery()).equals(List.of("2")), "after");
        }
        c.setAutoCommit(true);
    }

    @Test
    void everySupportsAnswer_matchesWhatTheDriverDoes() throws Exception {
        Map<String, Probe> probes = probes();
        List<String> wrong = new ArrayList<>();
        List<String> unprobed = new ArrayList<>();
        int exercised = 0;
        for (Method m : DatabaseMetaData.class.getMethods()) {
            if (!m.getName().startsWith("supports") || m.getParameterCount() != 0) {
                continue;
            }
            boolean claimed = (Boolean) m.invoke(md);
            Probe probe = probes.get(m.getName());
            if (probe == null) {
                unprobed.add(m.getName() + "=" + claimed);
                continue;
            }
            String failure = null;
            c.close();
            open(); // each probe on a fresh database
            try {
                probe.run();
            } catch (Exception e) {
                failure = e.toString();
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
            exercised++;
            if (claimed != (failure == null)) {
                wrong.add(m.getName() + " answers " + claimed + " but the probe " + (failure == null ? "passed"
                        : "failed: " + failure));
            }
        }
        assertThat(unprobed).as("supports methods without a probe").isEmpty();
        assertThat(wrong).as("answers that do not match behaviour").isEmpty();
        assertThat(exercised).isGreaterThan(60);
    }

    @Test
    void resultSetTypesConcurrenciesAndHoldabilities_areWhatStatementsGive() throws SQLException {
        int[] types = {ResultSet.TYPE_FORWARD_ONLY, ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.TYPE_SCROLL_SENSITIVE};
        int[] concurrencies = {ResultSet.CONCUR_READ_ONLY, ResultSet.CONCUR_UPDATABLE};
        for (int type : types) {
            for (int concurrency : concurrencies) {
                c.clearWarnings();
                try (Statement st = c.createStatement(type, concurrency); ResultSet rs = st.executeQuery("select id from t")) {
                    boolean honoured = rs.getType() == type && rs.getConcurrency() == concurrency;
                    assertThat(md.supportsResultSetConcurrency(type, concurrency)).as("type %d, concurrency %d", type,
                            concurrency).isEqualTo(honoured);
                    assertThat(md.supportsResultSetType(type)).isEqualTo(rs.getType() == type);
                    assertThat(c.getWarnings() != null).as("a downgrade warns").isEqualTo(!honoured);
                }
            }
        }
        assertThat(md.supportsResultSetHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT)).isTrue();
        assertThat(md.supportsResultSetHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT)).isFalse();
        assertThat(c.getHoldability()).isEqualTo(ResultSet.HOLD_CURSORS_OVER_COMMIT);
    }

    @Test
    void supportsConvert_claimsOnlyCastsThatWork() throws SQLException {
        Map<Integer, String> sample = Map.of(Types.INTEGER, "cast(7 as integer)", Types.BIGINT, "cast(7 as bigint)",
                Types.DECIMAL, "cast(7 as decimal(5,1))", Types.DOUBLE, "cast(7 as double)", Types.VARCHAR,
                "cast('7' as varchar(10))", Types.BOOLEAN, "true", Types.DATE, "date '2020-01-02'", Types.TIMESTAMP,
                "timestamp '2020-01-02 03:04:05'", Types.TIME, "time '03:04:05'");
        Map<Integer, String> target = Map.of(Types.INTEGER, "integer", Types.BIGINT, "bigint", Types.DECIMAL,
                "decimal(10,2)", Types.DOUBLE, "double", Types.VARCHAR, "varchar(40)", Types.BOOLEAN, "boolean",
                Types.DATE, "date", Types.TIMESTAMP, "timestamp", Types.TIME, "time");
        int claimed = 0;
        for (int from : sample.keySet()) {
            for (int to : target.keySet()) {
                if (!md.supportsConvert(from, to)) {
                    continue;
                }
                claimed++;
                String value = sample.get(from);
                if (to != Types.VARCHAR && from == Types.VARCHAR) {
                    value = switch (to) {
                        case Types.BOOLEAN -> "'true'";
                        case Types.DATE -> "'2020-01-02'";
                        case Types.TIMESTAMP -> "'2020-01-02 03:04:05'";
                        case Types.TIME -> "'03:04:05'";
                        default -> "'7'";
                    };
                }
                String sql = "select cast(" + value + " as " + target.get(to) + ") from t where id = 1";
                assertThat(q(sql)).as(sql).hasSize(1);
            }
        }
        assertThat(claimed).isGreaterThan(30);
        assertThat(md.supportsConvert(Types.BLOB, Types.INTEGER)).isFalse();
    }
}
