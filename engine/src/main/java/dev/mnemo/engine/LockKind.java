package dev.mnemo.engine;

/** The kinds of lock a transaction can take on a record or a table. */
public enum LockKind {
    /** Shared: any number of transactions may read. */
    READ,
    /** Exclusive: one transaction writes, nobody else reads or writes. */
    WRITE
}
