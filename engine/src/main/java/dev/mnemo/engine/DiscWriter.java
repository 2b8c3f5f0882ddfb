package dev.mnemo.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread that writes a database's files. Xodus makes its log durable through a {@code FileChannel}, and an
 * interrupt of the thread inside it closes the channel and with it the log file: every later write of every thread
 * then fails ("Environment is inoperative … Stream Closed") until the database is reopened. So every Xodus write
 * transaction, the environment's opening and its closing run here, on a thread the engine owns and never
 * interrupts; the caller waits for the result without reacting to its own interrupts (a write cannot be taken
 * back halfway), and finds its interrupt flag set again afterwards. Writes were one at a time before (under the
 * commit lock), so running them on one thread costs a hand-over, not concurrency.
 */
final class DiscWriter implements AutoCloseable {
    private final ExecutorService thread;
    private volatile Thread owner;

    DiscWriter(String name) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mnemo-disc-writer " + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on the writer thread and returns its result; its exceptions are rethrown as they are. */
    <T> T call(Supplier<T> work) {
        if (Thread.currentThread() == owner) {
            return work.get(); // a write inside a write (a schema change that commits): already on the thread
        }
        Future<T> f;
        try {
            f = thread.submit(() -> {
                owner = Thread.currentThread();
                return work.get();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new MnemoException("database is closed");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the write goes on: wait for it, then hand the interrupt back
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new MnemoException("disc write failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code work} on the writer thread. */
    void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** Lets queued writes finish, then ends the thread. */
    @Override
    public void close() {
        thread.shutdown();
        boolean interrupted = false;
        try {
            while (!thread.isTerminated()) {
                try {
                    thread.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
