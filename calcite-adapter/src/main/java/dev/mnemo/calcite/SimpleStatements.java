package dev.mnemo.calcite;

import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Util;

/**
 * The statements a fresh application sends first, prepared from their parse tree without Calcite's validator,
 * planner and code generator: {@code INSERT INTO t [(c, …)] VALUES (v, …)[, (…)]}, {@code SELECT c, … | * FROM t
 * WHERE k = ? [AND …]}, {@code UPDATE t SET c = v, … WHERE k = ? [AND …]} and {@code DELETE FROM t WHERE k = ?
 * [AND …]}, where the condition names every key column of the table once and each {@code v} is a {@code ?}
 * parameter (or, in an INSERT, NULL). A plain statement's literals reach here as parameters (the driver's plan
 * cache makes them so).
 *
 * <p>The signature is the one Calcite's preparation gives (columns, parameters, row type, cursor), and its
 * {@link DirectPlan} is the one {@link MnemoPrepare} makes of Calcite's plan: the driver executes it the same way.
 * Where the direct plan declines at execution (a parameter Calcite would convert, a table changed since), the
 * statement is planned by Calcite then ({@link MnemoSignature#enumerable}). Anything else is declined here (null)
 * and planned as before: a view, a column with a DEFAULT or identity left out of an INSERT, a bounded character or
 * binary column given a parameter, a literal other than NULL, an alias, a qualified column.
 *
 * <p>Cold, in a fresh JVM, Calcite's first planning and code generation take about 2 s; these statements take
 * what parsing takes.
 */
final class SimpleStatements {
    private SimpleStatements() {
    }

    /**
     * The signature of {@code tree} (the parse of {@code sql}) prepared without planning, or null when Calcite must
     * plan it; {@code planned} plans it, for executions the direct plan declines.
     */
    static <T> CalcitePrepare.CalciteSignature<T> signature(CalcitePrepare.Context context, String sql, SqlNode tree,
            long maxRowCount, Supplier<CalcitePrepare.CalciteSignature<T>> planned) {
        CalciteSchema schema = defaultSchema(context);
        if (schema == null || !(schema.schema instanceof MnemoSchema s) || !s.session().directPlans()) {
            return null;
        }
        Statement st = new Statement(context, schema, tree, s.session().database()::schemaVersion);
        try {
            return switch (tree.getKind()) {
                case INSERT -> st.insert((SqlInsert) tree, sql, maxRowCount, planned);
                case SELECT -> st.select((SqlSelect) tree, sql, maxRowCount, planned);
                case UPDATE -> st.update((SqlUpdate) tree, sql, maxRowCount, planned);
                case DELETE -> st.delete((SqlDelete) tree, sql, maxRowCount, planned);
                default -> null;
            };
        } catch (Decline e) {
            return null;
        }
    }

    /** The schema version of the database whose tables the statement names, or null if it names none. */
    static java.util.function.LongSupplier schemaVersion(CalcitePrepare.Context context) {
        CalciteSchema schema = defaultSchema(context);
        if (schema == null || !(schema.schema instanceof MnemoSchema s)) {
            return null;
        }
        dev.mnemo.engine.Mnemo db = s.session().database();
        return db::schemaVersion;
    }

    /** The table or view {@code id} names (one or two parts), as Calcite's catalog reader finds it, or null. */
    private static CalciteSchema.TableEntry entry(CalcitePrepare.Context context, CalciteSchema schema,
                                                  SqlIdentifier id) {
        CalciteSchema in = id.names.size() == 2 ? context.getRootSchema().getSubSchema(id.names.get(0), false)
                : id.names.size() == 1 ? schema : null;
        return in == null ? null : in.getTable(Util.last(id.names), false);
    }

