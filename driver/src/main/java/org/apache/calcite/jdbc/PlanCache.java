package org.apache.calcite.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The plan cache of one connection's plain statements. A statement's literals that stand where a parameter can
 * take their place (compared with a column, in an IN list or BETWEEN on a column, a VALUES row of an INSERT, the
 * value of an UPDATE's SET) become {@code ?} parameters, so statements that differ only in those literals share one
 * prepared plan: {@code select * from users where id = 7} and {@code … where id = 8} are planned and compiled once.
 * Literals in a select list stay (they are part of their column's label, see ColumnLabels).
 *
 * <p>Prepared statements' texts are cached as written ({@link #prepared}), and so are plain statements none of
 * whose literals can become a parameter ({@code select sum(balance) from accounts}): planning those again on every
 * execution took a thousand times longer than running them.
 *
 * <p>Two Caffeine caches, both keyed by the engine's schema version so that a schema change makes every plan
 * stale: the statement's shape (its text with literals replaced by markers of their kind) to which literals become
 * parameters, found once per shape by parsing the statement; and the parameterized text to its prepared signature.
 * A literal is bound only if its value converts exactly to the parameter's type (an integer into a BIGINT column's
 * parameter, a string into a VARCHAR one…); otherwise, or when the parameterized text does not prepare, the
 * statement takes the ordinary path, where Calcite plans it with its literals.
 */
final class PlanCache {
    /** A shape that must be planned as written each time (an EXPLAIN, or a text that does not parse). */
    private static final boolean[] NONE = new boolean[0];
    /** A shape of which no literal can become a parameter: its plan is cached by its exact text. */
    private static final boolean[] AS_WRITTEN = new boolean[0];
    private static final int SIZE = 512;
    /**
     * The weight each plan cache may hold: {@value} ordinary statements (weight 1), or far fewer big ones, such as
     * those of IN lists with 10,000 values (weight about 170, see {@link #weight}).
     */
    private static final int WEIGHT = SIZE;

    private final java.util.concurrent.atomic.AtomicLong prepared = new java.util.concurrent.atomic.AtomicLong();
    private final Cache<Key, boolean[]> shapes = Caffeine.newBuilder().maximumSize(SIZE).build();
    private final Cache<Key, CalcitePrepare.CalciteSignature<Object>> plans =
            Caffeine.newBuilder().maximumWeight(WEIGHT).weigher(PlanCache::weight).build();
    private final Cache<Key, CalcitePrepare.CalciteSignature<Object>> texts =
            Caffeine.newBuilder().maximumWeight(WEIGHT).weigher(PlanCache::weight).build();

    /**
     * A plan's weight in the cache: 1, and 1 more for each 4 KiB of its text and each 64 parameters (a parameter's
     * metadata and binding code take about 64 bytes), so that plans of long IN lists do not fill the heap.
     */
    private static int weight(Key key, CalcitePrepare.CalciteSignature<Object> signature) {
        return 1 + key.text().length() / 4096 + signature.parameters.size() / 64;
    }

    /** A cache key: the text and what else the plan depends on. */
    private record Key(long schemaVersion, long maxRowCount, String text) {
    }

    /** A cached plan and the values of the parameters its literals became. */
    record Hit(CalcitePrepare.CalciteSignature<Object> signature, List<TypedValue> values) {
    }

    /**
     * Throws {@code e} if it is the statement being canceled, timed out or interrupted while planning (SQLState
     * 57014): the ordinary path must not plan it again, and the shape stays fit for the cache.
     */
    private static void rethrowIfStopped(RuntimeException e) {
        if (dev.mnemo.calcite.SqlErrors.stopped(e) != null) {
            throw e;
        }
    }

    /**
     * The cached plan of {@code sql} with its literals as parameter values, preparing and caching it (with
     * {@code prepare}) on first sight of its shape; null when the statement must take the ordinary path.
     */
    Hit lookup(String sql, long schemaVersion, long maxRowCount, CalciteConnectionConfig config,
               Function<String, CalcitePrepare.CalciteSignature<Object>> prepare) {
        LiteralScan scan = LiteralScan.of(sql);
        if (scan == null) {
            return null;
        }
        Key shapeKey = new Key(schemaVersion, maxRowCount, scan.shape());
        boolean[] parameters = shapes.getIfPresent(shapeKey);
        SqlNode[] tree = {null}; // the statement's parse tree, when it was parsed here
        if (parameters == null) {
            parameters = parameterPositions(sql, scan, config, tree);
            shapes.put(shapeKey, parameters);
        }
        if (parameters == NONE) {
            return null;
        }
        if (parameters == AS_WRITTEN) {
            try {
                return new Hit(prepared(sql, schemaVersion, maxRowCount, prepare), List.of());
            } catch (RuntimeException e) {
                rethrowIfStopped(e);
                shapes.put(shapeKey, NONE); // the ordinary path reports it
                return null;
            }
        }
        Key planKey = new Key(schemaVersion, maxRowCount, scan.withParameters(sql, parameters));
        CalcitePrepare.CalciteSignature<Object> signature = plans.getIfPresent(planKey);
        if (signature == null) {
            try {
                String text = planKey.text();
                SqlNode parameterized = tree[0] == null ? null : parameterize(tree[0], scan, parameters);
                // the tree parsed here, its literals made parameters, is the parameterized text's parse tree
                signature = parameterized == null ? prepare.apply(text)
                        : dev.mnemo.calcite.Preparation.withParseTree(text, parameterized, () -> prepare.apply(text));
                prepared.incrementAndGet();
            } catch (RuntimeException e) {
                rethrowIfStopped(e);
                shapes.put(shapeKey, NONE); // e.g. a parameter whose type Calcite cannot infer there
                return null;
            }
            if (signature.parameters.size() != count(parameters)) {
                shapes.put(shapeKey, NONE);
                return null;
            }
            plans.put(planKey, signature);
        }
        List<TypedValue> values = new ArrayList<>(signature.parameters.size());
        int p = 0;
        for (int k = 0; k < parameters.length; k++) {
            if (parameters[k]) {
                TypedValue v = convert(scan.literals().get(k), signature.parameters.get(p++));
                if (v == null) {
                    return null; // this literal does not fit the parameter exactly: plan it as written
                }
                values.add(v);
            }
        }
        return new Hit(signature, values);
    }

    /**
     * The prepared signature of the text of a prepared statement: cached as it is written ({@code ?} parameters and
     * all), so that preparing the same text again on this connection, as pools and ORMs do, plans nothing.
     */
    CalcitePrepare.CalciteSignature<Object> prepared(String sql, long schemaVersion, long maxRowCount,
            Function<String, CalcitePrepare.CalciteSignature<Object>> prepare) {
        return texts.get(new Key(schemaVersion, maxRowCount, sql), key -> {
            prepared.incrementAndGet();
            return prepare.apply(sql);
        });
    }

    /** How many parameterized texts this cache has prepared (for tests). */
    long preparedCount() {
        return prepared.get();
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** Which literals of {@code scan} stand where a parameter can: found in the parse tree of {@code sql}. */
    private static boolean[] parameterPositions(String sql, LiteralScan scan, CalciteConnectionConfig config,
                                                SqlNode[] tree) {
        SqlNode node;
        try {
            node = SqlParser.create(sql, SqlParser.config().withQuotedCasing(config.quotedCasing())
                    .withUnquotedCasing(config.unquotedCasing()).withQuoting(config.quoting())
                    .withConformance(config.conformance()).withCaseSensitive(config.caseSensitive())).parseStmt();
        } catch (SqlParseException | RuntimeException e) {
            return NONE; // the ordinary path reports it
        }
        if (node.getKind() == SqlKind.EXPLAIN) {
            return NONE; // a plan shown must have the literals as written
        }
        tree[0] = node;
        if (scan.literals().isEmpty()) {
            return AS_WRITTEN;
        }
        Set<Position> allowed = new HashSet<>();
        collect(node, allowed);
        boolean[] flags = new boolean[scan.literals().size()];
        boolean any = false;
        for (int k = 0; k < flags.length; k++) {
            LiteralScan.Literal l = scan.literals().get(k);
            flags[k] = allowed.contains(Position.of(l));
            any |= flags[k];
        }
        return any ? flags : AS_WRITTEN;
    }

    /**
     * {@code tree} (the parse tree of the scanned text, changed in place) with the literals that {@code parameters}
     * flags replaced by {@code ?} parameters numbered in text order, as in the parse of the parameterized text; null
     * if some could not be replaced (the text is then parsed).
     */
    private static SqlNode parameterize(SqlNode tree, LiteralScan scan, boolean[] parameters) {
        Map<Position, Integer> index = new HashMap<>();
        for (int k = 0; k < parameters.length; k++) {
            if (parameters[k]) {
                index.put(Position.of(scan.literals().get(k)), index.size());
            }
        }
        int[] replaced = {0};
        try {
            replaceLiterals(tree, index, replaced);
        } catch (UnsupportedOperationException e) {
            return null; // a node that cannot change an operand in place
        }
        return replaced[0] == index.size() ? tree : null;
    }

    private static void replaceLiterals(SqlNode node, Map<Position, Integer> index, int[] replaced) {
        if (node instanceof SqlNodeList list) {
            for (int i = 0; i < list.size(); i++) {
                SqlNode param = parameter(list.get(i), index);
                if (param != null) {
                    list.set(i, param);
                    replaced[0]++;
                } else {
                    replaceLiterals(list.get(i), index, replaced);
                }
            }
        } else if (node instanceof SqlCall call) {
            List<SqlNode> ops = call.getOperandList();
            for (int i = 0; i < ops.size(); i++) {
                SqlNode param = ops.get(i) == null ? null : parameter(ops.get(i), index);
                if (param != null) {
                    call.setOperand(i, param);
                    replaced[0]++;
                } else if (ops.get(i) != null) {
                    replaceLiterals(ops.get(i), index, replaced);
                }
            }
        }
    }

    /** The parameter that takes the place of {@code n}, if it is a literal to be replaced; else null. */
    private static SqlNode parameter(SqlNode n, Map<Position, Integer> index) {
        Position p = Position.ofLiteral(n);
        Integer i = p == null ? null : index.get(p);
        return i == null ? null : new SqlDynamicParam(i, n.getParserPosition());
    }

    /** Where a literal is in the text: line, first and last column (as Calcite's parser counts them). */
    private record Position(int line, int column, int endColumn) {
        /** Where a literal the scan found is. */
        static Position of(LiteralScan.Literal l) {
            return new Position(l.line(), l.column(), l.column() + l.text().length() - 1);
        }

        /** Where {@code n} is, if it is a number or plain string literal on one line; else null. */
        static Position ofLiteral(SqlNode n) {
            if (!(n instanceof SqlNumericLiteral || n instanceof SqlCharStringLiteral)) {
                return null;
            }
            SqlParserPos p = n.getParserPosition();
            return p.getLineNum() == p.getEndLineNum() ? new Position(p.getLineNum(), p.getColumnNum(),
                    p.getEndColumnNum()) : null;
        }
    }

    private static void collect(SqlNode node, Set<Position> allowed) {
        if (node instanceof SqlNodeList list) {
            for (SqlNode n : list) {
                collect(n, allowed);
            }
            return;
        }
        if (!(node instanceof SqlCall call)) {
            return;
        }
        List<SqlNode> ops = call.getOperandList();
        if (call instanceof SqlSelect select) {
            // a literal in the select list is part of its column's label (COUNT(*) > 5): never a parameter
            for (SqlNode op : ops) {
                if (op != null && op != select.getSelectList()) {
                    collect(op, allowed);
                }
            }
            return;
        }
        switch (call.getKind()) {
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                if (ops.get(0) instanceof SqlIdentifier) {
                    allow(ops.get(1), allowed);
                } else if (ops.get(1) instanceof SqlIdentifier) {
                    allow(ops.get(0), allowed);
                }
            }
            case BETWEEN -> {
                if (ops.get(0) instanceof SqlIdentifier) {
                    allow(ops.get(1), allowed);
                    allow(ops.get(2), allowed);
                }
            }
            case IN, NOT_IN -> {
                if (ops.get(0) instanceof SqlIdentifier && ops.get(1) instanceof SqlNodeList values) {
                    for (SqlNode v : values) {
                        allow(v, allowed);
                    }
                }
            }
            case INSERT -> {
                SqlNode source = ((SqlInsert) call).getSource();
                if (source.getKind() == SqlKind.VALUES) {
                    for (SqlNode row : ((SqlBasicCall) source).getOperandList()) {
                        if (row.getKind() == SqlKind.ROW) {
                            for (SqlNode v : ((SqlBasicCall) row).getOperandList()) {
                                allow(v, allowed);
                            }
                        }
                    }
                }
            }
            case UPDATE -> {
                for (SqlNode v : ((SqlUpdate) call).getSourceExpressionList()) {
                    allow(v, allowed);
                }
            }
            default -> {
            }
        }
        for (SqlNode op : ops) {
            if (op != null) {
                collect(op, allowed);
            }
        }
    }

    private static void allow(SqlNode n, Set<Position> allowed) {
        Position p = Position.ofLiteral(n);
        if (p != null) {
            allowed.add(p);
        }
    }

    /**
     * The literal as a value of the parameter's type, or null unless it converts exactly (and means what Calcite
     * would make of the literal in that place).
     */
    static TypedValue convert(LiteralScan.Literal literal, AvaticaParameter parameter) {
        if (literal.kind() == LiteralScan.Kind.STRING) {
            String s = literal.stringValue();
            return parameter.parameterType == Types.VARCHAR && !s.endsWith(" ")
                    ? TypedValue.ofLocal(ColumnMetaData.Rep.STRING, s) : null;
        }
        switch (parameter.parameterType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                if (literal.kind() == LiteralScan.Kind.APPROXIMATE) {
                    return null;
                }
                BigDecimal d = new BigDecimal(literal.text());
                if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                    return null;
                }
                BigInteger v = d.toBigInteger();
                return switch (parameter.parameterType) {
                    case Types.BIGINT -> v.bitLength() < 64 ? TypedValue.ofLocal(ColumnMetaData.Rep.LONG,
                            v.longValue()) : null;
                    case Types.INTEGER -> v.bitLength() < 32 ? TypedValue.ofLocal(ColumnMetaData.Rep.INTEGER,
                            v.intValue()) : null;
                    case Types.SMALLINT -> v.bitLength() < 16 ? TypedValue.ofLocal(ColumnMetaData.Rep.SHORT,
                            v.shortValue()) : null;
                    default -> v.bitLength() < 8 ? TypedValue.ofLocal(ColumnMetaData.Rep.BYTE, v.byteValue()) : null;
                };
            }
            case Types.DECIMAL, Types.NUMERIC -> {
                if (literal.kind() == LiteralScan.Kind.APPROXIMATE) {
                    return null;
                }
                BigDecimal d = new BigDecimal(literal.text());
                boolean fits = d.scale() <= parameter.scale
                        && d.precision() - d.scale() <= parameter.precision - parameter.scale;
                return fits ? TypedValue.ofLocal(ColumnMetaData.Rep.NUMBER, d) : null;
            }
            case Types.DOUBLE, Types.FLOAT -> {
                return TypedValue.ofLocal(ColumnMetaData.Rep.DOUBLE, Double.parseDouble(literal.text()));
            }
            default -> {
                return null;
            }
        }
    }
}
