package dev.mnemo.calcite;

import dev.mnemo.engine.NoSuchTableException;
import java.util.Set;
import org.apache.calcite.linq4j.function.Predicate1;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.IgnoreCaseLookup;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;

/**
 * Every table of an engine database as a SQL table, and every stored view ({@link MnemoView}), for one
 * {@link MnemoSession}. Tables are looked up in the
 * engine by name when a statement names them (only that table's SQL shape is built), so a table created through
 * the engine API or by another connection is visible at once (register the schema with caching off).
 */
public final class MnemoSchema extends AbstractSchema {
    private final MnemoSession session;
    private final Lookup<Table> tables = new IgnoreCaseLookup<>() {
        @Override
        public Table get(String name) {
            dev.mnemo.engine.Mnemo.checkCanceled(); // validating a join of many tables looks each one up
            try {
                return new MnemoTable(session, SqlShape.of(TableDdl.definition(session.database(), name)));
            } catch (NoSuchTableException e) {
                return Views.find(session.database(), name).filter(v -> v.name().equals(name)).map(MnemoView::new)
                        .orElse(null);
            }
        }

        @Override
        public Set<String> getNames(LikePattern pattern) {
            Predicate1<String> matches = pattern.matcher();
            Set<String> out = new java.util.TreeSet<>(); // by name, as JDBC metadata lists tables
            for (String name : session.database().tables(false)) {
                if (matches.apply(name)) {
                    out.add(name);
                }
            }
            for (Views.View view : Views.all(session.database())) {
                if (matches.apply(view.name())) {
                    out.add(view.name());
                }
            }
            return out;
        }
    };

    /** The schema of {@code session}'s database. */
    public MnemoSchema(MnemoSession session) {
        this.session = session;
    }

    MnemoSession session() {
        return session;
    }

    @Override
    public Lookup<Table> tables() {
        return tables;
    }

    @Override
    public boolean isMutable() {
        return true;
    }
}
