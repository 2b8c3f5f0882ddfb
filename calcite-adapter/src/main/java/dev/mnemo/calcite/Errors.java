package dev.mnemo.calcite;

import dev.mnemo.engine.BadRecordException;
import dev.mnemo.engine.MnemoException;
import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.ReadOnlyTableException;
import dev.mnemo.engine.TransactionAbortedException;
import dev.mnemo.engine.TransactionConflictException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSeverity;

/**
 * Engine failures as exceptions that Avatica turns into {@link java.sql.SQLException}s with a SQLState:
 * 40001 lost lock conflict (the transaction was rolled back), 23505 duplicate key, 23502 null in a NOT NULL column,
 * 22000 bad value, 22001 value over a size limit, 25006 write to a read-only table, 42S02 missing table, 57014 the thread was interrupted (the
 * statement did nothing), HY000 anything else.
 */
final class Errors {
    static final String CONFLICT = "40001";
    /** The statement was canceled: its thread was interrupted, or Statement.cancel() or its timeout stopped it. */
    static final String INTERRUPTED = "57014";
    static final String DUPLICATE_KEY = "23505";
    static final String NOT_NULL = "23502";
    static final String BAD_VALUE = "22000";
    static final String TOO_LONG = "22001";
    static final String READ_ONLY = "25006";

    private Errors() {
    }

    /** Runs {@code work}, translating engine exceptions. */
    static <T> T translate(String table, Supplier<T> work) {
        try {
            return work.get();
        } catch (AvaticaClientRuntimeException e) {
            throw e;
        } catch (dev.mnemo.engine.OperationInterruptedException | dev.mnemo.engine.OperationCanceledException e) {
            throw sql(e.getMessage(), INTERRUPTED, e);
        } catch (TransactionConflictException e) {
            throw sql(e.getMessage(), CONFLICT, e);
        } catch (TransactionAbortedException e) {
            throw sql(e.getMessage(), CONFLICT, e);
        } catch (dev.mnemo.engine.ValueTooLargeException e) {
            throw sql(e.getMessage(), TOO_LONG, e);
        } catch (BadRecordException e) {
            throw sql(e.getMessage(), BAD_VALUE, e);
        } catch (ReadOnlyTableException | dev.mnemo.engine.ReadOnlyTransactionException e) {
            throw sql(e.getMessage(), READ_ONLY, e);
        } catch (NoSuchTableException e) {
            throw sql(e.getMessage(), "42S02", e);
        } catch (MnemoException e) {
            String cluster = nodeState(e);
            if (cluster != null) {
                throw sql(e.getMessage(), cluster, e);
            }
            String storage = SqlErrors.storageState(e);
            throw sql("table " + table + ": " + (storage == null ? e.getMessage() : SqlErrors.storageMessage(storage,
                    e)), storage == null ? "HY000" : storage, e);
        } catch (NumberFormatException e) {
            throw SqlErrors.number(e, e); // CAST('abc' AS INT) in an INSERT: as in a SELECT
        } catch (UnsupportedOperationException e) {
            throw sql("table " + table + ": " + e.getMessage(), "0A000", e);
        } catch (IllegalArgumentException e) {
            RuntimeException standard = SqlErrors.translate(e); // a malformed date or time (22007, 22008)
            throw standard != e ? standard : sql(e.getMessage(), BAD_VALUE, e);
        }
    }

    /**
     * The SQLState of a cluster node's refusal, by its reason: 08006 when the node cannot reach a majority and the
     * write was not made, 40003 when its outcome is unknown (it may yet be committed); null for any other error.
     */
    static String clusterState(MnemoException e) {
        return switch (String.valueOf(e.reason())) {
            case "cluster_unavailable" -> "08006";
            case "outcome_unknown" -> "40003";
            default -> null;
        };
    }

    /** {@link #clusterState} or {@link #closedState}: the SQLState of a node refusing, or of a closed database. */
    static String nodeState(MnemoException e) {
        String cluster = clusterState(e);
        return cluster != null ? cluster : closedState(e);
    }

    /**
     * 08003 (no connection) when the database is closed under the connection (its cluster node, or whoever opened
     * it, closed it); else null.
     */
    static String closedState(Throwable e) {
        return e instanceof MnemoException && String.valueOf(e.getMessage()).startsWith("database is closed")
                ? "08003" : null;
    }

    /** An exception that reaches the JDBC caller as a SQLException with {@code sqlState}. */
    static AvaticaClientRuntimeException sql(String message, String sqlState, Throwable cause) {
        AvaticaClientRuntimeException e = new AvaticaClientRuntimeException(message, 0, sqlState,
                AvaticaSeverity.ERROR, List.of(), null);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
