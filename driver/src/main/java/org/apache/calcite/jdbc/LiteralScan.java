package org.apache.calcite.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The literals of a SQL text found by a lexical scan, and the text's shape: the text with each number and plain
 * string literal replaced by a marker of its kind, so that statements differing only in such literals share one
 * shape. Quoted identifiers, comments, typed literals ({@code DATE '…'}, {@code TIMESTAMP '…'}, {@code INTERVAL '…'})
 * and prefixed strings ({@code X'…'}, {@code N'…'}, {@code U&'…'}) stay part of the shape.
 *
 * @param shape    the text with literal markers, a cache key
 * @param literals the literals, in text order
 */
record LiteralScan(String shape, List<Literal> literals) {
    private static final Set<String> TYPED = Set.of("DATE", "TIME", "TIMESTAMP", "INTERVAL");

    /** The kind of a literal. */
    enum Kind {
        /** Digits only: {@code 42}. */
        INTEGER,
        /** With a decimal point: {@code 4.2}. */
        DECIMAL,
        /** With an exponent: {@code 4.2E1}. */
        APPROXIMATE,
        /** A plain string: {@code 'x'}. */
        STRING
    }

    /**
     * One literal.
     *
     * @param kind   its kind
     * @param text   its text as written (a string with its quotes)
     * @param start  offset of its first character
     * @param end    offset after its last character
     * @param line   1-based line of its first character
     * @param column 1-based column of its first character
     */
    record Literal(Kind kind, String text, int start, int end, int line, int column) {
        /** The value of a string literal, without quotes and with doubled quotes undone. */
        String stringValue() {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
    }

    /**
     * Scans {@code sql}; null when it cannot be scanned (an unterminated string, identifier or comment) or holds a
     * {@code ?} parameter, which plain statements cannot bind.
     */
    static LiteralScan of(String sql) {
        List<Literal> literals = new ArrayList<>();
        StringBuilder shape = new StringBuilder(sql.length());
        String lastWord = null;
        int i = 0;
        int n = sql.length();
        int line = 1;
        int lineStart = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\n') {
                shape.append(c);
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int e = sql.indexOf('\n', i);
                e = e < 0 ? n : e;
                shape.append(sql, i, e);
                i = e;
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int e = sql.indexOf("*/", i + 2);
                if (e < 0) {
                    return null;
                }
                for (int k = i; k < e; k++) {
                    if (sql.charAt(k) == '\n') {
                        line++;
                        lineStart = k + 1;
                    }
                }
                shape.append(sql, i, e + 2);
                i = e + 2;
                continue;
            }
            if (c == '"') {
                int e = closing(sql, i, '"');
                if (e < 0) {
                    return null;
                }
                shape.append(sql, i, e);
                lastWord = null;
                i = e;
                continue;
            }
            if (c == '\'') {
                int e = closing(sql, i, '\'');
                if (e < 0) {
                    return null;
                }
                String text = sql.substring(i, e);
                boolean prefixed = i > 0 && isWordChar(sql.charAt(i - 1)) || i > 0 && sql.charAt(i - 1) == '&';
                if (prefixed || text.indexOf('\n') >= 0 || lastWord != null && TYPED.contains(lastWord)) {
                    shape.append(text);
                } else {
                    literals.add(new Literal(Kind.STRING, text, i, e, line, i - lineStart + 1));
                    shape.append("\u0001s");
                }
                lastWord = null;
                i = e;
                continue;
            }
            if (c == '?') {
                return null;
            }
            if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int e = number(sql, i);
                String text = sql.substring(i, e);
                Kind kind = text.indexOf('e') >= 0 || text.indexOf('E') >= 0 ? Kind.APPROXIMATE
                        : text.indexOf('.') >= 0 ? Kind.DECIMAL : Kind.INTEGER;
                literals.add(new Literal(kind, text, i, e, line, i - lineStart + 1));
                shape.append(kind == Kind.INTEGER ? "\u0001i" : kind == Kind.DECIMAL ? "\u0001d" : "\u0001a");
                lastWord = null;
                i = e;
                continue;
            }
            if (isWordChar(c)) {
                int e = i;
                while (e < n && isWordChar(sql.charAt(e))) {
                    e++;
                }
                lastWord = sql.substring(i, e).toUpperCase(Locale.ROOT);
                shape.append(sql, i, e);
                i = e;
                continue;
            }
            if (!Character.isWhitespace(c)) {
                lastWord = null;
            }
            shape.append(c);
            i++;
        }
        return new LiteralScan(shape.toString(), List.copyOf(literals));
    }

    /** The offset after the quote closing the token opened at {@code start} (doubled quotes escape), or -1. */
    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return -1;
    }

    private static int number(String sql, int i) {
        int n = sql.length();
        while (i < n && Character.isDigit(sql.charAt(i))) {
            i++;
        }
        if (i < n && sql.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(sql.charAt(i))) {
                i++;
            }
        }
        if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
                j++;
            }
            if (j < n && Character.isDigit(sql.charAt(j))) {
                i = j;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** The text with the literals at the positions flagged in {@code parameters} replaced by {@code ?}. */
    String withParameters(String sql, boolean[] parameters) {
        StringBuilder out = new StringBuilder(sql.length());
        int from = 0;
        for (int k = 0; k < literals.size(); k++) {
            if (parameters[k]) {
                Literal l = literals.get(k);
                out.append(sql, from, l.start()).append('?');
                from = l.end();
            }
        }
        return out.append(sql, from, sql.length()).toString();
    }
}
