package dev.mnemo.calcite;

import java.util.Locale;

/**
 * One token of a DDL statement.
 *
 * @param kind   what the token is
 * @param text   the token exactly as written (quotes included)
 * @param value  for identifiers the name (unquoted, case as written), for strings the unescaped contents,
 *               otherwise the text
 * @param line   1-based line of the first character
 * @param column 1-based column of the first character
 */
record DdlToken(Kind kind, String text, String value, int line, int column) {
    /** Token kinds. */
    enum Kind {
        /** An unquoted word: a keyword or an identifier. */
        WORD,
        /** A "double-quoted" identifier; never a keyword. */
        QUOTED,
        /** A 'single-quoted' string literal. */
        STRING,
        /** An unsigned number: digits, an optional fraction and an optional exponent. */
        NUMBER,
        /** One of {@code ( ) , ; = . + -}. */
        SYMBOL,
        /** The end of the statement. */
        END
    }

    /** Whether this is the unquoted keyword {@code keyword} (case-insensitive). */
    boolean isWord(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    /** Whether this is the symbol {@code symbol}. */
    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** Whether this token can name something: an unquoted word or a quoted identifier. */
    boolean isIdentifier() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }

    /** The upper-case text of a word, for keyword switches. */
    String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    /** How the token reads in an error message: {@code 'text'} (shortened if long) or {@code end of input}. */
    String describe() {
        if (kind == Kind.END) {
            return "end of input";
        }
        return "'" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "'";
    }
}
