package dev.mnemo.cluster;

import dev.mnemo.engine.StorageType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a replicated table has its copies, as {@code mnesia:create_table/2} takes them: each of {@code ram_copies},
 * {@code disc_copies} and {@code disc_only_copies} lists node names. A node appears at most once; at least one node
 * holds a copy.
 *
 * @param ramCopies      nodes keeping the table in memory only
 * @param discCopies     nodes keeping it in memory and on disc
 * @param discOnlyCopies nodes keeping it on disc only
 */
public record Copies(List<String> ramCopies, List<String> discCopies, List<String> discOnlyCopies) {
    public Copies {
        ramCopies = List.copyOf(ramCopies);
        discCopies = List.copyOf(discCopies);
        discOnlyCopies = List.copyOf(discOnlyCopies);
        Set<String> seen = new HashSet<>();
        for (String n : nodesOf(ramCopies, discCopies, discOnlyCopies)) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("a copy list names a blank node: " + ramCopies + ", "
                        + discCopies + ", " + discOnlyCopies);
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("node '" + n + "' is named in more than one copy list");
            }
        }
        if (seen.isEmpty()) {
            throw new IllegalArgumentException("a replicated table needs a copy on at least one node");
        }
    }

    /** Copies in {@code disc_copies} on every node named. */
    public static Copies disc(String... nodes) {
        return new Copies(List.of(), List.of(nodes), List.of());
    }

    /** Copies in {@code ram_copies} on every node named. */
    public static Copies ram(String... nodes) {
        return new Copies(List.of(nodes), List.of(), List.of());
    }

    /** Copies in {@code disc_only_copies} on every node named. */
    public static Copies discOnly(String... nodes) {
        return new Copies(List.of(), List.of(), List.of(nodes));
    }

    /** The storage type of the copy on {@code node}, if it has one. */
    public Optional<StorageType> storageOn(String node) {
        if (ramCopies.contains(node)) {
            return Optional.of(StorageType.RAM_COPIES);
        }
        if (discCopies.contains(node)) {
            return Optional.of(StorageType.DISC_COPIES);
        }
        if (discOnlyCopies.contains(node)) {
            return Optional.of(StorageType.DISC_ONLY_COPIES);
        }
        return Optional.empty();
    }

    /** Every node holding a copy. */
    public List<String> nodes() {
        return nodesOf(ramCopies, discCopies, discOnlyCopies);
    }

    /** These copies with {@code node}'s copy of type {@code storage} (added, or its type changed). */
    public Copies with(String node, StorageType storage) {
        Copies without = without(node);
        List<String> r = new ArrayList<>(without.ramCopies);
        List<String> d = new ArrayList<>(without.discCopies);
        List<String> o = new ArrayList<>(without.discOnlyCopies);
        switch (storage) {
            case RAM_COPIES -> r.add(node);
            case DISC_COPIES -> d.add(node);
            case DISC_ONLY_COPIES -> o.add(node);
        }
        return new Copies(r, d, o);
    }

    /** These copies without {@code node}'s; throws IllegalArgumentException if that would leave none. */
    public Copies without(String node) {
        List<String> r = new ArrayList<>(ramCopies);
        List<String> d = new ArrayList<>(discCopies);
        List<String> o = new ArrayList<>(discOnlyCopies);
        r.remove(node);
        d.remove(node);
        o.remove(node);
        if (r.isEmpty() && d.isEmpty() && o.isEmpty()) {
            throw new IllegalArgumentException("removing the copy on '" + node
                    + "' would leave the table with no copy; delete the table instead");
        }
        return new Copies(r, d, o);
    }

    private static List<String> nodesOf(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }
}
