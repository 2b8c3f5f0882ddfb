package dev.mnemo.bench;

import dev.mnemo.bench.MnesiaAnchors.Anchor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The results as markdown: the SQL workloads (rows) by system (columns) with the Mnemo / H2-file ratios, then the
 * engine-API workloads beside raw Xodus and the Mnesia anchors. Cells are JMH scores in µs/op; "—" is a
 * benchmark that was not run (filtered out) or failed (its error is in the JMH log).
 */
final class ResultTable {
    /** Measured scores by {@link #key(String, String)}: {@code "SqlBench.pkLookupPrepared[h2-file]"}. */
    private final Map<String, Double> scores;

    ResultTable(Map<String, Double> scores) {
        this.scores = scores;
    }

    static String key(String benchmark, String param) {
        return param == null ? benchmark : benchmark + "[" + param + "]";
    }

    private record SqlRow(String label, String benchmark, double divisor, Anchor anchor,
                          ToDoubleFunction<Anchor> anchorFigure) {
    }

    private record EngineRow(String label, String benchmark, String xodus, Anchor anchor) {
    }

    private static final List<SqlRow> SQL_ROWS = List.of(
            new SqlRow("1. PK lookup, PreparedStatement", "SqlBench.pkLookupPrepared", 1,
                    MnesiaAnchors.KEY_READ_TX, Anchor::discCopiesMicros),
            new SqlRow("2. PK lookup, Statement with a new literal each call", "SqlBench.pkLookupStatement", 1,
                    null, null),
            new SqlRow("3. index lookup (email), PreparedStatement", "SqlBench.indexLookup", 1,
                    MnesiaAnchors.INDEX_READ_TX, Anchor::discCopiesMicros),
            new SqlRow("4. key range, 1,000 rows", "SqlBench.rangeScan1000", 1,
                    MnesiaAnchors.RANGE_1000, Anchor::discCopiesMicros),
            new SqlRow("5. INSERT 1,000 rows, one transaction (µs per txn)", "SqlBench.insert1000Txn", 1,
                    MnesiaAnchors.INSERT_PER_ROW, a -> a.discCopiesMicros() * BenchConfig.INSERT_ROWS),
            new SqlRow("5'. the same, per row (÷ 1,000)", "SqlBench.insert1000Txn", BenchConfig.INSERT_ROWS,
                    MnesiaAnchors.INSERT_PER_ROW, Anchor::discCopiesMicros),
            new SqlRow("6. single-row UPDATE, autocommit", "SqlBench.updateAutocommit", 1,
                    MnesiaAnchors.WRITE_TX, Anchor::discCopiesMicros),
            new SqlRow("7. GROUP BY with AVG/COUNT/MAX over events", "SqlBench.groupBy", 1, null, null),
            new SqlRow("8. 3-table join, orders of one user (10 rows)", "SqlBench.join3", 1, null, null));

    private static final List<EngineRow> ENGINE_ROWS = List.of(
            new EngineRow("dirtyRead, 1 thread", "EngineBench.dirtyRead_1t", "XodusBench.get_1t",
                    MnesiaAnchors.DIRTY_READ),
            new EngineRow("dirtyRead, 2 threads", "EngineBench.dirtyRead_2t", "XodusBench.get_2t", null),
            new EngineRow("transaction(read), 1 thread", "EngineBench.txRead_1t", null, MnesiaAnchors.KEY_READ_TX),
            new EngineRow("transaction(read), 2 threads", "EngineBench.txRead_2t", null, null),
            new EngineRow("transaction(wread + write age+1), 1 thread", "EngineBench.readModifyWrite_1t",
                    "XodusBench.put_1t", MnesiaAnchors.WRITE_TX),
            new EngineRow("transaction(wread + write age+1), 2 threads", "EngineBench.readModifyWrite_2t", null,
                    null),
            new EngineRow("dirtyIndexRead (email), 1 thread", "EngineBench.indexReadDirty_1t", null,
                    MnesiaAnchors.INDEX_READ_DIRTY),
            new EngineRow("transaction(indexRead) (email), 1 thread", "EngineBench.indexReadTx_1t", null,
                    MnesiaAnchors.INDEX_READ_TX));

