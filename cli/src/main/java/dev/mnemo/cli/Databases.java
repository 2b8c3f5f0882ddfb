package dev.mnemo.cli;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.MnemoConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Opening an existing database directory for {@code info} and {@code check}, with errors a user can act on. */
final class Databases {
    private Databases() {
    }

    /**
     * Opens the database in {@code dir}; never creates one.
     *
     * @throws IllegalArgumentException no database there, or another process has it open
     */
    static Mnemo openExisting(Path dir) {
        if (!Files.isDirectory(dir) || isEmpty(dir)) {
            throw new IllegalArgumentException("no Mnemo database in " + dir);
        }
        try {
            return Mnemo.open(MnemoConfig.disc(dir));
        } catch (dev.mnemo.engine.DatabaseLockedException e) {
            throw new IllegalArgumentException(dir + " is open in another process (a running application or "
                    + "mnemo server): ask it, e.g. mnemo sql jdbc:mnemo:remote://host:port;user=…", e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** {@code path} as a JDBC URL: a {@code jdbc:} URL as given, else the directory at that path. */
    static String url(String pathOrUrl) {
        return pathOrUrl.startsWith("jdbc:") ? pathOrUrl : "jdbc:mnemo:" + pathOrUrl;
    }
}
