package org.apache.calcite.avatica.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection of a statement Avatica's JDBC Meta keeps; its field is package-private, hence this class in
 * Avatica's package. Mnemo's server uses it to drop the statements of a connection it closes.
 */
public final class StatementInfos {
    private StatementInfos() {
    }

    /** The connection of {@code info}'s statement, or null if it has none (or it cannot say: closed). */
    public static Connection connectionOf(StatementInfo info) {
        try {
            return info.statement == null ? null : info.statement.getConnection();
        } catch (SQLException e) {
            return null;
        }
    }
}