    /**
     * Fails an INSERT, UPDATE, DELETE or MERGE into a view with 0A000: Mnemo's views are read-only, and Calcite's
     * planner failed on them without a SQLState ("not enough rules to produce a node").
     */
    static void refuseWriteToView(CalcitePrepare.Context context, SqlNode tree) {
        SqlNode target = switch (tree.getKind()) {
            case INSERT -> ((SqlInsert) tree).getTargetTable();
            case UPDATE -> ((SqlUpdate) tree).getTargetTable();
            case DELETE -> ((SqlDelete) tree).getTargetTable();
            case MERGE -> ((org.apache.calcite.sql.SqlMerge) tree).getTargetTable();
            default -> null;
        };
        CalciteSchema schema = defaultSchema(context);
        if (target instanceof SqlIdentifier id && schema != null) {
            CalciteSchema.TableEntry entry = entry(context, schema, id);
            if (entry != null && entry.getTable() instanceof MnemoView) {
                throw Errors.sql("view " + entry.name + " cannot be modified: INSERT, UPDATE, DELETE and MERGE "
                        + "write tables, and views are read-only", "0A000", null);
            }
        }
    }

    private static CalciteSchema defaultSchema(CalcitePrepare.Context context) {
        CalciteSchema schema = context.getRootSchema();
        for (String name : context.getDefaultSchemaPath()) {
            schema = schema.getSubSchema(name, true);
            if (schema == null) {
                return null;
            }
        }
        return schema;
    }

    /** The statement is not one this class prepares: Calcite plans it. */
    private static final class Decline extends RuntimeException {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    private static <T> T require(T value) {
        if (value == null) {
            throw Decline.INSTANCE;
        }
        return value;
    }

    private static void require(boolean condition) {
        if (!condition) {
            throw Decline.INSTANCE;
        }
    }

    /** One statement being prepared: its table, and the types of its parameters as they are met. */
    private static final class Statement {
        private final CalcitePrepare.Context context;
        private final JavaTypeFactory types;
        private final CalciteSchema schema;
        private final RelDataType[] parameters;
        private final java.util.function.LongSupplier schemaVersion;
        private MnemoTable table;
        private RelDataType rowType;

        Statement(CalcitePrepare.Context context, CalciteSchema schema, SqlNode tree,
                  java.util.function.LongSupplier schemaVersion) {
            this.context = context;
            this.schemaVersion = schemaVersion;
            this.types = context.getTypeFactory();
            this.schema = schema;
            this.parameters = new RelDataType[ParameterCount.of(tree)];
        }

        <T> CalcitePrepare.CalciteSignature<T> insert(SqlInsert insert, String sql, long maxRowCount,
                                                       Supplier<CalcitePrepare.CalciteSignature<T>> planned) {
            require(((SqlNodeList) insert.getOperandList().get(0)).isEmpty()); // no UPSERT
            table(insert.getTargetTable());
            // Calcite's plan computes a DEFAULT or an identity value (MnemoInitializers)
            require(table.shape.identity() == null && table.shape.defaults().isEmpty());
            List<SqlShape.Column> columns = table.shape.columns();
            int[] target; // table column → position in a VALUES row, or -1
            SqlNodeList named = insert.getTargetColumnList();
            if (named == null) {
                target = new int[columns.size()];
                Arrays.setAll(target, i -> i);
            } else {
                target = new int[columns.size()];
                Arrays.fill(target, -1);
                for (int i = 0; i < named.size(); i++) {
                    int c = column(named.get(i));
                    require(target[c] < 0);
                    target[c] = i;
                }
            }
            int width = named == null ? columns.size() : named.size();
            require(insert.getSource() instanceof SqlBasicCall values && values.getKind() == SqlKind.VALUES);
            List<List<DirectValue>> rows = new ArrayList<>();
            for (SqlNode r : ((SqlBasicCall) insert.getSource()).getOperandList()) {
                require(r.getKind() == SqlKind.ROW && ((SqlCall) r).operandCount() == width);
                List<SqlNode> given = ((SqlCall) r).getOperandList();
                List<DirectValue> row = new ArrayList<>(columns.size());
                for (int c = 0; c < columns.size(); c++) {
                    RelDataType type = rowType.getFieldList().get(c).getType();
                    if (target[c] < 0) {
                        require(type.isNullable()); // left out: NULL (the table has no DEFAULT and no identity)
                        row.add(DirectValue.NULL);
                    } else {
                        row.add(value(given.get(target[c]), type));
                    }
                }
                rows.add(List.copyOf(row));
            }
            DirectInsert direct = new DirectInsert(table, new ModifyPlan(table, TableModify.Operation.INSERT, null,
                    null), List.copyOf(rows), maxRowCount);
            return dml(sql, maxRowCount, direct, planned);
        }

