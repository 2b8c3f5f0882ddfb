package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A stored view as a SQL table: Calcite's {@link ViewTable}, expanded into its query wherever a statement names it
 * (so filters on it reach the tables' access paths), with the columns and types it had when it was created.
 */
final class MnemoView extends ViewTable {
    MnemoView(Views.View view) {
        super(Object[].class, f -> rowType(f, view), view.query(), List.of(DdlCursor.SCHEMA),
                List.of(DdlCursor.SCHEMA, view.name()));
    }

    private static RelDataType rowType(RelDataTypeFactory f, Views.View view) {
        RelDataTypeFactory.Builder b = f.builder();
        for (Views.Column c : view.columns()) {
            SqlTypeName t = SqlTypeName.get(c.type());
            RelDataType base = c.precision() >= 0 && c.scale() >= 0 ? f.createSqlType(t, c.precision(), c.scale())
                    : c.precision() >= 0 ? f.createSqlType(t, c.precision()) : f.createSqlType(t);
            b.add(c.name(), f.createTypeWithNullability(base, c.nullable()));
        }
        return b.build();
    }
}
