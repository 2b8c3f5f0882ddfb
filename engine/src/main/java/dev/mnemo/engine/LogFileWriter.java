package dev.mnemo.engine;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.OutOfDiskSpaceException;
import jetbrains.exodus.io.AbstractDataWriter;
import jetbrains.exodus.io.Block;
import jetbrains.exodus.io.FileDataReader;
import jetbrains.exodus.io.OpenLogFiles;
import jetbrains.exodus.io.RemoveBlockType;
import jetbrains.exodus.log.LogUtil;

/**
 * Writes Xodus's log files, as Xodus's {@code FileDataWriter} does, but never through an interruptible channel:
 * bytes go through a {@link RandomAccessFile}, and are made durable through its file descriptor
 * ({@code FileDescriptor.sync()}, an fsync). Xodus's writer forces a {@code FileChannel}, which an interrupt of the
 * forcing thread closes with the log file under it: every later write of every thread then failed ("Environment is
 * inoperative … Stream Closed") until the database was reopened. Xodus avoids that only where the JVM opens
 * {@code sun.nio.ch} to it, which an embedding application cannot be asked for; and where it is not open, merely
 * loading Xodus's writer logs an {@code InaccessibleObjectException} stack trace on every first open in a JVM.
 *
 * <p>Not thread-safe: Xodus writes its log from one thread at a time.
 */
final class LogFileWriter extends AbstractDataWriter {
    private final FileDataReader reader;
    private final DirectoryLock lock;
    private RandomAccessFile file;
    private FileDataReader.FileBlock block;
    /**
     * For tests: each write stops after this many of its bytes and fails as a full disk does (-1: none). A hook of
     * the engine's own tests, not of its API.
     */
    volatile int failAfterBytes = -1;

    LogFileWriter(FileDataReader reader, String lockId) {
        this.reader = reader;
        this.lock = new DirectoryLock(reader.getDir(), lockId);
        syncDirectory(); // as Xodus's writer does when it is made
    }

    @Override
    public Block write(byte[] b, int off, int len) {
        RandomAccessFile f = open("cannot write: the log writer is closed");
        try {
            int limit = failAfterBytes;
            if (limit >= 0) {
                f.write(b, off, Math.min(limit, len));
                throw new IOException("No space left on device (a test's full disk)");
            }
            f.write(b, off, len);
        } catch (IOException e) {
            if (reader.getDir().getUsableSpace() < len) {
                throw new OutOfDiskSpaceException(e);
            }
            throw new ExodusException("cannot write the log file " + block, e);
        }
        return block;
    }

    @Override
    protected void syncImpl() {
        if (file != null) {
            sync(file);
        }
    }

    /** Makes the directory's entries (a file made or removed) durable, where the system allows it. */
    @Override
    public void syncDirectory() {
        uninterruptibly(() -> {
            try (FileChannel dir = FileChannel.open(reader.getDir().toPath())) {
                dir.force(false);
            }
        });
    }

    @Override
    protected void closeImpl() {
        RandomAccessFile f = open("cannot close: the log writer is closed already");
        file = null;
        block = null;
        try {
            f.close();
        } catch (IOException e) {
            throw new ExodusException("cannot close the log file", e);
        }
    }

    @Override
    protected void clearImpl() {
        for (File f : LogUtil.listFiles(reader.getDir())) {
            forget(f);
            writable(f);
            if (f.exists() && !f.delete()) {
                throw new ExodusException("cannot delete the log file " + f);
            }
        }
    }

    @Override
    protected Block openOrCreateBlockImpl(long address, long length) {
        FileDataReader.FileBlock b = new FileDataReader.FileBlock(address, reader);
        writable(b);
        try {
            RandomAccessFile f = new RandomAccessFile(b, "rw");
            try {
                f.seek(length);
                if (length != f.length()) {
                    f.setLength(length);
                    sync(f);
                }
            } catch (IOException | RuntimeException e) {
                f.close();
                throw e;
            }
            file = f;
            block = b;
            return b;
        } catch (IOException e) {
            throw new ExodusException("cannot open the log file " + b, e);
        }
    }

    @Override
    public void removeBlock(long address, RemoveBlockType how) {
        FileDataReader.FileBlock b = new FileDataReader.FileBlock(address, reader);
        forget(b);
        writable(b);
        String name = b.getName();
        boolean removed = how == RemoveBlockType.Delete ? b.delete() : b.renameTo(new File(b.getParentFile(),
                name.substring(0, name.indexOf(LogUtil.LOG_FILE_EXTENSION)) + ".del"));
        if (!removed) {
            throw new ExodusException("cannot delete the log file " + b.getAbsolutePath());
        }
    }

    @Override
    public void truncateBlock(long address, long length) {
        FileDataReader.FileBlock b = new FileDataReader.FileBlock(address, reader);
        forget(b);
        writable(b);
        try (RandomAccessFile f = new RandomAccessFile(b, "rw")) {
            f.setLength(length);
        } catch (IOException e) {
            throw new ExodusException("cannot truncate the log file " + b, e);
        }
    }

    @Override
    public boolean lock(long timeout) {
        return lock.lock(timeout);
    }

    @Override
    public boolean release() {
        return lock.release();
    }

    @Override
    public String lockInfo() {
        return lock.info();
    }

    private RandomAccessFile open(String otherwise) {
        if (file == null) {
            throw new ExodusException(otherwise);
        }
        return file;
    }

    private static void sync(RandomAccessFile f) {
        try {
            f.getFD().sync();
        } catch (IOException e) {
            throw new ExodusException("cannot sync the log file", e);
        }
    }

    private static void forget(File f) {
        try {
            OpenLogFiles.forget(f);
        } catch (IOException e) {
            throw new ExodusException("cannot close the cached log file " + f, e);
        }
    }

    private static void writable(File f) {
        if (f.exists() && !f.canWrite() && !f.setWritable(true)) {
            throw new ExodusException("cannot make the log file " + f + " writable");
        }
    }

    interface Io {
        void run() throws IOException;
    }

    /**
     * Runs {@code io} on a channel of its own, again if an interrupt closed that channel, keeping the thread's
     * interrupt for its caller. An error other than an interrupt leaves it undone, as Xodus leaves a directory sync
     * a system refuses (some file systems cannot sync directories).
     */
    static void uninterruptibly(Io io) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    io.run();
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                } catch (IOException e) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
