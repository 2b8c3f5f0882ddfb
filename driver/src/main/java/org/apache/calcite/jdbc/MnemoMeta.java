package org.apache.calcite.jdbc;

import dev.mnemo.calcite.DirectInsert;
import dev.mnemo.calcite.MnemoDdl;
import dev.mnemo.calcite.MnemoSession;
import dev.mnemo.calcite.MnemoSignature;
import dev.mnemo.calcite.SqlErrors;
import dev.mnemo.calcite.TableMetadata;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.server.CalciteServerStatement;

/**
 * Calcite's Meta bound to a Mnemo session: JDBC commit, rollback and autocommit drive the session's engine
 * transaction (Calcite's own throw UnsupportedOperationException), and autocommit starts on, as JDBC says.
 * It lives in Calcite's package because the connection class it needs is package-private there.
 *
 * <p>Its JDBC metadata describes engine tables truthfully: getTables adds REMARKS {@code type=… storage=…};
 * getColumns gives plain SQL type names and JDBC sizes ({@link MnemoTypeMeta}); getPrimaryKeys and getIndexInfo
 * give the key and secondary indexes ({@link MnemoKeyMeta}); getTypeInfo lists the SQL types engine columns
 * have; getTableTypes lists SYSTEM TABLE, TABLE and VIEW; the default transaction isolation is SERIALIZABLE;
 * getImportedKeys, getExportedKeys and getCrossReference give the FOREIGN KEY constraints; getColumns gives each
 * column's DEFAULT and marks the identity column as auto-increment.
 *
 * <p>Statements that read, update or delete a single key run without Calcite's per-execution work
 * ({@link #createIterable}, {@link #execute}).
 */
public final class MnemoMeta extends CalciteMetaImpl {
    private final MnemoSession session;
    private final PlanCache plans = new PlanCache();
    /** Parameter values of plain statements running a cached plan, by statement id, while they execute. */
    private final Map<Integer, List<TypedValue>> literalValues = new java.util.concurrent.ConcurrentHashMap<>();
    /** Executions answered by the direct path, so that tests can tell which path ran. */
    private long directExecutions;

    private MnemoMeta(CalciteConnectionImpl connection, MnemoSession session) {
        super(connection, MnemoMetaRows.TableFactory.INSTANCE, MnemoMetaRows.ColumnFactory.INSTANCE);
        this.session = session;
        connProps.setAutoCommit(true);
        connProps.setReadOnly(session.isReadOnly());
        connProps.setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
        connProps.setDirty(false);
    }

    /**
     * The Meta of a new connection; unless its session's direct plans are off ({@link MnemoSession#directPlans}),
     * statements on a single key skip Calcite's run-time path (see {@link #createIterable}).
     */
    public static Meta create(AvaticaConnection connection, MnemoSession session) {
        return new MnemoMeta((CalciteConnectionImpl) connection, session);
    }

    /** The session of a connection made by the Mnemo driver. */
    public static MnemoSession sessionOf(AvaticaConnection connection) {
        return ((MnemoMeta) ((CalciteConnectionImpl) connection).meta()).session;
    }

    /** The plain-statement plan cache of a connection (for tests). */
    static PlanCache plansOf(AvaticaConnection connection) {
        return ((MnemoMeta) ((CalciteConnectionImpl) connection).meta()).plans;
    }

