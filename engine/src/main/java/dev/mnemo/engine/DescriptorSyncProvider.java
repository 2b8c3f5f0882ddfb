package dev.mnemo.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.io.DataReader;
import jetbrains.exodus.io.FileDataReader;
import jetbrains.exodus.io.FileDataReaderWriterProvider;
import jetbrains.exodus.io.FileDataWriter;

/**
 * Xodus's file reader and writer, except that the writer makes the log durable through the file's descriptor
 * ({@code FileDescriptor.sync()}, an fsync) rather than its {@code FileChannel}: a channel is closed, with the log
 * file under it, when the thread in {@code force()} is interrupted, and every later write of every thread then
 * failed ("Environment is inoperative … Stream Closed") until the database was reopened. (Xodus makes its channels
 * uninterruptible only where the JVM opens {@code sun.nio.ch} to it, which an embedding application cannot be
 * asked for.) Found by Xodus through {@code ServiceLoader} under this class's name; public for that only.
 */
public final class DescriptorSyncProvider extends FileDataReaderWriterProvider {
    /** The writer's current log file: a private field of Xodus's writer, read by reflection (Xodus pinned). */
    private static final Field FILE;

    static {
        try {
            FILE = FileDataWriter.class.getDeclaredField("file");
            FILE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this Xodus version's FileDataWriter has no field 'file': " + e);
        }
    }

    @Override
    protected FileDataWriter newFileDataWriter(String location, DataReader reader) {
        return new Writer((FileDataReader) reader,
                getEnv() == null ? null : getEnv().getEnvironmentConfig().getLogLockId());
    }

    /** Xodus's file writer with an uninterruptible sync. */
    private static final class Writer extends FileDataWriter {
        Writer(FileDataReader reader, String lockId) {
            super(reader, lockId);
        }

        @Override
        protected void syncImpl() {
            try {
                RandomAccessFile file = (RandomAccessFile) FILE.get(this);
                if (file != null) {
                    file.getFD().sync();
                }
            } catch (IllegalAccessException e) {
                throw new ExodusException("cannot reach the log file to sync it", e);
            } catch (IOException e) {
                throw new ExodusException("cannot sync the log file", e);
            }
        }
    }
}
