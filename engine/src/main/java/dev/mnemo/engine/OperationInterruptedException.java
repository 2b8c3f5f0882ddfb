package dev.mnemo.engine;

/**
 * The calling thread was interrupted (as by {@code Future.cancel(true)} or a request timeout) before or while a
 * transaction waited: the transaction did not run, or was rolled back, and nothing it wrote is visible. The thread's
 * interrupt flag stays set. A commit that had begun when the interrupt came is finished (its disc writes and syncs
 * do not react to interrupts, see {@code LogFileWriter}): an interrupt never leaves a commit half done,
 * nor the database unable to write.
 */
public final class OperationInterruptedException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public OperationInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
