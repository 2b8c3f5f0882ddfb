package dev.mnemo.cluster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.ReadIndexRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.util.CodeInjectionForTesting;

/**
 * Cuts the network between two sides of a cluster running in this JVM, through Ratis's code-injection points
 * (the hooks its own test kit blocks requests with): a server refuses appendEntries, votes and snapshots from a node
 * of the other side, a leader refuses the client requests of the other side's nodes, and a follower cannot ask the
 * other side's leader for a read index. Static, as Ratis's hooks are: one partition at a time, healed by close.
 */
final class Partition implements AutoCloseable {
    private static final String[] SERVER_POINTS = {
        "RaftServerImpl.appendEntries", "RaftServerImpl.requestVote", "RaftServerImpl.installSnapshot"};
    private static final String CLIENT_POINT = "RaftServerImpl.appendTransaction";
    private static final String SEND_POINT = "GrpcServicesImpl.sendRequest";

    private final Set<String> apart;
    private final Map<ClientId, String> clients = new ConcurrentHashMap<>();

    private Partition(Set<String> apart, TestCluster cluster) {
        this.apart = Set.copyOf(apart);
        for (MnemoNode n : cluster.nodes()) {
            clients.put(n.clientId(), n.name());
        }
    }

    /** Cuts {@code apart} off from every other node until closed. */
    static Partition cut(TestCluster cluster, Set<String> apart) {
        Partition p = new Partition(apart, cluster);
        for (String point : SERVER_POINTS) {
            CodeInjectionForTesting.put(point, (local, remote, args) -> p.check(local, remote));
        }
        CodeInjectionForTesting.put(CLIENT_POINT, (local, remote, args) -> p.check(local, p.clients.get(remote)));
        CodeInjectionForTesting.put(SEND_POINT, (local, remote, args) -> {
            if (args.length > 0 && args[0] instanceof ReadIndexRequestProto r) {
                return p.check(local, r.getServerRequest().getReplyId().toStringUtf8());
            }
            return false;
        });
        return p;
    }

    private boolean check(Object local, Object remote) {
        if (local == null || remote == null) {
            return false;
        }
        String a = local.toString();
        String b = remote.toString();
        if (apart.contains(a) != apart.contains(b)) {
            throw new IllegalStateException("network cut between " + a + " and " + b);
        }
        return false;
    }

    @Override
    public void close() {
        for (String point : SERVER_POINTS) {
            CodeInjectionForTesting.remove(point);
        }
        CodeInjectionForTesting.remove(CLIENT_POINT);
        CodeInjectionForTesting.remove(SEND_POINT);
    }
}
