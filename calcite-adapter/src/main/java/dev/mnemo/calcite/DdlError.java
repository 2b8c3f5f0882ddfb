package dev.mnemo.calcite;

import dev.mnemo.engine.BadRecordException;
import dev.mnemo.engine.MnemoException;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.ReadOnlyTableException;
import dev.mnemo.engine.SchemaException;
import dev.mnemo.engine.TableExistsException;
import dev.mnemo.engine.TransactionConflictException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;

/**
 * A DDL statement failed: carries the SQLState and becomes a {@link SQLException} at the API boundary (it is
 * unchecked so that it can leave the engine's callbacks). Also translates engine exceptions.
 */
final class DdlError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String SYNTAX = "42000";
    static final String INVALID = "42000";
    static final String TABLE_EXISTS = "42S01";
    static final String NO_TABLE = "42S02";
    static final String COLUMN_EXISTS = "42S21";
    static final String NO_COLUMN = "42S22";
    static final String INDEX_EXISTS = "42S11";
    static final String NO_INDEX = "42S12";
    static final String NOT_SUPPORTED = "0A000";
    static final String FOREIGN_KEY = "23503";
    static final String DEPENDENT = "2BP01";
    static final String NO_CONSTRAINT = "42704";
    static final String WRONG_OBJECT = "42809";

    private final String sqlState;

    private DdlError(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    /** An error without a position in the statement. */
    static DdlError of(String sqlState, String message) {
        return new DdlError(sqlState, message);
    }

    /** A syntax error at a position: "DDL syntax error at line L, column C: message" (SQLState 42000). */
    static DdlError syntax(int line, int column, String message) {
        return new DdlError(SYNTAX, "DDL syntax error at line " + line + ", column " + column + ": " + message);
    }

    /** A syntax error: "DDL syntax error at line L, column C: expected X but found 'T'". */
    static DdlError expected(DdlToken found, String expected) {
        return syntax(found.line(), found.column(), "expected " + expected + " but found " + found.describe());
    }

    /** A semantic error found while parsing, at a token: "DDL error at line L, column C: message". */
    static DdlError at(DdlToken token, String sqlState, String message) {
        return new DdlError(sqlState, "DDL error at line " + token.line() + ", column " + token.column() + ": "
                + message);
    }

    /** The JDBC exception of this error's SQLState (see {@link SqlErrors#exception}). */
    SQLException toSqlException() {
        return SqlErrors.exception(getMessage(), sqlState, null);
    }

    /**
     * An engine exception as a JDBC one, keeping its message and cause: existing table 42S01, missing table 42S02,
     * invalid definition 42000, record not fitting 22000, read-only table 25006, lock conflict 40001, a failure of
     * the storage its state ({@link SqlErrors#storageState}), others HY000.
     */
    static SQLException translate(MnemoException e) {
        String m = e.getMessage();
        if (e instanceof TableExistsException) {
            return new SQLSyntaxErrorException(m, TABLE_EXISTS, e);
        }
        if (e instanceof NoSuchTableException) {
            return new SQLSyntaxErrorException(m, NO_TABLE, e);
        }
        if (e instanceof SchemaException) {
            return new SQLSyntaxErrorException(m, INVALID, e);
        }
        if (e instanceof BadRecordException) {
            return new SQLDataException(m, "22000", e);
        }
        if (e instanceof ReadOnlyTableException) {
            return new SQLNonTransientException(m, "25006", e);
        }
        if (e instanceof TransactionConflictException) {
            return new SQLTransactionRollbackException(m, "40001", e);
        }
        if (e instanceof dev.mnemo.engine.OperationInterruptedException) {
            return new java.sql.SQLTransientException(m, "57014", e);
        }
        String cluster = Errors.clusterState(e);
        if (cluster != null) {
            return cluster.startsWith("08") ? new java.sql.SQLTransientConnectionException(m, cluster, e)
                    : new SQLException(m, cluster, e);
        }
        String storage = SqlErrors.storageState(e);
        return storage == null ? new SQLException(m, "HY000", e)
                : SqlErrors.exception(SqlErrors.storageMessage(storage, e), storage, e);
    }
}
