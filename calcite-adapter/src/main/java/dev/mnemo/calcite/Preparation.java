package dev.mnemo.calcite;

import java.util.function.Supplier;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserImplFactory;

/**
 * How the driver prepares a statement's text: a statement {@link SimpleStatements} takes is prepared from its parse
 * tree, any other by Calcite ({@link MnemoPrepare}), handed the tree already parsed. This class is kept apart from
 * MnemoPrepare on purpose: loading MnemoPrepare initialises Calcite's preparer and its rule lists (about 100 ms in
 * a fresh JVM), which a statement prepared from its parse tree never needs.
 */
public final class Preparation {
    /** The text and parse tree {@link #withParseTree} hands to this thread's next parse of that text. */
    private static final ThreadLocal<Object[]> PARSED = new ThreadLocal<>();
    /** Set while Calcite must plan (the statement is planned because an execution needs its plan). */
    private static final ThreadLocal<Boolean> PLANNING = new ThreadLocal<>();

    private Preparation() {
    }

    /**
     * The signature of {@code sql}: made from its parse tree where {@link SimpleStatements} takes it, else
     * Calcite's, which {@code calcite} prepares (and which a statement made from its parse tree is given when an
     * execution needs a plan). {@code calcite} must prepare with a prepare context of its own: made when it runs,
     * it sees the schema as it is then.
     */
    public static <T> CalcitePrepare.CalciteSignature<T> prepare(CalcitePrepare.Context context, String sql,
            long maxRowCount, Supplier<CalcitePrepare.CalciteSignature<T>> calcite) {
        Object[] given = PARSED.get();
        SqlNode tree = given != null && given[0].equals(sql) ? (SqlNode) given[1] : parse(context.config(), sql);
        if (tree == null) {
            return planning(calcite); // it reports the syntax error
        }
        SimpleStatements.refuseWriteToView(context, tree);
        CalcitePrepare.CalciteSignature<T> simple = SimpleStatements.signature(context, sql, tree, maxRowCount,
                () -> planning(calcite));
        if (simple != null) {
            return simple;
        }
        // the tree, unchanged, is Calcite's parse of the text
        return given != null ? planning(calcite) : withParseTree(sql, tree, () -> planning(calcite));
    }

    /** Runs {@code work}, in which Calcite plans the statement it prepares. */
    static <T> T planning(Supplier<T> work) {
        Boolean outer = PLANNING.get();
        PLANNING.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                PLANNING.remove();
            }
        }
    }

    /** Whether this thread's preparation is to be planned by Calcite ({@link #planning}). */
    static boolean planning() {
        return PLANNING.get() != null;
    }

    /**
     * Runs {@code prepare} with {@code tree}, parsed already by the caller, standing for the parse of {@code text}:
     * the first parse of that text in {@code prepare} answers the tree without parsing. The tree belongs to that
     * preparation from then on (validation changes it).
     */
    public static <T> T withParseTree(String text, SqlNode tree, Supplier<T> prepare) {
        PARSED.set(new Object[] {text, tree});
        try {
            return prepare.get();
        } finally {
            PARSED.remove();
        }
    }

    /** The tree handed for this thread's parse of {@code text}, once; null if none. */
    static SqlNode takeParsed(String text) {
        Object[] parsed = PARSED.get();
        if (parsed != null && parsed[0].equals(text)) {
            PARSED.remove(); // once: a statement prepared again (InListFallback) parses its text
            return (SqlNode) parsed[1];
        }
        return null;
    }

    /** The parse of {@code sql} as Calcite's preparation parses it, or null if it does not parse. */
    private static SqlNode parse(CalciteConnectionConfig config, String sql) {
        SqlParser.Config parserConfig = SqlParser.config().withQuotedCasing(config.quotedCasing())
                .withUnquotedCasing(config.unquotedCasing()).withQuoting(config.quoting())
                .withConformance(config.conformance()).withCaseSensitive(config.caseSensitive());
        SqlParserImplFactory factory = config.parserFactory(SqlParserImplFactory.class, null);
        if (factory != null) {
            parserConfig = parserConfig.withParserFactory(factory);
        }
        try {
            return SqlParser.create(sql, parserConfig).parseStmt();
        } catch (SqlParseException e) {
            return null;
        }
    }
}
