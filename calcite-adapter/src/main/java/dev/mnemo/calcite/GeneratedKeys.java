package dev.mnemo.calcite;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows an INSERT (or MERGE) wrote, for {@link java.sql.Statement#getGeneratedKeys()}: by default the identity
 * column of each inserted row (the primary key if the table has none), or the columns the caller named or numbered.
 *
 * @param columns   the columns' names
 * @param jdbcTypes the columns' {@link java.sql.Types}
 * @param javaTypes the classes of the values
 * @param rows      one array of JDBC values (Long, String, BigDecimal, java.sql.Date, …) per inserted row
 */
public record GeneratedKeys(List<String> columns, List<Integer> jdbcTypes, List<Class<?>> javaTypes,
                            List<Object[]> rows) {

    /** What a statement collects while it runs: the records it inserted, per table. */
    public static final class Capture {
        private SqlShape shape;
        private final List<Tuple> records = new ArrayList<>();

        /** Adds one execution's inserted records (an execution of a batch, say). */
        void add(SqlShape table, List<Tuple> inserted) {
            if (inserted.isEmpty()) {
                return;
            }
            if (shape != null && !shape.def().name().equals(table.def().name())) {
                records.clear(); // keys are those of the last table written
            }
            shape = table;
            records.addAll(inserted);
        }

        /**
         * The keys: {@code names} or {@code indexes} (1-based positions in the table) select the columns; with
         * neither, the identity column or else the primary key (none, and no rows, for a table without one). An
         * unknown name or position is SQLState 42S22.
         */
        public GeneratedKeys keys(String[] names, int[] indexes) throws SQLException {
            if (shape == null) {
                return new GeneratedKeys(List.of(), List.of(), List.of(), List.of());
            }
            List<Integer> picked = new ArrayList<>();
            if (names != null && names.length > 0) {
                for (String n : names) {
                    picked.add(byName(n));
                }
            } else if (indexes != null && indexes.length > 0) {
                for (int i : indexes) {
                    if (i < 1 || i > shape.columns().size()) {
                        throw new SQLException("table " + shape.def().name() + " has no column " + i + " (it has "
                                + shape.columns().size() + ")", "42S22");
                    }
                    picked.add(i - 1);
                }
            } else if (shape.identity() != null) {
                picked.add(shape.identity().column());
            } else {
                for (int k : shape.keyColumns()) {
                    picked.add(k);
                }
            }
            List<String> cols = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            List<Class<?>> classes = new ArrayList<>();
            for (int p : picked) {
                SqlShape.Column c = shape.columns().get(p);
                cols.add(c.name());
                types.add(jdbcType(c.type()));
                classes.add(javaType(c.type()));
            }
            List<Object[]> rows = new ArrayList<>(records.size());
            for (Tuple r : picked.isEmpty() ? List.<Tuple>of() : records) { // no key columns: no keys
                Object[] values = shape.toRow(r);
                Object[] row = new Object[picked.size()];
                for (int i = 0; i < row.length; i++) {
                    SqlShape.Column c = shape.columns().get(picked.get(i));
                    row[i] = jdbc(c, values[picked.get(i)]);
                }
                rows.add(row);
            }
            return new GeneratedKeys(cols, types, classes, rows);
        }

        private int byName(String name) throws SQLException {
            for (int i = 0; i < shape.columns().size(); i++) {
                if (shape.columns().get(i).name().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            throw new SQLException("table " + shape.def().name() + " has no column " + name, "42S22");
        }
    }

    private static int jdbcType(AttrType t) {
        return switch (t) {
            case INTEGER -> java.sql.Types.BIGINT;
            case DOUBLE -> java.sql.Types.DOUBLE;
            case DECIMAL -> java.sql.Types.DECIMAL;
            case STRING -> java.sql.Types.VARCHAR;
            case BOOLEAN -> java.sql.Types.BOOLEAN;
            case BINARY -> java.sql.Types.VARBINARY;
            case DATE -> java.sql.Types.DATE;
            case TIME -> java.sql.Types.TIME;
            case DATETIME, INSTANT -> java.sql.Types.TIMESTAMP;
            default -> java.sql.Types.JAVA_OBJECT;
        };
    }

    private static Class<?> javaType(AttrType t) {
        return switch (t) {
            case INTEGER -> Long.class;
            case DOUBLE -> Double.class;
            case DECIMAL -> BigDecimal.class;
            case STRING -> String.class;
            case BOOLEAN -> Boolean.class;
            case BINARY -> byte[].class;
            case DATE -> java.sql.Date.class;
            case TIME -> java.sql.Time.class;
            case DATETIME, INSTANT -> java.sql.Timestamp.class;
            default -> Object.class;
        };
    }

    /** An engine value as the JDBC value of its column (a DECIMAL at its declared scale). */
    private static Object jdbc(SqlShape.Column c, Object v) {
        if (v == null) {
            return null;
        }
        Object sql = SqlValues.toSql(c, v);
        return switch (c.type()) {
            case DECIMAL -> sql;
            case BINARY -> ((Binary) v).toByteArray();
            case DATE -> java.sql.Date.valueOf((LocalDate) v);
            case TIME -> java.sql.Time.valueOf((LocalTime) v);
            case DATETIME -> java.sql.Timestamp.valueOf((LocalDateTime) v);
            case INSTANT -> java.sql.Timestamp.from((Instant) v);
            default -> v;
        };
    }

    @Override
    public String toString() {
        return "generated keys " + columns + " x " + rows.size();
    }
}
