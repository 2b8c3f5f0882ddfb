package dev.mnemo.calcite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.Range;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepRelVertex;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.Converter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.CyclicMetadataException;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.MetadataDef;
import org.apache.calcite.rel.metadata.MetadataHandler;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMdCollation;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.metadata.ReflectiveRelMetadataProvider;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.Sarg;

/**
 * What Mnemo tells Calcite's cost model beyond Calcite's own metadata: join row counts that know keys
 * ({@link RowCounts}), and uniqueness and column origins seen through the Volcano planner's sets of equivalent
 * expressions ({@link Subsets}), where Calcite's handlers look only at some kinds of expression and so lose a key
 * behind a converter or a Calc.
 *
 * <p>The handlers are public because Calcite's generated metadata dispatch calls them; not part of Mnemo's API.
 */
public final class MnemoMetadata {
    /** Calcite's metadata with Mnemo's handlers in front. */
    static final RelMetadataProvider PROVIDER = ChainedRelMetadataProvider.of(List.of(
            ReflectiveRelMetadataProvider.reflectiveSource(new RowCounts(), BuiltInMetadata.RowCount.Handler.class),
            ReflectiveRelMetadataProvider.reflectiveSource(new Subsets(),
                    BuiltInMetadata.ColumnUniqueness.Handler.class),
            ReflectiveRelMetadataProvider.reflectiveSource(new Origins(), BuiltInMetadata.ColumnOrigin.Handler.class),
            ReflectiveRelMetadataProvider.reflectiveSource(new Selectivities(),
                    BuiltInMetadata.Selectivity.Handler.class),
            ReflectiveRelMetadataProvider.reflectiveSource(new Distincts(),
                    BuiltInMetadata.DistinctRowCount.Handler.class),
            ReflectiveRelMetadataProvider.reflectiveSource(new Collations(), BuiltInMetadata.Collation.Handler.class),
            DefaultRelMetadataProvider.INSTANCE));

    /** The same, compiled with Mnemo (see PrecompiledMetadata), for the metadata queries of every plan. */
    private static final PrecompiledMetadata COMPILED = new PrecompiledMetadata(PROVIDER);

    private MnemoMetadata() {
    }

    /** A metadata query with Mnemo's handlers, whatever the thread's provider is. */
    static RelMetadataQuery query() {
        return new RelMetadataQuery(COMPILED);
    }

    /** Whether {@code rel}'s {@code columns} are unique, as far as metadata can tell. */
    static boolean unique(RelNode rel, ImmutableBitSet columns, RelMetadataQuery mq) {
        return Boolean.TRUE.equals(mq.areColumnsUnique(rel, columns));
    }

    /**
     * The first answer of {@code ask} that is neither null nor empty from the subset's best or first expression
     * ({@link #representatives}), or null; an expression whose question cycles back is skipped.
     */
    private static <T> T fromRepresentatives(RelSubset subset, java.util.function.Function<RelNode, T> ask) {
        for (RelNode rel : representatives(subset)) {
            try {
                T answer = ask.apply(rel);
                if (answer != null && !(answer instanceof java.util.Collection<?> c && c.isEmpty())) {
                    return answer;
                }
            } catch (CyclicMetadataException e) {
                // another expression of the set may answer
            }
        }
        return null;
    }

    /** The rels of a set to ask in place of the set: its best so far and the first registered. */
    private static List<RelNode> representatives(RelSubset subset) {
        List<RelNode> rels = new ArrayList<>(2);
        if (subset.getBest() != null) {
            rels.add(subset.getBest());
        }
        if (subset.getOriginal() != null && subset.getOriginal() != subset.getBest()) {
            rels.add(subset.getOriginal());
        }
        return rels;
    }

