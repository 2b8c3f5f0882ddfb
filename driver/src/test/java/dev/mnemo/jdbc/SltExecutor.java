package dev.mnemo.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.hydromatic.sqllogictest.ISqlTestOperation;
import net.hydromatic.sqllogictest.OptionsParser;
import net.hydromatic.sqllogictest.SltSqlStatement;
import net.hydromatic.sqllogictest.SltTestFile;
import net.hydromatic.sqllogictest.SqlTestQuery;
import net.hydromatic.sqllogictest.TestStatistics;
import net.hydromatic.sqllogictest.executors.JdbcExecutor;

/**
 * The SQL Logic Test library's {@link JdbcExecutor} pointed at a {@code jdbc:mnemo:} URL. The library parses the
 * test files (its PostgreSQL policy for {@code onlyif}/{@code skipif}), runs the statements
 * ({@link JdbcExecutor#statement}) and checks each query's rows ({@link JdbcExecutor#validate}: SLT's formatting of
 * {@code I}, {@code T} and {@code R} values, {@code NULL}, row and value sorting, the MD5 hash of the values). This
 * subclass changes only what Mnemo needs or what the report needs:
 * <ul>
 *   <li>Between files every table and view is dropped by its schema-qualified name ({@code DROP TABLE
 *       "mnemo"."t1"}); the library's {@code DROP TABLE t1 CASCADE} is not Mnemo's syntax.</li>
 *   <li>Each query runs with {@link Statement#setQueryTimeout}, on a worker thread under a watchdog that also
 *       stops a query still planning (see {@link #query}). A statement that fails although it should pass is
 *       recorded and the file goes on (the library stops the file there).</li>
 *   <li>Each query's outcome, time and failure message is kept ({@link Outcome}), besides the library's
 *       {@link TestStatistics}.</li>
 * </ul>
 */
final class SltExecutor extends JdbcExecutor {
    /** How much longer than its query timeout the watchdog lets a query run before it cancels and stops it. */
    private static final int GRACE_SECONDS = 5;
    /** The first lines of {@link TestStatistics#printStatistics}'s text for one failure. */
    private static final Pattern FAILURE = Pattern.compile("ERROR: (.*)\\R\\ttest: (.*):(\\d+)");

    /** How a query ended. */
    enum Kind { PASSED, WRONG, ERROR, TIMEOUT }

    /**
     * One query: its file, the line of its {@code ----} separator (where the library records it; 0 for a query
     * that passed), its label in the file (select5's {@code join-12-3}) or null, how it ended, the library's
     * message, and how long it took (planning, execution, fetching and checking).
     */
    record Outcome(String file, int line, String name, String sql, Kind kind, String message, long nanos) {
        String id() {
            return file.substring(file.lastIndexOf('/') + 1) + ":" + line;
        }
    }

    /** A statement that failed although the file says it should pass. */
    record FailedStatement(String file, String sql, String message) {
    }

    private final int timeoutSeconds;
    private int maxQueries = -1;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<FailedStatement> failedStatements = new ArrayList<>();
    private String currentFile = "";
    private Thread workerThread;
    private ExecutorService worker = newWorker();

