package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Table and system events (Mnesia's {@code subscribe}). A commit's changes, and each schema change, are queued here
 * under the commit lock, so in commit order; they are handed to the subscriptions once the commit is visible to
 * snapshots (which, unless a write delay is set, means durable), so a commit that fails and is taken back is never
 * told. Handing them over only copies them into each subscription's bounded queue; the listeners run on delivery
 * threads (see {@link Subscription}). With no subscription, a commit costs one volatile read here.
 */
final class Events {
    /** A subscription's queue holds this many events unless told otherwise. */
    static final int DEFAULT_CAPACITY = 100_000;

    /** The changes {@code from} (inclusive) to {@code to} (exclusive) of a commit's list were made by one transaction. */
    record Part(long transaction, int from, int to) {
    }

    private abstract static class Entry {
        final long seq;
        /** Handed over once every commit up to this version is visible (0: at once). */
        volatile long version;

        Entry(long seq, long version) {
            this.seq = seq;
            this.version = version;
        }
    }

    private static final class CommitEntry extends Entry {
        final List<Database.Change> changes;
        final List<Part> parts;

        CommitEntry(long seq, long version, List<Database.Change> changes, List<Part> parts) {
            super(seq, version);
            this.changes = changes;
            this.parts = parts;
        }
    }

    private static final class SchemaEntry extends Entry {
        final SystemEvent system;
        final TableEvent table;

        SchemaEntry(long seq, long version, SystemEvent system, TableEvent table) {
            super(seq, version);
            this.system = system;
            this.table = table;
        }
    }

    private final String database;
    private final Snapshots snapshots;
    private final Object registry = new Object();
    /** The open table subscriptions by table name (copy on write, under {@link #registry}). */
    private volatile Map<String, List<Subscription>> byTable = Map.of();
    /** The open system subscriptions (copy on write, under {@link #registry}). */
    private volatile List<Subscription> system = List.of();
    /** Entries not handed over yet, in the order they were queued (queued under the commit lock). */
    private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();
    /** The last entry's number (under the commit lock). */
    private long seq;
    private final AtomicBoolean releaseWanted = new AtomicBoolean();
    private final ReentrantLock releasing = new ReentrantLock();
    /** Runs the subscriptions' deliveries; made at the first subscription (under {@link #registry}). */
    private volatile ThreadPoolExecutor delivery;
    private boolean closed;

    Events(String database, Snapshots snapshots) {
        this.database = database;
        this.snapshots = snapshots;
    }

    /** The database's name in events: its directory, or "in memory". */
    String database() {
        return database;
    }

    /** Subscribes; caller holds the commit lock, so that the subscription is given exactly the entries queued after. */
    Subscription subscribe(String table, EventDetail detail, int capacity, Consumer<?> listener) {
        synchronized (registry) {
            if (closed) {
                throw new MnemoException("database " + database + " is closed: nothing to subscribe to");
            }
            if (delivery == null) {
                AtomicInteger n = new AtomicInteger();
                delivery = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                        r -> {
                            Thread t = new Thread(r, "mnemo-events-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
            }
            Subscription s = new Subscription(this, table, detail, capacity, listener, seq + 1);
            if (table == null) {
                List<Subscription> l = new ArrayList<>(system);
                l.add(s);
                system = List.copyOf(l);
            } else {
                Map<String, List<Subscription>> m = new HashMap<>(byTable);
                List<Subscription> l = new ArrayList<>(m.getOrDefault(table, List.of()));
                l.add(s);
                m.put(table, List.copyOf(l));
                byTable = Map.copyOf(m);
            }
            return s;
        }
    }

    /** Removes a subscription (closed by its user, or ended). */
    void remove(Subscription s) {
        synchronized (registry) {
            if (s.table() == null) {
                List<Subscription> l = new ArrayList<>(system);
                l.remove(s);
                system = List.copyOf(l);
            } else {
                Map<String, List<Subscription>> m = new HashMap<>(byTable);
                List<Subscription> l = new ArrayList<>(m.getOrDefault(s.table(), List.of()));
                l.remove(s);
                if (l.isEmpty()) {
                    m.remove(s.table());
                } else {
                    m.put(s.table(), List.copyOf(l));
                }
                byTable = Map.copyOf(m);
            }
        }
    }

    /** Whether any of {@code changes} is to a subscribed table. Caller holds the commit lock. */
    boolean wants(List<Database.Change> changes) {
        Map<String, List<Subscription>> m = byTable;
        if (m.isEmpty()) {
            return false;
        }
        for (Database.Change c : changes) {
            if (m.containsKey(c.table().name())) {
                return true;
            }
        }
        return false;
    }

    /** Queues commit {@code version}'s changes, made by the transactions {@code parts} says. Commit lock held. */
    void committed(long version, List<Database.Change> changes, List<Part> parts) {
        pending.add(new CommitEntry(++seq, version, changes, parts));
    }

    /**
     * Queues a schema change's system event and, if not null, its table's event, handed over once the commits before
     * it are. Commit lock held.
     */
    void schemaChanged(SystemEvent event, TableEvent tableEvent) {
        if (system.isEmpty() && (tableEvent == null || !byTable.containsKey(tableEvent.table()))) {
            return;
        }
        pending.add(new SchemaEntry(++seq, snapshots.applied(), event, tableEvent));
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * Hands over, in order, every queued entry whose commit is visible now. Any thread may call it; if another is
     * handing over meanwhile, that one does this one's share too.
     */
    void release() {
        releaseWanted.set(true);
        while (releaseWanted.get() && releasing.tryLock()) {
            try {
                releaseWanted.set(false);
                long visible = snapshots.visible();
                for (Entry e; (e = pending.peek()) != null && e.version <= visible; ) {
                    pending.poll();
                    handOver(e);
                }
            } finally {
                releasing.unlock();
            }
        }
    }

    /**
     * Drops the queued commits that will never be visible: the ones taken back after a failed write, or left at a
     * stop (every commit queued then was written or failed). Schema changes queued after them are handed over.
     * Caller holds the commit lock, so none is queued meanwhile.
     */
    void dropInvisible() {
        releasing.lock();
        try {
            long visible = snapshots.visible();
            pending.removeIf(e -> e instanceof CommitEntry && e.version > visible);
            for (Entry e : pending) {
                e.version = 0;
            }
        } finally {
            releasing.unlock();
        }
        release();
    }

    /** Ends every subscription (what they have queued is still delivered) and stops delivery once that is done. */
    void close() {
        synchronized (registry) {
            closed = true;
            for (List<Subscription> l : byTable.values()) {
                l.forEach(Subscription::end);
            }
            system.forEach(Subscription::end);
            byTable = Map.of();
            system = List.of();
            if (delivery != null) {
                delivery.shutdown();
            }
        }
    }

    private void handOver(Entry e) {
        if (e instanceof CommitEntry c) {
            handOverCommit(c);
            return;
        }
        SchemaEntry s = (SchemaEntry) e;
        if (s.table != null) {
            for (Subscription sub : byTable.getOrDefault(s.table.table(), List.of())) {
                if (sub.from <= s.seq) {
                    offer(sub, List.of(s.table));
                    if (s.table instanceof TableEvent.Deleted) {
                        sub.end();
                        remove(sub);
                    }
                }
            }
        }
        for (Subscription sub : system) {
            if (sub.from <= s.seq) {
                offer(sub, List.of(s.system));
            }
        }
    }

    private void handOverCommit(CommitEntry e) {
        Map<String, List<Subscription>> m = byTable;
        if (m.isEmpty()) {
            return;
        }
        Map<Subscription, List<TableEvent>> out = new LinkedHashMap<>();
        for (Part p : e.parts) {
            for (int i = p.from(); i < p.to(); i++) {
                Database.Change c = e.changes.get(i);
                List<Subscription> subs = m.get(c.table().name());
                if (subs == null) {
                    continue;
                }
                List<TableEvent> simple = null;
                List<TableEvent> detailed = null;
                for (Subscription sub : subs) {
                    if (sub.from > e.seq) {
                        continue;
                    }
                    List<TableEvent> events;
                    if (sub.detailed()) {
                        events = detailed == null ? detailed = eventsOf(c, p.transaction(), true) : detailed;
                    } else {
                        events = simple == null ? simple = eventsOf(c, p.transaction(), false) : simple;
                    }
                    out.computeIfAbsent(sub, s -> new ArrayList<>()).addAll(events);
                }
            }
        }
        out.forEach(this::offer);
    }

    /**
     * The events of one key's change: a deleted key is one {@link TableEvent.Delete}; a {@code set} key written is
     * one {@link TableEvent.Write}; a bag key gives a {@link TableEvent.DeleteObject} per record it lost and a
     * {@link TableEvent.Write} per record it gained.
     */
    static List<TableEvent> eventsOf(Database.Change c, long transaction, boolean detailed) {
        String table = c.table().name();
        List<Tuple> old = detailed ? List.copyOf(c.old()) : null;
        if (c.neu().isEmpty()) {
            return List.of(new TableEvent.Delete(table, c.key(), old, transaction));
        }
        if (!c.table().def.type().isBag()) {
            return List.of(new TableEvent.Write(table, c.neu().get(0), old, transaction));
        }
        Map<Tuple, Integer> kept = new HashMap<>();
        for (Tuple t : c.neu()) {
            kept.merge(t, 1, Integer::sum);
        }
        List<TableEvent> events = new ArrayList<>();
        Map<Tuple, Integer> had = new HashMap<>();
        for (Tuple t : c.old()) {
            had.merge(t, 1, Integer::sum);
            if (kept.getOrDefault(t, 0) > 0) {
                kept.merge(t, -1, Integer::sum);
            } else {
                events.add(new TableEvent.DeleteObject(table, t, old, transaction));
            }
        }
        for (Tuple t : c.neu()) {
            if (had.getOrDefault(t, 0) > 0) {
                had.merge(t, -1, Integer::sum);
            } else {
                events.add(new TableEvent.Write(table, t, old, transaction));
            }
        }
        return events;
    }

    private void offer(Subscription sub, List<?> batch) {
        switch (sub.offer(batch)) {
            case QUEUED_START_DELIVERY -> {
                try {
                    delivery.execute(sub.delivery); // made before the first subscription took an event
                } catch (RejectedExecutionException e) {
                    sub.deliveryRefused();
                }
            }
            case DROPPED_FIRST -> {
                if (sub.table() != null || system.size() > 1) {
                    SystemEvent overload = new SystemEvent.Overload(sub.toString());
                    for (Subscription s : system) {
                        if (s != sub) {
                            offer(s, List.of(overload));
                        }
                    }
                }
            }
            default -> {
            }
        }
    }
}
