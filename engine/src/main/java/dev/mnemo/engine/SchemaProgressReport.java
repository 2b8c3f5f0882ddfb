package dev.mnemo.engine;

import java.util.function.Consumer;

/** Counts the records of one schema change and reports them (see {@link SchemaProgress}). */
final class SchemaProgressReport {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchemaProgressReport.class);
    private static final long LOG_NANOS = 2_000_000_000L;

    private final Consumer<SchemaProgress> listener;
    private final String table;
    private final String operation;
    private final long total;
    private long records;
    private long lastLog = System.nanoTime();
    private boolean logged;

    SchemaProgressReport(Consumer<SchemaProgress> listener, String table, String operation, long total) {
        this.listener = listener;
        this.table = table;
        this.operation = operation;
        this.total = total;
    }

    void add(long n) {
        records += n;
        report(false);
    }

    void done() {
        report(true);
    }

    private void report(boolean done) {
        SchemaProgress p = new SchemaProgress(table, operation, records, total, done);
        if (listener != null) {
            listener.accept(p);
        }
        long now = System.nanoTime();
        if (now - lastLog >= LOG_NANOS || (done && logged)) {
            LOG.info(p.describe());
            lastLog = now;
            logged = true;
        }
    }
}
