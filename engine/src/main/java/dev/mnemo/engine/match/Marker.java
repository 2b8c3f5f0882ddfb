package dev.mnemo.engine.match;

/** A special atom of the match-spec language ('_', '$_', '$$'); compared by identity. */
final class Marker {
    private final String atom;

    Marker(String atom) {
        this.atom = atom;
    }

    String atom() {
        return atom;
    }

    @Override
    public String toString() {
        return "'" + atom + "'";
    }
}
