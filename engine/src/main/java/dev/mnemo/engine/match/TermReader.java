package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Terms;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Erlang term syntax into positioned nodes: atoms (bare or quoted), numbers, {@code $c} characters, strings,
 * binaries, lists, tuples and maps. {@code %} comments and whitespace are skipped. Errors are
 * {@link MatchSpecException}s giving the offset and what was expected there.
 */
final class TermReader {
    /** A term with the offset where it starts. */
    sealed interface Node permits Atom, Value, ListNode, TupleNode, MapNode {
        int pos();
    }

    record Atom(String name, int pos) implements Node {
    }

    record Value(Object value, int pos) implements Node {
    }

    record ListNode(List<Node> items, int pos) implements Node {
    }

    record TupleNode(List<Node> items, int pos) implements Node {
    }

    record MapNode(List<Node> keys, List<Node> values, int pos) implements Node {
    }

    private final String s;
    private int i;

    private TermReader(String s) {
        this.s = s;
    }

    /** Reads one term, optionally followed by a full stop, and nothing else. */
    static Node read(String text) {
        TermReader r = new TermReader(text);
        Node n = r.term();
        r.skipBlank();
        if (r.peek() == '.') {
            r.i++;
            r.skipBlank();
        }
        if (r.i < text.length()) {
            throw r.expected("end of input");
        }
        return n;
    }

    private Node term() {
        skipBlank();
        int start = i;
        char c = peek();
        if (c == '[') {
            return new ListNode(sequence('[', ']'), start);
        }
        if (c == '{') {
            return new TupleNode(sequence('{', '}'), start);
        }
        if (c == '#') {
            return map();
        }
        if (c == '<' && s.startsWith("<<", i)) {
            return new Value(binary(), start);
        }
        if (c == '"') {
            return new Value(quoted('"'), start);
        }
        if (c == '\'') {
            return new Atom(quoted('\''), start);
        }
        if (c == '$') {
            i++;
            return new Value((long) character(), start);
        }
        if (c == '-' || c == '+' || isDigit(c)) {
            return new Value(number(), start);
        }
        if (c >= 'a' && c <= 'z') {
            return new Atom(bareAtom(), start);
        }
        if (c == '_' || Character.isUpperCase(c)) {
            throw new MatchSpecException("Erlang variables are not allowed in a match spec (offset " + i
                    + "); write match variables as quoted atoms: '$1', '_'", i);
        }
        throw expected("a term");
    }

    private List<Node> sequence(char open, char close) {
        expect(open);
        List<Node> items = new ArrayList<>();
        skipBlank();
        if (peek() == close) {
            i++;
            return items;
        }
        while (true) {
            items.add(term());
            skipBlank();
            if (peek() == close) {
                i++;
                return items;
            }
            if (open == '[' && peek() == '|') {
                throw new MatchSpecException("improper lists ([H|T]) are not supported (offset " + i + ")", i);
            }
            if (peek() != ',') {
                throw expected("',' or '" + close + "'");
            }
            i++;
        }
    }

    private Node map() {
        int start = i;
        expect('#');
        expect('{');
        List<Node> keys = new ArrayList<>();
        List<Node> values = new ArrayList<>();
        skipBlank();
        if (peek() == '}') {
            i++;
            return new MapNode(keys, values, start);
        }
        while (true) {
            keys.add(term());
            skipBlank();
            if (!s.startsWith("=>", i)) {
                throw expected("'=>'");
            }
            i += 2;
            values.add(term());
            skipBlank();
            if (peek() == '}') {
                i++;
                return new MapNode(keys, values, start);
            }
            expect(',');
        }
    }

