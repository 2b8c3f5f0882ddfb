package dev.mnemo.engine;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.OutOfDiskSpaceException;

/**
 * The lock a process holds on a database directory while it has it open: an exclusive lock of the file
 * {@code xd.lck}, as Xodus takes it (so that Xodus and Mnemo processes exclude each other), with the holder's
 * process named in the file.
 */
final class DirectoryLock {
    static final String FILE_NAME = "xd.lck";

    private final File dir;
    private final String lockId;
    private RandomAccessFile file;
    private FileLock lock;

    DirectoryLock(File dir, String lockId) {
        this.dir = dir;
        this.lockId = lockId;
    }

    /** Takes the lock, trying for up to {@code timeout} ms; false if another process holds it still. */
    boolean lock(long timeout) {
        long started = System.currentTimeMillis();
        do {
            if (tryLock()) {
                return true;
            }
            if (timeout > 0) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        } while (System.currentTimeMillis() - started < timeout);
        return false;
    }

    private boolean tryLock() {
        if (file != null) {
            return false; // held already
        }
        try {
            file = new RandomAccessFile(new File(dir, FILE_NAME), "rw");
            lock = file.getChannel().tryLock();
            if (lock == null) {
                close();
                return false;
            }
            file.setLength(0);
            String holder = lockId != null ? lockId : java.lang.management.ManagementFactory.getRuntimeMXBean()
                    .getName();
            file.write(("Private property of Exodus: " + holder + "\n\nopened by Mnemo\n")
                    .getBytes(StandardCharsets.UTF_8));
            file.getFD().sync();
            return true;
        } catch (OverlappingFileLockException e) {
            close(); // this JVM holds it through another handle
            return false;
        } catch (IOException e) {
            close();
            if (dir.getUsableSpace() < 4096) {
                throw new OutOfDiskSpaceException(e);
            }
            throw new ExodusException("cannot lock the file " + FILE_NAME + " in " + dir, e);
        }
    }

    /** Gives the lock up; false if it was not held. */
    boolean release() {
        if (file == null) {
            return false;
        }
        close();
        return true;
    }

    /** What the lock file says of its holder, or null. */
    String info() {
        try {
            return new String(Files.readAllBytes(new File(dir, FILE_NAME).toPath()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private void close() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (file != null) {
                file.close();
            }
        } catch (IOException e) {
            throw new ExodusException("cannot release the file " + FILE_NAME + " in " + dir, e);
        } finally {
            lock = null;
            file = null;
        }
    }
}
