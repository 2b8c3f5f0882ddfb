package dev.mnemo.bench;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.value.Tuple;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Workload 9: the engine API ({@code dev.mnemo.engine.Mnemo}) on a users table of disc_copies or ram_copies, with
 * 1 and 2 threads on random keys. With 2 threads the figure is the average time of one operation on one thread
 * (two run at once), so equal figures mean the operation scales to two cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBench {

    @State(Scope.Benchmark)
    public static class Db {
        @Param({"disc_copies", "ram_copies"})
        public String storage;

        Mnemo db;
        int users;

        @Setup(Level.Trial)
        public void open() {
            EngineFixture f = EngineFixture.get(StorageType.valueOf(storage.toUpperCase()));
            db = f.db;
            users = f.users;
        }

        long randomKey() {
            return ThreadLocalRandom.current().nextLong(users);
        }
    }

    private static List<Tuple> one(List<Tuple> rows) {
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row, got " + rows);
        }
        return rows;
    }

    private static List<Tuple> dirtyRead(Db d) {
        return one(d.db.dirtyRead("users", d.randomKey()));
    }

    private static List<Tuple> txRead(Db d) {
        long key = d.randomKey();
        return one(d.db.transaction(tx -> tx.read("users", key)));
    }

    /** Reads the row with a write lock (Mnesia's wread, no lock upgrade) and writes it back with age + 1. */
    private static Tuple readModifyWrite(Db d) {
        long key = d.randomKey();
        return d.db.transaction(tx -> {
            Tuple row = one(tx.wread("users", key)).get(0);
            Tuple updated = row.with(4, (Long) row.get(4) + 1);
            tx.write(updated);
            return updated;
        });
    }

    @Benchmark
    @Threads(1)
    public List<Tuple> dirtyRead_1t(Db d) {
        return dirtyRead(d);
    }

    @Benchmark
    @Threads(2)
    public List<Tuple> dirtyRead_2t(Db d) {
        return dirtyRead(d);
    }

    @Benchmark
    @Threads(1)
    public List<Tuple> txRead_1t(Db d) {
        return txRead(d);
    }

    @Benchmark
    @Threads(2)
    public List<Tuple> txRead_2t(Db d) {
        return txRead(d);
    }

    @Benchmark
    @Threads(1)
    public Tuple readModifyWrite_1t(Db d) {
        return readModifyWrite(d);
    }

    @Benchmark
    @Threads(2)
    public Tuple readModifyWrite_2t(Db d) {
        return readModifyWrite(d);
    }

    @Benchmark
    @Threads(1)
    public List<Tuple> indexReadDirty_1t(Db d) {
        return one(d.db.dirtyIndexRead("users", Data.email(d.randomKey()), "email"));
    }

    @Benchmark
    @Threads(1)
    public List<Tuple> indexReadTx_1t(Db d) {
        String email = Data.email(d.randomKey());
        return one(d.db.transaction(tx -> tx.indexRead("users", email, "email")));
    }
}
