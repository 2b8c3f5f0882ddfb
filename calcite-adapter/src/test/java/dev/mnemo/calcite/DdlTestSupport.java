package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A database in a temporary directory and helpers to run DDL and look at the result. */
abstract class DdlTestSupport {
    @TempDir
    Path dir;
    Mnemo db;

    @BeforeEach
    void openDatabase() {
        db = Mnemo.open(dir);
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    void reopen() {
        db.close();
        db = Mnemo.open(dir);
    }

    int ddl(String sql) throws SQLException {
        return MnemoDdl.execute(db, sql);
    }

    /** Runs sql, which must fail; returns the SQLException. */
    SQLException ddlError(String sql) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> MnemoDdl.execute(db, sql));
        assertThat((Object) e).as("error of %s", sql).isNotNull();
        return e;
    }

    TableDef def(String table) {
        return TableDdl.definition(db, table);
    }

    SqlShape shape(String table) {
        return SqlShape.of(def(table));
    }

    static List<String> columnNames(SqlShape shape) {
        return shape.columns().stream().map(SqlShape.Column::name).toList();
    }

    /**
     * Writes {@code row} through the SQL shape (with a new row id where the table has them) and checks that reading
     * its key gives the row back.
     */
    void assertRoundTrip(String table, Object... row) {
        SqlShape shape = shape(table);
        Tuple record = shape.toRecord(row);
        Object key;
        if (shape.rowId()) {
            key = db.tableInfo(table).size() + 1;
            record = record.with(1, key);
        } else {
            Object[] keyValues = new Object[shape.keyColumns().length];
            for (int i = 0; i < keyValues.length; i++) {
                keyValues[i] = row[shape.keyColumns()[i]];
            }
            key = shape.key(keyValues);
        }
        db.dirtyWrite(table, record);
        List<Tuple> read = db.dirtyRead(table, key);
        assertThat(read).containsExactly(record);
        assertThat(shape.toRow(read.get(0))).containsExactly(row);
    }
}
