package dev.mnemo.engine;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.ObjectName;

/** A database's {@link DatabaseMXBean}, registered with the platform MBean server while the database is open. */
final class MetricsBean implements DatabaseMXBean {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MetricsBean.class);
    private static final AtomicInteger IN_MEMORY = new AtomicInteger();

    /** Weakly: the MBean server must not keep a database that was never closed alive. */
    private final java.lang.ref.WeakReference<Database> db;
    private ObjectName name;

    private MetricsBean(Database db) {
        this.db = new java.lang.ref.WeakReference<>(db);
    }

    /** Registers {@code db}'s bean; a failure is logged, never the database's. */
    static MetricsBean register(Database db, java.nio.file.Path directory) {
        MetricsBean bean = new MetricsBean(db);
        String id = directory == null ? "in-memory-" + IN_MEMORY.incrementAndGet() : directory.toString();
        try {
            ObjectName n = new ObjectName("dev.mnemo:type=Database,name=" + ObjectName.quote(id));
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, n);
            bean.name = n;
        } catch (JMException | RuntimeException e) {
            LOG.warn("database {}: its figures are not published through JMX: {}", id, e.toString());
        }
        return bean;
    }

    /** Its name in the MBean server, or null if it could not be registered. */
    ObjectName name() {
        return name;
    }

    void unregister() {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException | RuntimeException e) {
                LOG.warn("{} could not be unregistered from JMX: {}", name, e.toString());
            }
            name = null;
        }
    }

    private Metrics m() {
        Database d = db.get();
        if (d == null) {
            throw new IllegalStateException("the database of " + name + " is gone (it was never closed)");
        }
        return d.metrics();
    }

    @Override
    public long getCommitsTimed() {
        return m().commitsTimed();
    }

    @Override
    public double getCommitMicrosP90() {
        return m().commitMicrosP90();
    }

    @Override
    public long getCommits() {
        return m().commits();
    }

    @Override
    public long getAborts() {
        return m().aborts();
    }

    @Override
    public long getRestarts() {
        return m().restarts();
    }

    @Override
    public long getLockWaits() {
        return m().lockWaits();
    }

    @Override
    public long getDeadlocks() {
        return m().deadlocks();
    }

    @Override
    public long getLockTimeouts() {
        return m().lockTimeouts();
    }

    @Override
    public long getDirtyWrites() {
        return m().dirtyWrites();
    }

    @Override
    public double getCommitMicrosP50() {
        return m().commitMicrosP50();
    }

    @Override
    public double getCommitMicrosP99() {
        return m().commitMicrosP99();
    }

    @Override
    public double getCommitMicrosP999() {
        return m().commitMicrosP999();
    }

    @Override
    public double getCommitMicrosMax() {
        return m().commitMicrosMax();
    }

    @Override
    public double getLogCacheHitRate() {
        return m().logCacheHitRate();
    }

    @Override
    public int getOpenSnapshots() {
        return m().openSnapshots();
    }

    @Override
    public int getLockQueue() {
        return m().lockQueue();
    }

    @Override
    public Map<String, Long> getTableSizes() {
        return m().tableSizes();
    }

    @Override
    public boolean isRunning() {
        Database d = db.get();
        return d != null && d.isRunning();
    }
}
