package dev.mnemo.engine;

/** A table definition or schema change is invalid (bad name, arity, index on the key, …). */
public final class SchemaException extends MnemoException {
    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "bad_schema";
    }
}