        <T> CalcitePrepare.CalciteSignature<T> select(SqlSelect select, String sql, long maxRowCount,
                                                       Supplier<CalcitePrepare.CalciteSignature<T>> planned) {
            require(((SqlNodeList) select.getOperandList().get(0)).isEmpty()); // no DISTINCT, ALL, STREAM
            require(select.getGroup() == null && select.getHaving() == null && select.getWindowList().isEmpty()
                    && select.getQualify() == null && select.getOrderList() == null && select.getOffset() == null
                    && select.getFetch() == null && (select.getHints() == null || select.getHints().isEmpty()));
            table(select.getFrom());
            DirectKey key = key(select.getWhere());
            List<SqlShape.Column> columns = table.shape.columns();
            List<Integer> picked = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (SqlNode item : select.getSelectList()) {
                require(item instanceof SqlIdentifier);
                SqlIdentifier id = (SqlIdentifier) item;
                if (id.isStar()) {
                    require(id.names.size() == 1);
                    for (int c = 0; c < columns.size(); c++) {
                        picked.add(c);
                        labels.add(columns.get(c).name());
                    }
                } else {
                    picked.add(column(id));
                    labels.add(id.getSimple());
                }
            }
            // Calcite makes duplicate labels unique its own way
            require(labels.stream().map(l -> l.toUpperCase(java.util.Locale.ROOT)).distinct().count()
                    == labels.size());
            List<ColumnMetaData> meta = new ArrayList<>(picked.size());
            List<RelDataType> fieldTypes = new ArrayList<>(picked.size());
            List<String> tableName = schemaPathOf(table);
            for (int i = 0; i < picked.size(); i++) {
                RelDataType t = rowType.getFieldList().get(picked.get(i)).getType();
                fieldTypes.add(t);
                meta.add(column(i, labels.get(i), t, tableName, columns.get(picked.get(i)).name()));
            }
            int[] projection = picked.stream().mapToInt(Integer::intValue).toArray();
            boolean scalar = projection.length == 1;
            DirectRead direct = new DirectRead(key, projection, scalar, maxRowCount);
            List<ColumnMetaData> declared = DeclaredColumns.of(meta, context.getRootSchema(), types, null);
            return new MnemoSignature<>(sql, parameters(), types.createStructType(fieldTypes, labels), declared,
                    scalar ? Meta.CursorFactory.OBJECT : Meta.CursorFactory.ARRAY, context.getRootSchema(),
                    maxRowCount, Meta.StatementType.SELECT, direct, planned, schemaVersion);
        }

        <T> CalcitePrepare.CalciteSignature<T> update(SqlUpdate update, String sql, long maxRowCount,
                                                       Supplier<CalcitePrepare.CalciteSignature<T>> planned) {
            require(update.getAlias() == null && update.getSourceSelect() == null);
            table(update.getTargetTable());
            List<String> names = new ArrayList<>();
            List<DirectModify.SetValue> values = new ArrayList<>();
            SqlNodeList targets = update.getTargetColumnList();
            SqlNodeList sources = update.getSourceExpressionList();
            require(targets.size() == sources.size() && targets.size() > 0);
            for (int i = 0; i < targets.size(); i++) {
                int c = column(targets.get(i));
                require(!names.contains(table.shape.columns().get(c).name()));
                names.add(table.shape.columns().get(c).name());
                values.add(DirectModify.SetValue.of(value(sources.get(i), rowType.getFieldList().get(c).getType())));
            }
            DirectKey key = key(update.getCondition()); // after the SET values: the parameters come in text order
            DirectModify direct = new DirectModify(key, new ModifyPlan(table, TableModify.Operation.UPDATE, names,
                    null), List.copyOf(values), maxRowCount);
            return dml(sql, maxRowCount, direct, planned);
        }

