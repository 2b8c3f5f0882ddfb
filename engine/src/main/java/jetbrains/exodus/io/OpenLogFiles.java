package jetbrains.exodus.io;

import java.io.File;
import java.io.IOException;

/**
 * Reaches Xodus's cache of open log files (package-private in Xodus) for Mnemo's log writer: a file the writer
 * deletes, renames or truncates must leave the cache, as Xodus's own writer makes it. Not part of Mnemo's API.
 */
public final class OpenLogFiles {
    private OpenLogFiles() {
    }

    /** Closes and forgets the cached handle of {@code file}, if the readers have one. */
    public static void forget(File file) throws IOException {
        SharedOpenFilesCache.getInstance().removeFile(file);
    }
}
