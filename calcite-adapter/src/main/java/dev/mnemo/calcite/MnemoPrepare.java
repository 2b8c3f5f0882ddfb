package dev.mnemo.calcite;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.tools.Program;
import org.apache.calcite.util.Holder;

/**
 * Calcite's statement preparation with Mnemo's rules in every planner (so that INSERT without a scan, and
 * UPDATE/DELETE, are implemented by Mnemo), and with SQLStates on parse and validation errors. The JDBC driver
 * prepares with this.
 *
 * <p>Column labels of unaliased expressions are their text ({@link ColumnLabels}), and NTILE gets the standard
 * bucket sizes ({@link NtileRewrite}).
 *
 * <p>A SELECT that reads a single key ({@link DirectRead#plan}), or an UPDATE or DELETE of a single key
 * ({@link DirectModify#plan}), gets a {@link MnemoSignature} carrying that {@link DirectPlan}, so that the driver
 * can execute it without Calcite's per-execution work.
 */
public final class MnemoPrepare extends CalcitePrepareImpl {

    @Override
    protected SqlParser createParser(String sql, SqlParser.Config parserConfig) {
        SqlNode parsed = Preparation.takeParsed(sql);
        if (parsed != null) {
            return SqlParser.create(sql, parserConfig.withParserFactory(ParsedTree.factory(parsed)));
        }
        return super.createParser(sql, parserConfig);
    }

