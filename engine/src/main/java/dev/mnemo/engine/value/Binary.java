package dev.mnemo.engine.value;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string: Mnemo's binary value. Binaries compare as unsigned bytes, shorter first on a tie. */
public final class Binary implements Comparable<Binary> {
    private final byte[] bytes;

    private Binary(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A binary holding a copy of {@code bytes}. */
    public static Binary of(byte[] bytes) {
        return new Binary(bytes.clone());
    }

    /**
     * A binary holding {@code bytes} themselves, not a copy: for a caller that made the array and lets go of it (a
     * value of hundreds of megabytes read from a stream), which must not change it afterwards.
     */
    public static Binary ofOwned(byte[] bytes) {
        return new Binary(java.util.Objects.requireNonNull(bytes, "bytes"));
    }

    static Binary wrap(byte[] bytes) {
        return new Binary(bytes);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * What {@code reader} makes of the bytes themselves, lent without a copy (for a caller that copies them into
     * its own form once, as a value of hundreds of megabytes should be); the reader must not change or keep them.
     */
    public <T> T withBytes(java.util.function.Function<byte[], T> reader) {
        return reader.apply(bytes);
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public int compareTo(Binary o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "<<" + HexFormat.of().formatHex(bytes) + ">>";
    }
}
