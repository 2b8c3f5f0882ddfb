package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * SQL functions Mnemo connections have besides Calcite's standard ones: {@code CONCAT(a, b, …)} with any number of
 * arguments, which ignores NULLs ({@code CONCAT('a', NULL, 'b')} is {@code 'ab'}; all NULL gives {@code ''}), as
 * H2, PostgreSQL and SQL Server do; and the dialect functions BI tools and hand-written SQL send, from Calcite's
 * function libraries ({@link #DIALECT}).
 */
public final class MnemoOperators {
    private MnemoOperators() {
    }

    /**
     * Functions of other dialects, one variant each where dialects differ: SUBSTR with SUBSTRING's semantics
     * (PostgreSQL's), NVL / IFNULL / NVL2 / DECODE / IF, GREATEST / LEAST (NULL if any argument is), LEFT / RIGHT,
     * LPAD / RPAD, REPEAT, REVERSE, SPACE, INSTR / STRPOS, LENGTH / LEN, CONCAT_WS, SPLIT_PART, CHR, MD5,
     * TO_CHAR / TO_DATE / TO_TIMESTAMP with Oracle's format models, FORMAT_DATE / FORMAT_TIMESTAMP, DATE_TRUNC(d,
     * unit), DATE_PART, DATEADD / DATEDIFF.
     */
    static final List<SqlOperator> DIALECT = List.of(
            SqlLibraryOperators.SUBSTR_POSTGRESQL, SqlLibraryOperators.NVL, SqlLibraryOperators.IFNULL,
            SqlLibraryOperators.NVL2, SqlLibraryOperators.DECODE, SqlLibraryOperators.IF,
            SqlLibraryOperators.GREATEST, SqlLibraryOperators.LEAST, SqlLibraryOperators.LEFT,
            SqlLibraryOperators.RIGHT, SqlLibraryOperators.LPAD, SqlLibraryOperators.RPAD, SqlLibraryOperators.REPEAT,
            SqlLibraryOperators.REVERSE, SqlLibraryOperators.SPACE, SqlLibraryOperators.INSTR,
            SqlLibraryOperators.STRPOS, SqlLibraryOperators.LENGTH, SqlLibraryOperators.LEN,
            SqlLibraryOperators.CONCAT_WS, SqlLibraryOperators.SPLIT_PART, SqlLibraryOperators.CHR,
            SqlLibraryOperators.MD5, SqlLibraryOperators.TO_CHAR, SqlLibraryOperators.TO_DATE,
            SqlLibraryOperators.TO_TIMESTAMP, SqlLibraryOperators.FORMAT_DATE, SqlLibraryOperators.FORMAT_TIMESTAMP,
            SqlLibraryOperators.DATE_TRUNC, SqlLibraryOperators.DATE_PART, SqlLibraryOperators.DATEADD,
            SqlLibraryOperators.DATEDIFF);

    /** Mnemo's functions: the dialects' and the n-ary CONCAT. */
    private static final SqlOperatorTable MNEMO = SqlOperatorTables.of(
            java.util.stream.Stream.concat(DIALECT.stream(), java.util.stream.Stream.of(
                    SqlLibraryOperators.CONCAT_FUNCTION_WITH_NULL)).toList());

    /** {@code standard} with Mnemo's functions after it. */
    public static SqlOperatorTable with(SqlOperatorTable standard) {
        return SqlOperatorTables.chain(standard, MNEMO);
    }
}
