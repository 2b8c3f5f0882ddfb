package dev.mnemo.engine;

import dev.mnemo.engine.match.MatchPattern;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The operations available inside {@link Mnemo#transaction}. Reads take read locks and writes take write locks
 * (released at commit or abort); writes are buffered and become visible to others only at commit, while reads in
 * the same transaction see them. Operations that scan a table (select, match_object, index_read, fold, all_keys,
 * first/next) lock the whole table for reading. A Tx must not be used after its transaction function returns.
 *
 * <p>Records are tuples whose element 0 is the record name and element 1 the key:
 * {@code tx.write(Tuple.of("users", 1, "Alice"))}. Keys and values given as Java objects are normalized
 * (an {@code int} key is the same as a {@code long} key).
 */
public interface Tx {
    /** Records of {@code key} (empty if none), with a read lock on the record. */
    List<Tuple> read(String table, Object key);

    /** Records of {@code key}, with a lock of the given kind (Mnesia's read/3). */
    List<Tuple> read(String table, Object key, LockKind lock);

    /** Records of {@code key} with a write lock, for read-modify-write (Mnesia's wread). */
    default List<Tuple> wread(String table, Object key) {
        return read(table, key, LockKind.WRITE);
    }

    /** Writes a record to the table named by its record name (element 0). */
    void write(Tuple record);

    /** Writes a record to {@code table}: replaces the key's record (set), adds it (bag) or appends it (duplicate_bag). */
    void write(String table, Tuple record);

    /** Deletes every record of {@code key}. */
    void delete(String table, Object key);

    /** Deletes the records identical to {@code record} (all copies in a duplicate_bag). */
    void deleteObject(String table, Tuple record);

    /** Deletes the records identical to {@code record} from the table named by its record name. */
    default void deleteObject(Tuple record) {
        deleteObject(String.valueOf(record.get(0)), record);
    }

    /** Records whose indexed {@code attribute} equals {@code value}, in key order. */
    List<Tuple> indexRead(String table, Object value, String attribute);

    /** Records matching {@code pattern} (wildcards {@code Match.ANY}), in key order. */
    List<Tuple> matchObject(String table, MatchPattern pattern);

    /** Body results of the records matching {@code spec}, in key order. */
    List<Object> select(String table, MatchSpec spec);

    /** At most about {@code limit} results (whole keys are kept together), and a continuation for the rest. */
    SelectChunk select(String table, MatchSpec spec, int limit);

    /** The next chunk of a select or selectReverse with a limit. */
    SelectChunk select(Continuation continuation);

    /** Like select, in descending key order. */
    List<Object> selectReverse(String table, MatchSpec spec);

    /** Like select with a limit, in descending key order. */
    SelectChunk selectReverse(String table, MatchSpec spec, int limit);

    /** Folds {@code fn} over every record in key order. */
    <A> A foldl(String table, A acc, BiFunction<Tuple, A, A> fn);

    /** Folds {@code fn} over every record in descending key order. */
    <A> A foldr(String table, A acc, BiFunction<Tuple, A, A> fn);

    /** Every key, in key order. */
    List<Object> allKeys(String table);

    /** The first key, or empty for an empty table. */
    Optional<Object> first(String table);

    /** The last key, or empty. */
    Optional<Object> last(String table);

    /** The key after {@code key} (which need not exist), or empty at the end. */
    Optional<Object> next(String table, Object key);

    /** The key before {@code key}, or empty at the start. */
    Optional<Object> prev(String table, Object key);

    /** Takes a lock on one record without reading it. */
    void lock(String table, Object key, LockKind kind);

    /** Takes a lock on a whole table. */
    void lockTable(String table, LockKind kind);

    /** Rolls the transaction back; {@link Mnemo#tryTransaction} then returns {@code Aborted(reason)}. Never returns. */
    RuntimeException abort(Object reason);
}