    /**
     * Join row counts that know keys. Calcite counts an equi-join as left × right × 0.15 whatever its keys, so a
     * join of 150,000 orders with their customers is counted as 3.4 billion rows and every operator above it is
     * costed on nonsense. Here, where one side's join columns are unique (a key, a GROUP BY's columns), each row of
     * the other side meets at most one of its rows: the join has as many rows as the other side, times the fraction
     * of its table the unique side kept (a customer table filtered to a tenth keeps a tenth of the orders). Where
     * neither side is unique, the textbook estimate left × right / max(distinct left keys, distinct right keys) where
     * both counts are known, else Calcite's. Non-equi parts of the condition multiply by their guessed selectivity;
     * outer joins keep at least their outer side; SEMI and ANTI joins and joins without equality keep Calcite's
     * estimate.
     */
    public static final class RowCounts implements MetadataHandler<BuiltInMetadata.RowCount> {
        @Override
        public MetadataDef<BuiltInMetadata.RowCount> getDef() {
            return BuiltInMetadata.RowCount.DEF;
        }

        /**
         * The row count of {@code join}; see the class comment. Join ordering asks it for every pair it considers
         * (seconds of questions for a join of 60 tables), so this is where planning looks whether its statement
         * was canceled or ran past its query timeout ({@link dev.mnemo.engine.Mnemo#checkCanceled}).
         */
        public Double getRowCount(Join join, RelMetadataQuery mq) {
            dev.mnemo.engine.Mnemo.checkCanceled();
            JoinRelType type = join.getJoinType();
            JoinInfo info = join.analyzeCondition();
            if (!type.projectsRight() || info.leftKeys.isEmpty()) {
                return RelMdUtil.getJoinRowCount(mq, join, join.getCondition());
            }
            Double left = mq.getRowCount(join.getLeft());
            Double right = mq.getRowCount(join.getRight());
            if (left == null || right == null) {
                return RelMdUtil.getJoinRowCount(mq, join, join.getCondition());
            }
            ImmutableBitSet leftKeys = info.leftSet();
            ImmutableBitSet rightKeys = info.rightSet();
            boolean leftUnique = unique(join.getLeft(), leftKeys, mq);
            boolean rightUnique = unique(join.getRight(), rightKeys, mq);
            double inner;
            if (leftUnique || rightUnique) {
                inner = Double.MAX_VALUE;
                if (rightUnique) {
                    inner = left * kept(join.getRight(), rightKeys, right, mq);
                }
                if (leftUnique) {
                    inner = Math.min(inner, right * kept(join.getLeft(), leftKeys, left, mq));
                }
            } else {
                Double leftDistinct = mq.getDistinctRowCount(join.getLeft(), leftKeys, null);
                Double rightDistinct = mq.getDistinctRowCount(join.getRight(), rightKeys, null);
                if (leftDistinct == null || rightDistinct == null) {
                    // how often values repeat is unknown (suppliers and customers by nation): Calcite's generous
                    // guess, as a join of two repeating columns may be far bigger than either side
                    return RelMdUtil.getJoinRowCount(mq, join, join.getCondition());
                }
                inner = left * right / Math.max(1, Math.max(leftDistinct, rightDistinct));
            }
            if (!info.isEqui()) {
                RexNode rest = info.getRemaining(join.getCluster().getRexBuilder());
                inner *= RelMdUtil.guessSelectivity(rest);
            }
            return switch (type) {
                case LEFT -> Math.max(inner, left);
                case RIGHT -> Math.max(inner, right);
                case FULL -> Math.max(inner, Math.max(left, right));
                default -> inner;
            };
        }

        /**
         * The fraction of its table's rows that {@code side} (unique on {@code keys}, {@code rows} rows) kept: its rows
         * over its table's, where the first key column comes straight from one table; 1 where it cannot be traced.
         */
        private static double kept(RelNode side, ImmutableBitSet keys, double rows, RelMetadataQuery mq) {
            Set<RelColumnOrigin> origins = mq.getColumnOrigins(side, keys.nth(0));
            if (origins == null || origins.size() != 1) {
                return 1;
            }
            RelColumnOrigin origin = origins.iterator().next();
            RelOptTable table = origin.getOriginTable();
            double total = table.getRowCount();
            return origin.isDerived() || total <= 0 ? 1 : Math.min(1, rows / total);
        }
    }

    /** Column uniqueness of a Volcano subset: unique if any of its expressions is known to be. */
    public static final class Subsets implements MetadataHandler<BuiltInMetadata.ColumnUniqueness> {
        @Override
        public MetadataDef<BuiltInMetadata.ColumnUniqueness> getDef() {
            return BuiltInMetadata.ColumnUniqueness.DEF;
        }