    String sqlTable(int events) {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("workload (µs/op)"));
        for (SqlSystem s : SqlSystem.values()) {
            if (s.inJmh()) {
                header.add(s.label);
            }
        }
        header.addAll(List.of("Mnemo-disc / H2-file", "Mnemo-mem / H2-file", "Mnesia disc_copies (anchor†)"));
        row(sb, header);
        row(sb, header.stream().map(h -> "---").toList());
        for (SqlRow r : SQL_ROWS) {
            List<String> cells = new ArrayList<>();
            cells.add(r.benchmark.endsWith("groupBy") ? r.label + " (" + String.format(Locale.ROOT, "%,d", events)
                    + " rows)" : r.label);
            for (SqlSystem s : SqlSystem.values()) {
                if (s.inJmh()) {
                    cells.add(micros(score(r.benchmark, s.label, r.divisor)));
                }
            }
            double h2 = score(r.benchmark, SqlSystem.H2_FILE.label, r.divisor);
            cells.add(ratio(score(r.benchmark, SqlSystem.MNEMO_DISC.label, r.divisor), h2));
            cells.add(ratio(score(r.benchmark, SqlSystem.MNEMO_MEM.label, r.divisor), h2));
            cells.add(r.anchor == null ? "" : micros(r.anchorFigure.applyAsDouble(r.anchor)) + "†");
            row(sb, cells);
        }
        sb.append("\n† ").append(MnesiaAnchors.SOURCE).append(". Mnesia's counterparts: 1 = key read in a "
                + "transaction, 3 = index read in a transaction, 4 = select with key guards (Mnesia scans the table), "
                + "5 = 1,000 writes in one transaction, 6 = single-row write transaction.\n");
        return sb.toString();
    }

    String engineTable() {
        StringBuilder sb = new StringBuilder();
        List<String> header = List.of("engine API (µs/op per thread)", "Mnemo disc_copies", "Mnemo ram_copies",
                "raw Xodus", "Mnemo-disc / Xodus", "Mnesia disc_copies (anchor†)", "Mnesia ram_copies (anchor†)",
                "Mnemo-disc / Mnesia-disc (anchor†)");
        row(sb, header);
        row(sb, header.stream().map(h -> "---").toList());
        for (EngineRow r : ENGINE_ROWS) {
            double disc = score(r.benchmark, "disc_copies", 1);
            double xodus = r.xodus == null ? Double.NaN : score(r.xodus, null, 1);
            List<String> cells = new ArrayList<>(List.of(r.label, micros(disc),
                    micros(score(r.benchmark, "ram_copies", 1)), r.xodus == null ? "" : micros(xodus),
                    r.xodus == null ? "" : ratio(disc, xodus)));
            if (r.anchor == null) {
                cells.addAll(List.of("", "", ""));
            } else {
                cells.add(micros(r.anchor.discCopiesMicros()) + "†");
                cells.add(micros(r.anchor.ramCopiesMicros()) + "†");
                cells.add(ratio(disc, r.anchor.discCopiesMicros()) + "†");
            }
            row(sb, cells);
        }
        sb.append("\nraw Xodus: a get in its own read-only transaction (read rows), a put in its own transaction "
                + "(the write row; no read). Mnesia's counterpart of the write row is a single-row write transaction "
                + "(no read). With 2 threads a cell is the time of one operation on one thread while both run.\n");
        sb.append("† ").append(MnesiaAnchors.SOURCE).append(".\n");
        sb.append(scaling());
        return sb.toString();
    }

    /**
     * Throughput on 2 threads over 1 thread (1-thread time per op × 2 ÷ 2-thread time per op per thread): the
     * machine's own on work that shares nothing, then the engine's read-modify-write transaction.
     */
    private String scaling() {
        double machine1 = score("MachineBench.independentWork_1t", null, 1);
        double machine2 = score("MachineBench.independentWork_2t", null, 1);
        StringBuilder sb = new StringBuilder("\nThroughput on 2 threads ÷ 1 thread: the machine on work that shares "
                + "nothing " + times(2 * machine1 / machine2));
        for (String storage : List.of("disc_copies", "ram_copies")) {
            double one = score("EngineBench.readModifyWrite_1t", storage, 1);
            double two = score("EngineBench.readModifyWrite_2t", storage, 1);
            sb.append("; read-modify-write transactions, ").append(storage).append(' ').append(times(2 * one / two));
        }
        return sb.append(".\n").toString();
    }

    private static String times(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f×", v);
    }

    private double score(String benchmark, String param, double divisor) {
        Double s = scores.get(key(benchmark, param));
        return s == null ? Double.NaN : s / divisor;
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    static String micros(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v < 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (v < 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, a < 10 * b ? "%.2f×" : "%.0f×", a / b);
    }
}
