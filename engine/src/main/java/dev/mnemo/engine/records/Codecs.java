package dev.mnemo.engine.records;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converters between Java component values and Mnemo engine values, one per supported Java type. */
final class Codecs {
    private Codecs() {
    }

    /** Converts one Java type's values to and from engine values. */
    interface Codec {
        /** The engine value of a Java value (null stays null). */
        Object toValue(Object java);

        /** The Java value of an engine value (null stays null, except for primitives, which reject it). */
        Object fromValue(Object value);

        /** The attribute type the engine checks writes against. */
        AttrType attrType();

        /** Whether the Java type is a whole-number type (long, int and their boxes). */
        default boolean integral() {
            return false;
        }
    }

    /** The codec for {@code type}; {@link IllegalArgumentException} naming the type when it is not supported. */
    static Codec forType(Type type, String where) {
        if (type instanceof Class<?> c) {
            return forClass(c, where);
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return new ListCodec(forType(args[0], where + " (list element)"));
            }
            if (raw == Map.class) {
                return new MapCodec(forType(args[0], where + " (map key)"), forType(args[1], where + " (map value)"));
            }
        }
        throw unsupported(type, where); // wildcards, type variables, generic arrays, other generic classes
    }

    private static Codec forClass(Class<?> c, String where) {
        if (c == long.class || c == Long.class) {
            return new IntCodec(c.isPrimitive(), false);
        }
        if (c == int.class || c == Integer.class) {
            return new IntCodec(c.isPrimitive(), true);
        }
        if (c == double.class || c == Double.class) {
            return new Simple(AttrType.DOUBLE, Double.class, c.isPrimitive());
        }
        if (c == boolean.class || c == Boolean.class) {
            return new Simple(AttrType.BOOLEAN, Boolean.class, c.isPrimitive());
        }
        if (c == String.class) {
            return new Simple(AttrType.STRING, String.class, false);
        }
        if (c == BigDecimal.class) {
            return new Simple(AttrType.DECIMAL, BigDecimal.class, false);
        }
        if (c == LocalDate.class) {
            return new Simple(AttrType.DATE, LocalDate.class, false);
        }
        if (c == LocalTime.class) {
            return new Simple(AttrType.TIME, LocalTime.class, false);
        }
        if (c == LocalDateTime.class) {
            return new Simple(AttrType.DATETIME, LocalDateTime.class, false);
        }
        if (c == Instant.class) {
            return new Simple(AttrType.INSTANT, Instant.class, false);
        }
        if (c == byte[].class) {
            return new BytesCodec();
        }
        if (c.isEnum()) {
            return new EnumCodec(c);
        }
        if (c.isRecord()) {
            return new NestedCodec(RecordMapping.nested(c));
        }
        if (c == List.class || c == Map.class) {
            throw new IllegalArgumentException(where + ": raw " + c.getSimpleName() + " is not supported; give its "
                    + "element types, e.g. List<String> or Map<String, Long>");
        }
        throw unsupported(c, where);
    }

    private static IllegalArgumentException unsupported(Type t, String where) {
        return new IllegalArgumentException(where + ": unsupported type " + t.getTypeName() + "; supported are "
                + "long, int, double, boolean (and their boxes), String, BigDecimal, LocalDate, LocalTime, "
                + "LocalDateTime, Instant, byte[], enums, records, and List/Map of supported types");
    }

    /**
     * The engine value of an arbitrary Java value used as a constant (in guards, examples and keys): records become
     * tuples, enums their names, the rest as {@link Terms#normalize}.
     */
    static Object anyToValue(Object v) {
        if (v instanceof Record r) {
            return RecordMapping.nested(r.getClass()).toNestedTuple(r);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(anyToValue(o));
            }
            return Terms.normalize(out);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(anyToValue(k), anyToValue(x)));
            return Terms.normalize(out);
        }
        return Terms.normalize(v);
    }

    private static IllegalArgumentException mismatch(Object value, String expected) {
        return new IllegalArgumentException("cannot read " + Terms.kindName(value) + " " + Terms.format(value)
                + " as " + expected);
    }

    private record IntCodec(boolean primitive, boolean isInt) implements Codec {
        @Override
        public Object toValue(Object java) {
            if (java == null) {
                return null;
            }
            if (java instanceof Long || java instanceof Integer || java instanceof Short || java instanceof Byte) {
                return ((Number) java).longValue();
            }
            throw new IllegalArgumentException("expected an integer, got " + java.getClass().getSimpleName() + " "
                    + java);
        }

        @Override
        public Object fromValue(Object value) {
            if (value instanceof Long l) {
                return isInt ? (Object) Math.toIntExact(l) : l;
            }
            if (value == null && !primitive) {
                return null;
            }
            throw mismatch(value, isInt ? "int" : "long");
        }

        @Override
        public AttrType attrType() {
            return AttrType.INTEGER;
        }

        @Override
        public boolean integral() {
            return true;
        }
    }

    private record Simple(AttrType attrType, Class<?> javaClass, boolean primitive) implements Codec {
        @Override
        public Object toValue(Object java) {
            return Terms.normalize(java);
        }

        @Override
        public Object fromValue(Object value) {
            if (value == null ? !primitive : javaClass.isInstance(value)) {
                return value;
            }
            throw mismatch(value, javaClass.getSimpleName());
        }
    }

    private record BytesCodec() implements Codec {
        @Override
        public Object toValue(Object java) {
            return java == null ? null : Binary.of((byte[]) java);
        }

        @Override
        public Object fromValue(Object value) {
            if (value == null || value instanceof Binary) {
                return value == null ? null : ((Binary) value).toByteArray();
            }
            throw mismatch(value, "byte[]");
        }

        @Override
        public AttrType attrType() {
            return AttrType.BINARY;
        }
    }

    private record EnumCodec(Class<?> enumClass) implements Codec {
        @Override
        public Object toValue(Object java) {
            return java == null ? null : ((Enum<?>) java).name();
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Object fromValue(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof String s) {
                return Enum.valueOf((Class) enumClass, s);
            }
            throw mismatch(value, enumClass.getSimpleName());
        }

        @Override
        public AttrType attrType() {
            return AttrType.STRING;
        }
    }

    private record NestedCodec(RecordMapping mapping) implements Codec {
        @Override
        public Object toValue(Object java) {
            return java == null ? null : mapping.toNestedTuple(java);
        }

        @Override
        public Object fromValue(Object value) {
            if (value == null || value instanceof Tuple) {
                return value == null ? null : mapping.fromNestedTuple((Tuple) value);
            }
            throw mismatch(value, mapping.recordClass().getSimpleName());
        }

        @Override
        public AttrType attrType() {
            return AttrType.TUPLE;
        }
    }

    private record ListCodec(Codec element) implements Codec {
        @Override
        public Object toValue(Object java) {
            if (java == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) java) {
                out.add(element.toValue(o));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public Object fromValue(Object value) {
            if (value == null) {
                return null;
            }
            if (!(value instanceof List<?> l)) {
                throw mismatch(value, "List");
            }
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(element.fromValue(o));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public AttrType attrType() {
            return AttrType.LIST;
        }
    }

    private record MapCodec(Codec key, Codec value) implements Codec {
        @Override
        public Object toValue(Object java) {
            if (java == null) {
                return null;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) java).forEach((k, v) -> out.put(key.toValue(k), value.toValue(v)));
            return Terms.normalize(out);
        }

        @Override
        public Object fromValue(Object v) {
            if (v == null) {
                return null;
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw mismatch(v, "Map");
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(key.fromValue(k), value.fromValue(x)));
            return Collections.unmodifiableMap(out);
        }

        @Override
        public AttrType attrType() {
            return AttrType.MAP;
        }
    }
}