        /** True when the subset's best or first expression, or one of its own, is unique on {@code columns}. */
        public Boolean areColumnsUnique(RelSubset subset, RelMetadataQuery mq, ImmutableBitSet columns,
                                        boolean ignoreNulls) {
            List<RelNode> rels = representatives(subset);
            subset.getRels().forEach(rels::add);
            for (RelNode rel : rels) {
                try {
                    if (Boolean.TRUE.equals(mq.areColumnsUnique(rel, columns, ignoreNulls))) {
                        return true;
                    }
                } catch (CyclicMetadataException e) {
                    // another expression of the set may answer
                }
            }
            return false;
        }

        /** Column uniqueness of a Hep planner's vertex: that of its expression. */
        public Boolean areColumnsUnique(HepRelVertex vertex, RelMetadataQuery mq, ImmutableBitSet columns,
                                        boolean ignoreNulls) {
            return mq.areColumnsUnique(vertex.getCurrentRel(), columns, ignoreNulls);
        }
    }

    /** Column origins through a Volcano subset, a Hep vertex or a converter, where Calcite's handlers lose them. */
    public static final class Origins implements MetadataHandler<BuiltInMetadata.ColumnOrigin> {
        @Override
        public MetadataDef<BuiltInMetadata.ColumnOrigin> getDef() {
            return BuiltInMetadata.ColumnOrigin.DEF;
        }

        /** The origins of {@code column} in the subset's best or first expression; null when neither knows. */
        public Set<RelColumnOrigin> getColumnOrigins(RelSubset subset, RelMetadataQuery mq, int column) {
            return fromRepresentatives(subset, rel -> mq.getColumnOrigins(rel, column));
        }

        /** Column origins of a converter (as from Mnemo's convention to Calcite's): those of its input. */
        public Set<RelColumnOrigin> getColumnOrigins(Converter converter, RelMetadataQuery mq, int column) {
            return mq.getColumnOrigins(converter.getInput(), column);
        }

        /** Column origins of a Hep planner's vertex: those of its expression. */
        public Set<RelColumnOrigin> getColumnOrigins(HepRelVertex vertex, RelMetadataQuery mq, int column) {
            return mq.getColumnOrigins(vertex.getCurrentRel(), column);
        }
    }

    /**
     * Distinct values of an indexed column of a scan, from the engine's index ({@link MnemoTable#distinctValues}):
     * the number of distinct values expected among the rows the scan and {@code predicate} keep, each value taken to
     * hold as many rows as the others: all of the index's values when they keep the whole table, about one per row
     * when they keep few. Any other column or set of columns: Calcite's answer.
     */
    public static final class Distincts implements MetadataHandler<BuiltInMetadata.DistinctRowCount> {
        @Override
        public MetadataDef<BuiltInMetadata.DistinctRowCount> getDef() {
            return BuiltInMetadata.DistinctRowCount.DEF;
        }

        /**
         * The estimate for an indexed column of a Mnemo scan; Calcite's otherwise. (Declared for any TableScan:
         * Calcite's generated dispatch cannot name a package-private class.)
         */
        public Double getDistinctRowCount(TableScan scan, RelMetadataQuery mq, ImmutableBitSet groupKey,
                                          RexNode predicate) {
            Long indexed = scan instanceof MnemoTableScan m && groupKey.cardinality() == 1
                    ? m.mnemoTable.distinctValues(groupKey.nth(0)) : null;
            if (indexed == null) {
                // Calcite's answer for a scan: its row count where the columns are unique, else unknown
                return RelMdUtil.areColumnsDefinitelyUnique(mq, scan, groupKey)
                        ? org.apache.calcite.util.NumberUtil.multiply(mq.getRowCount(scan),
                                mq.getSelectivity(scan, predicate)) : null;
            }
            Double rows = mq.getRowCount(scan);
            Double kept = mq.getSelectivity(scan, predicate);
            double total = scan.getTable().getRowCount();
            if (rows == null || kept == null || total <= 0 || indexed <= 0) {
                return (double) indexed;
            }
            // a share f of the table's rows, each value on total / indexed rows: a value is missed with (1 - f)^that
            double f = Math.min(1, rows * kept / total);
            return indexed * (1 - Math.pow(1 - f, total / indexed));
        }

