package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XodusStore.scan against HeapStore.scan for every range shape, bags with and without duplicates. */
@org.junit.jupiter.api.Timeout(120)
/** XodusStore scans agree with HeapStore scans for every bound, direction and table shape. */
class XodusStoreScanTest {
    @TempDir
    Path dir;

    /** Reverse walks of a disc_only bag: getPrevDup after getNextDup and getPrevNoDup on the prefixed dup store. */
    @Test
    void discOnlyBag_lastAndFoldr_walkBackwards() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(TableDef.builder("b").attributes("k", "v").type(TableType.BAG)
                    .storage(StorageType.DISC_ONLY_COPIES).build());
            db.transaction(tx -> {
                for (int k = 1; k <= 3; k++) {
                    for (int v = 0; v < 3; v++) {
                        tx.write(Tuple.of("b", k, v));
                    }
                }
                return null;
            });
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
                java.util.Optional<Object> last = db.transaction(tx -> tx.last("b"));
                assertThat(last).contains(3L);
                Integer n = db.transaction(tx -> tx.foldr("b", 0, (r, a) -> a + 1));
                assertThat(n).isEqualTo(9);
            });
        }
    }

    @Test
    void xodusScan_agreesWithHeapScan_forEveryBound() {
        Environment env = Environments.newInstance(dir.toFile(), new EnvironmentConfig().setMemoryUsage(8 << 20).setEnvCloseForcedly(true));
        try {
            for (boolean bag : new boolean[] {false, true}) {
                Random rnd = new Random(bag ? 1 : 2);
                XodusStore x = env.computeInTransaction(xt -> new XodusStore(env, xt, bag ? 1 : 2, bag ? TableType.DUPLICATE_BAG : TableType.SET, true,
                        List.of(), 100));
                HeapStore h = new HeapStore(3, List.of());
                env.executeInTransaction(xt -> {
                    for (long k = 0; k < 400; k += 2) { // even keys only, so odd bounds fall between keys
                        List<Tuple> recs = new ArrayList<>();
                        int n = bag ? 1 + rnd.nextInt(3) : 1;
                        for (int i = 0; i < n; i++) {
                            recs.add(Tuple.of("t", k, (long) i));
                        }
                        x.stage(xt, k, List.of(), List.copyOf(recs));
                        h.publish(k, List.of(), List.copyOf(recs));
                    }
                });
                List<String> failures = new ArrayList<>();
                Long[] bounds = {null, -5L, 0L, 1L, 2L, 100L, 101L, 398L, 399L, 1000L};
                for (Long lo : bounds) {
                    for (Long hi : bounds) {
                        for (boolean li : new boolean[] {true, false}) {
                            for (boolean hiIn : new boolean[] {true, false}) {
                                for (boolean rev : new boolean[] {false, true}) {
                                    KeyRange r = new KeyRange(lo, li, hi, hiIn);
                                    List<Object> a = new ArrayList<>();
                                    List<Object> b = new ArrayList<>();
                                    x.scan(r, rev, (k, recs) -> a.add(List.of(k, recs)) && a.size() < 1000);
                                    h.scan(r, rev, (k, recs) -> b.add(List.of(k, recs)));
                                    if (!a.equals(b)) {
                                        failures.add("bag=" + bag + " " + r + " rev=" + rev + " xodus=" + a.size()
                                                + " heap=" + b.size() + " x0..3=" + a.subList(0, Math.min(3, a.size())) + " h0..3=" + b.subList(0, Math.min(3, b.size())));
                                    }
                                }
                            }
                        }
                    }
                }
                assertThat(failures).isEmpty();
            }
        } finally {
            env.close();
        }
    }
}
