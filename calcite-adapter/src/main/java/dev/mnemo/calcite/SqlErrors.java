package dev.mnemo.calcite;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Gives Calcite's parse and validation failures a SQLState, as JDBC callers expect: 42000 syntax error or access
 * rule violation (with Calcite's line/column), 42S02 table not found, 42S22 column not found, 23502 null given for
 * a NOT NULL column without default, 22012/22003 arithmetic, 22018 a string that is not a number. Failures that
 * already carry a SQLState (engine errors, see the adapter's Errors) pass through.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /**
     * What stopped a statement among {@code e}'s causes: its cancellation or query timeout (an
     * {@link dev.mnemo.engine.OperationCanceledException}, or already its 57014 exception), or an interrupt; else
     * null.
     */
    public static RuntimeException stopped(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.mnemo.engine.OperationCanceledException
                    || t instanceof dev.mnemo.engine.OperationInterruptedException
                    || t instanceof AvaticaClientRuntimeException a && "57014".equals(a.getSqlState())) {
                return (RuntimeException) t;
            }
        }
        return null;
    }

    /** The exception to throw instead of {@code e}: with a SQLState where one applies, else {@code e} itself. */
    public static RuntimeException translate(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AvaticaClientRuntimeException a) {
                return a;
            }
            if (t instanceof SqlParseException p) {
                String where = p.getPos() == null ? "" : " at line " + p.getPos().getLineNum() + ", column "
                        + p.getPos().getColumnNum();
                return sql("SQL syntax error" + where + ": " + p.getMessage(), "42000", e);
            }
            if (Errors.closedState(t) != null) {
                return sql(t.getMessage() + ": the connection cannot be used any more", "08003", e);
            }
            if (t instanceof ArithmeticException a) {
                return sql(arithmetic(a), arithmeticState(a), e);
            }
            if (t instanceof NumberFormatException n) {
                return number(n, e);
            }
            if (t instanceof java.util.regex.PatternSyntaxException p) {
                return sql("invalid regular expression '" + p.getPattern() + "': " + p.getDescription(), "2201B", e);
            }
            if (String.valueOf(t.getMessage()).startsWith("Invalid regular expression '")) {
                return sql(t.getMessage(), "2201B", e); // Calcite's report of a pattern made at run time
            }
            // by their text, which is all a constant that failed before leaves (see fromClassInitialization)
            String text = String.valueOf(t.getMessage());
            if ((t instanceof org.apache.calcite.runtime.CalciteException || t instanceof EarlierFailure)
                    && text.contains("Invalid character for cast")) {
                return sql("invalid value: " + text, "22018", e); // CAST('x' AS BOOLEAN)
            }
            boolean datetime = t instanceof IllegalArgumentException && !(t instanceof java.util.regex.PatternSyntaxException)
                    || t instanceof EarlierFailure;
            if (datetime && text.matches("(?s)(java\\.lang\\.IllegalArgumentException: )?Value of \\w+ field is out of "
                    + "range in '.*")) {
                return sql("datetime field out of range: " + text, "22008", e); // CAST('2024-02-30' AS DATE)
            }
            if (datetime && text.matches("(?s)(java\\.lang\\.IllegalArgumentException: )?Invalid (DATE|TIME|TIMESTAMP) "
                    + "value, '.*")) {
                return sql("invalid datetime format: " + text, "22007", e); // CAST('… 25:61:00' AS TIMESTAMP)
            }
            if (t instanceof CalciteContextException c) {
                String m = c.getMessage();
                String state = m.contains("Object '") && m.contains("not found") ? "42S02"
                        : m.contains("Column '") && m.contains("not found") || m.contains("Unknown target column")
                        ? "42S22"
                        : m.contains("does not allow NULLs") ? "23502" : "42000";
                return sql(m, state, e);
            }
        }
        String storage = storageState(e);
        return storage == null ? e : sql(storageMessage(storage, e), storage, e);
    }

    /**
     * A string that is not a number of the type asked for: 22003 if it is an integer too large for the type
     * ({@code CAST('99999999999' AS INT)}), else 22018.
     */
    static AvaticaClientRuntimeException number(NumberFormatException n, Throwable e) {
        String m = String.valueOf(n.getMessage());
        int q = m.indexOf('"');
        String text = q >= 0 && m.lastIndexOf('"') > q ? m.substring(q + 1, m.lastIndexOf('"')) : "";
        return text.trim().matches("[+-]?\\d+") ? sql("numeric value out of range: " + text.trim(), "22003", e)
                : sql("invalid number: " + m, "22018", e);
    }

    /**
     * Xodus's exceptions for a damaged or missing log block (BlockNotFoundException is a DataCorruptionException
     * and names it as its superclass), by name: the adapter does not depend on Xodus.
     */
    private static final java.util.Set<String> DAMAGED = java.util.Set.of("jetbrains.exodus.log.DataCorruptionException",
            "jetbrains.exodus.crypto.InvalidCipherParametersException");

    /**
     * The SQLState of a failure of the database's storage, or null if {@code e} is none: 53100 (disk full) for a
     * write that found no space (Xodus's free-space check, or the operating system's ENOSPC / quota error), XX001
     * (data corrupted) for damaged or missing data files ({@link dev.mnemo.engine.DatabaseDamagedException},
     * Xodus's corruption errors), 58030 (I/O error) for any other failed read or write of the files.
     */
    public static String storageState(Throwable e) {
        String io = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof dev.mnemo.engine.DatabaseDamagedException || DAMAGED.contains(name)
                    || t.getClass().getSuperclass() != null && DAMAGED.contains(t.getClass().getSuperclass().getName())) {
                return "XX001";
            }
            if (name.equals("jetbrains.exodus.OutOfDiskSpaceException") || t instanceof java.io.IOException
                    && diskFull(t.getMessage())) {
                return "53100";
            }
            if (io == null && (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException)) {
                io = "58030";
            }
        }
        return io;
    }

    private static boolean diskFull(String message) {
        String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
        return m.contains("no space left on device") || m.contains("disk quota exceeded")
                || m.contains("not enough space on the disk");
    }

    /** The message of a storage failure of state {@code state}: what it means, then the failure. */
    public static String storageMessage(String state, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.mnemo.engine.DatabaseDamagedException) {
                return t.getMessage(); // it says what is damaged
            }
        }
        String what = switch (state) {
            case "53100" -> "the disk is full";
            case "XX001" -> "the database's files are damaged";
            default -> "reading or writing the database's files failed";
        };
        return what + ": " + e.getMessage();
    }

    /**
     * A failure of a constant expression of a statement's generated code, which Calcite evaluates once, when the
     * code's class is initialized ({@code SELECT 1 / 0}, {@code CAST('x' AS DOUBLE)}), as the SQLException of the
     * failure itself (22012, 22018, ...). The first execution gets an {@link ExceptionInInitializerError}; later ones
     * of the same code (compiled classes are shared) a {@link NoClassDefFoundError} that only names the failure.
     * {@code e} itself is thrown if it is not such an error.
     */
    public static RuntimeException fromClassInitialization(Error e) {
        Throwable cause = e instanceof ExceptionInInitializerError i ? i.getCause() : null;
        if (cause == null && e instanceof NoClassDefFoundError && e.getCause() instanceof ExceptionInInitializerError i) {
            // the constant failed before, in this JVM (the compiled code is shared): only its message is left
            String m = String.valueOf(i.getMessage()); // "Exception java.lang.ArithmeticException: / by zero [in ..."
            int at = m.indexOf(" [in thread");
            String detail = at < 0 ? m : m.substring(0, at);
            cause = detail.contains("java.lang.ArithmeticException: ")
                    ? new ArithmeticException(detail.substring(detail.indexOf(": ") + 2))
                    : detail.contains("java.lang.NumberFormatException: ")
                    ? new NumberFormatException(detail.substring(detail.indexOf(": ") + 2))
                    : new EarlierFailure(detail.startsWith("Exception ") ? detail.substring(10) : detail);
        }
        if (!(cause instanceof RuntimeException r)) {
            throw e;
        }
        RuntimeException t = translate(r);
        return t == r ? sql("statement failed: " + r, "22000", e) : t;
    }

    /** What a NoClassDefFoundError says of the failure that left its class uninitialized: its text alone. */
    private static final class EarlierFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EarlierFailure(String text) {
            super(text, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /**
     * The SQLState of an arithmetic failure while a statement runs: 22012 division by zero, 22003 a value out of
     * range of its type (an overflow, a number that does not fit a DECIMAL's precision), else 22000.
     */
    static String arithmeticState(ArithmeticException a) {
        String m = String.valueOf(a.getMessage());
        if (m.contains("by zero") || m.contains("Division undefined")) { // BigDecimal's 0/0
            return "22012";
        }
        return m.contains("overflow") || m.contains("Overflow") || m.contains("cannot be represented")
                || m.contains("out of range") ? "22003" : "22000";
    }

    private static String arithmetic(ArithmeticException a) {
        String m = String.valueOf(a.getMessage());
        return arithmeticState(a).equals("22012") ? "division by zero" : "numeric value out of range: " + m;
    }

    /**
     * The JDBC exception of {@code sqlState}: class 42 a {@link java.sql.SQLSyntaxErrorException}, 0A a
     * {@link java.sql.SQLFeatureNotSupportedException}, 22 a {@link java.sql.SQLDataException}, 23 a
     * {@link java.sql.SQLIntegrityConstraintViolationException}, 40 a
     * {@link java.sql.SQLTransactionRollbackException}, a statement stopped by its query timeout (57014, "query
     * timeout …") a {@link java.sql.SQLTimeoutException}, others plain.
     */
    public static java.sql.SQLException exception(String message, String sqlState, Throwable cause) {
        String c = sqlState == null ? "" : sqlState.substring(0, Math.min(2, sqlState.length()));
        return switch (c) {
            case "42" -> new java.sql.SQLSyntaxErrorException(message, sqlState, cause);
            case "0A" -> new java.sql.SQLFeatureNotSupportedException(message, sqlState, cause);
            case "22" -> new java.sql.SQLDataException(message, sqlState, cause);
            case "23" -> new java.sql.SQLIntegrityConstraintViolationException(message, sqlState, cause);
            case "40" -> new java.sql.SQLTransactionRollbackException(message, sqlState, cause);
            case "57" -> message != null && message.contains(TIMEOUT) ? new java.sql.SQLTimeoutException(message,
                    sqlState, cause)
                    : new java.sql.SQLException(message, sqlState, cause);
            default -> new java.sql.SQLException(message, sqlState, cause);
        };
    }

    /** The words that begin the message of a statement stopped by its query timeout. */
    public static final String TIMEOUT = "query timeout of ";

    /**
     * {@code e} as the JDBC subclass its SQLState calls for (see {@link #exception}): Avatica makes every failure of
     * an execution a plain {@code AvaticaSqlException}, whose message starts "Error 0 (state) : "; the new one has
     * the message without that prefix and {@code e} attached. {@code e} itself if it has no SQLState or is of
     * another class already.
     */
    public static java.sql.SQLException standard(java.sql.SQLException e) {
        if (!(e instanceof org.apache.calcite.avatica.AvaticaSqlException a) || e.getSQLState() == null) {
            return e;
        }
        return exception(a.getErrorMessage(), e.getSQLState(), e);
    }

    /**
     * Calcite signals some invalid statements with an AssertionError while planning (for example a string literal
     * compared with a numeric column: "cannot convert CHAR literal to class java.math.BigDecimal"); the caller gets
     * a SQLException instead: 22018 for a value that cannot be converted, else XX000 (internal error).
     */
    public static RuntimeException plannerAssertion(AssertionError e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("cannot convert") ? sql("invalid value: " + m, "22018", e)
                : sql("internal error while planning the statement: " + m, "XX000", e);
    }

    /** An exception that reaches the JDBC caller as a SQLException with {@code sqlState} and {@code message}. */
    public static RuntimeException withState(String message, String sqlState) {
        return Errors.sql(message, sqlState, null);
    }

    private static AvaticaClientRuntimeException sql(String message, String state, Throwable cause) {
        return Errors.sql(message, state, cause);
    }
}
