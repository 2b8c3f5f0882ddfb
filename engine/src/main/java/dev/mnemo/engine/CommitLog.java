package dev.mnemo.engine;

import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Mnesia's commit log, for the commits whose disc changes are all to disc_copies tables: a commit appends one
 * record and returns; a background checkpointer copies logged commits into Xodus many at a time (see
 * {@link Database}); opening replays the records after the last checkpoint. One write system call per commit (per
 * group of commits) instead of a Xodus transaction per commit, which cost ten times as much.
 *
 * <p>Files {@code mnemo-<generation>.log} in the database directory, appended to until they pass
 * {@link #ROTATE_BYTES}. A record is an int length, the CRC-32C of the payload and the payload, the
 * {@link TermCodec} term {@code [version, [[tableId, key, records], ...]]}: a torn or corrupted record is found by
 * its length or checksum, and nothing from it on is applied. Writes go through {@link RandomAccessFile}, not a
 * channel, so an interrupt of the committing thread cannot close the log (see {@link LogFileWriter}).
 * One writer at a time: the caller holds the commit lock.
 */
final class CommitLog implements AutoCloseable {
    static final long ROTATE_BYTES = 64L << 20;
    private static final Pattern NAME = Pattern.compile("mnemo-(\\d{16})\\.log");

    /** Where a record ends: everything before it is covered. */
    record Position(long generation, long offset) {
    }

    /** One key's new records in a table (by table id). */
    record Entry(long tableId, Object key, List<Tuple> records) {
    }

    /** A commit read back from the log, and where its record ends. */
    record Logged(long version, List<Entry> entries, Position end) {
    }

    /** What reading the log from a checkpoint found: the whole records, and the damage that stopped it, if any. */
    record Read(List<Logged> commits, String damage) {
    }

    private final Path dir;
    private final boolean sync;
    private long generation;
    private RandomAccessFile file;
    private long offset;
    /** A failed write could not be cut off again: nothing may be appended after it. */
    private boolean broken;
    /**
     * For tests: each write stops after this many of its bytes and fails as a full disk does (-1: none). A hook of
     * the engine's own tests, not of its API.
     */
    volatile int failAfterBytes = -1;

    private CommitLog(Path dir, boolean sync, long generation) {
        this.dir = dir;
        this.sync = sync;
        this.generation = generation;
    }

    /** Starts generation {@code generation} (a new, empty file) for appending. */
    static CommitLog start(Path dir, boolean sync, long generation) {
        CommitLog log = new CommitLog(dir, sync, generation);
        log.openFile();
        return log;
    }

    private void openFile() {
        try {
            file = create(generation);
            offset = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create commit log " + path(dir, generation), e);
        }
    }

    /** A new, empty file for {@code gen}; with {@code sync} its directory entry is made durable too. */
    private RandomAccessFile create(long gen) throws IOException {
        Path p = path(dir, gen);
        Files.deleteIfExists(p); // a leftover of a crash before its first record: nothing in it counts
        RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw");
        if (sync) {
            try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
                    java.nio.file.StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                f.close();
                throw e;
            }
        }
        return f;
    }

    /** Whether a failed write left bytes that could not be cut off (see {@link #append}). */
    boolean broken() {
        return broken;
    }

    static Path path(Path dir, long generation) {
        return dir.resolve(String.format("mnemo-%016d.log", generation));
    }

    /** The generations of the log files in {@code dir}, in order. */
    static List<Long> generations(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Long> out = new ArrayList<>();
            files.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            });
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list commit logs in " + dir, e);
        }
    }

    long generation() {
        return generation;
    }

    /**
     * Appends the record of commit {@code version}; when it returns the record is with the operating system (and on
     * the device, with {@code sync}). A failed write is cut off again, so that no torn record is left before the
     * next one. Returns where the record ends.
     */
    Position append(long version, List<Entry> entries) throws IOException {
        if (broken) {
            throw new IOException("an earlier write to " + path(dir, generation) + " failed and could not be cut off");
        }
        List<Object> changes = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            changes.add(List.of(e.tableId(), e.key(), e.records()));
        }
        // header and payload in the encoder's one buffer: a large commit is not copied twice more to be written
        dev.mnemo.engine.value.RecordCodec.Encoded record = TermCodec.encodeAfter(8, List.of(version, changes));
        byte[] bytes = record.bytes();
        int payloadLength = record.length() - 8;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 8, payloadLength);
        ByteBuffer.wrap(bytes, 0, 8).putInt(payloadLength).putInt((int) crc.getValue());
        try {
            int limit = failAfterBytes;
            if (limit >= 0) {
                file.write(bytes, 0, Math.min(limit, record.length()));
                throw new IOException("No space left on device (a test's full disk)");
            }
            file.write(bytes, 0, record.length());
            if (sync) {
                file.getFD().sync();
            }
        } catch (IOException e) {
            try {
                file.setLength(offset);
                file.seek(offset);
            } catch (IOException again) {
                e.addSuppressed(again);
                broken = true;
            }
            throw e;
        }
        offset += record.length();
        Position end = new Position(generation, offset);
        if (offset >= ROTATE_BYTES) {
            rotate();
        }
        return end;
    }

    /** Starts the next generation; if its file cannot be made, goes on in this one and tries again later. */
    private void rotate() {
        RandomAccessFile next;
        try {
            next = create(generation + 1);
        } catch (IOException | RuntimeException e) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            // its records are written; a failed close loses nothing
        }
        file = next;
        generation++;
        offset = 0;
    }

    /**
     * Copies the files from {@code generation} on to {@code *.log.damaged}, for inspection; the log files themselves
     * go once the checkpoint has moved past them.
     */
    static void setAside(Path dir, long generation) {
        for (long g : generations(dir)) {
            if (g >= generation) {
                Path p = path(dir, g);
                try {
                    Files.copy(p, p.resolveSibling(p.getFileName() + ".damaged"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot keep a copy of damaged commit log " + p, e);
                }
            }
        }
    }

    /**
     * Deletes the files of generations before {@code generation} (all their records are in Xodus). Never fails: a
     * file left behind is deleted by a later checkpoint, and replay skips what the checkpoint covers.
     */
    void deleteBefore(long generation) {
        try {
            for (long g : generations(dir)) {
                if (g < generation) {
                    Files.deleteIfExists(path(dir, g));
                }
            }
        } catch (IOException | RuntimeException e) {
            // see above
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close commit log " + path(dir, generation), e);
        }
    }

    /**
     * Empties the current file and closes it: every record in it is in Xodus. The empty file keeps the generation
     * (the next start deletes it).
     */
    void closeEmptied() {
        try {
            file.setLength(0);
        } catch (IOException e) {
            // its records are in Xodus: replaying them at the next start does no harm
        }
        close();
    }

    /**
     * Reads the commits logged after {@code from}, in order, up to the end of the log or its first damaged record:
     * a length past the end of its file (a torn write) or a checksum or encoding that does not match.
     */
    static Read read(Path dir, Position from) {
        List<Logged> out = new ArrayList<>();
        for (long g : generations(dir)) {
            if (g < from.generation()) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(path(dir, g));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read commit log " + path(dir, g), e);
            }
            int at = g == from.generation() ? (int) Math.min(from.offset(), bytes.length) : 0;
            while (at < bytes.length) {
                Object record = record(bytes, at, g);
                if (record instanceof String damage) {
                    return new Read(out, path(dir, g).getFileName() + " at byte " + at + ": " + damage + "; the "
                            + (bytes.length - at) + " bytes from there on (and any later log file) were not applied");
                }
                Logged logged = (Logged) record;
                out.add(logged);
                at = (int) logged.end().offset();
            }
        }
        return new Read(out, null);
    }

    /** The record at {@code at} of generation {@code g}'s bytes, or (as a String) what is wrong with it. */
    private static Object record(byte[] bytes, int at, long g) {
        if (bytes.length - at < 8) {
            return "a torn record (" + (bytes.length - at) + " bytes of a record header)";
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, at, 8);
        int length = b.getInt();
        int expected = b.getInt();
        if (length < 0 || length > bytes.length - at - 8) {
            return "a torn record (" + (bytes.length - at - 8) + " bytes of a payload of " + length + ")";
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, at + 8, length);
        if ((int) crc.getValue() != expected) {
            return "a corrupted record (checksum mismatch)";
        }
        try {
            Object term = TermCodec.decode(bytes, at + 8, length);
            if (term instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number version
                    && l.get(1) instanceof List<?>) {
                return new Logged(version.longValue(), entries(l.get(1)), new Position(g, at + 8L + length));
            }
        } catch (RuntimeException e) {
            // falls through
        }
        return "a record that does not decode";
    }

    private static List<Entry> entries(Object changes) {
        List<Entry> out = new ArrayList<>();
        for (Object c : (List<?>) changes) {
            List<?> e = (List<?>) c;
            List<Tuple> records = new ArrayList<>();
            for (Object r : (List<?>) e.get(2)) {
                records.add((Tuple) r);
            }
            out.add(new Entry(((Number) e.get(0)).longValue(), e.get(1), List.copyOf(records)));
        }
        return out;
    }
}
