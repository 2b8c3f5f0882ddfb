package dev.mnemo.bench;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Tuple;
import java.util.EnumMap;
import java.util.Map;

/**
 * Engine-API databases (one per storage type) holding users as in {@code mnesia_bench.erl}: ordered_set, index on
 * email, rows {@code {users, Id, "name"++Id, "user"++Id++"@example.com", Id rem 90}}. Loaded once per JVM.
 */
final class EngineFixture {
    private static final Map<StorageType, EngineFixture> LOADED = new EnumMap<>(StorageType.class);

    final Mnemo db;
    final int users;
    final long loadMillis;

    private EngineFixture(StorageType storage, int users) {
        long t0 = System.nanoTime();
        this.users = users;
        this.db = storage == StorageType.RAM_COPIES ? Mnemo.inMemory()
                : Mnemo.open(TempDirs.dir("engine-" + storage.name().toLowerCase()));
        db.createTable(TableDef.builder("users")
                .attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .attribute("email", AttrType.STRING).attribute("age", AttrType.INTEGER)
                .type(TableType.ORDERED_SET).storage(storage).index("email").build());
        for (int b = 0; b < users; b += 1_000) {
            int from = b;
            int to = Math.min(users, b + 1_000);
            db.transaction(tx -> {
                for (long i = from; i < to; i++) {
                    tx.write(row(i));
                }
                return null;
            });
        }
        if (db.dirtyAllKeys("users").size() != users
                || db.dirtyIndexRead("users", Data.email(7), "email").size() != 1) {
            throw new IllegalStateException("engine " + storage + ": users not loaded as expected");
        }
        this.loadMillis = (System.nanoTime() - t0) / 1_000_000;
        System.err.printf("[bench] engine %s loaded in %,d ms%n", storage, loadMillis);
    }

    static Tuple row(long id) {
        return Tuple.of("users", id, Data.name(id), Data.email(id), (long) Data.age(id));
    }

    static synchronized EngineFixture get(StorageType storage) {
        return LOADED.computeIfAbsent(storage, s -> new EngineFixture(s, BenchConfig.current().users()));
    }

    static synchronized void closeAll() {
        LOADED.values().forEach(f -> f.db.close());
        LOADED.clear();
    }
}
