package dev.mnemo.engine.match;

/** A match variable {@code '$n'}; two variables are equal when their numbers are. */
record Var(int n) {
    static final int MAX = 100_000_000;

    Var {
        if (n < 0 || n > MAX) {
            throw new IllegalArgumentException("match variable number must be in 0.." + MAX + ", got " + n);
        }
    }

    @Override
    public String toString() {
        return "'$" + n + "'";
    }
}
