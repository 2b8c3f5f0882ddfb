package dev.mnemo.cluster;

import dev.mnemo.engine.MnemoException;

/**
 * A write could not be committed because this node cannot reach a majority of the cluster: it is on the minority
 * side of a partition, or too many nodes are down. {@link #applied()} tells whether the write is known not to have
 * been applied ({@code false}: it was never handed to a leader) or whether its outcome is unknown ({@code null}: it
 * was sent but no majority answered in time; it may still be committed later).
 */
public final class ClusterUnavailableException extends MnemoException {
    private final transient Boolean applied;

    ClusterUnavailableException(String message, Boolean applied, Throwable cause) {
        super(message, cause);
        this.applied = applied;
    }

    /** {@code false} when the write is known not to have been applied; {@code null} when its outcome is unknown. */
    public Boolean applied() {
        return applied;
    }

    /**
     * {@code cluster_unavailable} when the write is known not to have been applied, {@code outcome_unknown} when it
     * may yet be (or was committed but is not yet applied on this node).
     */
    @Override
    public String reason() {
        return Boolean.FALSE.equals(applied) ? "cluster_unavailable" : "outcome_unknown";
    }
}
