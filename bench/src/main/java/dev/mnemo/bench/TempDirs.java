package dev.mnemo.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One temporary directory per JVM for the on-disc systems, removed by {@link BenchMain} at the end. */
final class TempDirs {
    private static Path base;

    private TempDirs() {
    }

    static synchronized Path dir(String name) {
        try {
            if (base == null) {
                base = Files.createTempDirectory("mnemo-bench-");
            }
            return Files.createDirectories(base.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized void deleteAll() {
        if (base == null) {
            return;
        }
        delete(base);
        base = null;
    }

    /** Deletes {@code dir} and everything in it (a failure is reported, not thrown). */
    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
