package dev.mnemo.jdbc;

import java.sql.Connection;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.MnemoMeta;

/**
 * Avatica's DatabaseMetaData with Mnemo's answers where Avatica hard-codes others: the database is read-only
 * only for a read-only connection; transactions are supported, all SERIALIZABLE (weaker levels are accepted as
 * SERIALIZABLE), several at once (one per connection), and statements stay usable across commit and rollback; the
 * product version is the engine's; the URL is the one the connection was opened with. Everything else, including the catalog queries, comes from
 * Avatica and the connection's Meta ({@link MnemoMeta}).
 */
final class MnemoDatabaseMetaData extends AvaticaDatabaseMetaData {
    private final AvaticaConnection connection;

    MnemoDatabaseMetaData(AvaticaConnection connection) {
        super(connection);
        this.connection = connection;
    }

    @Override
    public String getURL() {
        return ((CalciteConnection) connection).getProperties().getProperty(Driver.URL_PROPERTY);
    }

    @Override
    public boolean isReadOnly() {
        return MnemoMeta.sessionOf(connection).isReadOnly();
    }

    @Override
    public String getDatabaseProductVersion() {
        return MnemoMeta.sessionOf(connection).database().systemInfo().version();
    }

    @Override
    public boolean supportsTransactions() {
        return true;
    }

    /**
     * True for every level but TRANSACTION_NONE: every transaction runs SERIALIZABLE, which gives the guarantees of
     * each weaker level, and a request for one is accepted as SERIALIZABLE (see MnemoConnection).
     */
    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
        return level == Connection.TRANSACTION_SERIALIZABLE || level == Connection.TRANSACTION_REPEATABLE_READ
                || level == Connection.TRANSACTION_READ_COMMITTED || level == Connection.TRANSACTION_READ_UNCOMMITTED;
    }

    @Override
    public boolean supportsSavepoints() {
        return true;
    }

    @Override
    public boolean supportsMultipleTransactions() {
        return true;
    }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() {
        return true;
    }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() {
        return true;
    }
}