    /**
     * @param url            the database; every table and view in it is dropped before and after each file
     * @param timeoutSeconds each query's {@code setQueryTimeout}
     */
    SltExecutor(OptionsParser.SuppliedOptions options, String url, int timeoutSeconds) {
        super(options, url, "", "");
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Makes the next {@link #execute} run the first {@code maxQueries} queries of the file and the statements
     * before them (all of it if negative).
     */
    void limit(int maxQueries) {
        this.maxQueries = maxQueries;
    }

    List<Outcome> outcomes() {
        return outcomes;
    }

    List<FailedStatement> failedStatements() {
        return failedStatements;
    }

    @Override
    public void statement(SltSqlStatement statement) throws SQLException {
        try {
            super.statement(statement);
        } catch (SQLException e) {
            failedStatements.add(new FailedStatement(currentFile, statement.statement, e.getSQLState() + " "
                    + e.getMessage()));
        }
    }

    @Override
    public void dropAllTables() throws SQLException {
        dropAll("TABLE", "DROP TABLE ");
    }

    @Override
    public void dropAllViews() throws SQLException {
        dropAll("VIEW", "DROP VIEW IF EXISTS ");
    }

    private void dropAll(String type, String drop) throws SQLException {
        List<String> names = new ArrayList<>();
        DatabaseMetaData md = getConnection().getMetaData();
        try (ResultSet rs = md.getTables(null, null, "%", new String[] {type})) {
            while (rs.next()) {
                names.add(quote(rs.getString("TABLE_SCHEM")) + "." + quote(rs.getString("TABLE_NAME")));
            }
        }
        for (String name : names) {
            try (Statement s = getConnection().createStatement()) {
                s.execute(drop + name);
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public TestStatistics execute(SltTestFile file, OptionsParser.SuppliedOptions options) throws SQLException {
        currentFile = file.toString();
        establishConnection();
        dropAllViews();
        dropAllTables();
        TestStatistics result = new TestStatistics(false, 0);
        result.incFiles();
        int queries = 0;
        for (ISqlTestOperation operation : file.fileContents) {
            SltSqlStatement statement = operation.as(SltSqlStatement.class);
            if (statement != null) {
                statement(statement);
                continue;
            }
            if (maxQueries >= 0 && queries >= maxQueries) {
                break;
            }
            queries++;
            result.add(query(operation.to(options.err, SqlTestQuery.class)));
        }
        dropAllViews();
        dropAllTables();
        closeConnection();
        return result;
    }

    /**
     * Runs one query, checked by the library's {@link #validate}, into statistics of its own, on a worker thread.
     * The driver's query timeout stops execution and fetching, but not planning ("a statement stopped during its
     * first planning stops when that ends"), so a watchdog gives the query {@code timeoutSeconds} plus
     * {@value #GRACE_SECONDS} seconds, then cancels it, and if it still runs (it is planning) stops its thread
     * and goes on with a new connection: the run finishes, and the query counts as a timeout.
     */
    private TestStatistics query(SqlTestQuery query) {
        TestStatistics one = new TestStatistics(false, 0);
        AtomicReference<Statement> running = new AtomicReference<>();
        long start = System.nanoTime();
        Future<Kind> done = worker.submit(() -> {
            try (Statement s = getConnection().createStatement()) {
                running.set(s);
                s.setQueryTimeout(timeoutSeconds);
                try (ResultSet rs = s.executeQuery(query.getQuery())) {
                    validate(query, rs, query.outputDescription, one);
                }
            } catch (SQLTimeoutException e) {
                one.addFailure(new TestStatistics.FailedTestDescription(query, describe(e), "", e));
                return Kind.TIMEOUT;
            } catch (Throwable e) { // the library counts assertion errors and the like as failures too
                one.addFailure(new TestStatistics.FailedTestDescription(query, describe(e), "", e));
                return Kind.ERROR;
            }
            return one.getFailedTestCount() == 0 ? Kind.PASSED : Kind.WRONG;
        });
        Kind kind;
        TestStatistics result = one;
        try {
            kind = done.get(timeoutSeconds + GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            kind = Kind.TIMEOUT;
            result = new TestStatistics(false, 0);
            result.addFailure(new TestStatistics.FailedTestDescription(query, "still running after "
                    + (timeoutSeconds + GRACE_SECONDS) + " s (planning: the query timeout does not stop it)", "",
                    null));
            stopWorker(running.get(), done);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        outcomes.add(outcome(query, kind, result, System.nanoTime() - start));
        return result;
    }

    /** Cancels a query that outlived its watchdog; if it goes on, stops its thread and reconnects. */
    @SuppressWarnings({"deprecation", "removal"})
    private void stopWorker(Statement statement, Future<Kind> done) {
        try {
            if (statement != null) {
                statement.cancel();
            }
            done.get(GRACE_SECONDS, TimeUnit.SECONDS);
            return;
        } catch (Exception e) {
            // still running, or failed to cancel: stop it
        }
        try {
            workerThread.stop(); // Java 17 still stops a thread; from Java 20 this throws and the thread is left
        } catch (UnsupportedOperationException e) {
            // left to finish on its own (a daemon thread)
        }
        worker.shutdownNow();
        worker = newWorker();
        try {
            getConnection().close();
        } catch (SQLException e) {
            // a new connection replaces it
        }
        try {
            establishConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reconnect after a stopped query", e);
        }
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "slt-query");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    private static String describe(Throwable e) {
        String state = e instanceof SQLException sql ? sql.getSQLState() + " " : "";
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return state + e.getClass().getSimpleName() + ": "
                + (newline < 0 ? message : message.substring(0, newline));
    }

    /** The library knows the line and the message of a failure; its report is where they are public. */
    private static Outcome outcome(SqlTestQuery query, Kind kind, TestStatistics one, long nanos) {
        String message = "";
        int line = 0;
        if (kind != Kind.PASSED) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            one.printStatistics(new PrintStream(text, true, StandardCharsets.UTF_8));
            Matcher m = FAILURE.matcher(text.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                message = m.group(1);
                line = Integer.parseInt(m.group(3));
            }
        }
        return new Outcome(query.file, line, query.getName(), query.getQuery(), kind, message, nanos);
    }
}
