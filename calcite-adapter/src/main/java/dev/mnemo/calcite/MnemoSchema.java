package dev.mnemo.calcite;

import dev.mnemo.engine.NoSuchTableException;
import dev.mnemo.engine.TableDef;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * Every table of an engine database as a SQL table, for one {@link MnemoSession}. The table map is read from the
 * engine on each lookup, so a table created through the engine API or by another connection is visible at once
 * (register the schema with caching off).
 */
public final class MnemoSchema extends AbstractSchema {
    private final MnemoSession session;

    /** The schema of {@code session}'s database. */
    public MnemoSchema(MnemoSession session) {
        this.session = session;
    }

    MnemoSession session() {
        return session;
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> out = new LinkedHashMap<>();
        for (String name : session.database().tables()) {
            try {
                TableDef def = session.database().tableDef(name);
                out.put(name, new MnemoTable(session, SqlShape.of(def)));
            } catch (NoSuchTableException e) {
                // deleted since tables() was read
            }
        }
        return out;
    }

    @Override
    public boolean isMutable() {
        return true;
    }
}
