package dev.mnemo.calcite;

import dev.mnemo.engine.Continuation;
import dev.mnemo.engine.SelectChunk;
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
        // ORDER BY the key without OFFSET or FETCH is the walk's own order: it streams like a plain scan
        boolean whole = b.fetch == Integer.MAX_VALUE && b.offset == 0 && b.path.walks();
        this.path = b.fetch < 0 ? b.path
                : b.path.limited(whole ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) b.offset + b.fetch),
                        b.descending);
        this.offset = b.offset;
        this.fetch = whole ? -1 : b.fetch;
        this.projection = b.projection;
    }

    /**
     * Rows read in a chunk of a streamed scan: enough that a chunk's fixed cost (a sub-transaction, a seek) does not
     * count, few enough that a scan of any size holds little.
     */
    static final int CHUNK_ROWS = 4_096;

    /**
     * The data context variable holding the JDBC statement's fetch size: a streamed scan reads that many rows per
     * chunk when it is positive, else {@link #CHUNK_ROWS}.
     */
    public static final String FETCH_SIZE = "mnemo.fetchSize";

    private static int chunkRows(DataContext root) {
        return root.get(FETCH_SIZE) instanceof Integer n && n > 0 ? n : CHUNK_ROWS;
    }

    /**
     * Runs the scan in the session's transaction and returns the rows. A walk (a full scan, a key range or prefix)
     * without a pushed limit, in a query through JDBC, streams: it reads {@link #CHUNK_ROWS} rows (or the
     * statement's fetch size) at a time, as they are asked for, in the query's snapshot or, in an explicit
     * transaction, a view of the table ({@link MnemoSession#streamingSnapshot}), so a scan of a table larger than
     * the heap runs in bounded memory. Anything else is read whole when first enumerated (a DML statement's input,
     * a table its transaction has written to, and autocommit reads outside JDBC, which may be re-run and must not
     * leak a half-read cursor).
     */
    public Enumerable<Object[]> execute(DataContext root) {
        // read when enumerated, not now: a DML statement enumerates its input inside its own transaction, so the
        // rows it reads stay locked until it writes (and a re-run reads them again)
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                Object snapshot = fetch < 0 && path.chunked()
                        ? Errors.translate(table.name(), () -> table.session.streamingSnapshot(table.name())) : null;
                return new CheckedEnumerator<>(snapshot != null ? new Chunks(root, snapshot)
                        : Linq4j.enumerator(read(root)));
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

    /** A streamed walk: one chunk of rows at a time, each read in the query's snapshot when the last is used up. */
    private final class Chunks implements Enumerator<Object[]> {
        private final DataContext root;
        private final Object snapshot;
        private List<Object[]> rows = List.of();
        private int at = -1;
        private boolean started;
        /** Where the next chunk starts; null once the walk has reached its end (after the first chunk). */
        private Continuation next;

        Chunks(DataContext root, Object snapshot) {
            this.root = root;
            this.snapshot = snapshot;
        }

        @Override
        public Object[] current() {
            return rows.get(at);
        }

        @Override
        public boolean moveNext() {
            while (at + 1 >= rows.size()) {
                if (started && next == null) {
                    return false;
                }
                SelectChunk chunk = Errors.translate(table.name(), () -> table.session.readOn(snapshot,
                        tx -> started ? tx.select(next) : path.firstChunk(tx, table, root, chunkRows(root))));
                started = true;
                next = chunk.continuation();
                rows = table.toRows(path.records(chunk, table, root), projection);
                at = -1;
            }
            at++;
            return true;
        }

        @Override
        public void reset() {
            rows = List.of();
            at = -1;
            started = false;
            next = null;
        }

        @Override
        public void close() {
            rows = List.of();
            at = -1;
            started = true;
            next = null;
        }
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
