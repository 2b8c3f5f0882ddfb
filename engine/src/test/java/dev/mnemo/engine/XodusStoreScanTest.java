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
                XodusStore x = env.computeInTransaction(xt -> new XodusStore(env, xt, bag ? 1 : 2, bag ? TableType.DUPLICATE_BAG : TableType.SET, "r", true,
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

    @Test
    void setRecordsAreStoredCompactly_andRecordsStoredAsTermsBeforeThat_areStillRead() {
        Environment env = Environments.newInstance(dir.toFile(), new EnvironmentConfig().setMemoryUsage(8 << 20)
                .setEnvCloseForcedly(true));
        try {
            XodusStore x = env.computeInTransaction(xt -> new XodusStore(env, xt, 3, TableType.ORDERED_SET, "t", true,
                    List.of(2), 100));
            Tuple compact = Tuple.of("t", 1L, "one", 1.5);
            Tuple other = Tuple.of("u", 2L, "named otherwise", 2.5);
            Tuple old = Tuple.of("t", 3L, "written as a term", 3.5);
            env.executeInTransaction(xt -> {
                x.stage(xt, 1L, List.of(), List.of(compact));
                x.stage(xt, 2L, List.of(), List.of(other));
                // as a store wrote before records were compact
                env.openStore("t3", jetbrains.exodus.env.StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, xt).put(xt,
                        XodusStore.bytes(3L), XodusStore.bytes(old));
            });
            env.executeInReadonlyTransaction(xt -> {
                jetbrains.exodus.ByteIterable v = env.openStore("t3",
                        jetbrains.exodus.env.StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, xt).get(xt, XodusStore.bytes(1L));
                assertThat(dev.mnemo.engine.value.RecordCodec.isCompact(v.getBytesUnsafe(), 0, v.getLength())).isTrue();
                assertThat(v.getLength()).isLessThan(dev.mnemo.engine.value.TermCodec.encode(compact).length / 2 + 2);
                assertThat(x.load(xt, 1L)).containsExactly(compact);
                assertThat(x.load(xt, 2L)).containsExactly(other);
                assertThat(x.load(xt, 3L)).containsExactly(old);
            });
            List<Object> scanned = new ArrayList<>();
            x.scan(KeyRange.ALL, false, (k, recs) -> scanned.addAll(recs));
            assertThat(scanned).containsExactly(compact, other, old);
            // the store opened over what was written before it (this one was passed by: no commit published them)
            XodusStore reopened = env.computeInTransaction(xt -> new XodusStore(env, xt, 3, TableType.ORDERED_SET,
                    "t", true, List.of(2), 100));
            assertThat(reopened.get(3L)).containsExactly(old);
        } finally {
            env.close();
        }
    }
}
