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

    // ---------------------------------------------------------------- what SQL and JDBC features there are
    // (each answer is exercised by DatabaseMetaDataClaimsTest)

    /** NULLs sort as the highest values: last ascending, first descending (Calcite's HIGH null collation). */
    @Override
    public boolean nullsAreSortedHigh() {
        return true;
    }

    @Override
    public boolean nullsAreSortedAtEnd() {
        return false;
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() {
        return true;
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() {
        return true;
    }

    /** Entry level only: Mnemo has no CREATE DOMAIN, CREATE ASSERTION or CHECK constraints. */
    @Override
    public boolean supportsANSI92IntermediateSQL() {
        return false;
    }

    @Override
    public boolean supportsANSI92FullSQL() {
        return false;
    }

    @Override
    public boolean supportsExtendedSQLGrammar() {
        return false;
    }

    /** There are no catalogs: a name has at most a schema ({@code mnemo.t}). */
    @Override
    public boolean supportsCatalogsInDataManipulation() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInProcedureCalls() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInTableDefinitions() {
        return false;
    }

    /** There is no GRANT. */
    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() {
        return false;
    }

    /** There are no stored procedures. */
    @Override
    public boolean supportsSchemasInProcedureCalls() {
        return false;
    }

    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() {
        return false;
    }

    /** A table's correlation name may be the table's own name ({@code from t t}). */
    @Override
    public boolean supportsDifferentTableCorrelationNames() {
        return false;
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() {
        return true;
    }

    /** PRIMARY KEY, FOREIGN KEY and DEFAULT are there, CHECK and UNIQUE constraints are not. */
    @Override
    public boolean supportsIntegrityEnhancementFacility() {
        return false;
    }

    @Override
    public boolean supportsGetGeneratedKeys() {
        return true;
    }

    /** Named or numbered columns of the inserted rows are returned, whatever they are. */
    @Override
    public boolean generatedKeyAlwaysReturned() {
        return true;
    }

    /**
     * CAST (and {@code {fn CONVERT}}) converts among numbers, character strings, booleans and dates/times as SQL
     * does: numbers and strings both ways, booleans to and from strings, dates/times to and from strings, and a
     * TIMESTAMP to and from a DATE or a TIME (not a DATE to a TIME).
     */
    @Override
    public boolean supportsConvert(int fromType, int toType) {
        Kind from = Kind.of(fromType);
        Kind to = Kind.of(toType);
        if (from == null || to == null) {
            return false;
        }
        if (from == Kind.DATETIME && to == Kind.DATETIME) {
            return fromType == toType || fromType == java.sql.Types.TIMESTAMP || toType == java.sql.Types.TIMESTAMP;
        }
        return from == to || from == Kind.TEXT || to == Kind.TEXT;
    }

    /** The kinds of JDBC types for {@link #supportsConvert(int, int)}. */
    private enum Kind {
        NUMBER, TEXT, BOOLEAN, DATETIME;

        static Kind of(int jdbcType) {
            return switch (jdbcType) {
                case java.sql.Types.TINYINT, java.sql.Types.SMALLINT, java.sql.Types.INTEGER, java.sql.Types.BIGINT,
                     java.sql.Types.REAL, java.sql.Types.FLOAT, java.sql.Types.DOUBLE, java.sql.Types.DECIMAL,
                     java.sql.Types.NUMERIC -> NUMBER;
                case java.sql.Types.CHAR, java.sql.Types.VARCHAR -> TEXT;
                case java.sql.Types.BOOLEAN -> BOOLEAN;
                case java.sql.Types.DATE, java.sql.Types.TIME, java.sql.Types.TIMESTAMP -> DATETIME;
                default -> null;
            };
        }
    }

    /** Result sets are forward-only and read-only, over the rows the query produced: no change shows in them. */
    @Override
    public boolean ownUpdatesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean ownDeletesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean ownInsertsAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersUpdatesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersDeletesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersInsertsAreVisible(int type) {
        return false;
    }

    @Override
    public boolean updatesAreDetected(int type) {
        return false;
    }

    @Override
    public boolean deletesAreDetected(int type) {
        return false;
    }

    @Override
    public boolean insertsAreDetected(int type) {
        return false;
    }

    /** A result set stays readable after its transaction commits or rolls back. */
    @Override
    public boolean supportsResultSetHoldability(int holdability) {
        return holdability == java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public int getResultSetHoldability() {
        return java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() {
        return true;
    }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() {
        return true;
    }
}