    private Binary binary() {
        i += 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        skipBlank();
        if (s.startsWith(">>", i)) {
            i += 2;
            return Binary.of(out.toByteArray());
        }
        while (true) {
            skipBlank();
            if (peek() == '"') {
                out.writeBytes(quoted('"').getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(byteValue());
            }
            skipBlank();
            if (s.startsWith(">>", i)) {
                i += 2;
                return Binary.of(out.toByteArray());
            }
            if (peek() != ',') {
                throw expected("',' or '>>'");
            }
            i++;
        }
    }

    private int byteValue() {
        int start = i;
        if (!isDigit(peek())) {
            throw expected("a byte (0..255) or a string");
        }
        Object n = number();
        if (!(n instanceof Long b) || b > 255) {
            throw new MatchSpecException("expected a byte (0..255) at offset " + start + " but found " + n, start);
        }
        return (int) (long) b;
    }

    private Object number() {
        int start = i;
        boolean negative = peek() == '-';
        if (peek() == '-' || peek() == '+') {
            i++;
        }
        String digits = digits(10);
        if (peek() == '#') {
            i++;
            int radix = Integer.parseInt(digits);
            if (radix < 2 || radix > 36) {
                throw new MatchSpecException("radix must be 2..36 at offset " + start + ", got " + radix, start);
            }
            BigInteger v = new BigInteger(digits(radix), radix);
            return Arith.integer(negative ? v.negate() : v);
        }
        if (peek() == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
            i++;
            digits(10);
            if (peek() == 'e' || peek() == 'E') {
                i++;
                if (peek() == '-' || peek() == '+') {
                    i++;
                }
                digits(10);
            }
            return Terms.normalize(Double.parseDouble(s.substring(start, i)));
        }
        BigInteger v = new BigInteger(digits);
        return Arith.integer(negative ? v.negate() : v);
    }

    private String digits(int radix) {
        int start = i;
        while (i < s.length() && Character.digit(s.charAt(i), radix) >= 0) {
            i++;
        }
        if (i == start) {
            throw expected(radix == 10 ? "a digit" : "a base-" + radix + " digit");
        }
        return s.substring(start, i);
    }

    private String bareAtom() {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                || s.charAt(i) == '@')) {
            i++;
        }
        return s.substring(start, i);
    }

    private String quoted(char quote) {
        int start = i;
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new MatchSpecException("unterminated " + (quote == '"' ? "string" : "quoted atom")
                        + " starting at offset " + start, start);
            }
            char c = s.charAt(i);
            if (c == quote) {
                i++;
                return sb.toString();
            }
            sb.appendCodePoint(character());
        }
    }

    /** One character of a string, atom or {@code $c} literal, with Erlang escapes. */
    private int character() {
        if (i >= s.length()) {
            throw expected("a character");
        }
        int c = s.codePointAt(i);
        i += Character.charCount(c);
        if (c != '\\') {
            return c;
        }
        if (i >= s.length()) {
            throw expected("an escape character");
        }
        char e = s.charAt(i++);
        return switch (e) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 's' -> ' ';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'v' -> 0x0b;
            case 'e' -> 0x1b;
            case 'd' -> 0x7f;
            case '0' -> 0;
            case 'x' -> hexEscape();
            default -> e;
        };
    }

    private int hexEscape() {
        boolean braced = peek() == '{';
        if (braced) {
            i++;
        }
        int start = i;
        while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && i - start < (braced ? 6 : 2)) {
            i++;
        }
        if (i == start || (braced && peek() != '}')) {
            throw expected(braced ? "hex digits and '}'" : "two hex digits");
        }
        int cp = Integer.parseInt(s.substring(start, i), 16);
        if (cp > Character.MAX_CODE_POINT) {
            throw new MatchSpecException("character escape at offset " + start + " is beyond U+10FFFF", start);
        }
        if (braced) {
            i++;
        }
        return cp;
    }

    private void skipBlank() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                return;
            }
        }
    }

    private void expect(char c) {
        skipBlank();
        if (peek() != c) {
            throw expected("'" + c + "'");
        }
        i++;
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private MatchSpecException expected(String what) {
        String found = i >= s.length() ? "end of input"
                : "'" + s.substring(i, Math.min(s.length(), i + 12)).replace("\n", " ") + "'";
        return new MatchSpecException("expected " + what + " at offset " + i + " but found " + found, i);
    }
}
