package dev.mnemo.calcite;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.TransactionConflictException;
import dev.mnemo.engine.Tx;
import dev.mnemo.engine.value.Tuple;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hidden row ids ({@value SqlShape#ROW_ID}) of tables declared in SQL without a PRIMARY KEY.
 *
 * <p>An INSERT takes the next id of its table from a counter kept per open database in memory, started at the
 * largest id stored (the table's last key): ids are unique in the table and never visible, so an id left unused by
 * a rolled-back insert, or used again after a restart when the row that had it was deleted, does no harm. An id a
 * record has already (one the engine API wrote beyond the counter) is skipped.
 *
 * <p>An UPDATE or DELETE gets its rows as values, without their ids: {@link Matches} finds, for each row, a stored
 * record with those values that no earlier row of the statement took (identical rows are interchangeable, as in
 * any SQL multiset), reading the candidates in the statement's transaction through an index where one covers the
 * rows, else in one pass over the table.
 */
final class RowIds {
    private static final Map<Mnemo, Map<String, AtomicLong>> LAST = Collections.synchronizedMap(new WeakHashMap<>());

    /** At most this many index reads find a statement's rows; more distinct indexed values read the whole table. */
    static final int INDEX_READS = 256;

    private RowIds() {
    }

    /**
     * {@code record} of a table without key columns with a new row id from {@code counter} ({@link #counter}), taken
     * in {@code tx}: one no record has, so that a row the engine API wrote with an id the counter had not reached
     * yet is never overwritten.
     */
    static Tuple withNew(Tx tx, AtomicLong counter, String table, Tuple record) {
        while (true) {
            long id = counter.incrementAndGet();
            if (tx.read(table, id, dev.mnemo.engine.LockKind.WRITE).isEmpty()) {
                return record.with(1, id);
            }
        }
    }

    /** The row id counter of {@code table}: its last id handed out. */
    static AtomicLong counter(Mnemo db, String table) {
        Map<String, AtomicLong> tables = LAST.computeIfAbsent(db, d -> new ConcurrentHashMap<>());
        AtomicLong last = tables.get(table);
        if (last == null) {
            // the largest stored id is read outside the map's lock: it may wait for the table to load
            AtomicLong fresh = new AtomicLong(largest(db, table));
            last = tables.putIfAbsent(table, fresh);
            if (last == null) {
                last = fresh;
            }
        }
        return last;
    }

    private static long largest(Mnemo db, String table) {
        return db.dirtyLast(table).map(k -> k instanceof Long l ? l : 0L).orElse(0L);
    }

    /** {@code record} without its row id: the values that identify it among identical rows. */
    private static Tuple values(Tuple record) {
        return record.with(1, null);
    }

    /** The stored records a statement's rows are, taken one by one. */
    static final class Matches {
        private final Map<Tuple, ArrayDeque<Object>> free = new HashMap<>();
        private final String table;

        /**
         * Finds, in {@code tx}, stored records for every one of {@code wanted} (records of {@code shape}'s table
         * whose row id is not known).
         */
        Matches(Tx tx, SqlShape shape, List<Tuple> wanted) {
            this.table = shape.def().name();
            Map<Tuple, int[]> needed = new HashMap<>();
            for (Tuple w : wanted) {
                needed.computeIfAbsent(values(w), v -> new int[1])[0]++;
            }
            String attribute = null;
            Set<Object> indexed = null;
            for (int c = 0; c < shape.columns().size() && attribute == null; c++) {
                String a = shape.indexedAttribute(c);
                if (a == null) {
                    continue;
                }
                int at = shape.columns().get(c).attribute() + 1;
                Set<Object> values = new LinkedHashSet<>();
                for (Tuple w : needed.keySet()) {
                    values.add(w.get(at));
                }
                if (!values.contains(null) && values.size() <= INDEX_READS) {
                    attribute = a;
                    indexed = values;
                }
            }
            if (attribute != null) {
                for (Object v : indexed) {
                    for (Tuple r : tx.indexRead(table, v, attribute)) {
                        offer(r, needed);
                    }
                }
            } else {
                tx.foldl(table, null, (r, acc) -> {
                    offer(r, needed);
                    return acc;
                });
            }
        }

        private void offer(Tuple record, Map<Tuple, int[]> needed) {
            Tuple v = values(record);
            int[] n = needed.get(v);
            if (n != null && n[0] > 0) {
                n[0]--;
                free.computeIfAbsent(v, x -> new ArrayDeque<>()).add(record.get(1));
            }
        }

        /** {@code record} (row id unknown) with the row id of a stored record of its values not taken before. */
        Tuple take(Tuple record) {
            Tuple v = values(record);
            ArrayDeque<Object> ids = free.get(v);
            if (ids == null || ids.isEmpty()) {
                throw new TransactionConflictException("table " + table + ": the row " + v + " to change is no "
                        + "longer there");
            }
            return record.with(1, ids.poll());
        }
    }
}
