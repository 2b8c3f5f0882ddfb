package dev.mnemo.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one node of a Mnemo cluster.
 *
 * @param name           this node's name, as copy lists name it (Mnesia's node name)
 * @param directory      where this node keeps its Raft log and its copies of the tables
 * @param nodes          every node of the schema, this one included: name to {@code host:port} (Mnesia's
 *                       {@code db_nodes}); every node must be started with the same map
 * @param clusterName    names the cluster's Raft group; nodes of different clusters refuse each other
 * @param requestTimeout the longest a write waits to be committed by a majority before it fails with
 *                       {@link ClusterUnavailableException}
 * @param sync           fsync the Raft log before a node acknowledges an entry (default false: an entry is
 *                       acknowledged once written to the operating system, as the embedded engine's commits are, so a
 *                       commit survives any minority of nodes crashing, and the crash of every node's JVM, but not a
 *                       power loss on a majority of machines at once)
 * @param waitForCopies  a write returns only once a majority of the copies of each table it wrote has applied it
 *                       (default true). Raft's commit is a majority of all nodes, which for a table copied on some
 *                       nodes only may hold one of its copies: so a table with two copies takes no acknowledged
 *                       write while one of them is down (the write is committed all the same, and the caller told
 *                       so). With false a write returns once Raft has committed it and this node has applied it: the
 *                       log keeps it for the copies that are behind.
 */
public record NodeConfig(String name, Path directory, Map<String, String> nodes, String clusterName,
                         Duration requestTimeout, boolean sync, boolean waitForCopies) {
    public NodeConfig {
        Objects.requireNonNull(directory, "directory");
        if (name == null || !name.matches("[A-Za-z0-9_.@-]{1,64}")) {
            throw new IllegalArgumentException("node name '" + name
                    + "' must be 1 to 64 letters, digits or any of _ . @ -");
        }
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        if (!nodes.containsKey(name)) {
            throw new IllegalArgumentException("node '" + name + "' is not among the cluster's nodes " + nodes.keySet());
        }
        for (var e : nodes.entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_.@-]{1,64}")) {
                throw new IllegalArgumentException("node name '" + e.getKey()
                        + "' must be 1 to 64 letters, digits or any of _ . @ -");
            }
            if (e.getValue() == null || !e.getValue().matches("[^:\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException("node '" + e.getKey() + "' has address '" + e.getValue()
                        + "'; expected host:port");
            }
        }
        if (new HashSet<>(nodes.values()).size() != nodes.size()) {
            throw new IllegalArgumentException("two nodes share an address: " + nodes);
        }
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("the cluster name must not be blank");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
    }

    /**
     * Node {@code name} of the cluster "mnemo" of {@code nodes}, with a 10 s request timeout, without fsync, waiting
     * for a majority of each written table's copies.
     */
    public static NodeConfig of(String name, Path directory, Map<String, String> nodes) {
        return new NodeConfig(name, directory, nodes, "mnemo", Duration.ofSeconds(10), false, true);
    }

    public NodeConfig withClusterName(String n) {
        return new NodeConfig(name, directory, nodes, n, requestTimeout, sync, waitForCopies);
    }

    public NodeConfig withRequestTimeout(Duration d) {
        return new NodeConfig(name, directory, nodes, clusterName, d, sync, waitForCopies);
    }

    public NodeConfig withSync(boolean s) {
        return new NodeConfig(name, directory, nodes, clusterName, requestTimeout, s, waitForCopies);
    }

    public NodeConfig withWaitForCopies(boolean w) {
        return new NodeConfig(name, directory, nodes, clusterName, requestTimeout, sync, w);
    }

    /** This node's own {@code host:port}. */
    public String address() {
        return nodes.get(name);
    }
}
