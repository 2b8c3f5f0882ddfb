package dev.mnemo.engine;

/** Reaches the engine's package-private test hooks from cluster tests. */
public final class EngineHooks {
    private EngineHooks() {
    }

    public static void beforeDurableWait(Mnemo m, Runnable r) {
        m.db.beforeDurableWait = r;
    }
}