    /**
     * A statement {@link SimpleStatements} prepares from its parse tree gets its signature there, without planning
     * ({@link Preparation#prepare}); any other is planned ({@link #planned}).
     */
    @Override
    public <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context context, Query<T> query, Type elementType,
                                               long maxRowCount) {
        if (query.sql == null || Preparation.planning()) {
            return planned(context, query, elementType, maxRowCount);
        }
        return Preparation.prepare(context, query.sql, maxRowCount,
                () -> planned(withSchemaNow(context), query, elementType, maxRowCount));
    }

    /**
     * {@code context} with a snapshot of the schema as it is now: a statement planned later than it was prepared
     * must see its tables' definitions of now, not those its preparation's snapshot holds.
     */
    private static CalcitePrepare.Context withSchemaNow(CalcitePrepare.Context context) {
        org.apache.calcite.jdbc.CalciteSchema now = context.getMutableRootSchema().createSnapshot(
                new org.apache.calcite.schema.impl.LongSchemaVersion(System.nanoTime()));
        return new CalcitePrepare.Context() {
            @Override
            public org.apache.calcite.adapter.java.JavaTypeFactory getTypeFactory() {
                return context.getTypeFactory();
            }

            @Override
            public org.apache.calcite.jdbc.CalciteSchema getRootSchema() {
                return now;
            }

            @Override
            public org.apache.calcite.jdbc.CalciteSchema getMutableRootSchema() {
                return context.getMutableRootSchema();
            }

            @Override
            public List<String> getDefaultSchemaPath() {
                return context.getDefaultSchemaPath();
            }

            @Override
            public org.apache.calcite.config.CalciteConnectionConfig config() {
                return context.config();
            }

            @Override
            public CalcitePrepare.SparkHandler spark() {
                return context.spark();
            }

            @Override
            public org.apache.calcite.DataContext getDataContext() {
                return context.getDataContext();
            }

            @Override
            public List<String> getObjectPath() {
                return context.getObjectPath();
            }

            @Override
            public org.apache.calcite.tools.RelRunner getRelRunner() {
                return context.getRelRunner();
            }
        };
    }

    /** The statement planned by Calcite with Mnemo's rules. */
    private <T> CalciteSignature<T> planned(CalcitePrepare.Context context, Query<T> query, Type elementType,
                                            long maxRowCount) {
        java.util.function.LongSupplier version = SimpleStatements.schemaVersion(context);
        long at = version == null ? -1 : version.getAsLong(); // before planning: a change meanwhile plans again
        // executed after a schema change, the statement is planned again, against the tables as they are then
        java.util.function.Supplier<CalciteSignature<T>> again =
                () -> planned(withSchemaNow(context), query, elementType, maxRowCount);
        try {
            return prepareSql(context, query, elementType, maxRowCount, true, again, version, at);
        } catch (InListFallback e) {
            // a long IN list the rewrite took and the plan could not (see InListOperator): Calcite's IN, as written
            return prepareSql(context, query, elementType, maxRowCount, false, again, version, at);
        }
    }

    private <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context context, Query<T> query, Type elementType,
                                               long maxRowCount, boolean inLists,
                                               java.util.function.Supplier<CalciteSignature<T>> again,
                                               java.util.function.LongSupplier version, long at) {
        // the final physical plan, as Calcite hands it to code generation (once per successful prepare)
        List<RelRoot> plans = new ArrayList<>(1);
        // the select list as written, for the column labels (validation rewrites it)
        List<List<String>> labels = new ArrayList<>(1);
        int[] rewritten = {0};
        CalciteSignature<T> signature;
        try (Hook.Closeable ignored = Hook.PLAN_BEFORE_IMPLEMENTATION.addThread((RelRoot root) -> {
                 if (rewritten[0] > 0 && InListOperator.occursIn(root.rel)) {
                     throw new InListFallback();
                 }
                 plans.add(root);
             });
             Hook.Closeable parsed = Hook.PARSE_TREE.addThread((Object[] args) -> {
                 SqlNode tree = (SqlNode) args[1];
                 labels.add(ColumnLabels.of(tree));
                 if (inLists && (tree.getKind().belongsTo(SqlKind.QUERY) || tree.getKind().belongsTo(SqlKind.DML))) {
                     rewritten[0] = InListRewrite.rewrite(tree);
                 }
             });
             Hook.Closeable program = Hook.PROGRAM.addThread(
                     (Holder<Program> holder) -> holder.set(MnemoPrograms.ALL));
             // IN lists stay lists of comparisons (never a VALUES join or a UNION of parameters): short ones are
             // folded by Calcite, long ones become a Mnemo IN-list operator (InListRewrite, InListRule)
             Hook.Closeable sql2rel = Hook.SQL2REL_CONVERTER_CONFIG_BUILDER.addThread(
                     (Holder<SqlToRelConverter.Config> config) -> config.set(
                             config.get().withInSubQueryThreshold(Integer.MAX_VALUE)))) {
            signature = super.prepareSql(context, query, elementType, maxRowCount);
        } catch (InListFallback e) {
            throw e;
        } catch (RuntimeException e) {
            if (SqlErrors.stopped(e) instanceof dev.mnemo.engine.OperationCanceledException canceled) {
                // Statement.cancel() or the query timeout, seen by the planner's metadata (MnemoMetadata.RowCounts)
                throw Errors.sql(canceled.getMessage() + " (while planning)", Errors.INTERRUPTED, canceled);
            }
            if (rewritten[0] > 0) {
                throw new InListFallback(); // an error of the rewritten lists, or of the statement: reported as written
            }
            throw SqlErrors.translate(e);
        } catch (AssertionError e) {
            if (rewritten[0] > 0) {
                throw new InListFallback();
            }
            throw SqlErrors.plannerAssertion(e);
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            // a constant expression Calcite evaluated while planning failed (1 / 0, CAST('x' AS DOUBLE))
            throw SqlErrors.fromClassInitialization(e);
        }
        DirectPlan direct = plans.size() == 1 ? direct(plans.get(0), signature, maxRowCount) : null;
        List<ColumnMetaData> columns = DeclaredColumns.of(labels.size() == 1
                ? ColumnLabels.relabel(signature.columns, labels.get(0)) : signature.columns, context.getRootSchema(),
                context.getTypeFactory(), plans.size() == 1 ? plans.get(0) : null);
        return new MnemoSignature<>(signature, maxRowCount, columns, direct, again, version, at);
    }

    /** The statement is prepared again, its IN lists as written. */
    private static final class InListFallback extends RuntimeException {
        InListFallback() {
            super(null, null, false, false);
        }
    }

    private static DirectPlan direct(RelRoot plan, CalciteSignature<?> signature, long maxRowCount) {
        DirectPlan read = DirectRead.plan(plan, signature.statementType, signature.cursorFactory, maxRowCount);
        if (read != null) {
            return read;
        }
        DirectPlan modify = DirectModify.plan(plan, signature.statementType, maxRowCount);
        return modify != null ? modify : DirectInsert.plan(plan, signature.statementType, maxRowCount);
    }

    /**
     * Every plan's cluster answers metadata with Mnemo's handlers, in every phase. (Calcite binds a metadata query to
     * the provider of the thread at the moment it is made, and any new cluster resets that to Calcite's defaults:
     * the physical phase then costed some plans, such as any aggregate, without Mnemo's row counts.)
     */
    @Override
    protected org.apache.calcite.plan.RelOptCluster createCluster(RelOptPlanner planner,
                                                                  org.apache.calcite.rex.RexBuilder rexBuilder) {
        org.apache.calcite.plan.RelOptCluster cluster = super.createCluster(planner, rexBuilder);
        cluster.setMetadataProvider(MnemoMetadata.PROVIDER);
        cluster.setMetadataQuerySupplier(MnemoMetadata::query);
        return cluster;
    }

    @Override
    protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext, org.apache.calcite.plan.Context externalContext,
                                          RelOptCostFactory costFactory) {
        PlanningBudget budget = new PlanningBudget();
        org.apache.calcite.plan.Context context = externalContext != null
                ? Contexts.chain(Contexts.of(budget, budget.cancelFlag()), externalContext)
                : Contexts.of(prepareContext.config(), budget, budget.cancelFlag());
        RelOptPlanner planner = super.createPlanner(prepareContext, context, costFactory);
        planner.setExecutor(new TimeCheckingExecutor(planner.getExecutor() != null ? planner.getExecutor()
                : org.apache.calcite.rex.RexUtil.EXECUTOR));
        planner.addListener(budget);
        planner.addRule(MnemoRules.MODIFY);
        planner.addRule(MnemoRules.TO_ENUMERABLE);
        planner.addRule(MnemoFilterRule.INSTANCE);
        planner.addRule(MnemoSortRule.INSTANCE);
        planner.addRule(MnemoProjectRule.INSTANCE);
        planner.addRule(MnemoLookupJoinRule.INSTANCE);
        planner.addRule(MnemoMergeJoinRule.INSTANCE);
        planner.addRule(EnumerableInList.Rule.INSTANCE);
        return planner;
    }
}
