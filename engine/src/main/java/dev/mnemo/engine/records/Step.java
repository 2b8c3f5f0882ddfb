package dev.mnemo.engine.records;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One step of a {@link Migrations} version. Steps name attributes as they are at that point of the migration
 * (after the steps before them), and values are Java values converted as constants in guards are (an {@code int}
 * is stored as an integer, a record as a tuple, an enum as its name…).
 *
 * <p>Inside a {@link #transform} the record is a map from attribute name to engine value: integers are
 * {@code Long}, strings {@code String}, nested records {@link dev.mnemo.engine.value.Tuple}s, lists
 * {@code List}s, and so on.
 */
public abstract class Step {
    Step() {
    }

    /** Adds an attribute (as the last one) holding {@code defaultValue} in every existing record. */
    public static Step addAttribute(String name, Object defaultValue) {
        Object v = Codecs.anyToValue(defaultValue);
        return new Add(checkName(name), "add attribute " + name + " = " + v, row -> v);
    }

    /** Adds an attribute whose value in each existing record is computed from that record (a map by name). */
    public static Step addComputedAttribute(String name, Function<Map<String, Object>, Object> value) {
        Objects.requireNonNull(value, "value");
        return new Add(checkName(name), "add computed attribute " + name,
                row -> Codecs.anyToValue(value.apply(Collections.unmodifiableMap(row))));
    }

    /** Drops an attribute and its values (and its index, if it has one); the key cannot be dropped. */
    public static Step dropAttribute(String name) {
        return new Drop(checkName(name));
    }

    /** Renames an attribute, keeping its values (and its index, if it has one). */
    public static Step renameAttribute(String from, String to) {
        return new Rename(checkName(from), checkName(to));
    }

    /** Indexes an attribute; nothing happens if it is already indexed. */
    public static Step addIndex(String attribute) {
        return new Index(checkName(attribute), true);
    }

    /** Removes the index of an attribute; nothing happens if it is not indexed. */
    public static Step removeIndex(String attribute) {
        return new Index(checkName(attribute), false);
    }

    /**
     * Rewrites each record with {@code fn}: it gets a mutable map of attribute name to value and returns the map
     * of the new values (the same one or another with the same attribute names), or null to drop the record.
     * {@code description} names the step in reports and errors.
     */
    public static Step transform(String description, UnaryOperator<Map<String, Object>> fn) {
        return new Transform(Objects.requireNonNull(description, "description"), Objects.requireNonNull(fn, "fn"));
    }

    private static String checkName(String name) {
        return Objects.requireNonNull(name, "attribute name");
    }

    /**
     * Applies the step to the shape of the table (attribute names, first is the key, and indexed attributes);
     * {@link IllegalArgumentException} when it does not fit that shape.
     */
    abstract void plan(List<String> attributes, Set<String> indexes);

    /** Applies the step to one record; null when the record is dropped. */
    abstract Map<String, Object> apply(Map<String, Object> row);

    static void requireAttribute(List<String> attributes, String name) {
        if (!attributes.contains(name)) {
            throw new IllegalArgumentException("no attribute '" + name + "'; attributes at this step are "
                    + attributes);
        }
    }

    private static final class Add extends Step {
        private final String name;
        private final String description;
        private final Function<Map<String, Object>, Object> value;

        Add(String name, String description, Function<Map<String, Object>, Object> value) {
            this.name = name;
            this.description = description;
            this.value = value;
        }

        @Override
        void plan(List<String> attributes, Set<String> indexes) {
            if (attributes.contains(name)) {
                throw new IllegalArgumentException("attribute '" + name + "' already exists; attributes at this "
                        + "step are " + attributes);
            }
            attributes.add(name);
        }

        @Override
        Map<String, Object> apply(Map<String, Object> row) {
            Object v = value.apply(row);
            row.put(name, v);
            return row;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final class Drop extends Step {
        private final String name;

        Drop(String name) {
            this.name = name;
        }

        @Override
        void plan(List<String> attributes, Set<String> indexes) {
            requireAttribute(attributes, name);
            if (attributes.get(0).equals(name)) {
                throw new IllegalArgumentException("cannot drop the key attribute '" + name + "'");
            }
            attributes.remove(name);
            indexes.remove(name);
        }

        @Override
        Map<String, Object> apply(Map<String, Object> row) {
            row.remove(name);
            return row;
        }

        @Override
        public String toString() {
            return "drop attribute " + name;
        }
    }

    private static final class Rename extends Step {
        private final String from;
        private final String to;

        Rename(String from, String to) {
            this.from = from;
            this.to = to;
        }

        @Override
        void plan(List<String> attributes, Set<String> indexes) {
            requireAttribute(attributes, from);
            if (attributes.contains(to)) {
                throw new IllegalArgumentException("cannot rename '" + from + "' to '" + to + "': '" + to
                        + "' already exists; attributes at this step are " + attributes);
            }
            attributes.set(attributes.indexOf(from), to);
            if (indexes.remove(from)) {
                indexes.add(to);
            }
        }

        @Override
        Map<String, Object> apply(Map<String, Object> row) {
            row.put(to, row.remove(from));
            return row;
        }

        @Override
        public String toString() {
            return "rename attribute " + from + " to " + to;
        }
    }

    private static final class Index extends Step {
        private final String attribute;
        private final boolean add;

        Index(String attribute, boolean add) {
            this.attribute = attribute;
            this.add = add;
        }

        @Override
        void plan(List<String> attributes, Set<String> indexes) {
            requireAttribute(attributes, attribute);
            if (attributes.get(0).equals(attribute)) {
                throw new IllegalArgumentException("cannot " + (add ? "index" : "remove the index of")
                        + " the key attribute '" + attribute + "' (the key is always indexed)");
            }
            if (add) {
                indexes.add(attribute);
            } else {
                indexes.remove(attribute);
            }
        }

        @Override
        Map<String, Object> apply(Map<String, Object> row) {
            return row;
        }

        @Override
        public String toString() {
            return (add ? "add index " : "remove index ") + attribute;
        }
    }

    private static final class Transform extends Step {
        private final String description;
        private final UnaryOperator<Map<String, Object>> fn;

        Transform(String description, UnaryOperator<Map<String, Object>> fn) {
            this.description = description;
            this.fn = fn;
        }

        @Override
        void plan(List<String> attributes, Set<String> indexes) {
            // the attribute list stays; each record is checked in apply
        }

        @Override
        Map<String, Object> apply(Map<String, Object> row) {
            Set<String> names = new HashSet<>(row.keySet());
            Map<String, Object> out = fn.apply(new LinkedHashMap<>(row));
            if (out == null) {
                return null;
            }
            if (!out.keySet().equals(names)) {
                Set<String> extra = new HashSet<>(out.keySet());
                extra.removeAll(names);
                Set<String> missing = new HashSet<>(names);
                missing.removeAll(out.keySet());
                throw new IllegalArgumentException("the transform must return the same attributes; "
                        + (extra.isEmpty() ? "" : "unknown " + extra + " ") + (missing.isEmpty() ? "" : "missing "
                        + missing) + " (add or drop attributes with their own steps)");
            }
            Map<String, Object> converted = new LinkedHashMap<>();
            out.forEach((k, v) -> converted.put(k, Codecs.anyToValue(v)));
            return converted;
        }

        @Override
        public String toString() {
            return "transform " + description;
        }
    }
}
