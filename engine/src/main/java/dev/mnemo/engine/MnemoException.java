package dev.mnemo.engine;

/**
 * The base of every error Mnemo raises. {@link #reason()} is Mnesia's reason term where one exists
 * (for example {@code {no_exists, users}}), rendered as text.
 */
public class MnemoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MnemoException(String message) {
        super(message);
    }

    public MnemoException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short machine-readable reason: the message unless a subclass says otherwise. */
    public String reason() {
        return getMessage();
    }
}