    /** Finishes connection set-up as Calcite's own driver does, with an {@code information_schema}. */
    public static void init(AvaticaConnection connection) {
        InformationSchema.register((CalciteConnectionImpl) connection);
        ((CalciteConnectionImpl) connection).init();
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        try {
            if (MnemoDdl.isDdl(sql)) {
                // Calcite's parser knows no Mnemo DDL: run when executed (see MnemoConnection#prepareStatement)
                StatementHandle h = createStatement(ch);
                h.signature = ddlSignature(sql);
                getConnection().server.getStatement(h).setSignature(h.signature);
                return h;
            }
            // a text prepared before on this connection (a pool's statement, an ORM's query) reuses its plan
            StatementHandle h = createStatement(ch);
            CalciteConnectionImpl connection = getConnection();
            CalciteServerStatement statement = connection.server.getStatement(h);
            h.signature = preparedSignature(sql, maxRowCount, text -> prepare(connection,
                    statement::createPrepareContext, text, maxRowCount));
            statement.setSignature(h.signature);
            return h;
        } catch (NoSuchStatementException e) {
            throw new AssertionError("a statement just created is missing", e);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    /**
     * The signature of prepared DDL: no parameters, no columns, statement type OTHER_DDL, by which {@link #execute}
     * knows to parse and run it then.
     */
    static CalcitePrepare.CalciteSignature<Object> ddlSignature(String sql) {
        return new CalcitePrepare.CalciteSignature<>(sql, List.of(), java.util.Map.of(), null, List.of(),
                CursorFactory.OBJECT, null, List.of(), -1, null, StatementType.OTHER_DDL);
    }

    /**
     * {@code text} prepared on {@code connection}: from its parse tree where it is simple enough, else by Calcite
     * (see {@link dev.mnemo.calcite.Preparation}), each time with a prepare context (a schema snapshot) of its own
     * from {@code contexts}.
     */
    static CalcitePrepare.CalciteSignature<Object> prepare(CalciteConnectionImpl connection,
            java.util.function.Supplier<CalcitePrepare.Context> contexts, String text, long maxRowCount) {
        return dev.mnemo.calcite.Preparation.prepare(contexts.get(), text, maxRowCount,
                () -> connection.parseQuery(CalcitePrepare.Query.of(text), contexts.get(), maxRowCount));
    }

    /** The signature of a prepared statement's text, from this connection's plan cache (see PlanCache#prepared). */
    CalcitePrepare.CalciteSignature<Object> preparedSignature(String sql, long maxRowCount,
            java.util.function.Function<String, CalcitePrepare.CalciteSignature<Object>> prepare) {
        return plans.prepared(sql, session.database().schemaVersion(), maxRowCount, prepare);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                           PrepareCallback callback) throws NoSuchStatementException {
        StatementKind expected = getConnection().statementMap.get(h.id) instanceof MnemoStatement s ? s.expected()
                : StatementKind.ANY;
        if (MnemoDdl.isDdl(sql)) {
            check(expected, null);
            return guarded(h, () -> executeDdl(h, sql, callback)); // counted, for an abort
        }
        PrepareCallback checked = expected == StatementKind.ANY ? callback : new PrepareCallback() {
            @Override
            public Object getMonitor() {
                return callback.getMonitor();
            }

            @Override
            public void clear() throws SQLException {
                callback.clear();
            }

            @Override
            public void assign(Signature signature, Frame firstFrame, long updateCount) throws SQLException {
                check(expected, signature == null ? null : signature.statementType); // before it runs
                callback.assign(signature, firstFrame, updateCount);
            }

            @Override
            public void execute() throws SQLException {
                callback.execute();
            }
        };
        return guarded(h, () -> {
            ExecuteResult cached = executeCached(h, sql, maxRowCount, checked);
            return cached != null ? cached : super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame,
                    checked);
        });
    }

    /** An execution's work, which may find its statement gone. */
    private interface Execution<T> {
        T run() throws NoSuchStatementException;
    }

    /**
     * Runs an execution of statement {@code h} under its {@link StatementGuard} (a new execution: an earlier
     * cancel does not stop it), its failures with their SQLStates.
     */
    private <T> T guarded(StatementHandle h, Execution<T> execution) throws NoSuchStatementException {
        try {
            return guard(h).started().run(() -> {
                try {
                    return execution.run();
                } catch (NoSuchStatementException e) {
                    throw new MissingStatement(e);
                }
            });
        } catch (MissingStatement e) {
            throw e.missing;
        } catch (BatchFailure e) {
            throw e; // translated already, with the counts before it
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** {@link StatementKind#check} with its failure as an exception Avatica passes on with its SQLState. */
    private static void check(StatementKind expected, StatementType type) {
        try {
            expected.check(type);
        } catch (SQLException e) {
            throw SqlErrors.withState(e.getMessage(), e.getSQLState());
        }
    }

    /** Carries a {@link NoSuchStatementException} out of a {@link StatementGuard#run} call. */
    private static final class MissingStatement extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient NoSuchStatementException missing;

        MissingStatement(NoSuchStatementException missing) {
            super(missing);
            this.missing = missing;
        }
    }

    /**
     * The cancel flag and query timeout of statement {@code h}, for its calls (see {@link StatementGuard}): the one
     * made before for it while its timeout is the same.
     */
    private StatementGuard guard(StatementHandle h) throws NoSuchStatementException {
        CalciteConnectionImpl connection = getConnection();
        AvaticaStatement statement = connection.statementMap.get(h.id);
        StatementGuard known = guards.get(h.id);
        if (known != null && known.sameTimeout(statement)) {
            return known;
        }
        StatementGuard g = StatementGuard.of(statement, connection.getCancelFlag(h), running,
                () -> connection instanceof MnemoConnection m && m.aborted());
        guards.put(h.id, g);
        return g;
    }

    /** Statement id → its guard, dropped with the statement. */
    private final Map<Integer, StatementGuard> guards = new java.util.concurrent.ConcurrentHashMap<>();

    /** The connection's driver calls that run a statement now (see {@link StatementGuard}). */
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    /** Waits until no call of the connection runs a statement (an aborted connection's, stopped, see abort). */
    void awaitIdle() {
        while (running.get() > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
    }

    /**
     * Runs a plain statement on a cached plan (see {@link PlanCache}): its literals become the plan's parameter
     * values. Null when the statement must be planned as written.
     */
    private ExecuteResult executeCached(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
            throws NoSuchStatementException {
        CalciteConnectionImpl connection = getConnection();
        CalciteServerStatement statement = connection.server.getStatement(h);
        PlanCache.Hit hit = plans.lookup(sql, session.database().schemaVersion(), maxRowCount, connection.config(),
                text -> prepare(connection, statement::createPrepareContext, text, maxRowCount));
        if (hit == null) {
            return null;
        }
        try {
            synchronized (callback.getMonitor()) {
                callback.clear();
                statement.setSignature(hit.signature());
                callback.assign(hit.signature(), null, -1);
            }
            literalValues.put(h.id, hit.values());
            try {
                callback.execute();
            } finally {
                literalValues.remove(h.id);
            }
        } catch (SQLException e) {
            throw new RuntimeException(e);
        }
        return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false, hit.signature(), null,
                -1)));
    }

    /**
     * DDL runs on the engine's schema (Mnemo's own parser, see MnemoDdl), outside any transaction: like many
     * databases, it first commits the connection's open transaction.
     */
    private ExecuteResult executeDdl(StatementHandle h, String sql, PrepareCallback callback) {
        long count = runDdl(h, sql);
        try {
            synchronized (callback.getMonitor()) {
                callback.clear();
                callback.assign(null, null, count);
            }
            callback.execute();
        } catch (SQLException e) {
            throw SqlErrors.withState(e.getMessage(), e.getSQLState());
        }
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, count)));
    }

    /** Runs DDL statement {@code sql} of statement {@code h}: commits the open transaction first. */
    private long runDdl(StatementHandle h, String sql) {
        if (session.isReadOnly() && !MnemoDdl.onlyReads(sql)) { // a backup or dump only reads
            throw SqlErrors.withState("connection is read-only: cannot run DDL", "25006");
        }
        session.commit();
        try {
            return MnemoDdl.execute(session.database(), sql, query -> viewRowType(h, query));
        } catch (SQLException e) {
            throw SqlErrors.withState(e.getMessage(), e.getSQLState());
        }
    }

    /**
     * The row type of a view's query, as this connection plans it; a {@link SQLException} (with Calcite's SQLState)
     * if it is not a valid query here, or if it has {@code ?} parameters, which a view cannot bind.
     */
    private org.apache.calcite.rel.type.RelDataType viewRowType(StatementHandle h, String query) throws SQLException {
        CalciteConnectionImpl connection = getConnection();
        CalcitePrepare.CalciteSignature<Object> signature;
        try {
            signature = connection.parseQuery(CalcitePrepare.Query.of(query),
                    connection.server.getStatement(h).createPrepareContext(), -1);
        } catch (NoSuchStatementException e) {
            throw new SQLException("statement is closed", "HY010", e);
        } catch (RuntimeException e) {
            RuntimeException t = SqlErrors.translate(e);
            String state = t instanceof org.apache.calcite.avatica.AvaticaClientRuntimeException a
                    ? a.getSqlState() : "42000";
            throw new SQLException("invalid view query: " + t.getMessage(), state, e);
        }
        if (!signature.parameters.isEmpty()) {
            throw new java.sql.SQLSyntaxErrorException("a view's query cannot have ? parameters: " + query, "42000");
        }
        return signature.rowType;
    }

    /**
     * The rows of an executed statement. A statement on a single key ({@link MnemoSignature} with a
     * {@link dev.mnemo.calcite.DirectPlan}) is executed straight on the engine, unless the connection was opened
     * with {@code direct=false} or the direct plan declines (the table changed since prepare, say); everything else
     * runs Calcite's plan. A plain statement running a cached plan (see {@link PlanCache}) brings its literals as
     * the parameter values.
     */
    @Override
    public Iterable<Object> createIterable(StatementHandle h, QueryState state, Signature signature,
                                          List<TypedValue> parameterValues, Frame firstFrame) {
        List<TypedValue> literals = literalValues.get(h.id);
        List<TypedValue> values = literals != null ? literals : parameterValues;
        StatementGuard guard;
        try {
            guard = guard(h);
        } catch (NoSuchStatementException e) {
            throw SqlErrors.withState("statement is closed", "HY010");
        }
        // every planned statement's signature is a MnemoSignature: only one with a direct plan takes this detour
        List<Object> rows = signature instanceof MnemoSignature<?> s && s.direct() != null
                ? guard.run(() -> direct(s, h, values)) : null;
        if (rows != null) {
            return rows;
        }
        // a query's scans read snapshots (in autocommit one for the query, else a view per table), closed once its
        // rows are all read or its result set or statement is closed (a DML statement reads inside its own
        // transaction, under locks)
        Object previous = statementSnapshots.remove(h.id);
        if (previous != null) {
            session.endStatement(previous); // the statement runs again: its last rows are gone
        }
        Object snapshot = signature.statementType == StatementType.SELECT ? session.beginStatement() : null;
        if (snapshot != null) {
            statementSnapshots.put(h.id, snapshot);
        }
        Iterable<Object> all = guard.run(() -> session.within(snapshot,
                () -> super.createIterable(h, state, signature, values, firstFrame)));
        return () -> new StatementRows(guard.run(() -> StatementRows.translated(() -> session.within(snapshot,
                all::iterator))), session, snapshot, guard);
    }

    /** Statement id → the snapshots its query reads, closed at the latest with the statement. */
    private final Map<Integer, Object> statementSnapshots = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void closeStatement(StatementHandle h) {
        guards.remove(h.id);
        Object snapshot = statementSnapshots.remove(h.id);
        if (snapshot != null) {
            session.endStatement(snapshot);
        }
        super.closeStatement(h);
    }

    /**
     * A statement's rows, each computed under its {@link StatementGuard}, that close the query's snapshots (if it
     * has any) when the last one has been read, or when the result set is closed (Avatica closes a cursor's iterator
     * that is {@link AutoCloseable}).
     */
    private record StatementRows(Iterator<Object> rows, MnemoSession session, Object snapshot, StatementGuard guard)
            implements Iterator<Object>, AutoCloseable {
        /** {@code work}, with a failed constant of the generated code as its SQLException (see SqlErrors). */
        static <T> T translated(java.util.function.Supplier<T> work) {
            try {
                return work.get();
            } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
                throw SqlErrors.fromClassInitialization(e);
            }
        }

        @Override
        public boolean hasNext() {
            boolean more;
            try {
                more = guard.run(() -> translated(() -> session.within(snapshot, rows::hasNext)));
            } catch (RuntimeException | Error e) {
                session.endStatement(snapshot); // no more rows will be read: its snapshots go now
                throw e;
            }
            if (!more) {
                session.endStatement(snapshot);
            }
            return more;
        }

        /** The row {@link #hasNext} computed (Calcite's iterators compute it there). */
        @Override
        public Object next() {
            return session.within(snapshot, rows::next);
        }

        @Override
        public void close() throws Exception {
            session.endStatement(snapshot);
            if (rows instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    /** The rows of the direct plan of {@code s}, or null if Calcite's path must run. */
    private List<Object> direct(MnemoSignature<?> s, StatementHandle h, List<TypedValue> parameterValues) {
        if (!session.directPlans() || s.direct() == null) {
            return null;
        }
        List<Object> rows;
        try {
            rows = s.direct().rows(session, parameterValues(h, parameterValues, s));
        } catch (RuntimeException e) {
            directExecutions++; // answered, with an error
            throw e;
        }
        if (rows != null) {
            directExecutions++;
        }
        return rows;
    }

    /**
     * A prepared UPDATE or DELETE of a single key, executed directly and its count taken as Calcite's execute
     * takes it; null if Calcite's path must run.
     */
    private ExecuteResult executeDirect(StatementHandle h, List<TypedValue> parameterValues)
            throws NoSuchStatementException {
        CalciteServerStatement statement = getConnection().server.getStatement(h);
        if (!(statement.getSignature() instanceof MnemoSignature<?> s) || !s.statementType.canUpdate()) {
            return null;
        }
        List<Object> rows = direct(s, h, parameterValues);
        if (rows == null) {
            return null;
        }
        Iterator<Object> iterator = rows.iterator();
        statement.setResultSet(iterator);
        long count = ((Number) iterator.next()).intValue();
        return new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id, count)));
    }

    /**
     * The parameter values of an execution: {@code passed} if there are any, else the values bound to the
     * statement, as {@link CalciteConnectionImpl#enumerable} takes them.
     */
    List<TypedValue> parameterValues(StatementHandle h, List<TypedValue> passed, Signature signature) {
        return ParameterValues.of(getConnection().statementMap.get(h.id), passed, signature.parameters);
    }

    /** How many executions of {@code connection} the direct path answered (for tests). */
    static long directExecutions(AvaticaConnection connection) {
        return ((MnemoMeta) ((CalciteConnectionImpl) connection).meta()).directExecutions;
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        // the handle's signature is null for an executeUpdate (Avatica saves sending it): the server statement's
        Signature signature = getConnection().server.getStatement(h).getSignature();
        if (signature != null && signature.statementType == StatementType.OTHER_DDL && MnemoDdl.isDdl(signature.sql)) {
            // DDL prepared (see MnemoConnection#prepareStatement): parsed and run now
            return guarded(h, () -> new ExecuteResult(List.of(MetaResultSet.count(h.connectionId, h.id,
                    runDdl(h, signature.sql)))));
        }
        return guarded(h, () -> {
            ExecuteResult result = session.directPlans() ? executeDirect(h, parameterValues) : null;
            return result != null ? result : super.execute(h, parameterValues, maxRowsInFirstFrame);
        });
    }

    /**
     * A prepared statement's batch. In autocommit mode the whole batch is one transaction (all its rows or none,
     * as PostgreSQL's driver does): one commit, and on disc one log write, for the batch rather than one per row,
     * which made a bulk load through batches about three times slower. With autocommit off it is part of the open
     * transaction, as any statement.
     */
    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
            throws NoSuchStatementException {
        return guarded(h, () -> batchInOneTransaction(h, parameterValues));
    }

    private ExecuteBatchResult batchInOneTransaction(StatementHandle h, List<List<TypedValue>> parameterValues)
            throws NoSuchStatementException {
        // DDL commits as it runs: a batch of it cannot be one transaction, and its counts say what ran
        if (!session.isAutoCommit() || parameterValues.size() < 2
                || getConnection().server.getStatement(h).getSignature().statementType == StatementType.OTHER_DDL) {
            return batch(h, parameterValues);
        }
        session.setAutoCommit(false);
        boolean committed = false;
        try {
            ExecuteBatchResult result = batch(h, parameterValues);
            session.commit();
            committed = true;
            return result;
        } catch (BatchFailure e) {
            // the whole batch is rolled back: none of its executions stays
            throw new BatchFailure((RuntimeException) e.getCause(), new long[0]);
        } finally {
            if (!committed) {
                session.rollback();
            }
            session.setAutoCommit(true);
        }
    }

    /**
     * A batch of a prepared single-row INSERT (a {@link DirectInsert}) as one statement, unless the direct path
     * declines; else, and for every other statement, one execution per parameter set, as Calcite's batch.
     */
    private ExecuteBatchResult batch(StatementHandle h, List<List<TypedValue>> parameterValues)
            throws NoSuchStatementException {
        if (session.directPlans()
                && getConnection().server.getStatement(h).getSignature() instanceof MnemoSignature<?> s
                && s.direct() instanceof DirectInsert insert) {
            List<List<TypedValue>> values = new ArrayList<>(parameterValues.size());
            for (List<TypedValue> row : parameterValues) {
                values.add(ParameterValues.coerce(row, s.parameters));
            }
            long[] counts = insert.batch(session, values);
            if (counts != null) {
                directExecutions += counts.length;
                return new ExecuteBatchResult(counts);
            }
        }
        // Calcite's loop, but a failure says how many executions succeeded before it (BatchUpdateException)
        long[] counts = new long[parameterValues.size()];
        if (counts.length > 0 && getConnection().server.getStatement(h).getSignature().statementType
                == StatementType.SELECT) {
            throw new BatchFailure(queryInBatch(), new long[0]); // JDBC: a batch's commands return no rows
        }
        for (int i = 0; i < counts.length; i++) {
            try {
                ExecuteResult r = execute(h, parameterValues.get(i), -1);
                counts[i] = r.resultSets.size() == 1 ? r.resultSets.get(0).updateCount : -1L;
            } catch (RuntimeException e) {
                throw new BatchFailure(SqlErrors.translate(e), java.util.Arrays.copyOf(counts, i));
            }
        }
        return new ExecuteBatchResult(counts);
    }

    /** A query in a batch, whose commands may return no rows (JDBC): as executeUpdate refuses it. */
    private static RuntimeException queryInBatch() {
        return SqlErrors.withState("a batch cannot run a query, which returns rows: run it with executeQuery",
                "07003");
    }

    /**
     * A batch that failed at one of its commands: the failure, and the update counts of the commands before it
     * (the connection makes a BatchUpdateException of them).
     */
    static final class BatchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient long[] counts;

        BatchFailure(RuntimeException failure, long[] counts) {
            super(failure.getMessage(), failure, false, false);
            this.counts = counts;
        }
    }

    /**
     * A plain statement's batch, each command through {@link #prepareAndExecute} (so DDL, the plan cache and the
     * direct path apply as to a single statement); Calcite's own version reads update counts through a private
     * path that drops a cached plan's literal values and fails on DDL.
     */
    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
            throws NoSuchStatementException {
        CalciteServerStatement statement = getConnection().server.getStatement(h);
        long[] counts = new long[sqlCommands.size()];
        int[] done = {0};
        PrepareCallback callback = new PrepareCallback() {
            private long updateCount;
            private Signature signature;

            @Override
            public Object getMonitor() {
                return statement;
            }

            @Override
            public void clear() {
                signature = null;
                updateCount = -1;
            }

            @Override
            public void assign(Signature sig, Frame firstFrame, long count) {
                signature = sig;
                updateCount = count;
            }

            @Override
            public void execute() {
                if (signature != null && signature.statementType == StatementType.SELECT) {
                    throw queryInBatch(); // JDBC: a batch's commands return no rows
                }
                if (signature != null && signature.statementType.canUpdate()) {
                    Iterator<Object> rows = createIterable(h, null, signature, List.of(), null).iterator();
                    updateCount = ((Number) rows.next()).longValue();
                }
                counts[done[0]++] = updateCount;
            }
        };
        try {
            for (String sql : sqlCommands) {
                prepareAndExecute(h, sql, -1L, -1, callback);
            }
        } catch (RuntimeException e) {
            throw new BatchFailure(SqlErrors.translate(e), java.util.Arrays.copyOf(counts, done[0]));
        }
        return new ExecuteBatchResult(counts);
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) throws NoSuchStatementException {
        try {
            return super.fetch(h, offset, fetchMaxRowCount);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
        ConnectionProperties merged = super.connectionSync(ch, props);
        if (props.isAutoCommit() != null) {
            session.setAutoCommit(props.isAutoCommit());
        }
        return merged;
    }

    @Override
    public void commit(ConnectionHandle ch) {
        counted(session::commit);
    }

    /** Runs {@code work} counted as a running call of the connection (see {@link #awaitIdle}). */
    private void counted(Runnable work) {
        running.incrementAndGet();
        try {
            work.run();
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        counted(session::rollback);
    }

    @Override
    public void closeConnection(ConnectionHandle ch) {
        session.close();
        super.closeConnection(ch);
    }

    @Override
    public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
        Map<DatabaseProperty, Object> props = new EnumMap<>(DatabaseProperty.class);
        props.putAll(super.getDatabaseProperties(ch));
        props.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_SERIALIZABLE);
        return props;
    }

    @Override
    public Enumerable<MetaColumn> columns(MetaTable table) {
        RelDataTypeSystem ts = getConnection().getTypeFactory().getTypeSystem();
        org.apache.calcite.schema.Table t = ((MnemoMetaRows.Table) table).table;
        List<RelDataTypeField> fields = t.getRowType(getConnection().getTypeFactory()).getFieldList();
        java.util.Optional<TableMetadata> engine = TableMetadata.of(t);
        return Linq4j.asEnumerable(fields).select(f -> new MnemoMetaRows.Column(MnemoTypeMeta.column(table, f,
                        engine.map(e -> e.declaredSqlType(getConnection().getTypeFactory(), f.getName()))
                                .orElse(f.getType()), ts),
                engine.map(e -> e.columnDefault(f.getName())).orElse(null),
                engine.map(e -> e.autoIncrement(f.getName())).orElse(false)));
    }

    @Override
    public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return rows(MnemoKeyMeta.importedKeys(locate(catalog, schema, table)), MnemoMetaRows.ForeignKeyColumn.class,
                MnemoKeyMeta.FOREIGN_KEY_COLUMNS);
    }

    @Override
    public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return rows(MnemoKeyMeta.exportedKeys(locate(catalog, schema, table), null),
                MnemoMetaRows.ForeignKeyColumn.class, MnemoKeyMeta.FOREIGN_KEY_COLUMNS);
    }

    @Override
    public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog, String parentSchema,
            String parentTable, String foreignCatalog, String foreignSchema, String foreignTable) {
        boolean sameSchema = foreignSchema == null || parentSchema == null || foreignSchema.equals(parentSchema);
        List<MnemoMetaRows.ForeignKeyColumn> rows = foreignTable == null || !sameSchema
                || (foreignCatalog != null && !foreignCatalog.isEmpty()) ? List.of()
                : MnemoKeyMeta.exportedKeys(locate(parentCatalog, parentSchema, parentTable), foreignTable);
        return rows(rows, MnemoMetaRows.ForeignKeyColumn.class, MnemoKeyMeta.FOREIGN_KEY_COLUMNS);
    }

    /**
     * The tables of a schema whose names match {@code pattern} as JDBC reads it ({@link JdbcPattern}), by name
     * (Calcite lists them in hash order).
     */
    @Override
    Enumerable<MetaTable> tables(MetaSchema schema, org.apache.calcite.schema.lookup.LikePattern pattern) {
        java.util.function.Predicate<String> matches = JdbcPattern.matcher(pattern.pattern);
        return Linq4j.asEnumerable(super.tables(schema, org.apache.calcite.schema.lookup.LikePattern.any())
                .where(t -> matches.test(t.tableName)).orderBy(t -> t.tableName).toList());
    }

    /** The schemas whose names match {@code pattern} as JDBC reads it ({@link JdbcPattern}). */
    @Override
    Enumerable<MetaSchema> schemas(String catalog, org.apache.calcite.schema.lookup.LikePattern pattern) {
        java.util.function.Predicate<String> matches = JdbcPattern.matcher(pattern.pattern);
        return Linq4j.asEnumerable(super.schemas(catalog, org.apache.calcite.schema.lookup.LikePattern.any())
                .where(s -> matches.test(s.tableSchem)).toList());
    }

    /** Calcite's getColumns, with the column name pattern read as JDBC reads it ({@link JdbcPattern}). */
    @Override
    public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
                                    Pat columnNamePattern) {
        java.util.function.Predicate<String> matches = JdbcPattern.matcher(columnNamePattern.s);
        List<MetaColumn> columns = schemas(catalog, new org.apache.calcite.schema.lookup.LikePattern(
                schemaPattern.s)).selectMany(schema -> tables(schema, new org.apache.calcite.schema.lookup.LikePattern(
                        tableNamePattern.s))).selectMany(this::columns).where(c -> matches.test(c.columnName))
                .toList();
        @SuppressWarnings("unchecked")
        Class<MetaColumn> type = (Class<MetaColumn>) MnemoMetaRows.ColumnFactory.INSTANCE.getMetaColumnClass();
        return rows(columns, type, MnemoMetaRows.ColumnFactory.INSTANCE.getColumnNames());
    }

    /** Calcite's getTables ordered as JDBC asks: by TABLE_TYPE, TABLE_CAT, TABLE_SCHEM and TABLE_NAME. */
    @Override
    public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
            List<String> typeList) {
        Enumerable<MetaTable> tables = schemas(catalog, new org.apache.calcite.schema.lookup.LikePattern(
                schemaPattern.s)).selectMany(schema -> tables(schema, new org.apache.calcite.schema.lookup.LikePattern(
                        tableNamePattern.s)))
                .where(t -> typeList == null || typeList.contains(t.tableType));
        List<MnemoMetaRows.Table> sorted = new ArrayList<>();
        tables.forEach(t -> sorted.add((MnemoMetaRows.Table) t));
        sorted.sort(java.util.Comparator.comparing((MetaTable t) -> t.tableType)
                .thenComparing(t -> String.valueOf(t.tableSchem)).thenComparing(t -> t.tableName));
        return rows(sorted, MnemoMetaRows.Table.class, MnemoMetaRows.TableFactory.INSTANCE.getColumnNames());
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch) {
        return rows(List.of(new MetaTableType("SYSTEM TABLE"), new MetaTableType("TABLE"), new MetaTableType("VIEW")),
                MetaTableType.class, TABLE_TYPE_COLUMNS);
    }

    @Override
    public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
        return rows(ClientInfo.PROPERTIES, MetaClientInfoProperty.class,
                List.of("NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION"));
    }

    @Override
    public MetaResultSet getTypeInfo(ConnectionHandle ch) {
        RelDataTypeSystem ts = getConnection().getTypeFactory().getTypeSystem();
        return rows(MnemoTypeMeta.typeInfo(TableMetadata.sqlTypes(), ts), MetaTypeInfo.class, TYPE_INFO_COLUMNS);
    }

    @Override
    public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
        return rows(MnemoKeyMeta.primaryKeys(locate(catalog, schema, table)), MnemoMetaRows.PrimaryKey.class,
                List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"));
    }

    @Override
    public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table,
            boolean unique, boolean approximate) {
        return rows(MnemoKeyMeta.indexInfo(locate(catalog, schema, table), unique), MetaIndexInfo.class,
                List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME",
                        "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY", "PAGES",
                        "FILTER_CONDITION"));
    }

    /**
     * The engine tables named {@code table} (exactly, as JDBC asks) in schema {@code schema} (any if null).
     * Schemas have no catalog, so a non-empty {@code catalog} names none.
     */
    private List<MnemoKeyMeta.Located> locate(String catalog, String schema, String table) {
        List<MnemoKeyMeta.Located> out = new ArrayList<>();
        if (table == null || (catalog != null && !catalog.isEmpty())) {
            return out;
        }
        for (CalciteSchema s : getConnection().rootSchema.getSubSchemaMap().values()) {
            CalciteSchema.TableEntry e = schema == null || schema.equals(s.getName()) ? s.getTable(table, true) : null;
            if (e != null) {
                TableMetadata.of(e.getTable()).ifPresent(t -> out.add(new MnemoKeyMeta.Located(s.getName(), t)));
            }
        }
        return out;
    }

    /** The result set of generated keys: one column per key column, one row per inserted row. */
    MetaResultSet resultSet(dev.mnemo.calcite.GeneratedKeys keys) {
        List<ColumnMetaData> columns = new ArrayList<>();
        for (int i = 0; i < keys.columns().size(); i++) {
            ColumnMetaData.AvaticaType type = ColumnMetaData.scalar(keys.jdbcTypes().get(i),
                    java.sql.JDBCType.valueOf(keys.jdbcTypes().get(i)).getName(),
                    ColumnMetaData.Rep.of(keys.javaTypes().get(i)));
            columns.add(new ColumnMetaData(i, false, true, false, false, java.sql.DatabaseMetaData.columnNullable,
                    true, -1, keys.columns().get(i), keys.columns().get(i), null, -1, -1, null, null, type, true,
                    false, false, keys.javaTypes().get(i).getName()));
        }
        return createResultSet(Map.of(), columns, CursorFactory.ARRAY, new Frame(0, true,
                new ArrayList<Object>(keys.rows())));
    }

    /** A result set of {@code rows}, its columns {@code names} read from the camel-case fields of {@code clazz}. */
    private <E> MetaResultSet rows(List<? extends E> rows, Class<E> clazz, List<String> names) {
        List<ColumnMetaData> columns = new ArrayList<>(names.size());
        List<Field> fields = new ArrayList<>(names.size());
        List<String> fieldNames = new ArrayList<>(names.size());
        for (String name : names) {
            Field field = MnemoMetaRows.field(clazz, name);
            columns.add(columnMetaData(name, columns.size(), field.getType(), getColumnNullability(field)));
            fields.add(field);
            fieldNames.add(field.getName());
        }
        return createResultSet(Map.of(), columns, CursorFactory.record(clazz, fields, fieldNames),
                new Frame(0, true, new ArrayList<Object>(rows)));
    }
}
