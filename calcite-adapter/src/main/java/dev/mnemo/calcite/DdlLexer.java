package dev.mnemo.calcite;

import dev.mnemo.calcite.DdlToken.Kind;

/**
 * Splits a DDL statement into {@link DdlToken}s, on demand. Skips whitespace, {@code -- line} comments and
 * {@code /* block * /} comments. Unquoted words are letters, digits, '_' and '$' not starting with a digit; in
 * "double-quoted" identifiers and 'single-quoted' strings a doubled quote stands for one. A character that starts
 * no token is a syntax error at its position.
 */
final class DdlLexer {
    private static final String SYMBOLS = "(),;=.+-";
    private final String sql;
    private int pos;
    private int line = 1;
    private int lineStart;

    DdlLexer(String sql) {
        this.sql = sql;
    }

    /** The next token; {@link Kind#END} at (and after) the end. */
    DdlToken next() {
        skipBlanks();
        int startLine = line;
        int startColumn = pos - lineStart + 1;
        if (pos >= sql.length()) {
            return new DdlToken(Kind.END, "", "", startLine, startColumn);
        }
        char c = sql.charAt(pos);
        int start = pos;
        if (isWordStart(c)) {
            while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                pos++;
            }
            String w = sql.substring(start, pos);
            return new DdlToken(Kind.WORD, w, w, startLine, startColumn);
        }
        if (c == '"' || c == '\'') {
            String value = quoted(c, startLine, startColumn);
            return new DdlToken(c == '"' ? Kind.QUOTED : Kind.STRING, sql.substring(start, pos), value, startLine,
                    startColumn);
        }
        if (isDigit(c) || (c == '.' && pos + 1 < sql.length() && isDigit(sql.charAt(pos + 1)))) {
            number();
            String n = sql.substring(start, pos);
            return new DdlToken(Kind.NUMBER, n, n, startLine, startColumn);
        }
        if (SYMBOLS.indexOf(c) >= 0) {
            pos++;
            return new DdlToken(Kind.SYMBOL, String.valueOf(c), String.valueOf(c), startLine, startColumn);
        }
        throw DdlError.syntax(startLine, startColumn, "unexpected character '" + c + "'");
    }

    private static boolean isWordStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Skips whitespace and comments, keeping track of lines. */
    private void skipBlanks() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\n') {
                pos++;
                newLine();
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (sql.startsWith("--", pos)) {
                while (pos < sql.length() && sql.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (sql.startsWith("/*", pos)) {
                blockComment();
            } else {
                return;
            }
        }
    }

    private void newLine() {
        line++;
        lineStart = pos;
    }

    private void blockComment() {
        int startLine = line;
        int startColumn = pos - lineStart + 1;
        pos += 2;
        while (!sql.startsWith("*/", pos)) {
            if (pos >= sql.length()) {
                throw DdlError.syntax(startLine, startColumn, "comment is not closed: expected '*/'");
            }
            if (sql.charAt(pos++) == '\n') {
                newLine();
            }
        }
        pos += 2;
    }

    /** Reads a quoted token whose opening quote is at {@code pos}; returns its contents with doubled quotes undone. */
    private String quoted(char quote, int startLine, int startColumn) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= sql.length()) {
                String what = quote == '"' ? "quoted identifier" : "string";
                throw DdlError.syntax(startLine, startColumn, what + " is not closed: expected " + quote);
            }
            char c = sql.charAt(pos++);
            if (c == quote) {
                if (pos < sql.length() && sql.charAt(pos) == quote) {
                    pos++;
                } else {
                    return sb.toString();
                }
            } else if (c == '\n') {
                newLine();
            }
            sb.append(c);
        }
    }

    /** Reads digits, an optional fraction and an optional exponent. */
    private void number() {
        digits();
        if (pos < sql.length() && sql.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos < sql.length() && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < sql.length() && (sql.charAt(pos) == '+' || sql.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= sql.length() || !isDigit(sql.charAt(pos))) {
                pos = mark; // not an exponent: the 'e' starts the next token
                return;
            }
            digits();
        }
    }

    private void digits() {
        while (pos < sql.length() && isDigit(sql.charAt(pos))) {
            pos++;
        }
    }
}
