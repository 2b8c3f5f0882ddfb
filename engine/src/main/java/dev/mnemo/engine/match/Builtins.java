package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The data-access guard functions. Strings stand in for Erlang charlists where that is natural: {@code hd} of a
 * string is its first code point (a Long), {@code tl} the rest, {@code length} and {@code size} count code points,
 * {@code byte_size} counts UTF-8 bytes. Wrong argument types throw {@link EvalError}.
 */
final class Builtins {
    private Builtins() {
    }

    /** {@code element(N, Tuple)}, N from 1. */
    static Object element(Object n, Object t) {
        if (n instanceof Long i && t instanceof Tuple tuple && i >= 1 && i <= tuple.size()) {
            return tuple.get((int) (i - 1));
        }
        throw EvalError.badarg("element", n, t);
    }

    /** {@code size}: of a tuple (elements), a binary (bytes) or a string (code points). */
    static Object size(Object x) {
        if (x instanceof Tuple t) {
            return (long) t.size();
        }
        if (x instanceof Binary b) {
            return (long) b.length();
        }
        if (x instanceof String s) {
            return (long) s.codePointCount(0, s.length());
        }
        throw EvalError.badarg("size", x);
    }

    static Object tupleSize(Object x) {
        if (x instanceof Tuple t) {
            return (long) t.size();
        }
        throw EvalError.badarg("tuple_size", x);
    }

    /** {@code byte_size}: of a binary, or of a string's UTF-8 encoding. */
    static Object byteSize(Object x) {
        if (x instanceof Binary b) {
            return (long) b.length();
        }
        if (x instanceof String s) {
            return (long) s.getBytes(StandardCharsets.UTF_8).length;
        }
        throw EvalError.badarg("byte_size", x);
    }

    /** {@code length}: of a list, or a string's code points. */
    static Object length(Object x) {
        if (x instanceof List<?> l) {
            return (long) l.size();
        }
        if (x instanceof String s) {
            return (long) s.codePointCount(0, s.length());
        }
        throw EvalError.badarg("length", x);
    }

    static Object hd(Object x) {
        if (x instanceof List<?> l && !l.isEmpty()) {
            return l.get(0);
        }
        if (x instanceof String s && !s.isEmpty()) {
            return (long) s.codePointAt(0);
        }
        throw EvalError.badarg("hd", x);
    }

    static Object tl(Object x) {
        if (x instanceof List<?> l && !l.isEmpty()) {
            return Collections.unmodifiableList(new ArrayList<>(l.subList(1, l.size())));
        }
        if (x instanceof String s && !s.isEmpty()) {
            return s.substring(s.offsetByCodePoints(0, 1));
        }
        throw EvalError.badarg("tl", x);
    }

    static Object mapGet(Object key, Object map) {
        if (map instanceof Map<?, ?> m && m.containsKey(key)) {
            return m.get(key);
        }
        throw EvalError.badarg("map_get", key, map);
    }

    static Object isMapKey(Object key, Object map) {
        if (map instanceof Map<?, ?> m) {
            return m.containsKey(key);
        }
        throw EvalError.badarg("is_map_key", key, map);
    }

    static Object mapSize(Object map) {
        if (map instanceof Map<?, ?> m) {
            return (long) m.size();
        }
        throw EvalError.badarg("map_size", map);
    }

    /** {@code is_record(X, Name)}: X is a tuple whose element 0 is {@code =:=} Name. */
    static Object isRecord(Object x, Object name) {
        return x instanceof Tuple t && t.size() >= 1 && Terms.compare(t.get(0), name) == 0;
    }

    /** {@code is_record(X, Name, Size)}: also X has exactly Size elements (the name included, as in Erlang). */
    static Object isRecord(Object x, Object name, Object size) {
        return x instanceof Tuple t && size instanceof Long n && t.size() == n && (Boolean) isRecord(x, name);
    }
}
