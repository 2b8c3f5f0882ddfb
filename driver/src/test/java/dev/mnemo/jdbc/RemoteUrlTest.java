package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code jdbc:mnemo:remote:} URLs: what they name, what is refused before any connection is tried. */
class RemoteUrlTest {
    @Test
    void aRemoteUrl_namesHostPortDatabaseAndProperties_theUrlWinningOverConnectProperties() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", "bob");
        info.setProperty("password", "pw");
        info.setProperty("ApplicationName", "DBeaver");
        RemoteUrl u = RemoteUrl.parse("jdbc:mnemo:remote://db.example:8765/shop;user=ann;fetch-size=500", info);
        assertThat(u.host()).isEqualTo("db.example");
        assertThat(u.port()).isEqualTo(8765);
        assertThat(u.database()).isEqualTo("shop");
        assertThat(u.props()).containsEntry("user", "ann").containsEntry("password", "pw")
                .containsEntry("fetch-size", "500").doesNotContainKey("applicationname");
        assertThat(RemoteUrl.parse("jdbc:mnemo:remote://[::1]:1/", null).database()).isNull();
        assertThat(RemoteUrl.parse("jdbc:mnemo:remote://[::1]:1/", null).host()).isEqualTo("[::1]");
    }

    @Test
    void aMalformedRemoteUrl_isRefusedWith08001_withoutShowingThePassword() {
        for (String bad : new String[] {"jdbc:mnemo:remote:localhost:1", "jdbc:mnemo:remote://localhost",
            "jdbc:mnemo:remote://localhost:http", "jdbc:mnemo:remote://localhost:0",
            "jdbc:mnemo:remote://localhost:70000", "jdbc:mnemo:remote://localhost:1;password=s3cret;bogus",
            "jdbc:mnemo:remote://localhost:1;password=s3cret;colour=blue",
            "jdbc:mnemo:remote://localhost:1;password =s3cret;colour=blue",
            "jdbc:mnemo:remote://localhost:1;pasword=s3cret", "jdbc:mnemo:remote://localhost:1;PassWord=s3cret;x",
            "jdbc:mnemo:remote://localhost:1;password=s3cret;auth=kerberos",
            "jdbc:mnemo:remote://localhost:1;password=se;s3cret", "jdbc:mnemo:remote://localhost:1;password:s3cret",
            "jdbc:mnemo:remote://bob:s3cret@localhost:1", "jdbc:mnemo:remote:bob:s3cret@localhost:1"}) {
            assertThatThrownBy(() -> DriverManager.getConnection(bad)).as(bad)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isIn("08001", "HY024"))
                    .hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void noServerListening_is08001_namingTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "jdbc:mnemo:remote://127.0.0.1:" + port + ";user=ann;password=s3cret";
        assertThatThrownBy(() -> DriverManager.getConnection(url))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("127.0.0.1:" + port).hasMessageNotContaining("s3cret");
    }
}