        <T> CalcitePrepare.CalciteSignature<T> delete(SqlDelete delete, String sql, long maxRowCount,
                                                       Supplier<CalcitePrepare.CalciteSignature<T>> planned) {
            require(delete.getAlias() == null);
            table(delete.getTargetTable());
            DirectKey key = key(delete.getCondition());
            DirectModify direct = new DirectModify(key, new ModifyPlan(table, TableModify.Operation.DELETE, null,
                    null), List.of(), maxRowCount);
            return dml(sql, maxRowCount, direct, planned);
        }

        /** The signature of an INSERT, UPDATE or DELETE: one column, the update count, as Calcite's. */
        private <T> CalcitePrepare.CalciteSignature<T> dml(String sql, long maxRowCount, DirectPlan direct,
                                                           Supplier<CalcitePrepare.CalciteSignature<T>> planned) {
            RelDataType count = types.createSqlType(SqlTypeName.BIGINT);
            List<ColumnMetaData> columns = List.of(column(0, "ROWCOUNT", count, null, null));
            return new MnemoSignature<>(sql, parameters(), types.createStructType(List.of(count),
                    List.of("ROWCOUNT")), columns, Meta.CursorFactory.OBJECT, context.getRootSchema(), maxRowCount,
                    Meta.StatementType.IS_DML, direct, planned, schemaVersion);
        }

        /** Resolves the statement's one table, as Calcite's catalog reader does (names ignoring case). */
        private void table(SqlNode node) {
            require(node instanceof SqlIdentifier);
            CalciteSchema.TableEntry entry = require(entry(context, schema, (SqlIdentifier) node));
            require(entry.getTable() instanceof MnemoTable);
            table = (MnemoTable) entry.getTable();
            rowType = table.getRowType(types);
        }

        /** The table column a plain identifier names (ignoring case, and only if no other column matches). */
        private int column(SqlNode node) {
            require(node instanceof SqlIdentifier && ((SqlIdentifier) node).isSimple());
            String name = ((SqlIdentifier) node).getSimple();
            List<SqlShape.Column> columns = table.shape.columns();
            int found = -1;
            for (int c = 0; c < columns.size(); c++) {
                if (columns.get(c).name().equalsIgnoreCase(name)) {
                    require(found < 0);
                    found = c;
                }
            }
            require(found >= 0);
            return found;
        }

        /**
         * The value written to a column of type {@code type}: a parameter of that type (where Calcite's plan holds
         * it as is), or NULL into a nullable column.
         */
        private DirectValue value(SqlNode node, RelDataType type) {
            if (node instanceof SqlDynamicParam p) {
                parameter(p, type);
                // Calcite's plan holds a parameter as nullable, whatever the column (a NULL fails when written)
                return require(DirectValue.param(p.getIndex(), types.createTypeWithNullability(type, true)));
            }
            require(SqlUtil.isNullLiteral(node, false) && type.isNullable());
            return DirectValue.NULL;
        }

        private void parameter(SqlDynamicParam p, RelDataType type) {
            require(p.getIndex() < parameters.length && parameters[p.getIndex()] == null);
            parameters[p.getIndex()] = type;
        }