        /**
         * Distinct values of a Volcano subset: those of its best or first expression. (Calcite asks only the best, and
         * has no answer before there is one: an aggregate costed early was then counted as a tenth of its input, and
         * kept that count, whatever the index knew.)
         */
        public Double getDistinctRowCount(RelSubset subset, RelMetadataQuery mq, ImmutableBitSet groupKey,
                                          RexNode predicate) {
            return fromRepresentatives(subset, rel -> mq.getDistinctRowCount(rel, groupKey, predicate));
        }

        /** Distinct values through a converter (as from Mnemo's convention to Calcite's): those of its input. */
        public Double getDistinctRowCount(Converter converter, RelMetadataQuery mq, ImmutableBitSet groupKey,
                                          RexNode predicate) {
            return mq.getDistinctRowCount(converter.getInput(), groupKey, predicate);
        }

        /** Distinct values of a Hep planner's vertex: those of its expression. */
        public Double getDistinctRowCount(HepRelVertex vertex, RelMetadataQuery mq, ImmutableBitSet groupKey,
                                          RexNode predicate) {
            return mq.getDistinctRowCount(vertex.getCurrentRel(), groupKey, predicate);
        }
    }

    /**
     * The order of a Mnemo scan's rows is the one its collation trait declares ({@link MnemoTableScan#ordered}: the
     * key order of a walk), none otherwise; through a converter, its input's.
     */
    public static final class Collations implements MetadataHandler<BuiltInMetadata.Collation> {
        @Override
        public MetadataDef<BuiltInMetadata.Collation> getDef() {
            return BuiltInMetadata.Collation.DEF;
        }

        /** A Mnemo scan's declared order; Calcite's table collations for any other scan. */
        public ImmutableList<RelCollation> collations(
                TableScan scan, RelMetadataQuery mq) {
            if (!(scan instanceof MnemoTableScan)) {
                List<RelCollation> table =
                        RelMdCollation.table(scan.getTable());
                return table == null ? null : ImmutableList.copyOf(table);
            }
            RelCollation c = scan.getTraitSet()
                    .getTrait(RelCollationTraitDef.INSTANCE);
            return c == null || c.getFieldCollations().isEmpty() ? ImmutableList.of()
                    : ImmutableList.of(c);
        }

        /** A projection's order: Calcite's, and each input order's leading columns that the projection keeps. */
        public ImmutableList<RelCollation> collations(
                org.apache.calcite.rel.core.Project project, RelMetadataQuery mq) {
            return projectCollations(mq, project.getInput(), project.getProjects());
        }

        /** A merge join's order: see {@link #mergeJoinCollations}. */
        public ImmutableList<RelCollation> collations(
                org.apache.calcite.adapter.enumerable.EnumerableMergeJoin join, RelMetadataQuery mq) {
            return mergeJoinCollations(mq, join.getLeft(), join.getRight(), join.analyzeCondition().leftKeys);
        }

        /** Through a converter: its input's order. */
        public ImmutableList<RelCollation> collations(
                Converter converter, RelMetadataQuery mq) {
            return mq.collations(converter.getInput());
        }
    }

    /**
     * The orders of the rows of {@code projects} over {@code input}: of each input order, its leading columns up to
     * the first one not projected as a plain column (rows in order of (order id, line) projected to the order id
     * are in order of the order id). Calcite's own answer is not used: it counts any monotonic expression of any
     * column of an order as sorted ({@code CAST(line AS DOUBLE)} in rows ordered by (order id, line)), which is
     * true only of an order's first column.
     */
    static ImmutableList<RelCollation> projectCollations(
            RelMetadataQuery mq, RelNode input, List<? extends RexNode> projects) {
        java.util.Set<RelCollation> out = new java.util.LinkedHashSet<>();
        List<RelCollation> in = mq.collations(input);
        for (RelCollation c : in == null ? List.<RelCollation>of() : in) {
            List<RelFieldCollation> kept = new ArrayList<>();
            for (RelFieldCollation f : c.getFieldCollations()) {
                int target = -1;
                for (int i = 0; i < projects.size() && target < 0; i++) {
                    if (projects.get(i) instanceof RexInputRef ref
                            && ref.getIndex() == f.getFieldIndex()) {
                        target = i;
                    }
                }
                if (target < 0) {
                    break;
                }
                kept.add(f.withFieldIndex(target));
            }
            if (!kept.isEmpty()) {
                out.add(RelCollations.of(kept));
            }
        }
        return ImmutableList.copyOf(out);
    }

