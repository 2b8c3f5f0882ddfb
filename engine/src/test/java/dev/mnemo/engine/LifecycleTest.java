package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
    @TempDir
    Path dir;

    private String runProbe() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), dir.toString())
                .redirectErrorStream(false).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Xodus's own log writer logged an {@code InaccessibleObjectException} stack trace at INFO the first time a JVM
     * opened a database on disc (it cannot make its channels uninterruptible unless the JVM opens {@code sun.nio.ch}).
     */
    @Test
    void openingADatabaseOnDisc_inAFreshJvm_logsNoStackTrace() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).contains("OPENED []")
                    .contains("INFO jetbrains.exodus.env.EnvironmentImpl - Exodus environment created") // INFO is on
                    .doesNotContain("Exception").doesNotContain("\tat ");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void secondProcess_openingSameDirectory_getsClearErrorAndDataIsIntact() throws Exception {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("t").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.dirtyWrite(Tuple.of("t", 1, "one"));
            String out = runProbe();
            assertThat(out).startsWith("REFUSED DatabaseLockedException").contains("another process");
            db.dirtyWrite(Tuple.of("t", 2, "two"));
        }
        assertThat(runProbe()).isEqualTo("OPENED [t]");
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.dirtyAllKeys("t")).containsExactly(1L, 2L);
        }
    }

    @Test
    void reopen_findsDefinitionsIndexesAndRows() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("users").attribute("id", AttrType.INTEGER)
                    .attribute("email", AttrType.STRING).type(TableType.ORDERED_SET)
                    .storage(StorageType.DISC_ONLY_COPIES).index("email").recordName("user")
                    .userProperty("since", 2024).build());
            db.dirtyWrite("users", Tuple.of("user", 1, "a@x"));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            TableInfo info = db.tableInfo("users");
            assertThat(info.type()).isEqualTo(TableType.ORDERED_SET);
            assertThat(info.storageType()).isEqualTo(StorageType.DISC_ONLY_COPIES);
            assertThat(info.index()).containsExactly("email");
            assertThat(info.recordName()).isEqualTo("user");
            assertThat(info.attributeTypes()).containsExactly(AttrType.INTEGER, AttrType.STRING);
            assertThat(info.userProperties()).containsEntry("since", 2024L);
            assertThat(db.dirtyIndexRead("users", "a@x", "email")).containsExactly(Tuple.of("user", 1, "a@x"));
            assertThatThrownBy(() -> db.dirtyWrite("users", Tuple.of("user", 2, 5)))
                    .isInstanceOf(BadRecordException.class);
        }
    }

    @Test
    void waitForTables_returnsOnceDiscCopiesLoaded() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("big").attributes("k", "v").storage(StorageType.DISC_COPIES).build());
            db.transaction(tx -> {
                for (int i = 0; i < 5000; i++) {
                    tx.write(Tuple.of("big", i, "v" + i));
                }
                return null;
            });
        }
        try (Mnemo db = Mnemo.open(dir)) {
            db.waitForTables(List.of("big"), Duration.ofSeconds(30));
            assertThat(db.tableInfo("big").size()).isEqualTo(5000);
        }
    }

    @Test
    void closedDatabase_rejectsOperationsClearly() {
        Mnemo db = Mnemo.open(dir);
        db.close();
        db.close();
        assertThatThrownBy(() -> db.dirtyRead("t", 1)).isInstanceOf(MnemoException.class).hasMessageContaining("closed");
        assertThatThrownBy(db::start).hasMessageContaining("closed");
    }

    @Test
    void transaction_waitingPastTheLockTimeout_failsClearly_andIsNotReRun() throws Exception {
        try (Mnemo db = Mnemo.open(MnemoConfig.inMemory().withLockTimeout(java.time.Duration.ofMillis(200)))) {
            db.createTable(TableDef.builder("t").attributes("k", "v").build());
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread older = new Thread(() -> db.transaction(tx -> {
                tx.lock("t", 1, LockKind.WRITE);
                locked.countDown();
                done.await(10, TimeUnit.SECONDS);
                return null;
            }));
            older.start();
            locked.await();
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            try {
                assertThatThrownBy(() -> db.transaction(tx -> {
                    runs.incrementAndGet();
                    return tx.read("t", 1);
                })).isInstanceOf(TransactionAbortedException.class).hasMessageContaining("lock wait timeout");
            } finally {
                done.countDown();
                older.join();
            }
            assertThat(runs.get()).isEqualTo(1);
            assertThat(db.<List<Tuple>>transaction(tx -> tx.read("t", 1))).isEmpty();
        }
    }
}
