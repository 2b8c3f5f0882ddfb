package dev.mnemo.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * A subscription to a table's events ({@link Mnemo#subscribe}) or to system events ({@link Mnemo#subscribeSystem}).
 * Its events wait in a queue of their own and are given to its listener in order on a thread of the database's, one
 * at a time, so that a slow listener holds up nobody else: when its queue is full, a commit's events for it are
 * dropped, not waited for, and it is told how many with a {@link TableEvent.Lost} or {@link SystemEvent.Lost} event
 * where they would have been (system subscribers are told with {@link SystemEvent.Overload}). A listener that throws
 * has the failure logged and goes on with the next event. Thread-safe.
 */
public final class Subscription implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Subscription.class);

    /** What {@link #offer} did. */
    enum Offered { QUEUED, QUEUED_START_DELIVERY, DROPPED, DROPPED_FIRST, REFUSED }

    private final Events events;
    private final String table;
    private final EventDetail detail;
    private final int capacity;
    private final Consumer<Object> listener;
    /** The first of the database's event entries this subscription is given (those after it subscribed). */
    final long from;
    final Runnable delivery = this::deliver;

    private final ArrayDeque<Object> queue = new ArrayDeque<>(); // guarded by this
    /** Events dropped since the last one queued (guarded by this). */
    private long dropping;
    /** Events dropped in all (guarded by this). */
    private long lost;
    /** Whether a delivery task is running or submitted (guarded by this). */
    private boolean delivering;
    /** Whether events were dropped since the queue was last empty (guarded by this). */
    private boolean overflowed;
    /** False once closed by its user: nothing more is delivered. */
    private volatile boolean open = true;
    /** False once ended by the database (closed, or the table deleted): what is queued is still delivered. */
    private volatile boolean accepting = true;

    @SuppressWarnings("unchecked")
    Subscription(Events events, String table, EventDetail detail, int capacity, Consumer<?> listener, long from) {
        this.events = events;
        this.table = table;
        this.detail = detail;
        this.capacity = capacity;
        this.listener = (Consumer<Object>) listener;
        this.from = from;
    }

    /** The subscribed table, or null for system events. */
    public String table() {
        return table;
    }

    /** What a table subscription is told (null for system events). */
    public EventDetail detail() {
        return detail;
    }

    /** The events dropped so far because the listener fell behind (or were still queued when the database closed). */
    public synchronized long lost() {
        return lost;
    }

    /**
     * Whether it still takes new events: false once {@link #close closed}, once the table was deleted, or once the
     * database was closed (events queued before the last two are still delivered).
     */
    public boolean isOpen() {
        return open && accepting;
    }

    /** Ends the subscription: events not yet given to the listener are dropped, and no more come. Idempotent. */
    @Override
    public void close() {
        open = false;
        accepting = false;
        synchronized (this) {
            queue.clear();
        }
        events.remove(this);
    }

    @Override
    public String toString() {
        return table == null ? "subscription to system events"
                : "subscription to table " + table + " (" + detail.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    boolean detailed() {
        return detail == EventDetail.DETAILED;
    }

    /**
     * Queues a commit's (or schema change's) events for this subscriber, or drops them all if its queue is full
     * (unless it is empty: a commit's events are never split).
     */
    synchronized Offered offer(List<?> batch) {
        if (!accepting) {
            return Offered.REFUSED;
        }
        if (!queue.isEmpty() && queue.size() + batch.size() > capacity) {
            boolean first = !overflowed;
            overflowed = true;
            dropping += batch.size();
            lost += batch.size();
            return first ? Offered.DROPPED_FIRST : Offered.DROPPED;
        }
        if (dropping > 0) {
            queue.add(lostMarker());
        }
        queue.addAll(batch);
        if (delivering) {
            return Offered.QUEUED;
        }
        delivering = true;
        return Offered.QUEUED_START_DELIVERY;
    }

    /** Takes no more events; what is queued is still delivered. */
    void end() {
        accepting = false;
    }

    /**
     * A delivery task could not be started (the database closed meanwhile): what is queued is dropped, and counted
     * as lost.
     */
    synchronized void deliveryRefused() {
        delivering = false;
        lost += queue.size() + dropping;
        if (!queue.isEmpty()) {
            LOG.warn("{}: {} events were not delivered: the database was closed", this, queue.size());
        }
        queue.clear();
        dropping = 0;
    }

    /** The marker of the events dropped since the last queued one; resets the count. Caller holds this. */
    private Object lostMarker() {
        long n = dropping;
        dropping = 0;
        return table == null ? new SystemEvent.Lost(n) : new TableEvent.Lost(table, n);
    }

    /** Gives the queued events to the listener, in order, until none is left. */
    private void deliver() {
        boolean done = false;
        try {
            while (open) {
                Object e;
                synchronized (this) {
                    e = queue.poll();
                    if (e == null && dropping > 0) {
                        e = lostMarker();
                    }
                    if (e == null) {
                        delivering = false;
                        overflowed = false; // caught up: a later overflow is told again
                        done = true;
                        return;
                    }
                }
                try {
                    listener.accept(e);
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable failure) { // an AssertionError of a test's listener, say
                    LOG.warn("{}: the listener failed on {}, and is given the next event: {}", this, e,
                            failure.toString(), failure);
                }
            }
        } finally {
            if (!done) {
                synchronized (this) {
                    delivering = false; // closed, or the listener threw an Error: a later offer starts delivery again
                }
            }
        }
    }
}
