package org.apache.calcite.jdbc;

import dev.mnemo.calcite.MnemoOperators;
import dev.mnemo.calcite.MnemoSession;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.sql.SqlOperatorTable;

/**
 * Calcite's connection with its configuration read once, and the connection behaviour JDBC clients exercise:
 * <ul>
 *   <li>warnings ({@link #getWarnings()}): an unknown connection property, a weaker isolation level asked for, a
 *       read-only connection asked to be writable;</li>
 *   <li>{@link #setReadOnly}: a read-only connection refuses writes (SQLState 25006); a connection opened with
 *       {@code read-only=true} stays read-only; the mode cannot change inside a transaction (25001);</li>
 *   <li>{@link #setTransactionIsolation}: every transaction is SERIALIZABLE; asking for a weaker level is accepted
 *       as SERIALIZABLE (which gives at least its guarantees, as JDBC allows) with a warning, and
 *       {@link #getTransactionIsolation()} reports SERIALIZABLE; TRANSACTION_NONE or an unknown level is refused
 *       (HY024);</li>
 *   <li>savepoints ({@link #setSavepoint()}, {@link #rollback(java.sql.Savepoint)},
 *       {@link #releaseSavepoint}) on the engine transaction's savepoints: a rollback to one undoes the writes
 *       after it and keeps it set, and ends the savepoints set after it; all end with the transaction;</li>
 *   <li>generated keys: {@code prepareStatement(sql, RETURN_GENERATED_KEYS)} (or column names or indexes) makes a
 *       statement whose {@code getGeneratedKeys()} gives the identity column (or those columns) of the rows it
 *       inserted.</li>
 * </ul>
 * Calcite builds a new configuration object on every {@code config()} call and parses the connection properties
 * again for each setting it reads, several times per statement execution (time zone, locale, spark, auto-temp); a
 * connection's properties never change, so this one builds the configuration once and remembers the settings read
 * on the execution path.
 */
public final class MnemoConnection extends CalciteConnectionImpl {
    private Config config; // made on first use: Avatica's constructor already reads it
    private final TimeZone timeZone;
    private SQLWarning warnings;
    private final ClientInfo clientInfo = new ClientInfo();

    private MnemoConnection(Driver driver, AvaticaFactory factory, String url, Properties info,
                            CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
        super(driver, factory, url, info, rootSchema, typeFactory);
        String zone = config().timeZone();
        this.timeZone = zone == null ? null : TimeZone.getTimeZone(zone);
    }

    /** A new connection, as the driver's JDBC factory makes it. */
    public static AvaticaConnection create(UnregisteredDriver driver, AvaticaFactory factory, String url,
                                           Properties info, CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
        return new MnemoConnection((Driver) driver, factory, url, info, rootSchema, typeFactory);
    }

    @Override
    public CalciteConnectionConfig config() {
        Config c = config;
        if (c == null) { // immutable, so two threads making one each is harmless
            c = new Config(info);
            config = c;
        }
        return c;
    }

    /**
     * The fetch size the application set on the statement whose execution {@link #enumerable} is making (0: none),
     * for its data context.
     */
    private static final ThreadLocal<Integer> EXECUTING_FETCH_SIZE = new ThreadLocal<>();

    /**
     * Calcite's, with the parameter values converted for the parameters' types ({@link ParameterValues}) and the
     * statement's fetch size in the execution's data context (see {@link #createDataContext}).
     */
    @Override
    public <T> org.apache.calcite.linq4j.Enumerable<T> enumerable(Meta.StatementHandle handle,
            CalcitePrepare.CalciteSignature<T> signature,
            java.util.List<org.apache.calcite.avatica.remote.TypedValue> parameterValues) throws SQLException {
        org.apache.calcite.avatica.AvaticaStatement statement = lookupStatement(handle);
        EXECUTING_FETCH_SIZE.set(statement instanceof GivenFetchSize s ? s.givenFetchSize() : 0);
        try {
            return super.enumerable(handle, signature, ParameterValues.of(statement, parameterValues,
                    signature.parameters));
        } finally {
            EXECUTING_FETCH_SIZE.remove();
        }
    }

