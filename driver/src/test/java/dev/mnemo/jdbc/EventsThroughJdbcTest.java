package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.EventDetail;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.Subscription;
import dev.mnemo.engine.SystemEvent;
import dev.mnemo.engine.TableEvent;
import dev.mnemo.engine.value.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Table events of what SQL commits, through the engine a connection unwraps to. */
class EventsThroughJdbcTest {
    private static final AtomicInteger N = new AtomicInteger();

    private static List<Object> take(BlockingQueue<Object> q, int n) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object e = q.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d (got %s)", i + 1, n, out).isNotNull();
            out.add(e);
        }
        return out;
    }

    private static Object key(Object event) {
        return ((TableEvent.Write) event).record().get(1);
    }

    @Test
    void whatSqlCommits_isToldToTheEnginesSubscribers_andWhatItRollsBackIsNot() throws Exception {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Subscription table;
        Subscription system;
        try (Connection c = DriverManager.getConnection("jdbc:mnemo:mem:events" + N.incrementAndGet()
                + ";close-on-last=true"); Statement s = c.createStatement()) {
            s.execute("create table kv (k int primary key, v varchar(10))");
            assertThat(c.isWrapperFor(Mnemo.class)).isTrue();
            Mnemo db = c.unwrap(Mnemo.class);
            table = db.subscribe("kv", EventDetail.DETAILED, events::add);
            system = db.subscribeSystem(events::add);

            s.executeUpdate("insert into kv values (1, 'a')");
            List<Object> first = take(events, 1);
            assertThat(((TableEvent.Write) first.get(0)).old()).isEmpty();
            assertThat(((TableEvent.Write) first.get(0)).record().get(2)).isEqualTo("a");

            c.setAutoCommit(false);
            s.executeUpdate("insert into kv values (2, 'b')");
            s.executeUpdate("update kv set v = 'a2' where k = 1");
            assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("nothing before the commit").isNull();
            c.commit();
            List<Object> tx = take(events, 2);
            assertThat(tx).extracting(EventsThroughJdbcTest::key).containsExactly(1L, 2L);
            TableEvent.Write update = (TableEvent.Write) tx.get(0);
            assertThat(update.old()).extracting(r -> r.get(2)).containsExactly("a");
            assertThat(update.transaction()).as("one SQL transaction, one id")
                    .isEqualTo(((TableEvent.Write) tx.get(1)).transaction());

            s.executeUpdate("insert into kv values (3, 'undone')");
            c.rollback();
            try (PreparedStatement p = c.prepareStatement("insert into kv values (?, ?)")) {
                for (int k = 10; k < 13; k++) {
                    p.setInt(1, k);
                    p.setString(2, "batch");
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
            assertThat(take(events, 3)).extracting(EventsThroughJdbcTest::key).containsExactly(10L, 11L, 12L);
            c.setAutoCommit(true);
            s.executeUpdate("delete from kv where k = 2");
            assertThat(take(events, 1).get(0)).isInstanceOfSatisfying(TableEvent.Delete.class,
                    d -> assertThat(d.key()).isEqualTo(2L));
            assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("nothing of the rolled-back insert").isNull();
        }
        assertThat(events.poll(30, TimeUnit.SECONDS)).as("the last connection's close stopped the database")
                .isInstanceOf(SystemEvent.Stopped.class);
        assertThat(table.isOpen()).isFalse();
        assertThat(system.isOpen()).isFalse();
    }

    @Test
    void unwrapping_aClosedConnection_fails08003_andOtherTypesAsBefore() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:mnemo:mem:events" + N.incrementAndGet()
                + ";close-on-last=true");
        assertThatThrownBy(() -> c.unwrap(Tuple.class)).isInstanceOf(SQLException.class);
        assertThat(c.isWrapperFor(Tuple.class)).isFalse();
        c.close();
        assertThatThrownBy(() -> c.unwrap(Mnemo.class)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08003"));
    }
}
