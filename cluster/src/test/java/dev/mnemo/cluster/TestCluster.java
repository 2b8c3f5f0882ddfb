package dev.mnemo.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.ratis.conf.RaftProperties;
import java.util.concurrent.ConcurrentSkipListMap;

/** Nodes of one cluster in this JVM, on loopback ports chosen at run time, each in its own directory. */
final class TestCluster implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, MnemoNode> running = new ConcurrentSkipListMap<>();
    private Consumer<RaftProperties> tuning = p -> { };

    TestCluster(Path dir, String... names) {
        this.dir = dir;
        for (String n : names) {
            addresses.put(n, "127.0.0.1:" + freePort());
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean waitForCopies = true;

    NodeConfig config(String name) {
        return NodeConfig.of(name, dir.resolve(name), addresses).withRequestTimeout(Duration.ofSeconds(5))
                .withWaitForCopies(waitForCopies);
    }

    /** Nodes started from now on return writes without waiting for a majority of each table's copies. */
    TestCluster notWaitingForCopies() {
        this.waitForCopies = false;
        return this;
    }

    /** Tunes Ratis on every node started from now on. */
    TestCluster tuned(Consumer<RaftProperties> t) {
        this.tuning = t;
        return this;
    }

    /** Starts every node not running. */
    TestCluster startAll() {
        for (String n : addresses.keySet()) {
            if (!running.containsKey(n)) {
                start(n);
            }
        }
        return this;
    }

    MnemoNode start(String name) {
        MnemoNode node = MnemoNode.start(config(name), tuning, false);
        running.put(name, node);
        return node;
    }

    /** The running node of that name, or null. */
    MnemoNode running(String name) {
        return running.get(name);
    }

    /** Starts a node new to the cluster, on a fresh port and directory, and has the cluster add it. */
    MnemoNode join(String name) {
        addresses.put(name, "127.0.0.1:" + freePort());
        MnemoNode node = MnemoNode.start(config(name), tuning, true);
        running.put(name, node);
        return node;
    }

    MnemoNode node(String name) {
        MnemoNode n = running.get(name);
        if (n == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return n;
    }

    /** Stops a node as a crash would, as far as the others can tell (its copies stay on disc). */
    void kill(String name) {
        running.remove(name).close();
    }

    List<MnemoNode> nodes() {
        return new ArrayList<>(running.values());
    }

    /** The node every running node takes for the leader, waiting up to 10 s for one. */
    String awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String seen = null;
            boolean agreed = true;
            for (MnemoNode n : running.values()) {
                String l = n.leader().orElse(null);
                if (l == null || !running.containsKey(l) || (seen != null && !seen.equals(l))) {
                    agreed = false;
                    break;
                }
                seen = l;
            }
            if (agreed && seen != null) {
                return seen;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no leader agreed within 10 s among " + running.keySet());
    }

    /** Every record of {@code table} on {@code n}, sorted, read once {@code n} has what the cluster committed. */
    static List<dev.mnemo.engine.value.Tuple> contents(MnemoNode n, String table) {
        return n.linearizableRead(tx -> {
            List<dev.mnemo.engine.value.Tuple> all = tx.foldl(table, new ArrayList<dev.mnemo.engine.value.Tuple>(),
                    (rec, acc) -> {
                        acc.add(rec);
                        return acc;
                    });
            all.sort(null);
            return all;
        });
    }

    /** Waits up to 10 s until {@code name} has word from a majority ({@code lost}: until it has lost it). */
    void awaitContact(String name, boolean lost) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<?> up = (List<?>) node(name).systemInfo().get("running_db_nodes");
            if (lost ? up.size() <= addresses.size() / 2 : up.size() > addresses.size() / 2) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + (lost ? " still has" : " has no") + " word from a majority after 10 s");
    }

    @Override
    public void close() {
        for (MnemoNode n : running.values()) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // the test's own failure matters more
            }
        }
        running.clear();
    }
}
