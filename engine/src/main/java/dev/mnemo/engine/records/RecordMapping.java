package dev.mnemo.engine.records;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one Java record class maps to engine records: table definition, attribute names, a codec per component, and
 * the canonical constructor. Built once per class and cached; building checks every component type.
 */
final class RecordMapping {
    private static final ConcurrentHashMap<Class<?>, RecordMapping> CACHE = new ConcurrentHashMap<>();
    private static final ThreadLocal<Set<Class<?>>> BUILDING = ThreadLocal.withInitial(HashSet::new);

    private final Class<?> recordClass;
    private final String table;
    private final String recordName;
    private final List<String> attributes;
    private final Codecs.Codec[] codecs;
    private final Method[] accessors;
    private final Constructor<?> constructor;
    private final Table annotation;

    private RecordMapping(Class<?> c) {
        this.recordClass = c;
        this.annotation = c.getAnnotation(Table.class);
        String name = annotation == null || annotation.name().isEmpty() ? snake(c.getSimpleName()) : annotation.name();
        this.table = name;
        this.recordName = annotation == null || annotation.recordName().isEmpty() ? name : annotation.recordName();
        RecordComponent[] comps = c.getRecordComponents();
        List<String> names = new ArrayList<>();
        codecs = new Codecs.Codec[comps.length];
        accessors = new Method[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent rc = comps[i];
            names.add(rc.getName());
            codecs[i] = Codecs.forType(rc.getGenericType(), "record " + c.getName() + ", component " + rc.getName());
            accessors[i] = rc.getAccessor();
            accessors[i].setAccessible(true);
            types[i] = rc.getType();
        }
        this.attributes = List.copyOf(names);
        try {
            constructor = c.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException("record " + c.getName() + ": canonical constructor not accessible: " + e,
                    e);
        }
        if (annotation != null && annotation.autoincrement() && !codecs[0].integral()) {
            throw new IllegalArgumentException("record " + c.getName() + ": autoincrement needs a long, int, Long or "
                    + "Integer key, but key component " + names.get(0) + " is " + comps[0].getGenericType()
                    .getTypeName());
        }
    }

    /** The mapping of a record class (cached); {@link IllegalArgumentException} for anything unsupported. */
    static RecordMapping of(Class<?> c) {
        RecordMapping m = CACHE.get(c);
        if (m != null) {
            return m;
        }
        if (c == null || !c.isRecord()) {
            throw new IllegalArgumentException((c == null ? "null" : c.getName()) + " is not a record class; Memento "
                    + "tables are Java records");
        }
        Set<Class<?>> building = BUILDING.get();
        if (!building.add(c)) {
            throw new IllegalArgumentException("record " + c.getName() + " contains itself; recursive records are "
                    + "not supported");
        }
        try {
            m = new RecordMapping(c);
        } finally {
            building.remove(c);
        }
        RecordMapping prev = CACHE.putIfAbsent(c, m);
        return prev != null ? prev : m;
    }

    /** The mapping of a record nested as a component value (same as {@link #of}). */
    static RecordMapping nested(Class<?> c) {
        return of(c);
    }

    Class<?> recordClass() {
        return recordClass;
    }

    String table() {
        return table;
    }

    String recordName() {
        return recordName;
    }

    List<String> attributes() {
        return attributes;
    }

    boolean autoincrement() {
        return annotation != null && annotation.autoincrement();
    }

    /** The table definition the class declares. */
    TableDef tableDef() {
        if (attributes.size() < 2) {
            throw new IllegalArgumentException("record " + recordClass.getName() + " has " + attributes.size()
                    + " component(s); a table needs at least two (the key and a value)");
        }
        TableDef.Builder b = TableDef.builder(table).recordName(recordName);
        for (int i = 0; i < attributes.size(); i++) {
            b.attribute(attributes.get(i), codecs[i].attrType());
        }
        if (annotation != null) {
            b.type(annotation.type()).storage(annotation.storage()).index(annotation.index());
        }
        return b.build();
    }

