package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting a thread that runs statements (what an executor's cancel(true) or a web server's request timeout
 * does) cancels that thread's statement (SQLState 57014) and nothing else: other connections go on writing, and
 * every acknowledged row is there after a restart.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void interruptStorm_cancelsTheWritersStatements_andTheDatabaseGoesOnWriting() throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db") + ";close-on-last=true";
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> states = new CopyOnWriteArrayList<>();
        AtomicLong next = new AtomicLong();
        try (Connection main = DriverManager.getConnection(url); Statement s = main.createStatement()) {
            s.execute("create table t (id bigint primary key, v varchar(300)) with (storage = disc_only_copies)");
            // plan and compile the writers' statement once, so that no writer spends the storm in cold planning
            try (PreparedStatement warm = main.prepareStatement("insert into t values (?, ?)")) {
                warm.setLong(1, -2);
                warm.setString(2, "warm");
                warm.executeUpdate();
            }
            for (int round = 0; round < 20; round++) {
                java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
                Thread writer = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(url);
                         PreparedStatement p = c.prepareStatement("insert into t values (?, ?)")) {
                        while (true) {
                            long id = next.incrementAndGet();
                            p.setLong(1, id);
                            p.setString(2, "x".repeat(250));
                            p.executeUpdate();
                            acknowledged.add(id);
                            writing.countDown();
                        }
                    } catch (SQLException e) {
                        states.add(e.getSQLState());
                    } finally {
                        writing.countDown();
                    }
                });
                writer.start();
                writing.await(60, java.util.concurrent.TimeUnit.SECONDS); // it is writing: interrupt it mid-stream
                Thread.sleep(10);
                writer.interrupt();
                writer.join(60_000);
                assertThat(writer.isAlive()).as("writer of round %d stopped", round).isFalse();
            }
            // each writer stopped on its own statement, canceled as interrupted
            assertThat(states).hasSize(20).containsOnly("57014");
            assertThat(acknowledged).isNotEmpty();
            s.executeUpdate("insert into t values (-1, 'after the storm')");
            assertThat(rows(s.executeQuery("select v from t where id = -1"))).containsExactly("after the storm");
        }
        try (Connection again = DriverManager.getConnection(url); Statement s = again.createStatement()) {
            assertThat(rows(s.executeQuery("select count(*) from t where id > 0")))
                    .containsExactly(String.valueOf(acknowledged.size()));
            assertThat(rows(s.executeQuery("select count(*) from t where id = -1"))).containsExactly("1");
        }
    }
}
