package org.apache.calcite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.sql.advise.SqlAdvisor;
import org.junit.jupiter.api.Test;

/** Mnemo's per-execution data context answers every variable as Calcite's own context does. */
class MnemoDataContextTest {
    @Test
    void everyVariable_isCalcitesValue() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:mem:datacontext");
             Hook.Closeable clock = Hook.CURRENT_TIME.addThread(
                     (org.apache.calcite.util.Holder<Long> h) -> h.set(1_700_000_000_123L))) {
            MnemoConnection connection = c.unwrap(MnemoConnection.class);
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("?0", 42L);
            parameters.put("?1", null);
            parameters.put(DataContext.Variable.CANCEL_FLAG.camelName, new AtomicBoolean());
            CalciteSchema root = connection.getRootSchema().unwrap(CalciteSchema.class);
            DataContext mine = connection.createDataContext(parameters, root);
            DataContext calcites = new CalciteConnectionImpl.DataContextImpl(connection, parameters, root);
            assertThat(mine).isInstanceOf(MnemoDataContext.class);
            for (DataContext.Variable v : DataContext.Variable.values()) {
                if (v == DataContext.Variable.SQL_ADVISOR) {
                    assertThat(mine.get(v.camelName)).isInstanceOf(SqlAdvisor.class);
                } else {
                    assertThat(mine.get(v.camelName)).as(v.camelName).isEqualTo(calcites.get(v.camelName));
                }
            }
            assertThat(mine.get("utcTimestamp")).as("the hook's clock").isEqualTo(1_700_000_000_123L);
            assertThat(mine.get("currentTimestamp")).isEqualTo(1_700_000_000_123L
                    + connection.getTimeZone().getOffset(1_700_000_000_123L));
            assertThat(mine.get("?0")).isEqualTo(42L);
            assertThat(mine.get("?1")).isNull();
            assertThat(mine.get("?2")).isEqualTo(calcites.get("?2")).isNull();
            assertThat(mine.getRootSchema()).isNotNull();
            assertThat(mine.getTypeFactory()).isSameAs(calcites.getTypeFactory());
        }
    }

    @Test
    void currentTimestamp_isTheSameThroughoutOneExecution() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:mem:datacontext2");
             PreparedStatement p = c.prepareStatement("select current_timestamp, localtimestamp, "
                     + "current_timestamp from (values (1), (2), (3)) as t (x)");
             ResultSet rs = p.executeQuery()) {
            Object first = null;
            while (rs.next()) {
                assertThat(rs.getTimestamp(1)).isEqualTo(rs.getTimestamp(3));
                first = first == null ? rs.getTimestamp(1) : first;
                assertThat(rs.getTimestamp(1)).isEqualTo(first);
            }
            assertThat(first).isNotNull();
        }
    }
}
