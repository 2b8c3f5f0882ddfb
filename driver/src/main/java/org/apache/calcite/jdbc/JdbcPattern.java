package org.apache.calcite.jdbc;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A JDBC metadata pattern ({@code getTables}, {@code getColumns}): {@code %} any run of characters, {@code _} any
 * one character, {@code \} escapes the next; null matches everything. Calcite's own reading of these patterns
 * takes {@code _} as itself, so {@code order_lines} did not find a table {@code order lines}.
 */
final class JdbcPattern {
    private JdbcPattern() {
    }

    /** Whether a name matches {@code pattern}. */
    static Predicate<String> matcher(String pattern) {
        if (pattern == null) {
            return name -> true;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append("(?s).*");
            } else if (c == '_') {
                regex.append("(?s).");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern p = Pattern.compile(regex.toString());
        return name -> name != null && p.matcher(name).matches();
    }
}
