package org.apache.calcite.avatica;

import java.sql.Connection;

/**
 * Avatica's JDBC 4.1 objects for {@code jdbc:mnemo:remote:} connections, with a DatabaseMetaData that answers as the
 * server's database does where Avatica hard-codes other answers: read-only only for a read-only connection,
 * transactions supported (all SERIALIZABLE), the URL the client used. It lives in Avatica's package because
 * Avatica's JDBC 4.1 factory is package-private.
 */
public final class MnemoRemoteFactory extends AvaticaJdbc41Factory {
    /** The client connection property holding the URL without its password, for {@code getURL()}. */
    public static final String URL_PROPERTY = "mnemo.remote.url";

    @Override
    public AvaticaSpecificDatabaseMetaData newDatabaseMetaData(AvaticaConnection connection) {
        return new RemoteMetaData(connection);
    }

    /** Avatica's metadata with Mnemo's answers. */
    private static final class RemoteMetaData extends AvaticaDatabaseMetaData {
        private final AvaticaConnection connection;

        RemoteMetaData(AvaticaConnection connection) {
            super(connection);
            this.connection = connection;
        }

        @Override
        public String getURL() {
            return connection.info.getProperty(URL_PROPERTY, connection.url);
        }

        @Override
        public boolean isReadOnly() throws java.sql.SQLException {
            return connection.isReadOnly();
        }

        @Override
        public boolean supportsTransactions() {
            return true;
        }

        @Override
        public boolean supportsMultipleTransactions() {
            return true;
        }

        @Override
        public java.sql.ResultSet getPrimaryKeys(String catalog, String schema, String table)
                throws java.sql.SQLException {
            return query("PRIMARY_KEYS", catalog, "TABLE_SCHEM = ?", schema, "TABLE_NAME = ?", table, "",
                    "TABLE_SCHEM, TABLE_NAME, COLUMN_NAME");
        }

        @Override
        public java.sql.ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique,
                boolean approximate) throws java.sql.SQLException {
            return query("INDEXES", catalog, "TABLE_SCHEM = ?", schema, "TABLE_NAME = ?", table,
                    unique ? " AND NOT NON_UNIQUE" : "", "NON_UNIQUE, TYPE, INDEX_NAME, ORDINAL_POSITION");
        }

        @Override
        public java.sql.ResultSet getImportedKeys(String catalog, String schema, String table)
                throws java.sql.SQLException {
            return query("FOREIGN_KEYS", catalog, "FKTABLE_SCHEM = ?", schema, "FKTABLE_NAME = ?", table, "",
                    "PKTABLE_SCHEM, PKTABLE_NAME, FK_NAME, KEY_SEQ");
        }

        @Override
        public java.sql.ResultSet getExportedKeys(String catalog, String schema, String table)
                throws java.sql.SQLException {
            return query("FOREIGN_KEYS", catalog, "PKTABLE_SCHEM = ?", schema, "PKTABLE_NAME = ?", table, "",
                    "FKTABLE_SCHEM, FKTABLE_NAME, FK_NAME, KEY_SEQ");
        }

        @Override
        public java.sql.ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
                String foreignCatalog, String foreignSchema, String foreignTable) throws java.sql.SQLException {
            boolean otherCatalog = foreignCatalog != null && !foreignCatalog.isEmpty();
            return query("FOREIGN_KEYS", otherCatalog ? foreignCatalog : parentCatalog, "PKTABLE_SCHEM = ?",
                    parentSchema, "PKTABLE_NAME = ?", parentTable,
                    foreignSchema == null ? " AND FKTABLE_NAME = " + literal(foreignTable)
                            : " AND FKTABLE_SCHEM = " + literal(foreignSchema) + " AND FKTABLE_NAME = "
                            + literal(foreignTable), "FKTABLE_SCHEM, FKTABLE_NAME, FK_NAME, KEY_SEQ");
        }

        private static String literal(String s) {
            return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
        }

        /**
         * The rows of {@code information_schema.<view>} for one table (exactly named, as JDBC asks), in JDBC's order.
         * Tables have no catalog: a non-empty catalog matches nothing.
         */
        private java.sql.ResultSet query(String view, String catalog, String schemaTest, String schema,
                String tableTest, String table, String more, String order) throws java.sql.SQLException {
            boolean none = table == null || (catalog != null && !catalog.isEmpty());
            String sql = "SELECT * FROM information_schema." + view + " WHERE " + (none ? "1 = 0" : tableTest)
                    + (schema == null || none ? "" : " AND " + schemaTest) + more + " ORDER BY " + order;
            java.sql.PreparedStatement p = connection.prepareStatement(sql);
            try {
                if (!none) {
                    p.setString(1, table);
                    if (schema != null) {
                        p.setString(2, schema);
                    }
                }
                p.closeOnCompletion();
                return p.executeQuery();
            } catch (java.sql.SQLException | RuntimeException e) {
                p.close();
                throw e;
            }
        }

        @Override
        public int getDefaultTransactionIsolation() {
            return Connection.TRANSACTION_SERIALIZABLE;
        }

        @Override
        public boolean supportsTransactionIsolationLevel(int level) {
            return level != Connection.TRANSACTION_NONE;
        }
    }
}
