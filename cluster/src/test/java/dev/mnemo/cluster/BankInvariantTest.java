package dev.mnemo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Money moves between accounts from every node while the leader is killed, the killed node restarts and catches up,
 * and the next leader is cut off and healed. Afterwards every node holds the same tables, every acknowledged
 * transfer is in the ledger, the ledger explains every balance, and no money was made or lost.
 */
class BankInvariantTest {
    private static final int ACCOUNTS = 10;
    private static final long START = 1_000;
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @TempDir
    Path dir;

    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();
    private final List<String> unexpected = new ArrayList<>();
    private final AtomicLong lastAck = new AtomicLong();

    @Test
    void everyAcknowledgedTransferSurvives_leaderKills_restarts_andPartitions() throws Exception {
        try (TestCluster c = new TestCluster(dir, "n1", "n2", "n3").startAll()) {
            String first = c.awaitLeader();
            MnemoNode setup = c.node(first);
            setup.createTable(TableDef.builder("account").attributes("id", "balance").build(),
                    new Copies(List.of(), List.of("n1", "n2"), List.of("n3")));
            setup.createTable(TableDef.builder("ledger").attributes("id", "src", "dst", "amount").build(),
                    Copies.disc("n1", "n2", "n3"));
            setup.transaction(tx -> {
                for (long a = 0; a < ACCOUNTS; a++) {
                    tx.write("account", Tuple.of("account", a, START));
                }
                return null;
            });
            for (MnemoNode n : c.nodes()) {
                n.waitForTables(List.of("account", "ledger"), Duration.ofSeconds(10));
            }

            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            for (String name : NODES) {
                for (int t = 0; t < 2; t++) {
                    String prefix = name + "-" + t + "-";
                    Thread w = new Thread(() -> transfers(c, name, prefix, stop), "transfers-" + prefix);
                    w.start();
                    workers.add(w);
                }
            }
            Thread.sleep(1_500);

            // 1. kill the leader: writes resume on the others
            String killed = c.awaitLeader();
            long killedAt = System.nanoTime();
            c.kill(killed);
            long resumed = awaitAckAfter(killedAt);
            Duration gap = Duration.ofNanos(resumed - killedAt);
            Thread.sleep(1_000);

            // 2. the killed node restarts and catches up from the log while writes go on
            c.start(killed);
            c.node(killed).waitForTables(List.of("account", "ledger"), Duration.ofSeconds(20));
            Thread.sleep(1_000);

            // 3. cut the current leader off for a while, then heal
            String cut = c.awaitLeader();
            try (Partition p = Partition.cut(c, Set.of(cut))) {
                long cutAt = System.nanoTime();
                awaitAckAfter(cutAt);
                Thread.sleep(2_000);
            }
            c.awaitContact(cut, false);
            Thread.sleep(1_000);
            stop.set(true);
            for (Thread w : workers) {
                w.join(30_000);
            }

            synchronized (unexpected) {
                assertThat(unexpected).isEmpty();
            }
            assertThat(acked).hasSizeGreaterThan(20);
            assertThat(gap).as("writes resumed after the leader was killed").isLessThan(Duration.ofSeconds(2));
            Map<String, Object> reference = null;
            for (String name : NODES) {
                MnemoNode n = c.node(name);
                Map<String, Object> state = n.linearizableRead(tx -> {
                    Map<String, Object> s = new HashMap<>();
                    for (String t : List.of("account", "ledger")) {
                        List<Tuple> all = tx.foldl(t, new ArrayList<Tuple>(), (rec, acc) -> {
                            acc.add(rec);
                            return acc;
                        });
                        all.sort(null);
                        s.put(t, all);
                    }
                    return s;
                });
                checkInvariants(name, state);
                if (reference == null) {
                    reference = state;
                } else {
                    assertThat(state).as("copies on " + name).isEqualTo(reference);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void checkInvariants(String node, Map<String, Object> state) {
        Map<Object, Long> balance = new HashMap<>();
        long total = 0;
        for (Tuple a : (List<Tuple>) state.get("account")) {
            balance.put(a.get(1), (Long) a.get(2));
            total += (Long) a.get(2);
        }
        assertThat(total).as("money on " + node).isEqualTo(ACCOUNTS * START);
        Map<Object, Long> replayed = new HashMap<>();
        for (long a = 0; a < ACCOUNTS; a++) {
            replayed.put(a, START);
        }
        Set<String> ids = new java.util.HashSet<>();
        for (Tuple l : (List<Tuple>) state.get("ledger")) {
            ids.add((String) l.get(1));
            long amount = (Long) l.get(4);
            replayed.merge(l.get(2), -amount, Long::sum);
            replayed.merge(l.get(3), amount, Long::sum);
        }
        assertThat(ids).as("acknowledged transfers in the ledger on " + node).containsAll(acked);
        Set<String> possible = new java.util.HashSet<>(acked);
        possible.addAll(unknown);
        assertThat(possible).as("every ledger entry was sent by a worker, on " + node).containsAll(ids);
        assertThat(balance).as("balances explained by the ledger on " + node).isEqualTo(replayed);
    }

    private long awaitAckAfter(long t) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (lastAck.get() <= t) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no transfer was acknowledged within 20 s");
            }
            Thread.sleep(5);
        }
        return lastAck.get();
    }

    private void transfers(TestCluster c, String name, String prefix, AtomicBoolean stop) {
        int i = 0;
        while (!stop.get()) {
            MnemoNode n = c.running(name);
            if (n == null) {
                sleep(20);
                continue;
            }
            String id = prefix + i++;
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long src = r.nextLong(ACCOUNTS);
            long dst = (src + 1 + r.nextLong(ACCOUNTS - 1)) % ACCOUNTS;
            long amount = 1 + r.nextLong(50);
            try {
                n.transaction(tx -> {
                    long a = (Long) tx.read("account", src).get(0).get(2);
                    long b = (Long) tx.read("account", dst).get(0).get(2);
                    tx.write("account", Tuple.of("account", src, a - amount));
                    tx.write("account", Tuple.of("account", dst, b + amount));
                    tx.write("ledger", Tuple.of("ledger", id, src, dst, amount));
                    return null;
                });
                acked.add(id);
                lastAck.accumulateAndGet(System.nanoTime(), Math::max);
            } catch (ClusterUnavailableException e) {
                if (e.applied() == null) {
                    unknown.add(id);
                }
                sleep(20);
            } catch (RuntimeException e) {
                unknown.add(id);
                if (c.running(name) == n) {
                    synchronized (unexpected) {
                        unexpected.add(name + ": " + e);
                    }
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
