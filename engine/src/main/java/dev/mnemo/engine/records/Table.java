package dev.mnemo.engine.records;

import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a Java record class as a Mnemo table for {@link Memento}. The record's components are the table's
 * attributes, in order; the first component is the key. Each component's Java type gives the attribute's declared
 * engine type, so the engine checks every write (see {@link Memento} for the supported types).
 *
 * <pre>{@code
 * @Table(type = TableType.ORDERED_SET, storage = StorageType.DISC_COPIES, index = {"status", "author"},
 *        autoincrement = true)
 * record Post(long id, String title, String status, String author) {}
 * }</pre>
 *
 * <p>A record class without this annotation is a table with all the defaults.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Table {
    /**
     * The table name; empty (the default) means the record's simple class name in snake case
     * ({@code BlogPost} becomes {@code blog_post}).
     */
    String name() default "";

    /** set (default), ordered_set, bag or duplicate_bag. */
    TableType type() default TableType.SET;

    /** ram_copies (default), disc_copies or disc_only_copies. */
    StorageType storage() default StorageType.RAM_COPIES;

    /** Attributes (component names, never the key) to index. */
    String[] index() default {};

    /**
     * Whether keys are assigned from a counter: writing a record whose key component is {@code null} or {@code 0}
     * gives it the next key. The key component must be {@code long}, {@code int}, {@code Long} or {@code Integer}.
     */
    boolean autoincrement() default false;

    /** Element 0 of the stored records; empty (the default) means the table name. */
    String recordName() default "";
}
