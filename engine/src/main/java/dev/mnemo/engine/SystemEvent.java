package dev.mnemo.engine;

/**
 * What a system subscription ({@link Mnemo#subscribeSystem}) is told, in the order it happened, each schema change
 * after the commits before it are visible.
 */
public sealed interface SystemEvent {
    /** A table was created. */
    record TableCreated(String table, TableDef def) implements SystemEvent {
    }

    /** A table was deleted. */
    record TableDeleted(String table) implements SystemEvent {
    }

    /**
     * A table's definition or contents were changed as a whole: {@code operation} is Mnesia's name of it
     * ({@code clear_table}, {@code add_table_index}, {@code del_table_index}, {@code change_table_copy_type},
     * {@code transform_table}, {@code alter_table}, {@code write_table_property}); {@code def} is the table's
     * definition after it.
     */
    record TableChanged(String table, String operation, TableDef def) implements SystemEvent {
    }

    /** The database was started: its tables are there (disc_copies tables may still be loading). */
    record Started(String database) implements SystemEvent {
    }

    /** The database is stopping: no commit follows until it is started again. */
    record Stopped(String database) implements SystemEvent {
    }

    /**
     * A subscriber fell behind and events it should have had were dropped ({@code subscription} says which, as
     * {@link Subscription#toString} does); its own stream says how many, where. Given once each time a subscriber's
     * queue overflows after it had emptied.
     */
    record Overload(String subscription) implements SystemEvent {
    }

    /**
     * This system subscriber fell behind: its queue was full, and this many events after the ones before this were
     * dropped rather than make the database wait.
     */
    record Lost(long count) implements SystemEvent {
    }
}
