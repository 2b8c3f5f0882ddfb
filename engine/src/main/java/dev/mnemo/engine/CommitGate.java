package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.util.List;
import java.util.Set;

/**
 * Decides the commits of the transactions run through a gated view of a database ({@link Mnemo#gatedBy}): the
 * view a replicated node gives SQL, whose writes must go through the cluster's log rather than into this database
 * directly.
 *
 * <p>A transaction of a gated view takes no locks (its commit is checked instead, optimistically): it records the
 * keys it reads and the tables it scans, buffers its writes as usual, and at commit hands them to
 * {@link #commit}, which decides whether it conflicts with a commit made since its {@link #readPoint()} and, if not,
 * makes it durable and visible in this database through the gate's own (ungated) transactions. A transaction function
 * whose commit conflicts is re-run; an explicit transaction is rolled back with
 * {@link TransactionConflictException}. A read-only transaction is checked the same way at its end, so that what it
 * read is one consistent state.
 *
 * <p>Implementations must be thread-safe: every transaction of the view calls them, from its own thread.
 */
public interface CommitGate {
    /**
     * The user properties of a definition given to {@link #createTable} that say where its copies go, Mnesia's copy
     * lists: each a string of node names separated by commas ({@code CREATE TABLE … WITH (disc_copies = 'n1,n2')}).
     * The gate takes them out of the definition it creates.
     */
    List<String> COPY_LISTS = List.of("ram_copies", "disc_copies", "disc_only_copies");

    /** The state a transaction beginning now reads as of: handed back in its {@link Commit}. */
    long readPoint();

    /**
     * The generation of this database's contents as the gate sees them, handed back in a {@link Commit}: a gate
     * that replaces contents under running transactions (reloading a copy, installing a snapshot) changes it, and
     * refuses, as a conflict, a commit begun in another generation. 0 for a gate that never does.
     */
    default long generation() {
        return 0;
    }

    /**
     * Throws (a {@link MnemoException} naming the table and why) if {@code table} cannot be used through the view
     * now, for instance because this node has no copy of it or its copy is being loaded.
     */
    void checkUsable(String table);

    /**
     * {@link #checkUsable(String)} for a transaction begun in {@code generation} (see {@link #generation()}): a gate
     * whose contents were replaced since also throws, since the transaction would read them mixed (a snapshot read
     * in chunks, say). By default only {@link #checkUsable(String)}.
     */
    default void checkUsable(String table, long generation) {
        checkUsable(table);
    }

    /**
     * Commits {@code commit} (one whose {@link Commit#writes()} are empty only checks its reads). Called with no
     * locks held. Returns true once committed and visible to this database's reads, false if it conflicts (nothing
     * of it is committed); throws if it cannot be decided (for instance a cluster without a majority).
     */
    boolean commit(Commit commit);

    /** Creates a table through the gate (CREATE TABLE on the view). */
    void createTable(TableDef def);

    /** Deletes a table through the gate (DROP TABLE on the view). */
    void deleteTable(String table);

    /** A key a transaction read, or locked, or wrote. */
    record KeyRead(String table, Object key) {
    }

    /** The complete records of {@code key} in {@code table} once the commit is made (none: the key is deleted). */
    record Write(String table, Object key, List<Tuple> records) {
    }

    /**
     * What a transaction did: what it read as of {@code readPoint}, in {@code generation} (keys, and whole tables it
     * scanned), and what it wrote.
     */
    record Commit(long readPoint, long generation, Set<KeyRead> keyReads, Set<String> tableReads,
                  List<Write> writes) {
    }
}
