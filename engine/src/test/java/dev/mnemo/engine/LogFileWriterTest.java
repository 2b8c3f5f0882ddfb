package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jetbrains.exodus.io.Block;
import jetbrains.exodus.io.FileDataReader;
import jetbrains.exodus.io.RemoveBlockType;
import jetbrains.exodus.log.LogUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mnemo's writer of Xodus's log files does what Xodus's own writer does with the files (write, sync, delete, rename,
 * truncate, clear, the directory lock), and an interrupt of the writing thread neither fails nor closes anything.
 */
class LogFileWriterTest {
    @TempDir
    Path dir;

    /** Xodus's readers share a cache of open files, sized when a JVM opens its first environment. */
    @org.junit.jupiter.api.BeforeAll
    static void sizeTheOpenFilesCache() {
        jetbrains.exodus.io.SharedOpenFilesCache.setSize(16);
    }

    private static File file(Path dir, long address) {
        return dir.resolve(LogUtil.getLogFilename(address)).toFile();
    }

    @Test
    void writesSyncsAndReadsBack_evenWithTheThreadInterrupted() throws IOException {
        FileDataReader reader = new FileDataReader(dir.toFile());
        LogFileWriter w = new LogFileWriter(reader, null);
        Block block = w.openOrCreateBlock(0, 0);
        Thread.currentThread().interrupt();
        try {
            w.write(new byte[] {1, 2, 3}, 0, 3);
            w.sync();
            w.syncDirectory();
            w.write(new byte[] {9, 4, 5}, 1, 2);
            w.sync();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        byte[] read = new byte[5];
        assertThat(block.read(read, 0, 0, 5)).isEqualTo(5);
        assertThat(read).containsExactly(1, 2, 3, 4, 5);
        w.close();
        assertThat(Files.readAllBytes(file(dir, 0).toPath())).containsExactly(1, 2, 3, 4, 5);
        // opened again at a shorter length, the file is cut there
        w.openOrCreateBlock(0, 2);
        w.write(new byte[] {7}, 0, 1);
        w.close();
        assertThat(Files.readAllBytes(file(dir, 0).toPath())).containsExactly(1, 2, 7);
    }

    @Test
    void removesRenamesTruncatesAndClearsFiles() throws IOException {
        FileDataReader reader = new FileDataReader(dir.toFile());
        LogFileWriter w = new LogFileWriter(reader, null);
        long second = LogUtil.LOG_BLOCK_ALIGNMENT * 1024L;
        for (long address : new long[] {0, second, 2 * second}) {
            w.openOrCreateBlock(address, 0);
            w.write(new byte[100], 0, 100);
            w.close();
        }
        // a reader holds the file open in Xodus's cache: removing it closes that handle
        new FileDataReader.FileBlock(0, reader).read(new byte[10], 0, 0, 10);
        w.removeBlock(0, RemoveBlockType.Delete);
        assertThat(file(dir, 0)).doesNotExist();
        w.removeBlock(second, RemoveBlockType.Rename);
        assertThat(file(dir, second)).doesNotExist();
        assertThat(dir.resolve(LogUtil.getLogFilename(second).replace(LogUtil.LOG_FILE_EXTENSION, ".del")))
                .exists();
        w.truncateBlock(2 * second, 40);
        assertThat(file(dir, 2 * second)).hasSize(40);
        w.clear();
        assertThat(LogUtil.listFiles(dir.toFile())).isEmpty();
    }

    @Test
    void theDirectoryLock_isExclusive_namesItsHolder_andIsReleased() {
        LogFileWriter first = new LogFileWriter(new FileDataReader(dir.toFile()), "first holder");
        LogFileWriter second = new LogFileWriter(new FileDataReader(dir.toFile()), "second holder");
        assertThat(first.lock(0)).isTrue();
        assertThat(first.lock(0)).as("held already").isFalse();
        assertThat(second.lock(150)).isFalse();
        assertThat(second.lockInfo()).contains("first holder");
        assertThat(first.release()).isTrue();
        assertThat(first.release()).isFalse();
        assertThat(second.lock(0)).isTrue();
        assertThat(second.lockInfo()).contains("second holder");
        assertThat(second.release()).isTrue();
    }
}
