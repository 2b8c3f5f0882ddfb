package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * SQL functions Mnemo connections have besides Calcite's standard ones: {@code CONCAT(a, b, …)} with any number of
 * arguments, which ignores NULLs ({@code CONCAT('a', NULL, 'b')} is {@code 'ab'}; all NULL gives {@code ''}), as
 * H2, PostgreSQL and SQL Server do.
 */
public final class MnemoOperators {
    private MnemoOperators() {
    }

    /** {@code standard} with Mnemo's functions after it. */
    public static SqlOperatorTable with(SqlOperatorTable standard) {
        return SqlOperatorTables.chain(standard,
                SqlOperatorTables.of(List.of(SqlLibraryOperators.CONCAT_FUNCTION_WITH_NULL)));
    }
}
