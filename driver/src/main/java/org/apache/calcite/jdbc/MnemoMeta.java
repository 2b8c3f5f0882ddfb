package org.apache.calcite.jdbc;

import dev.mnemo.calcite.MnemoDdl;
import dev.mnemo.calcite.MnemoSession;
import dev.mnemo.calcite.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * Calcite's Meta bound to a Mnemo session: JDBC commit, rollback and autocommit drive the session's engine
 * transaction (Calcite's own throw UnsupportedOperationException), and autocommit starts on, as JDBC says.
 * It lives in Calcite's package because the connection class it needs is package-private there.
 *
 * <p>The default transaction isolation it reports is SERIALIZABLE.
 */
public final class MnemoMeta extends CalciteMetaImpl {
    private final MnemoSession session;

    private MnemoMeta(CalciteConnectionImpl connection, MnemoSession session) {
        super(connection, CalciteMetaTableFactoryImpl.INSTANCE, CalciteMetaColumnFactoryImpl.INSTANCE);
        this.session = session;
        connProps.setAutoCommit(true);
        connProps.setReadOnly(session.isReadOnly());
        connProps.setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
        connProps.setDirty(false);
    }

    /** The Meta of a new connection. */
    public static Meta create(AvaticaConnection connection, MnemoSession session) {
        return new MnemoMeta((CalciteConnectionImpl) connection, session);
    }

    /** The session of a connection made by the Mnemo driver. */
    public static MnemoSession sessionOf(AvaticaConnection connection) {
        return ((MnemoMeta) ((CalciteConnectionImpl) connection).meta()).session;
    }

    /** Finishes connection set-up as Calcite's own driver does. */
    public static void init(AvaticaConnection connection) {
        ((CalciteConnectionImpl) connection).init();
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        try {
            return super.prepare(ch, sql, maxRowCount);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                                           PrepareCallback callback) throws NoSuchStatementException {
        if (MnemoDdl.isDdl(sql)) {
            return executeDdl(h, sql, callback);
        }
        try {
            return super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    /**
     * DDL runs on the engine's schema (Mnemo's own parser, see MnemoDdl), outside any transaction: like many
     * databases, it first commits the connection's open transaction.
     */
    private ExecuteResult executeDdl(StatementHandle h, String sql, PrepareCallback callback) {
        if (session.isReadOnly()) {
            throw SqlErrors.withState("connection is read-only: cannot run DDL", "25006");
        }
        session.commit();
        long count;
        try {
            count = MnemoDdl.execute(session.database(), sql);
        } catch (SQLException e) {
            throw SqlErrors.withState(e.getMessage(), e.getSQLState());
        }
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

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        try {
            return super.execute(h, parameterValues, maxRowsInFirstFrame);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
            throws NoSuchStatementException {
        try {
            return super.executeBatch(h, parameterValues);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
            throws NoSuchStatementException {
        try {
            return super.prepareAndExecuteBatch(h, sqlCommands);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
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
        session.commit();
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        session.rollback();
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
}
