package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Erlang term syntax for patterns, expressions and specs, readable back by {@link MatchSpec#parse}. A string in
 * the first position of a tuple is written as a bare atom when it is one ({@code {users,...}}); other strings are
 * written in double quotes.
 */
final class Format {
    private static final Pattern BARE = Pattern.compile("[a-z][A-Za-z0-9_@]*");
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "undefined", "after", "and",
            "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case", "catch", "cond", "div", "else",
            "end", "fun", "if", "let", "maybe", "not", "of", "or", "orelse", "receive", "rem", "try", "when", "xor");

    private Format() {
    }

    static boolean isBareAtom(String s) {
        return BARE.matcher(s).matches() && !RESERVED.contains(s);
    }

    static String atom(String name) {
        return isBareAtom(name) ? name : "'" + escape(name, '\'') + "'";
    }

    static String string(String s) {
        return '"' + escape(s, '"') + '"';
    }

    private static String escape(String s, char quote) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (cp == quote) {
                        sb.append('\\').append(quote);
                    } else if (cp < 0x20 || cp == 0x7f) {
                        sb.append("\\x{").append(Integer.toHexString(cp)).append('}');
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.toString();
    }

    /** A plain value; tuples are plain tuples. */
    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return string(s);
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        if (v instanceof Binary b) {
            return binary(b);
        }
        if (v instanceof Tuple t) {
            return seq("{", t.toList(), "}", Format::value);
        }
        if (v instanceof List<?> l) {
            return seq("[", l, "]", Format::value);
        }
        if (v instanceof Map<?, ?> m) {
            return map(m, Format::value);
        }
        return String.valueOf(v);
    }

    static String pattern(MatchPattern p) {
        return seq("{", p.elements(), "}", Format::patternElement);
    }

    static String patternElement(Object e) {
        if (e instanceof MatchPattern p) {
            return pattern(p);
        }
        if (e instanceof List<?> l) {
            return seq("[", l, "]", Format::patternElement);
        }
        if (e instanceof Marker || e instanceof Var) {
            return e.toString();
        }
        return value(e);
    }

    static String head(Object head) {
        return head instanceof MatchPattern p ? pattern(p) : head.toString();
    }

    static String expr(Object e) {
        if (e instanceof Marker || e instanceof Var) {
            return e.toString();
        }
        if (e instanceof Call c) {
            StringBuilder sb = new StringBuilder("{").append(atom(c.fn()));
            for (Object a : c.args()) {
                sb.append(',').append(c.fn().equals("const") ? value(a) : expr(a));
            }
            return sb.append('}').toString();
        }
        if (e instanceof TupleCtor t) {
            return "{" + seq("{", t.elements(), "}", Format::expr) + "}";
        }
        if (e instanceof Tuple t) {
            return "{const," + value(t) + "}";
        }
        if (e instanceof List<?> l) {
            return seq("[", l, "]", Format::expr);
        }
        if (e instanceof Map<?, ?> m) {
            return map(m, Format::expr);
        }
        return value(e);
    }

    static String clause(MatchSpec.Clause c) {
        return "{" + head(c.head()) + "," + seq("[", c.guards(), "]", Format::expr) + ","
                + seq("[", c.body(), "]", Format::expr) + "}";
    }

    /** Elements separated by commas; a string in the first position of a tuple is written as an atom if it is one. */
    private static String seq(String open, List<?> items, String close, Function<Object, String> f) {
        StringBuilder sb = new StringBuilder(open);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            sb.append(i > 0 ? "," : "");
            if (i == 0 && open.equals("{") && item instanceof String s && isBareAtom(s)) {
                sb.append(s);
            } else {
                sb.append(f.apply(item));
            }
        }
        return sb.append(close).toString();
    }

    private static String map(Map<?, ?> m, Function<Object, String> valueFormat) {
        StringBuilder sb = new StringBuilder("#{");
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            sb.append(first ? "" : ",").append(value(e.getKey())).append("=>").append(valueFormat.apply(e.getValue()));
            first = false;
        }
        return sb.append('}').toString();
    }

    private static String binary(Binary b) {
        byte[] bytes = b.toByteArray();
        StringBuilder sb = new StringBuilder("<<");
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i > 0 ? "," : "").append(bytes[i] & 0xff);
        }
        return sb.append(">>").toString();
    }
}
