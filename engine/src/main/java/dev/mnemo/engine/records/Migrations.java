package dev.mnemo.engine.records;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The versioned history of one table's shape, for {@link Memento#openTable(Class, Migrations)}: version
 * {@code n}'s steps turn the table as it was at the version before into the table at {@code n}. A table with no
 * recorded version is at version 0. Immutable; each {@link #version} returns a new list.
 *
 * <pre>{@code
 * Migrations movies = Migrations.none()
 *         .version(1, Step.renameAttribute("name", "title"))
 *         .version(2, Step.addAttribute("rating", 0), Step.addIndex("director"))
 *         .version(3, Step.transform("trim titles", row -> {
 *             row.put("title", ((String) row.get("title")).strip());
 *             return row;
 *         }));
 * }</pre>
 */
public final class Migrations {
    /** The user property in which a table's applied version is kept (an integer). */
    public static final String VERSION_PROPERTY = "memento.version";

    private static final Migrations NONE = new Migrations(new TreeMap<>());

    private final NavigableMap<Long, List<Step>> versions;

    private Migrations(NavigableMap<Long, List<Step>> versions) {
        this.versions = versions;
    }

    /** No migrations: the table is at version 0. */
    public static Migrations none() {
        return NONE;
    }

    /**
     * These migrations followed by version {@code version} with {@code steps} (which may be empty: a version with
     * no step only adopts the record class's attribute types, checking every record against them).
     *
     * @throws IllegalArgumentException if {@code version} is not above the latest one
     */
    public Migrations version(long version, Step... steps) {
        if (version <= latest()) {
            throw new IllegalArgumentException("migration versions must increase: " + version + " after "
                    + latest());
        }
        for (Step s : steps) {
            Objects.requireNonNull(s, "step of version " + version);
        }
        NavigableMap<Long, List<Step>> next = new TreeMap<>(versions);
        next.put(version, List.of(steps));
        return new Migrations(next);
    }

    /** The latest version (0 when there is none). */
    public long latest() {
        return versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** The versions after {@code applied}, in order, with their steps. */
    NavigableMap<Long, List<Step>> after(long applied) {
        return Collections.unmodifiableNavigableMap(versions.tailMap(applied, false));
    }

    @Override
    public String toString() {
        return "Migrations" + versions;
    }
}