    /**
     * Each execution's data context: Mnemo's, which makes Calcite's variables only when asked for, and gives the
     * statement's fetch size as {@link dev.mnemo.calcite.ScanSpec#FETCH_SIZE}.
     */
    @Override
    public org.apache.calcite.DataContext createDataContext(Map<String, Object> parameterValues,
                                                            CalciteSchema rootSchema) {
        Integer fetchSize = EXECUTING_FETCH_SIZE.get();
        return new MnemoDataContext(this, parameterValues, rootSchema, fetchSize == null ? 0 : fetchSize);
    }

    /** Avatica's, failing with the JDBC subclass of the failure's SQLState ({@link dev.mnemo.calcite.SqlErrors#standard}). */
    @Override
    protected java.sql.ResultSet executeQueryInternal(org.apache.calcite.avatica.AvaticaStatement statement,
            Meta.Signature signature, Meta.Frame firstFrame, org.apache.calcite.avatica.QueryState state,
            boolean isUpdate) throws SQLException {
        try {
            return super.executeQueryInternal(statement, signature, firstFrame, state, isUpdate);
        } catch (SQLException e) {
            throw dev.mnemo.calcite.SqlErrors.standard(e);
        }
    }

    /**
     * Avatica's, failing with a {@link java.sql.BatchUpdateException} that has the failure's SQLState and the update
     * counts of the executions before it.
     */
    @Override
    protected long[] executeBatchUpdateInternal(org.apache.calcite.avatica.AvaticaPreparedStatement statement)
            throws SQLException {
        try {
            return super.executeBatchUpdateInternal(statement);
        } catch (SQLException e) {
            // Avatica wraps what the Meta threw
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof MnemoMeta.BatchFailure f) {
                    throw batchFailure(f.getCause(), f.counts);
                }
            }
            throw batchFailure(e.getCause() != null ? e.getCause() : e, new long[0]);
        }
    }

    /** Avatica's, failing with a {@link java.sql.BatchUpdateException} as a prepared statement's batch does. */
    @Override
    protected Meta.ExecuteBatchResult prepareAndUpdateBatch(org.apache.calcite.avatica.AvaticaStatement statement,
            java.util.List<String> queries) throws org.apache.calcite.avatica.NoSuchStatementException, SQLException {
        try {
            return super.prepareAndUpdateBatch(statement, queries);
        } catch (MnemoMeta.BatchFailure e) {
            throw batchFailure(e.getCause(), e.counts);
        } catch (RuntimeException e) {
            throw batchFailure(e, new long[0]);
        }
    }

    private static java.sql.BatchUpdateException batchFailure(Throwable failure, long[] counts) {
        SQLException e = failure instanceof SQLException s ? dev.mnemo.calcite.SqlErrors.standard(s)
                : dev.mnemo.calcite.SqlErrors.standard(HELPER.createException(failure.getMessage(),
                failure instanceof Exception x ? x : new RuntimeException(failure)));
        return new java.sql.BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), counts, e);
    }

    /** Set by {@link #abort}: the connection counts as closed from then on, before it is. */
    private volatile boolean aborted;

    /** Fails for a call of {@code statement}: HY010 if it is closed, 08003 if its connection is. */
    static void checkOpen(org.apache.calcite.avatica.AvaticaStatement statement) throws SQLException {
        ((MnemoConnection) statement.connection).checkOpen();
        if (statement.isClosed()) {
            throw new SQLException("the statement is closed", "HY010");
        }
    }

    /**
     * Also unwraps to the engine the connection runs on ({@code unwrap(dev.mnemo.engine.Mnemo.class)}): its table and
     * system events ({@code subscribe}), backups, checkpoints and the rest of its API. The engine is shared by
     * every connection to the database and is closed with the last of them (unless {@code close-on-last=false}),
     * which ends its subscriptions. Do not close or stop it through this reference: that closes the database under
     * every other connection too.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface == dev.mnemo.engine.Mnemo.class) {
            checkOpen();
            return iface.cast(MnemoMeta.sessionOf(this).database());
        }
        return super.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface == dev.mnemo.engine.Mnemo.class || super.isWrapperFor(iface);
    }

    /** A closed connection fails every call with SQLState 08003. */
    @Override
    protected void checkOpen() throws SQLException {
        if (isClosed()) {
            throw new java.sql.SQLNonTransientConnectionException("connection is closed", "08003");
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return aborted || super.isClosed();
    }

    /** Whether {@link #abort} was called. */
    boolean aborted() {
        return aborted;
    }

    /**
     * Avatica's, with a failure of the storage while the last connection closes its database (the last checkpoint
     * found the disk full, say) reported with its SQLState ({@link dev.mnemo.calcite.SqlErrors#storageState});
     * the connection and the database are closed all the same.
     */
    @Override
    public void close() throws SQLException {
        synchronized (this) { // the user's close and an abort's may meet
            try {
                super.close();
            } catch (SQLException e) {
                String storage = e.getSQLState() == null ? dev.mnemo.calcite.SqlErrors.storageState(e) : null;
                if (storage == null) {
                    throw e;
                }
                throw dev.mnemo.calcite.SqlErrors.exception("closing the database: "
                        + dev.mnemo.calcite.SqlErrors.storageMessage(storage, e.getCause()), storage, e);
            }
        }
    }

    /**
     * JDBC's abort: the connection is closed for its caller at once (every later call fails with 08003), its
     * running statements are stopped (57014), and {@code executor} closes it once they have stopped (its
     * transaction rolled back, its snapshots closed, its locks released). Does nothing on a closed connection.
     */
    @Override
    public void abort(java.util.concurrent.Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor to close the connection on", "HY009");
        }
        if (isClosed()) {
            return;
        }
        aborted = true;
        for (org.apache.calcite.avatica.AvaticaStatement s : statementMap.values()) {
            try {
                getCancelFlag(s.handle).set(true);
            } catch (org.apache.calcite.avatica.NoSuchStatementException closed) {
                // closed meanwhile: nothing runs on it
            }
        }
        MnemoMeta meta = (MnemoMeta) meta();
        executor.execute(() -> {
            meta.awaitIdle();
            try {
                close();
            } catch (SQLException e) {
                org.slf4j.LoggerFactory.getLogger(MnemoConnection.class).warn("closing an aborted connection failed",
                        e);
            }
        });
    }

    /**
     * Keeps the network timeout for {@link #getNetworkTimeout()}: an embedded database has no network to wait for
     * (a statement's own limit is {@code Statement.setQueryTimeout}). A negative one is SQLState HY024.
     */
    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("network timeout " + milliseconds + " is negative", "HY024");
        }
        super.setNetworkTimeout(executor, milliseconds);
    }

    /**
     * Keeps {@code ApplicationName}, {@code ClientHostname} and {@code ClientUser} (what tools set on connect); another
     * name adds a warning. On a closed connection SQLState 08003, a value over 255 characters 22001.
     */
    @Override
    public void setClientInfo(String name, String value) throws java.sql.SQLClientInfoException {
        checkOpenForClientInfo(name);
        String warning = clientInfo.set(name, value);
        if (warning != null) {
            warn(warning);
        }
    }

    /** Replaces all client info with {@code properties} (JDBC: the properties not named are cleared). */
    @Override
    public void setClientInfo(Properties properties) throws java.sql.SQLClientInfoException {
        checkOpenForClientInfo(String.valueOf(properties.keySet()));
        clientInfo.clear();
        for (String name : properties.stringPropertyNames()) {
            setClientInfo(name, properties.getProperty(name));
        }
    }

    private void checkOpenForClientInfo(String names) throws java.sql.SQLClientInfoException {
        boolean closed;
        try {
            closed = isClosed();
        } catch (SQLException e) {
            closed = true;
        }
        if (closed) {
            throw new java.sql.SQLClientInfoException("connection is closed; client info " + names + " not set",
                    "08003", java.util.Map.of());
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        return clientInfo.all();
    }

    /** Adds a warning to the connection's chain ({@link #getWarnings()}). */
    public void warn(String message) {
        SQLWarning w = new SQLWarning(message, "01000");
        if (warnings == null) {
            warnings = w;
        } else {
            warnings.setNextWarning(w);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings = null;
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        MnemoSession session = MnemoMeta.sessionOf(this);
        boolean now;
        try {
            now = session.setReadOnly(readOnly);
        } catch (AvaticaClientRuntimeException e) {
            throw new SQLException(e.getMessage(), e.getSqlState(), e);
        }
        if (now != readOnly) {
            warn("the connection was opened read-only (read-only=true): it stays read-only");
        }
        super.setReadOnly(now);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        switch (level) {
            case TRANSACTION_SERIALIZABLE -> {
            }
            case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ ->
                    warn("transaction isolation level " + isolationName(level) + " requested: Mnemo runs every "
                            + "transaction SERIALIZABLE, which gives at least its guarantees");
            case TRANSACTION_NONE -> throw new SQLException("transactions cannot be turned off "
                    + "(TRANSACTION_NONE): Mnemo runs every statement in a SERIALIZABLE transaction", "HY024");
            default -> throw new SQLException("unknown transaction isolation level " + level + ": expected one of "
                    + "the java.sql.Connection TRANSACTION_* constants", "HY024");
        }
        super.setTransactionIsolation(TRANSACTION_SERIALIZABLE);
    }

    private static String isolationName(int level) {
        return switch (level) {
            case TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
            case TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            default -> "SERIALIZABLE";
        };
    }

    /**
     * Statements of a type or concurrency Mnemo has not (scrollable, updatable) get forward-only, read-only result
     * sets instead, with a warning on the connection, as JDBC asks of a driver that cannot honour the request.
     */
    @Override
    public CalciteStatement createStatement(int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkOpen();
        return super.createStatement(supportedType(resultSetType), supportedConcurrency(resultSetConcurrency),
                resultSetHoldability);
    }

    @Override
    public CalcitePreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkOpen();
        int type = supportedType(resultSetType);
        int concurrency = supportedConcurrency(resultSetConcurrency);
        if (dev.mnemo.calcite.MnemoDdl.isDdl(sql)) {
            // Calcite's parser knows no Mnemo DDL: the statement is parsed and run when executed (as jOOQ and
            // Spring's JdbcTemplate with arguments send DDL), with no parameters, an update count of 0
            CalcitePrepare.CalciteSignature<Object> ddl = MnemoMeta.ddlSignature(sql);
            CalcitePreparedStatement statement = (CalcitePreparedStatement) factory.newPreparedStatement(this, null,
                    ddl, type, concurrency, resultSetHoldability);
            try {
                server.getStatement(statement.handle).setSignature(ddl);
            } catch (org.apache.calcite.avatica.NoSuchStatementException e) {
                throw new AssertionError("a statement just created is missing", e);
            }
            return statement;
        }
        // as Calcite's connection prepares, but a text this connection prepared before reuses its plan
        try {
            CalcitePrepare.CalciteSignature<Object> signature = ((MnemoMeta) meta()).preparedSignature(sql, -1,
                    text -> MnemoMeta.prepare(this, this::createPrepareContext, text, -1));
            CalcitePreparedStatement statement = (CalcitePreparedStatement) factory.newPreparedStatement(this, null,
                    signature, type, concurrency, resultSetHoldability);
            server.getStatement(statement.handle).setSignature(signature);
            return statement;
        } catch (RuntimeException e) {
            RuntimeException t = dev.mnemo.calcite.SqlErrors.translate(e);
            // the reason in the message, as a plain statement's failure has it (a client shows only the message)
            throw dev.mnemo.calcite.SqlErrors.standard(HELPER.createException("Error while preparing statement ["
                    + sql + "]: " + t.getMessage(), t));
        } catch (Exception e) {
            throw HELPER.createException("Error while preparing statement [" + sql + "]", e);
        }
    }

    private int supportedType(int type) throws SQLException {
        switch (type) {
            case java.sql.ResultSet.TYPE_FORWARD_ONLY:
                return type;
            case java.sql.ResultSet.TYPE_SCROLL_INSENSITIVE, java.sql.ResultSet.TYPE_SCROLL_SENSITIVE:
                warn("scrollable result sets are not supported: the statement's result sets are TYPE_FORWARD_ONLY");
                return java.sql.ResultSet.TYPE_FORWARD_ONLY;
            default:
                throw new SQLException("unknown result set type " + type, "HY024");
        }
    }

    private int supportedConcurrency(int concurrency) throws SQLException {
        switch (concurrency) {
            case java.sql.ResultSet.CONCUR_READ_ONLY:
                return concurrency;
            case java.sql.ResultSet.CONCUR_UPDATABLE:
                warn("updatable result sets are not supported: the statement's result sets are CONCUR_READ_ONLY; "
                        + "change rows with UPDATE, INSERT or DELETE statements");
                return java.sql.ResultSet.CONCUR_READ_ONLY;
            default:
                throw new SQLException("unknown result set concurrency " + concurrency, "HY024");
        }
    }

    @Override
    public java.sql.CallableStatement prepareCall(String sql) throws SQLException {
        throw noProcedures();
    }

    @Override
    public java.sql.CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        throw noProcedures();
    }

    @Override
    public java.sql.CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        throw noProcedures();
    }

    private static SQLException noProcedures() {
        return new java.sql.SQLFeatureNotSupportedException("Mnemo has no stored procedures, so no CallableStatement; "
                + "use a PreparedStatement", "0A000");
    }

    /** SQL needs no translation: Calcite reads JDBC escapes ({@code {fn …}}, {@code {d '…'}}) itself. */
    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepare(sql, GeneratedKeysRequest.of(autoGeneratedKeys));
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepare(sql, GeneratedKeysRequest.of(columnIndexes));
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepare(sql, GeneratedKeysRequest.of(columnNames));
    }

    private java.sql.PreparedStatement prepare(String sql, GeneratedKeysRequest request) throws SQLException {
        checkOpen();
        try {
            Meta.StatementHandle h = meta.prepare(handle, sql, -1);
            return new MnemoPreparedStatement(this, h, h.signature, java.sql.ResultSet.TYPE_FORWARD_ONLY,
                    java.sql.ResultSet.CONCUR_READ_ONLY, getHoldability(), request);
        } catch (RuntimeException e) {
            throw dev.mnemo.calcite.SqlErrors.standard(HELPER.createException("while preparing SQL: " + sql,
                    dev.mnemo.calcite.SqlErrors.translate(e)));
        }
    }

    /** A statement of a Mnemo connection, as the driver's JDBC factory makes it. */
    public static org.apache.calcite.avatica.AvaticaStatement newStatement(AvaticaConnection connection,
            Meta.StatementHandle h, int resultSetType, int resultSetConcurrency, int resultSetHoldability) {
        return new MnemoStatement((CalciteConnectionImpl) connection, h, resultSetType, resultSetConcurrency,
                resultSetHoldability);
    }

    /** A prepared statement of a Mnemo connection (no generated keys), as the driver's JDBC factory makes it. */
    public static org.apache.calcite.avatica.AvaticaPreparedStatement newPreparedStatement(
            AvaticaConnection connection, Meta.StatementHandle h, Meta.Signature signature, int resultSetType,
            int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return new MnemoPreparedStatement((CalciteConnectionImpl) connection, h, signature, resultSetType,
                resultSetConcurrency, resultSetHoldability, GeneratedKeysRequest.NONE);
    }

    /** A query's result set (with streams, BLOBs and CLOBs), as the driver's JDBC factory makes it. */
    public static org.apache.calcite.avatica.AvaticaResultSet newResultSet(
            org.apache.calcite.avatica.AvaticaStatement statement, Meta.Signature signature,
            java.sql.ResultSetMetaData metaData, java.util.TimeZone timeZone, Meta.Frame firstFrame)
            throws SQLException {
        return new MnemoResultSet(statement, (CalcitePrepare.CalciteSignature<?>) signature, metaData, timeZone,
                firstFrame);
    }

    /** A result set of generated keys, made as Avatica makes metadata result sets. */
    java.sql.ResultSet resultSetOf(dev.mnemo.calcite.GeneratedKeys keys) throws SQLException {
        return createResultSet(((MnemoMeta) meta).resultSet(keys), new org.apache.calcite.avatica.QueryState());
    }

    @Override
    public java.sql.Savepoint setSavepoint() throws SQLException {
        return savepoint(null);
    }

    @Override
    public java.sql.Savepoint setSavepoint(String name) throws SQLException {
        if (name == null) {
            throw new SQLException("a named savepoint needs a name; use setSavepoint() for an unnamed one", "3B001");
        }
        return savepoint(name);
    }

    private java.sql.Savepoint savepoint(String name) throws SQLException {
        checkOpen();
        try {
            return new MnemoSavepoint(MnemoMeta.sessionOf(this).setSavepoint(name));
        } catch (AvaticaClientRuntimeException e) {
            throw new SQLException(e.getMessage(), e.getSqlState(), e);
        }
    }

    /**
     * Commits; a commit refused by the database reaches the caller as a SQLException with its SQLState: 40001 when
     * a cluster node finds that what the transaction read was written since (SQLTransactionRollbackException), 08006
     * or 40003 when the node cannot reach its cluster's majority.
     */
    @Override
    public void commit() throws SQLException {
        try {
            super.commit();
        } catch (AvaticaClientRuntimeException e) {
            throw commitFailure(e);
        }
    }

    /** Switching autocommit on commits the open transaction: refused as {@link #commit()} is. */
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        try {
            super.setAutoCommit(autoCommit);
        } catch (AvaticaClientRuntimeException e) {
            throw commitFailure(e);
        }
    }

    private static SQLException commitFailure(AvaticaClientRuntimeException e) {
        String state = e.getSqlState();
        return "40001".equals(state) ? new java.sql.SQLTransactionRollbackException(e.getMessage(), state, e)
                : state != null && state.startsWith("08")
                ? new java.sql.SQLTransientConnectionException(e.getMessage(), state, e)
                : new SQLException(e.getMessage(), state, e);
    }

    @Override
    public void rollback(java.sql.Savepoint savepoint) throws SQLException {
        checkOpen();
        try {
            MnemoMeta.sessionOf(this).rollbackTo(MnemoSavepoint.of(savepoint));
        } catch (AvaticaClientRuntimeException e) {
            throw new SQLException(e.getMessage(), e.getSqlState(), e);
        }
    }

    @Override
    public void releaseSavepoint(java.sql.Savepoint savepoint) throws SQLException {
        checkOpen();
        try {
            MnemoMeta.sessionOf(this).releaseSavepoint(MnemoSavepoint.of(savepoint));
        } catch (AvaticaClientRuntimeException e) {
            throw new SQLException(e.getMessage(), e.getSqlState(), e);
        }
    }

    @Override
    public TimeZone getTimeZone() {
        return timeZone != null ? timeZone : TimeZone.getDefault();
    }

    /** The configuration, with the settings read on every execution remembered. */
    private static final class Config extends CalciteConnectionConfigImpl {
        private final org.apache.calcite.sql.validate.SqlConformance conformance;

        private final String timeZone;
        private final String locale;
        private final boolean spark;
        private final boolean autoTemp;
        /** The operator table last asked for, with Mnemo's functions ({@link MnemoOperators}). */
        private volatile Object[] operators; // {asked-for default, result}

        Config(Properties properties) {
            super(properties);
            this.timeZone = super.timeZone();
            this.locale = super.locale();
            this.spark = super.spark();
            this.autoTemp = super.autoTemp();
            this.conformance = new org.apache.calcite.sql.validate.SqlDelegatingConformance(super.conformance()) {
                @Override
                public boolean checkedArithmetic() {
                    return true;
                }
            };
        }

        @Override
        public String timeZone() {
            return timeZone;
        }

        @Override
        public String locale() {
            return locale;
        }

        @Override
        public boolean spark() {
            return spark;
        }

        @Override
        public boolean autoTemp() {
            return autoTemp;
        }

        /**
         * Calcite's conformance with checked arithmetic: an exact (integer, DECIMAL) operation that overflows its
         * type fails with SQLState 22003, as the SQL standard, H2 and PostgreSQL have it, instead of wrapping
         * around ({@code 9223372036854775807 + 1} was {@code -9223372036854775808}).
         */
        @Override
        public org.apache.calcite.sql.validate.SqlConformance conformance() {
            return conformance;
        }

        /** Calcite's operator table with Mnemo's functions after it. */
        @Override
        public <T> T fun(Class<T> operatorTableClass, T defaultOperatorTable) {
            T table = super.fun(operatorTableClass, defaultOperatorTable);
            if (operatorTableClass != SqlOperatorTable.class || table == null) {
                return table;
            }
            Object[] cached = operators;
            if (cached == null || cached[0] != table) {
                cached = new Object[] {table, MnemoOperators.with((SqlOperatorTable) table)};
                operators = cached;
            }
            return operatorTableClass.cast(cached[1]);
        }
    }
}