        /** The key a condition names: each key column once, compared with a parameter, all joined by AND. */
        private DirectKey key(SqlNode condition) {
            require(!table.shape.rowId());
            int[] keyColumns = table.shape.keyColumns();
            AccessPath.ValueRef[] refs = new AccessPath.ValueRef[keyColumns.length];
            List<SqlNode> terms = new ArrayList<>();
            conjuncts(require(condition), terms);
            require(terms.size() == keyColumns.length);
            for (SqlNode term : terms) {
                require(term.getKind() == SqlKind.EQUALS);
                SqlNode a = ((SqlCall) term).operand(0);
                SqlNode b = ((SqlCall) term).operand(1);
                SqlNode col = a instanceof SqlIdentifier ? a : b;
                SqlNode param = col == a ? b : a;
                require(param instanceof SqlDynamicParam);
                int c = column(col);
                int part = indexOf(keyColumns, c);
                // a lookup only where Calcite's plan makes one (MnemoFilterRule): SQL's = on an ANY column is not
                // the engine's equality of keys
                require(part >= 0 && refs[part] == null
                        && MnemoFilterRule.comparesAsStored(table.shape.columns().get(c).type()));
                parameter((SqlDynamicParam) param, rowType.getFieldList().get(c).getType());
                refs[part] = AccessPath.ValueRef.param(((SqlDynamicParam) param).getIndex());
            }
            return new DirectKey(table, List.of(refs));
        }

        private static void conjuncts(SqlNode node, List<SqlNode> out) {
            if (node.getKind() == SqlKind.AND) {
                for (SqlNode operand : ((SqlCall) node).getOperandList()) {
                    conjuncts(operand, out);
                }
            } else {
                out.add(node);
            }
        }

        private static int indexOf(int[] values, int value) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == value) {
                    return i;
                }
            }
            return -1;
        }

        /** The parameters, each of the type of what it is compared with or written to, as Calcite infers them. */
        private List<AvaticaParameter> parameters() {
            List<AvaticaParameter> out = new ArrayList<>(parameters.length);
            for (int i = 0; i < parameters.length; i++) {
                RelDataType t = require(parameters[i]);
                out.add(new AvaticaParameter(false, precision(t), scale(t), t.getSqlTypeName().getJdbcOrdinal(),
                        t.getSqlTypeName().getName(), Object.class.getName(), "?" + i));
            }
            return out;
        }

        /** The schema and table names a column of {@code t} reports as its origin. */
        private List<String> schemaPathOf(MnemoTable t) {
            List<String> path = new ArrayList<>(schema.path(null));
            path.add(t.name());
            return path;
        }

        /** A result column as Calcite describes it (CalcitePrepareImpl#metaData) for a scalar type. */
        private ColumnMetaData column(int ordinal, String label, RelDataType type, List<String> tablePath,
                                      String column) {
            ColumnMetaData.Rep rep = ColumnMetaData.Rep.of(types.getJavaClass(type));
            ColumnMetaData.AvaticaType avatica = ColumnMetaData.scalar(type.getSqlTypeName().getJdbcOrdinal(),
                    type.getSqlTypeName().getName(), rep);
            String tableName = tablePath == null ? null : Util.last(tablePath);
            String schemaName = tablePath == null || tablePath.size() < 2 ? null
                    : tablePath.get(tablePath.size() - 2);
            return new ColumnMetaData(ordinal, false, true, false, false,
                    type.isNullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                    !SqlTypeName.UNSIGNED_TYPES.contains(type.getSqlTypeName()), type.getPrecision(), label, column,
                    schemaName, precision(type), scale(type), tableName, null, avatica, true, false, false,
                    avatica.columnClassName());
        }

        private static int precision(RelDataType t) {
            return t.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED ? 0 : t.getPrecision();
        }

        private static int scale(RelDataType t) {
            return t.getScale() == RelDataType.SCALE_NOT_SPECIFIED ? 0 : t.getScale();
        }
    }

    /** The number of {@code ?} parameters in a parse tree. */
    private static final class ParameterCount extends org.apache.calcite.sql.util.SqlBasicVisitor<Void> {
        private int count;

        static int of(SqlNode tree) {
            ParameterCount v = new ParameterCount();
            tree.accept(v);
            return v.count;
        }

        @Override
        public Void visit(SqlDynamicParam param) {
            count++;
            return null;
        }
    }
}
