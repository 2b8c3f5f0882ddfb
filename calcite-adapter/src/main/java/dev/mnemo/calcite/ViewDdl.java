package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/** CREATE [OR REPLACE] VIEW and DROP VIEW. */
final class ViewDdl {
    /** Column types a view can keep (its columns' types are stored by name, precision and scale). */
    private static final Set<SqlTypeName> STORABLE = EnumSet.of(SqlTypeName.BOOLEAN, SqlTypeName.TINYINT,
            SqlTypeName.SMALLINT, SqlTypeName.INTEGER, SqlTypeName.BIGINT, SqlTypeName.DECIMAL, SqlTypeName.FLOAT,
            SqlTypeName.REAL, SqlTypeName.DOUBLE, SqlTypeName.DATE, SqlTypeName.TIME, SqlTypeName.TIMESTAMP,
            SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, SqlTypeName.CHAR, SqlTypeName.VARCHAR, SqlTypeName.BINARY,
            SqlTypeName.VARBINARY, SqlTypeName.ANY, SqlTypeName.NULL);

    private ViewDdl() {
    }

    /**
     * {@code CREATE [OR REPLACE] VIEW name [( column, … )] AS query}: the query is validated (through
     * {@link MnemoDdl.QueryValidator}, by the connection that runs the statement) and stored with the columns it
     * has now. A table or, without OR REPLACE, a view of the same name (in any case) is a 42S01 error.
     */
    record Create(boolean orReplace, DdlToken name, List<DdlToken> columnNames, String query) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            throw DdlError.at(name, DdlError.NOT_SUPPORTED, "CREATE VIEW runs through a JDBC connection, which "
                    + "validates the view's query; MnemoDdl.execute(db, sql) alone cannot");
        }

        void execute(Mnemo db, MnemoDdl.QueryValidator validator) throws SQLException {
            TableDdl.checkName(name, "view");
            for (String table : db.tables(false)) {
                if (table.equalsIgnoreCase(name.value())) {
                    throw DdlError.at(name, DdlError.TABLE_EXISTS, "cannot create view " + name.value() + ": table "
                            + table + " has that name");
                }
            }
            if (!orReplace && Views.find(db, name.value()).isPresent()) {
                throw DdlError.at(name, DdlError.TABLE_EXISTS, "view " + name.value() + " already exists (CREATE OR "
                        + "REPLACE VIEW replaces it)");
            }
            RelDataType rowType = validator.rowType(query);
            List<RelDataTypeField> fields = rowType.getFieldList();
            if (!columnNames.isEmpty() && columnNames.size() != fields.size()) {
                throw DdlError.at(name, DdlError.INVALID, "view " + name.value() + " names " + columnNames.size()
                        + " columns but its query has " + fields.size());
            }
            List<Views.Column> columns = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                String column = columnNames.isEmpty() ? fields.get(i).getName() : columnNames.get(i).value();
                columns.add(column(column, fields.get(i).getType()));
            }
            Views.put(db, new Views.View(name.value(), query, columns));
        }

        private Views.Column column(String column, RelDataType type) {
            SqlTypeName t = type.getSqlTypeName();
            if (!STORABLE.contains(t)) {
                throw DdlError.at(name, DdlError.NOT_SUPPORTED, "view " + name.value() + ", column " + column
                        + ": a view cannot have a column of type " + type.getFullTypeString()
                        + "; cast it to a number, string, date or time type");
            }
            int precision = t.allowsPrec() ? type.getPrecision() : -1;
            int scale = t.allowsScale() ? type.getScale() : -1;
            return new Views.Column(column, t.getName(), precision, scale, type.isNullable());
        }
    }

    /** {@code DROP VIEW [IF EXISTS] name}: 42S02 if there is no such view; 42809 if it names a table. */
    record Drop(boolean ifExists, DdlToken name) implements DdlStatement {
        @Override
        public void execute(Mnemo db) {
            if (Views.remove(db, name.value())) {
                return;
            }
            for (String table : db.tables(false)) {
                if (table.equalsIgnoreCase(name.value())) {
                    throw DdlError.at(name, DdlError.WRONG_OBJECT, table + " is a table, not a view: use DROP TABLE");
                }
            }
            if (!ifExists) {
                throw DdlError.at(name, DdlError.NO_TABLE, "view " + name.value() + " does not exist");
            }
        }
    }
}
