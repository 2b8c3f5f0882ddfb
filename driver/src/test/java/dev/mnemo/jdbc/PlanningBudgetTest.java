package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The physical planning phase stops at its time budget (system property {@code mnemo.planningBudgetMillis}) and
 * keeps the best plan found; with no plan yet it goes on until it has one. Either way the rows are right.
 */
class PlanningBudgetTest {
    private static final String SIX_TABLES = "select t1.id, t6.v from t1 join t2 on t2.up = t1.id "
            + "join t3 on t3.up = t2.id join t4 on t4.up = t3.id join t5 on t5.up = t4.id "
            + "join t6 on t6.up = t5.id where t1.v < 20 and t6.v % 3 = 0 order by t1.id, t6.v";
    private Connection c;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:budget;close-on-last=true");
        try (Statement s = c.createStatement()) {
            for (int t = 1; t <= 6; t++) {
                s.execute("create table t" + t + " (id bigint primary key, up bigint, v bigint)");
                try (PreparedStatement p = c.prepareStatement("insert into t" + t + " values (?, ?, ?)")) {
                    for (int i = 0; i < 60; i++) {
                        p.setLong(1, i);
                        p.setLong(2, (i * 7 + t) % 60);
                        p.setLong(3, (i * 13 + t) % 50);
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        System.clearProperty("mnemo.planningBudgetMillis");
        c.close();
    }

    private List<String> sixTableRows() throws SQLException {
        try (PreparedStatement p = c.prepareStatement(SIX_TABLES)) {
            return rows(p.executeQuery());
        }
    }

    @Test
    void noTimeAtAll_stillPlans_andGivesTheSameRows() throws SQLException {
        List<String> planned = sixTableRows();
        assertThat(planned).isNotEmpty();
        System.setProperty("mnemo.planningBudgetMillis", "0");
        assertThat(sixTableRows()).isEqualTo(planned);
        System.setProperty("mnemo.planningBudgetMillis", "2");
        assertThat(sixTableRows()).isEqualTo(planned);
    }
}
