package dev.mnemo.engine;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of a dump ({@link Dumps}): Mnemo values in Erlang term syntax, as Mnesia's {@code dump_to_textfile}
 * writes them, with every type of the value model kept exact. Integers are written as they are ({@code 42}), doubles
 * with a point or an exponent ({@code 1.5}, {@code 1.0E10}), strings in double quotes (backslash escapes for
 * {@code "} {@code \} and control characters), {@code null}, {@code true}, {@code false}, lists in brackets, maps as
 * {@code #{K => V}}, tuples (a record is a tuple whose first element is its record name) in braces. The other types
 * are a tuple of a bare word and a string: {@code {decimal, "12.50"}}, {@code {date, "2026-12-07"}},
 * {@code {time, "10:15:30"}}, {@code {datetime, "2026-12-07T10:15:30"}}, {@code {instant, "2026-12-07T10:15:30Z"}},
 * {@code {binary, "<base64>"}}, and doubles that have no decimal form, {@code {double, "NaN"}}. A value never holds
 * a bare word, so these cannot be mistaken for a tuple of the data.
 */
final class DumpText {
    private DumpText() {
    }

    /** A bare word in a line: a tag of the dump's own lines or of a typed value. */
    record Word(String name) {
    }

    /** A tuple headed by a bare word that is not a typed value: one of the dump's own lines ({@code {table, …}}). */
    record Tagged(String tag, List<Object> items) {
    }

    // ---------------------------------------------------------------- writing

    static String format(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    /** A value nests deeper than {@link #MAX_DEPTH}: a dump could not read it back. */
    static final class TooDeep extends RuntimeException {
        TooDeep() {
            super(null, null, false, false);
        }
    }

    static void write(StringBuilder b, Object v) {
        write(b, v, 0);
    }

    /** Writes {@code v}, nested {@code depth} deep in what is being written (a record's depth is 1). */
    private static void write(StringBuilder b, Object v, int depth) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Long l) {
            b.append(l);
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean x) {
            b.append(x);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                b.append(d); // Double.toString: always a point or an exponent, and read back exactly
            } else {
                typed(b, "double", d.toString());
            }
        } else if (v instanceof BigDecimal d) {
            typed(b, "decimal", d.toString()); // 1E+1000000000 stays short (read back exactly)
        } else if (v instanceof LocalDate d) {
            typed(b, "date", d.toString());
        } else if (v instanceof LocalTime t) {
            typed(b, "time", t.toString());
        } else if (v instanceof LocalDateTime t) {
            typed(b, "datetime", t.toString());
        } else if (v instanceof Instant t) {
            typed(b, "instant", t.toString());
        } else if (v instanceof Binary bin) {
            typed(b, "binary", Base64.getEncoder().encodeToString(bin.toByteArray()));
        } else if (v instanceof Tuple || v instanceof List<?> || v instanceof Map<?, ?>) {
            if (depth >= MAX_DEPTH) {
                throw new TooDeep();
            }
            if (v instanceof Map<?, ?> m) {
                b.append("#{");
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(first ? "" : ", ");
                    write(b, e.getKey(), depth + 1);
                    b.append(" => ");
                    write(b, e.getValue(), depth + 1);
                    first = false;
                }
                b.append('}');
            } else {
                List<?> items = v instanceof Tuple t ? t.toList() : (List<?>) v;
                b.append(v instanceof Tuple ? '{' : '[');
                for (int i = 0; i < items.size(); i++) {
                    b.append(i == 0 ? "" : ", ");
                    write(b, items.get(i), depth + 1);
                }
                b.append(v instanceof Tuple ? '}' : ']');
            }
        } else if (v instanceof Word w) {
            b.append(w.name());
        } else {
            throw new IllegalArgumentException("not a Mnemo value: " + v.getClass().getName());
        }
    }

    private static void typed(StringBuilder b, String tag, String text) {
        b.append('{').append(tag).append(", ");
        string(b, text);
        b.append('}');
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a pair (a lone one is written escaped, so the file is UTF-8). */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    // ---------------------------------------------------------------- reading

    /** Why a line could not be read: what was expected at which column. */
    static final class BadLine extends RuntimeException {
        final int column;

        BadLine(String message, int column) {
            super(message);
            this.column = column;
        }
    }

    /** Reads one line's term, ended by a full stop. Bare words come back as {@link Word}s. */
    static Object parseLine(String line) {
        Parser p = new Parser(line);
        Object v = p.term();
        p.blank();
        p.expect('.');
        p.blank();
        if (p.i < line.length()) {
            throw p.bad("the end of the line after the full stop");
        }
        return v;
    }

    private static final class Parser {
        private final String s;
        private int i;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        BadLine bad(String expected) {
            String found = i < s.length() ? "'" + s.substring(i, Math.min(s.length(), i + 20)) + "'" : "the end";
            return new BadLine("column " + (i + 1) + ": expected " + expected + ", found " + found, i + 1);
        }

        void blank() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw bad("'" + c + "'");
            }
            i++;
        }

        Object term() {
            blank();
            if (i >= s.length()) {
                throw bad("a value");
            }
            if (++depth > MAX_DEPTH + 1) { // a record (a tuple) of values nested MAX_DEPTH deep
                throw bad("values nested at most " + MAX_DEPTH + " deep");
            }
            try {
                return value();
            } finally {
                depth--;
            }
        }

        private Object value() {
            char c = s.charAt(i);
            if (c == '"') {
                return string();
            }
            if (c == '{') {
                return tuple();
            }
            if (c == '[') {
                int at = i;
                i++;
                List<Object> out = new ArrayList<>();
                items(']', out);
                noWords(out, at);
                return out;
            }
            if (c == '#') {
                return map();
            }
            if (c == '-' || c >= '0' && c <= '9') {
                return number();
            }
            if (c >= 'a' && c <= 'z') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                String w = s.substring(start, i);
                return switch (w) {
                    case "null" -> null;
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> new Word(w);
                };
            }
            throw bad("a value");
        }

        /** Refuses a bare word among values (it is a tag of the dump's own lines only). */
        private void noWords(List<Object> items, int at) {
            for (Object o : items) {
                if (o instanceof Word || o instanceof Tagged) {
                    i = at;
                    throw bad("a value (a bare word is not one)");
                }
            }
        }

        private void items(char close, List<Object> out) {
            blank();
            if (i < s.length() && s.charAt(i) == close) {
                i++;
                return;
            }
            while (true) {
                out.add(term());
                blank();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect(close);
                return;
            }
        }

        private Object tuple() {
            int at = i;
            i++;
            List<Object> items = new ArrayList<>();
            items('}', items);
            if (!items.isEmpty() && items.get(0) instanceof Word w) {
                if (items.size() == 2 && items.get(1) instanceof String text && TYPED.contains(w.name())) {
                    try {
                        return typed(w.name(), text);
                    } catch (RuntimeException e) {
                        i = at;
                        throw bad("a " + w.name() + " (" + e.getMessage() + ")");
                    }
                }
                return new Tagged(w.name(), List.copyOf(items.subList(1, items.size())));
            }
            noWords(items, at);
            return Tuple.of(items.toArray());
        }

        private Object map() {
            i++;
            expect('{');
            Map<Object, Object> m = new LinkedHashMap<>();
            blank();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                int at = i;
                Object k = term();
                blank();
                if (!s.startsWith("=>", i)) {
                    throw bad("'=>'");
                }
                i += 2;
                Object v = term();
                Object key;
                try {
                    key = dev.mnemo.engine.value.Terms.normalize(k); // 1.0 and 1.00 are one decimal key
                } catch (IllegalArgumentException e) {
                    i = at;
                    throw bad("a value as the map's key");
                }
                if (m.containsKey(key)) {
                    i = at;
                    throw bad("a key not given before in the map");
                }
                noWords(java.util.Arrays.asList(v), at); // (a word as the key failed normalizing above)
                m.put(key, v);
                blank();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        private Object number() {
            int start = i;
            if (s.charAt(i) == '-') {
                i++;
            }
            boolean real = false;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9') {
                    i++;
                } else if (c == '.' || c == 'e' || c == 'E' || (c == '-' || c == '+') && real) {
                    real = true;
                    i++;
                } else {
                    break;
                }
            }
            String text = s.substring(start, i);
            try {
                return real ? (Object) Double.valueOf(text) : (Object) Long.valueOf(text);
            } catch (NumberFormatException e) {
                i = start;
                throw bad(real ? "a double" : "an integer of at most 64 bits");
            }
        }

        private String string() {
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw bad("the string's closing '\"'");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw bad("an escaped character");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length() || !s.substring(i, i + 4).chars().allMatch(DumpText::isHex)) {
                            throw bad("four hex digits after \\u");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> {
                        i--;
                        throw bad("one of \\\" \\\\ \\n \\r \\t \\uXXXX");
                    }
                }
            }
        }
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Values (a record included) nested deeper than this are not written to a dump, nor read from one. */
    static final int MAX_DEPTH = 256;

    private static final java.util.Set<String> TYPED = java.util.Set.of("decimal", "date", "time", "datetime",
            "instant", "binary", "double");

    private static Object typed(String tag, String text) {
        return switch (tag) {
            case "decimal" -> new BigDecimal(text);
            case "date" -> LocalDate.parse(text);
            case "time" -> LocalTime.parse(text);
            case "datetime" -> LocalDateTime.parse(text);
            case "instant" -> Instant.parse(text);
            case "binary" -> Binary.of(Base64.getDecoder().decode(text));
            case "double" -> Double.valueOf(text);
            default -> throw new IllegalArgumentException(tag);
        };
    }
}
