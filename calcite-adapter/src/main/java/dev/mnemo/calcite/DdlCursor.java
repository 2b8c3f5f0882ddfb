package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;

/** The tokens of a DDL statement with look-ahead, and the small accept/expect steps of the parsers. */
final class DdlCursor {
    private final DdlLexer lexer;
    private final List<DdlToken> ahead = new ArrayList<>();

    DdlCursor(String sql) {
        this.lexer = new DdlLexer(sql);
    }

    /** The next token, not consumed. */
    DdlToken peek() {
        return peek(0);
    }

    /** The token {@code n} places ahead (0 = next), not consumed. */
    DdlToken peek(int n) {
        while (ahead.size() <= n) {
            ahead.add(lexer.next());
        }
        return ahead.get(n);
    }

    /** Consumes and returns the next token. */
    DdlToken next() {
        DdlToken t = peek();
        ahead.remove(0);
        return t;
    }

    /** Consumes the keyword if it comes next. */
    boolean acceptWord(String keyword) {
        if (peek().isWord(keyword)) {
            next();
            return true;
        }
        return false;
    }

    /** Consumes the symbol if it comes next. */
    boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            next();
            return true;
        }
        return false;
    }

    /** Consumes the keyword or fails with a syntax error naming it. */
    DdlToken expectWord(String keyword) {
        if (!peek().isWord(keyword)) {
            throw DdlError.expected(peek(), keyword);
        }
        return next();
    }

    /** Consumes the symbol or fails with a syntax error naming it. */
    DdlToken expectSymbol(String symbol) {
        if (!peek().isSymbol(symbol)) {
            throw DdlError.expected(peek(), "'" + symbol + "'");
        }
        return next();
    }

    /** Consumes an identifier (unquoted or quoted) or fails saying {@code what} was expected. */
    DdlToken identifier(String what) {
        if (!peek().isIdentifier()) {
            throw DdlError.expected(peek(), what);
        }
        return next();
    }

    /** The SQL schema that holds the engine's tables: DDL may qualify a table name with it. */
    static final String SCHEMA = "mnemo";

    /**
     * Consumes a table name, optionally qualified by the schema ({@code mnemo.t}, {@code "mnemo"."t"}, the schema
     * name matched case-insensitively as SQL matches it); another schema is an error (3F000) naming it.
     */
    DdlToken tableName(String what) {
        DdlToken first = identifier(what);
        if (!acceptSymbol(".")) {
            return first;
        }
        if (!first.value().equalsIgnoreCase(SCHEMA)) {
            throw DdlError.at(first, "3F000", "schema " + first.value() + " does not exist: Mnemo's tables are in "
                    + "schema " + SCHEMA);
        }
        return identifier(what + " after '" + first.value() + ".'");
    }

    /** Consumes {@code IF NOT EXISTS} if it comes next. */
    boolean ifNotExists() {
        if (peek().isWord("IF") && peek(1).isWord("NOT")) {
            next();
            next();
            expectWord("EXISTS");
            return true;
        }
        return false;
    }

    /** Consumes {@code IF EXISTS} if it comes next. */
    boolean ifExists() {
        if (peek().isWord("IF") && peek(1).isWord("EXISTS")) {
            next();
            next();
            return true;
        }
        return false;
    }
}
