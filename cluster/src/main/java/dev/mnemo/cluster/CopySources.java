package dev.mnemo.cluster;

import dev.mnemo.engine.Checkpoint;
import dev.mnemo.engine.Continuation;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.SelectChunk;
import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The copies this node serves to nodes that load a table (a new copy, or a ram copy after a restart). When the
 * entry that asks for the load is applied, every node with a loaded copy takes an engine checkpoint of the table, so
 * each serves the table exactly as of that entry, while it goes on applying later ones. The loading node reads it
 * in chunks, in order, from one of them; a source nobody reads for a minute is dropped.
 */
final class CopySources {
    static final int CHUNK = 1_000;
    private static final long IDLE_NANOS = 60_000_000_000L;
    private static final MatchSpec ALL = MatchSpec.of(MatchSpec.clause(Match.ANY, List.of(), List.of(Match.ALL)));

    private final Mnemo engine;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.nanoTime();

    private static final class Source {
        final Checkpoint checkpoint;
        final String table;
        Continuation next;
        long served;
        volatile long touched = System.nanoTime();

        Source(Checkpoint checkpoint, String table) {
            this.checkpoint = checkpoint;
            this.table = table;
        }
    }

    CopySources(Mnemo engine) {
        this.engine = engine;
    }

    static String name(String table, String node, long index) {
        return "mnemo-copy:" + node + ":" + index + ":" + table;
    }

    /** Takes the checkpoint that serves {@code table} to {@code node} as of entry {@code index} (now). */
    void open(String table, String node, long index) {
        sweep();
        String name = name(table, node, index);
        Source old = sources.remove(name);
        if (old != null) {
            old.checkpoint.close();
        }
        sources.put(name, new Source(engine.activateCheckpoint(name, List.of(table)), table));
    }

    /**
     * Chunk {@code chunk} (from 0, in order) of the table served to {@code node} as of {@code index}:
     * {@code {chunk, Records, More}}, or {@code {none}} when this node has no such source (never had it, restarted,
     * dropped it, or was asked out of order).
     */
    Tuple read(String table, String node, long index, long chunk) {
        String name = name(table, node, index);
        Source s = sources.get(name);
        if (s == null) {
            return Tuple.of("none");
        }
        synchronized (s) {
            if (chunk != s.served || (chunk > 0 && s.next == null)) {
                return Tuple.of("none");
            }
            s.touched = System.nanoTime();
            SelectChunk c = s.checkpoint.read(tx -> chunk == 0 ? tx.select(s.table, ALL, CHUNK) : tx.select(s.next));
            s.next = c.hasMore() ? c.continuation() : null;
            s.served++;
            boolean more = c.hasMore();
            if (!more) {
                close(name);
            }
            return Tuple.of("chunk", c.results(), more);
        }
    }

    /** Drops every source of {@code table}: it is about to be deleted or rewritten here. */
    void dropTable(String table) {
        sources.forEach((name, s) -> {
            if (s.table.equals(table)) {
                close(name);
            }
        });
    }

    void close(String name) {
        Source s = sources.remove(name);
        if (s != null) {
            s.checkpoint.close();
        }
    }

    /** Drops the sources nobody has read for a minute (their loader took another, or died). */
    void sweep() {
        long now = System.nanoTime();
        lastSweep = now;
        sources.forEach((name, s) -> {
            if (now - s.touched > IDLE_NANOS) {
                close(name);
            }
        });
    }

    /** Sweeps at most every ten seconds: called as entries are applied. */
    void sweepNow() {
        if (!sources.isEmpty() && System.nanoTime() - lastSweep > 10_000_000_000L) {
            sweep();
        }
    }

    void closeAll() {
        sources.keySet().forEach(this::close);
    }
}
