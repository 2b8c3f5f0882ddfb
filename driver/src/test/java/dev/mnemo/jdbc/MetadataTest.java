package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Tuple;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.jdbc.MnemoMeta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DatabaseMetaData as SQL clients (DBeaver, BI tools) read it on connect: the database's capabilities. */
class MetadataTest {
    private static final String URL = "jdbc:mnemo:mem:metadata";

    private Connection c;
    private DatabaseMetaData md;
    private Mnemo db;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection(URL);
        md = c.getMetaData();
        db = MnemoMeta.sessionOf((AvaticaConnection) c).database();
        db.createTable(TableDef.builder("users").attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .attribute("email", AttrType.STRING).attribute("score", AttrType.DOUBLE)
                .attribute("price", AttrType.DECIMAL).attribute("active", AttrType.BOOLEAN)
                .attribute("photo", AttrType.BINARY).attribute("born", AttrType.DATE).attribute("wakes", AttrType.TIME)
                .attribute("seen", AttrType.DATETIME).attribute("at", AttrType.INSTANT)
                .attribute("extra", AttrType.ANY).index("email", "name")
                .userProperty("sql.indexes", Map.of("users_by_name", "name")).build());
        db.createTable(TableDef.builder("lines").attribute("$key", AttrType.TUPLE).attribute("qty", AttrType.INTEGER)
                .attribute("note", AttrType.STRING).type(TableType.ORDERED_SET)
                .userProperty("sql.columns", List.of("orderkey", "qty", "line", "note"))
                .userProperty("sql.key", List.of("orderkey", "line"))
                .userProperty("sql.key.types", List.of("INTEGER", "INTEGER"))
                .userProperty("sql.not_null", List.of("qty")).build());
        db.transaction(tx -> {
            for (long i = 1; i <= 3; i++) {
                tx.write(Tuple.of("users", i, "n" + i, "e" + i, null, null, null, null, null, null, null, null, null));
            }
            return null;
        });
    }

    @AfterEach
    void tearDown() throws SQLException {
        c.close();
    }

    @Test
    void productDriverAndQuoting_areMnemos() throws SQLException {
        assertThat(md.getDatabaseProductName()).isEqualTo("Mnemo");
        assertThat(md.getDatabaseProductVersion()).isEqualTo("0.1.0").isEqualTo(db.systemInfo().version());
        assertThat(md.getDatabaseMajorVersion()).isZero();
        assertThat(md.getDatabaseMinorVersion()).isEqualTo(1);
        assertThat(md.getDriverName()).isEqualTo("Mnemo JDBC Driver");
        assertThat(md.getDriverVersion()).isEqualTo("0.1.0");
        assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
        assertThat(md.getURL()).isEqualTo(URL);
    }

    @Test
    void isReadOnly_onlyForReadOnlyConnections() throws SQLException {
        assertThat(md.isReadOnly()).isFalse();
        try (Connection ro = DriverManager.getConnection(URL + ";read-only=true")) {
            assertThat(ro.getMetaData().isReadOnly()).isTrue();
            assertThat(ro.isReadOnly()).isTrue();
        }
    }

    @Test
    void transactions_areSupported_atSerializableOnly() throws SQLException {
        assertThat(md.supportsTransactions()).isTrue();
        assertThat(md.supportsMultipleTransactions()).isTrue();
        assertThat(md.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE)).isTrue();
        for (int level : new int[] {Connection.TRANSACTION_NONE, Connection.TRANSACTION_READ_UNCOMMITTED,
                Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ}) {
            assertThat(md.supportsTransactionIsolationLevel(level)).as("level %d", level).isFalse();
        }
    }
}
