package dev.mnemo.engine;

import dev.mnemo.engine.value.Terms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The definition of a table, as {@code mnesia:create_table/2} takes it: name, attributes (the first is the key),
 * optional per-attribute types, table type, storage type, indexed attributes, record name (defaults to the table
 * name), access mode and user properties. Build one with {@link #builder(String)}.
 *
 * @param name           table name: any text of 1 to {@value #MAX_NAME_LENGTH} characters without control characters
 *                       (SQL's quoted identifiers: spaces, dots, any script), not blank
 * @param attributes     at least one distinct attribute name (the same rule); the first is the key (a table of
 *                       keys alone is a set of keys)
 * @param types          one type per attribute ({@link AttrType#ANY} when not declared)
 * @param type           set, ordered_set, bag or duplicate_bag
 * @param storage        ram_copies, disc_copies or disc_only_copies
 * @param indexes        indexed attributes (never the key), in declaration order
 * @param recordName     element 0 of every record of the table
 * @param accessMode     read_write or read_only
 * @param userProperties free-form properties, normalized Mnemo values
 */
public record TableDef(String name, List<String> attributes, List<AttrType> types, TableType type,
                       StorageType storage, List<String> indexes, String recordName, AccessMode accessMode,
                       Map<String, Object> userProperties) {
    /**
     * The user property that marks a table as internal to Mnemo (for example the autoincrement counters): when
     * true, SQL does not list or open it. The engine API still sees it.
     */
    public static final String HIDDEN = "mnemo.hidden";

    /** The longest table or attribute name, in characters. */
    public static final int MAX_NAME_LENGTH = 128;

    /**
     * What is wrong with {@code name} as a table or attribute name, or null if nothing: it must be 1 to
     * {@value #MAX_NAME_LENGTH} characters, not all blank, without control characters.
     */
    public static String nameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "a name must not be empty or blank";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "a name is at most " + MAX_NAME_LENGTH + " characters, this one has " + name.length();
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "a name must not contain control characters (one at position " + (i + 1) + ")";
            }
        }
        return null;
    }

    /** Validates and freezes the definition; every problem is a {@link SchemaException} naming the table. */
    public TableDef {
        Objects.requireNonNull(name, "table name");
        String bad = nameProblem(name);
        if (bad != null) {
            throw new SchemaException("bad table name '" + name + "': " + bad);
        }
        if (attributes == null || attributes.isEmpty()) {
            throw new SchemaException("table " + name + ": needs at least 1 attribute (the key)");
        }
        Set<String> seen = new HashSet<>();
        for (String a : attributes) {
            String badAttribute = nameProblem(a);
            if (badAttribute != null) {
                throw new SchemaException("table " + name + ": bad attribute name '" + a + "': " + badAttribute);
            }
            if (!seen.add(a)) {
                throw new SchemaException("table " + name + ": attribute '" + a + "' appears twice");
            }
        }
        attributes = List.copyOf(attributes);
        if (types == null) {
            types = Collections.nCopies(attributes.size(), AttrType.ANY);
        }
        if (types.size() != attributes.size()) {
            throw new SchemaException("table " + name + ": " + types.size() + " types for " + attributes.size()
                    + " attributes");
        }
        types = List.copyOf(types);
        type = type == null ? TableType.SET : type;
        storage = storage == null ? StorageType.RAM_COPIES : storage;
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
        Set<String> idx = new HashSet<>();
        for (String i : indexes) {
            if (!seen.contains(i)) {
                throw new SchemaException("table " + name + ": cannot index unknown attribute '" + i
                        + "'; attributes are " + attributes);
            }
            if (i.equals(attributes.get(0))) {
                throw new SchemaException("table " + name + ": cannot index the key attribute '" + i
                        + "' (the key is always indexed)");
            }
            if (!idx.add(i)) {
                throw new SchemaException("table " + name + ": attribute '" + i + "' indexed twice");
            }
        }
        recordName = recordName == null ? name : recordName;
        accessMode = accessMode == null ? AccessMode.READ_WRITE : accessMode;
        Map<String, Object> props = new LinkedHashMap<>();
        if (userProperties != null) {
            for (Map.Entry<String, Object> e : userProperties.entrySet()) {
                try {
                    props.put(Objects.requireNonNull(e.getKey(), "property name"), Terms.normalize(e.getValue()));
                } catch (IllegalArgumentException ex) {
                    throw new SchemaException("table " + name + ": user property '" + e.getKey() + "': "
                            + ex.getMessage());
                }
            }
        }
        userProperties = Collections.unmodifiableMap(props);
    }

    /** A builder for a table called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * This definition as a Mnemo value (a map of its parts), the form backups, dumps and replication carry; read
     * back with {@link #fromValue}.
     */
    public Map<String, Object> toValue() {
        return SchemaCodec.toValue(this, 0, 1, 0);
    }

    /**
     * The definition {@link #toValue} wrote. Throws IllegalArgumentException when {@code value} is not one (a
     * missing or mistyped part); the definition's own rules apply as in the constructor.
     */
    public static TableDef fromValue(Object value) {
        try {
            return SchemaCodec.fromValue(value).def();
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a table definition: " + value, e);
        }
    }

    /** Whether the table is internal to Mnemo (user property {@value #HIDDEN} is true). */
    public boolean hidden() {
        return Boolean.TRUE.equals(userProperties.get(HIDDEN));
    }

    /** The number of attributes (Mnesia's arity is this plus one, for the record name). */
    public int attributeCount() {
        return attributes.size();
    }

    /** The key attribute's name. */
    public String keyAttribute() {
        return attributes.get(0);
    }

    /** The 0-based position of an attribute among the attributes, or -1. */
    public int attributeIndex(String attribute) {
        return attributes.indexOf(attribute);
    }

    /** A copy with other fields replaced through the builder. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.attributes = new ArrayList<>(attributes);
        b.types = new ArrayList<>(types);
        b.type = type;
        b.storage = storage;
        b.indexes = new ArrayList<>(indexes);
        b.recordName = recordName;
        b.accessMode = accessMode;
        b.userProperties = new LinkedHashMap<>(userProperties);
        return b;
    }

    /** Builds a {@link TableDef}; unset options take Mnesia's defaults (set, ram_copies, read_write). */
    public static final class Builder {
        private final String name;
        private List<String> attributes = new ArrayList<>();
        private List<AttrType> types = new ArrayList<>();
        private TableType type = TableType.SET;
        private StorageType storage = StorageType.RAM_COPIES;
        private List<String> indexes = new ArrayList<>();
        private String recordName;
        private AccessMode accessMode = AccessMode.READ_WRITE;
        private Map<String, Object> userProperties = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Untyped attributes, the first being the key. Replaces any attributes set before. */
        public Builder attributes(String... names) {
            attributes = new ArrayList<>(List.of(names));
            types = new ArrayList<>(Collections.nCopies(names.length, AttrType.ANY));
            return this;
        }

        /** Appends one attribute with a declared type. */
        public Builder attribute(String attrName, AttrType attrType) {
            attributes.add(attrName);
            types.add(attrType);
            return this;
        }

        public Builder type(TableType t) {
            type = t;
            return this;
        }

        public Builder storage(StorageType s) {
            storage = s;
            return this;
        }

        /** Indexes the given attributes. */
        public Builder index(String... attrs) {
            indexes.addAll(List.of(attrs));
            return this;
        }

        public Builder recordName(String r) {
            recordName = r;
            return this;
        }

        public Builder accessMode(AccessMode m) {
            accessMode = m;
            return this;
        }

        public Builder userProperty(String key, Object value) {
            userProperties.put(key, value);
            return this;
        }

        /** Replaces the attribute list and types (used when transforming a table). */
        Builder attributes(List<String> names, List<AttrType> attrTypes) {
            attributes = new ArrayList<>(names);
            types = new ArrayList<>(attrTypes);
            return this;
        }

        /** Replaces all user properties. */
        public Builder userProperties(Map<String, Object> props) {
            userProperties = new LinkedHashMap<>(props);
            return this;
        }

        Builder indexes(List<String> idx) {
            indexes = new ArrayList<>(idx);
            return this;
        }

        public TableDef build() {
            return new TableDef(name, attributes, types, type, storage, indexes, recordName, accessMode,
                    userProperties);
        }
    }
}
