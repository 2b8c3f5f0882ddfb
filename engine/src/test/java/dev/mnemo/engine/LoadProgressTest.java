package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waiting for a disc_copies table that is still loading reports how far the load has got: in the timeout's
 * message, to a progress callback while it waits, and as done once it has loaded.
 */
class LoadProgressTest {
    @TempDir
    Path dir;

    @Test
    void aTableStillLoading_isReportedWithItsRecordsLoadedOfThoseStored() throws Exception {
        try (Mnemo db = Mnemo.open(MnemoConfig.disc(dir).withLoadTimeout(Duration.ofMillis(200)))) {
            db.createTable(TableDef.builder("t").attributes("id", "v").storage(StorageType.DISC_COPIES).build());
            db.createTable(TableDef.builder("r").attributes("id", "v").storage(StorageType.RAM_COPIES).build());
            db.transaction(tx -> {
                for (long i = 0; i < 1_500; i++) {
                    tx.write(Tuple.of("t", i, "v" + i));
                }
                tx.write(Tuple.of("r", 1L, "ram"));
                return null;
            });
            CountDownLatch release = new CountDownLatch(1);
            db.db.beforeLoad = () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            db.stop();
            db.start();
            try {
                assertThatThrownBy(() -> db.waitForTables(List.of("t"), Duration.ofMillis(50)))
                        .isInstanceOf(TableNotLoadedException.class)
                        .hasMessageContaining("t (0 of 1,500 records loaded)");
                assertThatThrownBy(() -> db.dirtyRead("t", 1L)).isInstanceOf(TableNotLoadedException.class)
                        .hasMessageContaining("not loaded within 200 ms (0 of 1,500 records loaded)");
                List<LoadProgress> reports = new CopyOnWriteArrayList<>();
                Thread waiter = new Thread(() -> db.waitForTables(List.of("r", "t"), Duration.ofSeconds(60),
                        reports::add));
                waiter.start();
                long until = System.nanoTime() + 30_000_000_000L;
                while (reports.stream().noneMatch(p -> p.table().equals("t")) && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertThat(reports).first().isEqualTo(new LoadProgress("r", 0, 0, true));
                assertThat(reports.get(1)).isEqualTo(new LoadProgress("t", 0, 1_500, false));
                release.countDown();
                waiter.join(30_000);
                assertThat(reports.get(reports.size() - 1)).isEqualTo(new LoadProgress("t", 1_500, 1_500, true));
                assertThat(db.dirtyRead("t", 7L)).containsExactly(Tuple.of("t", 7L, "v7"));
            } finally {
                release.countDown();
                db.db.beforeLoad = null;
            }
        }
    }
}
