package org.apache.calcite.jdbc;

import dev.mnemo.engine.Savepoint;
import java.sql.SQLException;

/** A JDBC savepoint: an engine {@link Savepoint}, named or numbered. */
final class MnemoSavepoint implements java.sql.Savepoint {
    private final Savepoint engine;

    MnemoSavepoint(Savepoint engine) {
        this.engine = engine;
    }

    /** The engine savepoint of a savepoint this driver made; SQLState 3B001 for any other. */
    static Savepoint of(java.sql.Savepoint savepoint) throws SQLException {
        if (!(savepoint instanceof MnemoSavepoint m)) {
            throw new SQLException("not a savepoint of a Mnemo connection: " + savepoint, "3B001");
        }
        return m.engine;
    }

    @Override
    public int getSavepointId() throws SQLException {
        if (engine.name() != null) {
            throw new SQLException("savepoint " + engine.name() + " is named: use getSavepointName()", "3B001");
        }
        return engine.id();
    }

    @Override
    public String getSavepointName() throws SQLException {
        if (engine.name() == null) {
            throw new SQLException("savepoint " + engine.id() + " is unnamed: use getSavepointId()", "3B001");
        }
        return engine.name();
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
