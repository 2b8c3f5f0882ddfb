package dev.mnemo.engine;

import jetbrains.exodus.core.dataStructures.Pair;
import jetbrains.exodus.io.DataReader;
import jetbrains.exodus.io.DataWriter;
import jetbrains.exodus.io.FileDataReader;
import jetbrains.exodus.io.FileDataReaderWriterProvider;

/**
 * Xodus's file reader, with Mnemo's log writer ({@link LogFileWriter}), which never writes or syncs through an
 * interruptible channel. Found by Xodus through {@code ServiceLoader} under this class's name; public for that only.
 */
public final class LogFilesProvider extends FileDataReaderWriterProvider {
    @Override
    public Pair<DataReader, DataWriter> newReaderWriter(String location) {
        DataReader reader = newFileDataReader(location);
        return new Pair<>(reader, new LogFileWriter((FileDataReader) reader,
                getEnv() == null ? null : getEnv().getEnvironmentConfig().getLogLockId()));
    }
}
