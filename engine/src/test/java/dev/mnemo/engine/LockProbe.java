package dev.mnemo.engine;

import java.nio.file.Path;

/** Child-JVM program for {@link LifecycleTest}: tries to open a database and prints what happened. */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) {
        try (Mnemo db = Mnemo.open(Path.of(args[0]))) {
            System.out.println("OPENED " + db.tables());
        } catch (MnemoException e) {
            System.out.println("REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
