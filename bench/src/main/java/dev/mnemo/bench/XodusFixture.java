package dev.mnemo.bench;

import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.bindings.LongBinding;
import jetbrains.exodus.bindings.StringBinding;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;

/**
 * Raw Xodus, the storage under Mnemo's disc tables: one store with the same number of users, an order-preserving
 * long key ({@link LongBinding#longToCompressedEntry}) and a small value (the email). Log cache 64 MiB as in Mnemo.
 */
final class XodusFixture {
    private static XodusFixture loaded;

    final Environment env;
    final Store store;
    final int users;

    private XodusFixture(int users) {
        this.users = users;
        EnvironmentConfig config = new EnvironmentConfig().setMemoryUsage(64L << 20);
        this.env = Environments.newInstance(TempDirs.dir("xodus").toFile(), config);
        this.store = env.computeInTransaction(txn -> env.openStore("users", StoreConfig.WITHOUT_DUPLICATES, txn));
        for (int b = 0; b < users; b += 1_000) {
            int from = b;
            int to = Math.min(users, b + 1_000);
            env.executeInTransaction(txn -> {
                for (long i = from; i < to; i++) {
                    store.put(txn, key(i), value(i));
                }
            });
        }
        long count = env.computeInReadonlyTransaction(store::count);
        if (count != users) {
            throw new IllegalStateException("xodus store holds " + count + " rows");
        }
    }

    static ArrayByteIterable key(long id) {
        return LongBinding.longToCompressedEntry(id);
    }

    static ArrayByteIterable value(long id) {
        return StringBinding.stringToEntry(Data.email(id));
    }

    static synchronized XodusFixture get() {
        if (loaded == null) {
            loaded = new XodusFixture(BenchConfig.current().users());
        }
        return loaded;
    }

    static synchronized void closeAll() {
        if (loaded != null) {
            loaded.env.close();
            loaded = null;
        }
    }
}
