package dev.mnemo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcWalkthroughTest {
    @TempDir
    Path dir;

    @Test
    void jdbcWalkthrough_printsTheLessonsResults() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new JdbcWalkthrough(new PrintStream(buf, true, StandardCharsets.UTF_8)).run("jdbc:mnemo:" + dir);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("users: [1|Alice Smith]")
                .contains("sessions of user 1: [sess_1, sess_2]")
                .contains("posts by author 1: [Getting Started with Mnesia, Transactions]")
                .contains("comments per post: [Getting Started with Mnesia|2]")
                .contains("transfer 30 alice->bob: committed")
                .contains("transfer 500 alice->bob: rolled back: insufficient_funds")
                .contains("balances: [alice|70, bob|80]")
                .contains("key_lookup");
    }
}
