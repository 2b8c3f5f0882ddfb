package org.apache.calcite.jdbc;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;

/**
 * A runtime failure met while a result set's rows are computed (Calcite's generated code, a streamed scan's next
 * chunk) as the {@link SQLException} a JDBC caller expects, with the standard SQLState and the cause attached:
 * Avatica lets them out of {@code ResultSet.next()} as they are.
 */
final class SqlStates {
    private SqlStates() {
    }

    static SQLException of(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AvaticaClientRuntimeException a) {
                return byState(a.getMessage(), a.getSqlState(), e);
            }
            if (t instanceof ArithmeticException a) {
                String m = String.valueOf(a.getMessage());
                return m.contains("by zero") || m.contains("Division undefined")
                        ? new SQLDataException("division by zero", "22012", e)
                        : new SQLDataException("numeric value out of range: " + m, "22003", e);
            }
            if (t instanceof NumberFormatException n) {
                return new SQLDataException("invalid number: " + n.getMessage(), "22018", e);
            }
        }
        return new SQLException(String.valueOf(e.getMessage()), "HY000", e);
    }

    private static SQLException byState(String message, String state, Throwable cause) {
        if (state == null) {
            return new SQLException(message, "HY000", cause);
        }
        if (state.startsWith("22")) {
            return new SQLDataException(message, state, cause);
        }
        if (state.startsWith("23")) {
            return new SQLIntegrityConstraintViolationException(message, state, cause);
        }
        if (state.startsWith("40")) {
            return new SQLTransactionRollbackException(message, state, cause);
        }
        return new SQLException(message, state, cause);
    }
}