    /** The 0-based attribute position of {@code name}; {@link IllegalArgumentException} listing them if unknown. */
    int attributeIndex(String name) {
        int i = attributes.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("record " + recordClass.getSimpleName() + " (table " + table
                    + ") has no attribute '" + name + "'; its attributes are " + attributes);
        }
        return i;
    }

    AttrType attrType(int i) {
        return codecs[i].attrType();
    }

    /** The engine record of a Java record of this class. */
    Tuple toTuple(Object record) {
        Object[] elems = new Object[attributes.size() + 1];
        elems[0] = recordName;
        fill(record, elems, 1);
        return Tuple.of(elems);
    }

    /** A nested record's tuple: its component values only, without a name. */
    Tuple toNestedTuple(Object record) {
        Object[] elems = new Object[attributes.size()];
        fill(record, elems, 0);
        return Tuple.of(elems);
    }

    private void fill(Object record, Object[] elems, int offset) {
        if (!recordClass.isInstance(record)) {
            throw new IllegalArgumentException("expected a " + recordClass.getName() + ", got "
                    + (record == null ? "null" : record.getClass().getName()));
        }
        for (int i = 0; i < accessors.length; i++) {
            Object v;
            try {
                v = accessors[i].invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + attributes.get(i) + " of " + recordClass.getName(), e);
            }
            try {
                elems[i + offset] = codecs[i].toValue(v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("record " + recordClass.getSimpleName() + ", attribute "
                        + attributes.get(i) + ": " + e.getMessage(), e);
            }
        }
    }

    /** The Java record of an engine record of this table. */
    Object fromTuple(Tuple t) {
        if (t.size() != attributes.size() + 1) {
            throw new IllegalArgumentException("table " + table + ": record " + t + " has " + (t.size() - 1)
                    + " attributes but " + recordClass.getSimpleName() + " has " + attributes);
        }
        return build(t, 1);
    }

    Object fromNestedTuple(Tuple t) {
        if (t.size() != attributes.size()) {
            throw new IllegalArgumentException("tuple " + t + " does not fit record " + recordClass.getSimpleName()
                    + attributes);
        }
        return build(t, 0);
    }

    private Object build(Tuple t, int offset) {
        Object[] args = new Object[codecs.length];
        for (int i = 0; i < codecs.length; i++) {
            try {
                args[i] = codecs[i].fromValue(t.get(i + offset));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("record " + recordClass.getSimpleName() + ", attribute "
                        + attributes.get(i) + ": " + e.getMessage(), e);
            }
        }
        return construct(args);
    }

    private Object construct(Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("constructor of " + recordClass.getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + recordClass.getName(), e);
        }
    }

    /** The Java key of an engine key. */
    Object keyFromValue(Object v) {
        return codecs[0].fromValue(v);
    }

    /** The engine key of a key given by the caller. */
    Object keyToValue(Object javaKey) {
        return Codecs.anyToValue(javaKey);
    }

    /** Whether an autoincrement record still needs its key: the key component is null or zero. */
    boolean needsKey(Object record) {
        if (!autoincrement()) {
            return false;
        }
        Object k = toTuple(record).get(1);
        return k == null || Long.valueOf(0).equals(k);
    }

    /** A copy of {@code record} with key {@code key}. */
    Object withKey(Object record, long key) {
        Object[] args = new Object[accessors.length];
        for (int i = 0; i < accessors.length; i++) {
            try {
                args[i] = accessors[i].invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        args[0] = codecs[0].fromValue(key);
        return construct(args);
    }

    static String snake(String simpleName) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simpleName.length(); i++) {
            char ch = simpleName.charAt(i);
            if (Character.isUpperCase(ch) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(ch));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "RecordMapping{" + recordClass.getName() + " -> " + table + Terms.format(attributes) + "}";
    }
}