    /**
     * The orders of a merge join's rows: its left side's, and its right side's (shifted) only where the left keys are
     * unique. (Calcite claims both; but where a left key repeats, each of its rows meets all the right rows of that
     * key again, so the right side's order restarts.)
     */
    static ImmutableList<RelCollation> mergeJoinCollations(
            RelMetadataQuery mq, RelNode left, RelNode right, List<Integer> leftKeys) {
        List<RelCollation> l = mq.collations(left);
        ImmutableList.Builder<RelCollation> out =
                ImmutableList.builder();
        if (l != null) {
            out.addAll(l);
        }
        List<RelCollation> r = mq.collations(right);
        if (r != null && unique(left, ImmutableBitSet.of(leftKeys), mq)) {
            int shift = left.getRowType().getFieldCount();
            for (RelCollation c : r) {
                out.add(RelCollations.shift(c, shift));
            }
        }
        return out.build();
    }

    /**
     * Selectivity of a condition on a scan (or anything Calcite has no rule for), without statistics: System R's
     * guesses, as for {@link EngineGuard}. Calcite counts any range, {@code BETWEEN} or IN list ({@code SEARCH}) as
     * a quarter of the rows; here one range with both bounds is a ninth, with one bound a third, and a list of
     * values a tenth per value. Equalities stay at Calcite's 0.15.
     */
    public static final class Selectivities implements MetadataHandler<BuiltInMetadata.Selectivity> {
        @Override
        public MetadataDef<BuiltInMetadata.Selectivity> getDef() {
            return BuiltInMetadata.Selectivity.DEF;
        }

        /** The guessed selectivity of {@code predicate} on {@code rel}'s rows. */
        public Double getSelectivity(RelNode rel, RelMetadataQuery mq, RexNode predicate) {
            if (predicate == null || predicate.isAlwaysTrue()) {
                return 1.0;
            }
            double sel = 1;
            for (RexNode conjunct : RelOptUtil.conjunctions(predicate)) {
                sel *= conjunct.isA(SqlKind.SEARCH) ? search((RexCall) conjunct)
                        : conjunct.isA(SqlKind.COMPARISON) && !conjunct.isA(SqlKind.EQUALS)
                        && !conjunct.isA(SqlKind.NOT_EQUALS) ? 1.0 / 3
                        : RelMdUtil.guessSelectivity(conjunct);
            }
            return sel;
        }

        /** The same for a table scan (Calcite's handler has its own method for scans). */
        public Double getSelectivity(TableScan scan, RelMetadataQuery mq, RexNode predicate) {
            return getSelectivity((RelNode) scan, mq, predicate);
        }

        private static double search(RexCall search) {
            if (!(search.getOperands().get(1) instanceof RexLiteral literal)) {
                return RelMdUtil.guessSelectivity(search);
            }
            Sarg<?> sarg = literal.getValueAs(Sarg.class);
            if (sarg == null || sarg.isComplementedPoints()) {
                return RelMdUtil.guessSelectivity(search);
            }
            double sel = 0;
            for (Range<?> range : sarg.rangeSet.asRanges()) {
                boolean point = range.hasLowerBound() && range.hasUpperBound()
                        && range.lowerEndpoint().equals(range.upperEndpoint());
                sel += point ? 0.1 : range.hasLowerBound() && range.hasUpperBound() ? 1.0 / 9
                        : range.hasLowerBound() || range.hasUpperBound() ? 1.0 / 3 : 1;
            }
            return Math.min(1, sel);
        }
    }
}
