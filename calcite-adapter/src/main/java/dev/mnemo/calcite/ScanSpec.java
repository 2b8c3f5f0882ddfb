package dev.mnemo.calcite;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;

/**
 * What the engine does for one scan node: which table, and (as pushdown grows) which access path. Built at plan
 * time, stashed into the generated code, and executed per statement execution in the connection's session.
 * Public only because generated code calls it.
 */
public final class ScanSpec {
    private final MnemoTable table;
    private final AccessPath path;
    private final int offset;
    private final int fetch;
    private final int[] projection;

    private ScanSpec(Builder b) {
        this.table = b.table;
        this.path = b.fetch < 0 ? b.path
                : b.path.limited((int) Math.min(Integer.MAX_VALUE, (long) b.offset + b.fetch), b.descending);
        this.offset = b.offset;
        this.fetch = b.fetch;
        this.projection = b.projection;
    }

    /**
     * Runs the scan in the session's transaction and returns the rows (materialized: in autocommit mode the
     * transaction may be re-run and must not leak a half-read cursor).
     */
    public Enumerable<Object[]> execute(DataContext root) {
        // read when enumerated, not now: a DML statement enumerates its input inside its own transaction, so the
        // rows it reads stay locked until it writes (and a re-run reads them again)
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return Linq4j.enumerator(read(root));
            }
        };
    }

    /** Like {@link #execute} for a one-column result: each row is the column's value. */
    public Enumerable<Object> executeScalar(DataContext root) {
        return execute(root).select(row -> row[0]);
    }

    private List<Object[]> read(DataContext root) {
        List<Object[]> rows = Errors.translate(table.name(),
                () -> table.session.read(tx -> table.toRows(path.read(tx, table, root), projection)));
        if (fetch >= 0) {
            // the walk stops after the key where the limit was reached: cut to exactly OFFSET, LIMIT
            rows = rows.subList(Math.min(offset, rows.size()), (int) Math.min(rows.size(), (long) offset + fetch));
        }
        return rows;
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** Collects the parts of a scan from the Mnemo operators under a converter. */
    static final class Builder {
        private MnemoTable table;
        private AccessPath path = AccessPath.FULL_SCAN;

        Builder table(MnemoTable t) {
            this.table = t;
            return this;
        }

        private int offset;
        private int fetch = -1;
        private boolean descending;

        Builder path(AccessPath p) {
            this.path = p;
            return this;
        }

        private int[] projection;

        /** Keeps only {@code columns} of the rows built so far (composing with an earlier projection). */
        Builder projection(int[] columns) {
            if (projection == null) {
                this.projection = columns.clone();
            } else {
                int[] composed = new int[columns.length];
                for (int i = 0; i < columns.length; i++) {
                    composed[i] = projection[columns[i]];
                }
                this.projection = composed;
            }
            return this;
        }

        Builder limit(int skip, int take, boolean desc) {
            this.offset = skip;
            this.fetch = take;
            this.descending = desc;
            return this;
        }

        ScanSpec build() {
            return new ScanSpec(this);
        }
    }
}
