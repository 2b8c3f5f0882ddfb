package org.apache.calcite.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.Meta;

/**
 * What a JDBC execution method takes: {@code executeQuery} a query, {@code executeUpdate} anything else (DML, DDL),
 * {@code execute} either. The wrong kind fails before anything runs, with the SQL standard's dynamic SQL states:
 * 07005 (not a cursor specification) for {@code executeQuery} of an INSERT, 07003 (a cursor specification cannot
 * be executed) for {@code executeUpdate} of a SELECT. Avatica ran the INSERT and then failed without a SQLState,
 * and ran the SELECT as an update.
 */
enum StatementKind {
    ANY, QUERY, UPDATE;

    /** Fails if a statement of type {@code type} (null for DDL) is not of this kind. */
    void check(Meta.StatementType type) throws SQLException {
        boolean query = type == Meta.StatementType.SELECT;
        if (this == QUERY && !query) {
            throw new SQLException("executeQuery needs a query, and this statement is " + describe(type)
                    + ": use executeUpdate or execute", "07005");
        }
        if (this == UPDATE && query) {
            throw new SQLException("executeUpdate cannot run a query, which returns rows: use executeQuery or "
                    + "execute", "07003");
        }
    }

    private static String describe(Meta.StatementType type) {
        return type == null || type == Meta.StatementType.OTHER_DDL ? "DDL"
                : type == Meta.StatementType.IS_DML ? "DML (INSERT, UPDATE, DELETE or MERGE)" : type.name();
    }
}
