package dev.mnemo.engine;

/** A record does not fit its table */
public final class BadRecordException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public BadRecordException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return " wrong record name, arity or attribute type.:bad_type";
    }
}
