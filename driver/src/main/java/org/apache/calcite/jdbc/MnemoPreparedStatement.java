package org.apache.calcite.jdbc;

import dev.mnemo.calcite.GeneratedKeys;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.calcite.avatica.Meta;

/**
 * Calcite's prepared statement with generated keys: prepared with {@code RETURN_GENERATED_KEYS} (or column names or
 * indexes), each {@code executeUpdate()}, {@code execute()} or {@code executeBatch()} collects the rows it inserts,
 * and {@link #getGeneratedKeys()} gives their keys (a batch's, all of them).
 */
final class MnemoPreparedStatement extends CalcitePreparedStatement {
    private final GeneratedKeysRequest request;
    private final GeneratedKeys.Capture[] captured = new GeneratedKeys.Capture[1];

    MnemoPreparedStatement(CalciteConnectionImpl connection, Meta.StatementHandle h, Meta.Signature signature,
                           int resultSetType, int resultSetConcurrency, int resultSetHoldability,
                           GeneratedKeysRequest request) throws SQLException {
        super(connection, h, signature, resultSetType, resultSetConcurrency, resultSetHoldability);
        this.request = request;
    }

    private <T> T withKeys(GeneratedKeysRequest.Execution<T> execution) throws SQLException {
        if (!request.wanted()) {
            return execution.run();
        }
        checkOpen();
        captured[0] = null;
        return request.run(MnemoMeta.sessionOf(getConnection()), execution, captured);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        return request.resultSet((MnemoConnection) getConnection(), captured[0]);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return withKeys(super::executeLargeUpdate);
    }

    @Override
    public boolean execute() throws SQLException {
        return withKeys(super::execute);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return withKeys(super::executeBatch);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return withKeys(super::executeLargeBatch);
    }
}
