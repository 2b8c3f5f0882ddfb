package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;

/**
 * Column labels as SQL clients expect them: a select-list expression without an alias is labelled with its text
 * ({@code COUNT(*)}, {@code SUM(qty)}, {@code price * 2}), as H2 labels it, instead of Calcite's {@code EXPR$0}.
 * Only the labels of the outermost query's columns change (of its first branch for a UNION, as the standard
 * says); the relational names inside the plan stay Calcite's, so nothing else is affected.
 */
final class ColumnLabels {
    private static final Pattern GENERATED = Pattern.compile("EXPR\\$\\d+");
    private static final SqlDialect TEXT = new SqlDialect(SqlDialect.EMPTY_CONTEXT
            .withIdentifierQuoteString(null)
            .withNullCollation(NullCollation.HIGH));
    /** Labels longer than this are cut (clients show them as column headers). */
    private static final int MAX = 128;

    private ColumnLabels() {
    }

    /**
     * For each item of the select list that decides the column labels of {@code query} (as parsed, before
     * validation), its text if it has no alias and is not a plain column, else null; a {@code *} item is
     * {@link #STAR}. Null if the statement is not a query.
     */
    static List<String> of(SqlNode query) {
        SqlSelect select = leadingSelect(query);
        if (select == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (SqlNode item : select.getSelectList()) {
            if (item instanceof SqlIdentifier id) {
                out.add(id.isStar() ? STAR : null);
            } else if (item.getKind() == SqlKind.AS) {
                out.add(null);
            } else {
                out.add(text(item));
            }
        }
        return out;
    }

    /** Marks a {@code *} in the select list, whose columns cannot be counted before validation. */
    static final String STAR = "*";

    private static SqlSelect leadingSelect(SqlNode n) {
        while (true) {
            if (n instanceof SqlSelect s) {
                return s;
            }
            if (n instanceof SqlOrderBy o) {
                n = o.query;
            } else if (n instanceof SqlWith w) {
                n = w.body;
            } else if (n != null && n.getKind().belongsTo(SqlKind.SET_QUERY)) {
                n = ((SqlCall) n).operand(0);
            } else {
                return null;
            }
        }
    }

    private static String text(SqlNode item) {
        String s = item.toSqlString(TEXT).getSql().replaceAll("\\s+", " ").trim();
        return s.length() > MAX ? s.substring(0, MAX) : s;
    }

    /**
     * {@code columns} with each generated label ({@code EXPR$n}) replaced by its expression's text, given the
     * select-list {@code items} from {@link #of}; items before the first {@code *} label the first columns and
     * items after the last one the last columns. The same list if nothing changes.
     */
    static List<ColumnMetaData> relabel(List<ColumnMetaData> columns, List<String> items) {
        if (items == null) {
            return columns;
        }
        int firstStar = items.indexOf(STAR);
        int lastStar = items.lastIndexOf(STAR);
        List<ColumnMetaData> out = new ArrayList<>(columns);
        boolean changed = false;
        for (int i = 0; i < items.size(); i++) {
            String label = items.get(i);
            int column = firstStar < 0 || i < firstStar ? i
                    : i > lastStar ? columns.size() - (items.size() - i) : -1;
            if (label == null || label == STAR || column < 0 || column >= columns.size()) {
                continue;
            }
            ColumnMetaData c = columns.get(column);
            if (GENERATED.matcher(c.label).matches()) {
                out.set(column, withLabel(c, label));
                changed = true;
            }
        }
        return changed ? out : columns;
    }

    private static ColumnMetaData withLabel(ColumnMetaData c, String label) {
        return new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive, c.searchable, c.currency,
                c.nullable, c.signed, c.displaySize, label, label, c.schemaName, c.precision, c.scale,
                c.tableName, c.catalogName, c.type, c.readOnly, c.writable, c.definitelyWritable,
                c.columnClassName);
    }
}
