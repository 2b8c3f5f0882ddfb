package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.util.Objects;
import java.util.function.Function;

/**
 * A change to a table decided by {@link Mnemo#alterTable}: the definition the table gets and the function that
 * rewrites each record for it (returning null drops the record).
 *
 * @param target   the new definition: attributes, types, indexes, record name and user properties may change; the
 *                 name, table type, storage and access mode must stay as they are
 * @param rewrite  the function from an old record to its new form, with {@code target}'s record name
 */
public record TableTransform(TableDef target, Function<Tuple, Tuple> rewrite) {
    public TableTransform {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rewrite, "rewrite");
    }
}
