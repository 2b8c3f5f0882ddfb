package dev.mnemo.engine;

import dev.mnemo.engine.value.RecordCodec;
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
 * {@link #ROTATE_BYTES}. A record is an int length, the CRC-32C of the payload and the payload (see
 * {@link #FORMAT}): a torn or corrupted record is found by its length or checksum, and nothing from it on is applied.
 * Writes go through {@link RandomAccessFile}, not a channel, so an interrupt of the committing thread cannot close
 * the log (see {@link LogFileWriter}).
 * One writer at a time: the caller holds the checkpoints' flush lock (see {@link Checkpoints}).
 */
final class CommitLog implements AutoCloseable {
    static final long ROTATE_BYTES = 64L << 20;
    /** Records queued together up to this many bytes are copied into one write. */
    private static final int JOIN_BYTES = 1 << 20;
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

    /**
     * What reading the log from a checkpoint found: the whole records, the damage that stopped it, if any, and
     * whether that damage is only a record cut short at the end of the newest file (see {@link Recovery#tornTail}).
     */
    record Read(List<Logged> commits, String damage, boolean tornTail) {
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

    /**
     * Puts every log file there is, and the directory's entries for them, on the device (fsync), whatever
     * {@code sync} says: what was appended so far survives power loss. Files of older generations are still there
     * only while Xodus does not hold their records durably. Through file descriptors, never an interruptible channel.
     */
    void force() throws IOException {
        file.getFD().sync();
        for (long g : generations(dir)) {
            if (g != generation) {
                try (RandomAccessFile f = new RandomAccessFile(path(dir, g).toFile(), "r")) {
                    f.getFD().sync();
                } catch (java.io.FileNotFoundException e) {
                    // deleted meanwhile: its records are durable in Xodus
                }
            }
        }
        // through a channel of its own, which an interrupt would close: retried, and a file system that refuses
        // to sync a directory is let be, as Xodus's writer does
        LogFileWriter.uninterruptibly(() -> {
            try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
                    java.nio.file.StandardOpenOption.READ)) {
                d.force(true);
            }
        });
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
     * The first byte of a payload of this format: {@code FORMAT}, the commit's version (a long), its tables (an int
     * count, then each one's id, a long, and its record name's {@link TermCodec} bytes after an int length), its keys
     * (an int count, then each one's table as an int index into those, its {@link TermCodec} bytes after an int
     * length, and
     * its records: byte {@link #COMPACT} and the {@link RecordCodec} bytes of its one record without its table's
     * record name, or byte {@link #TERM} and the {@link TermCodec} bytes of its list of records; each after an int
     * length). The encodings are the ones the heap keeps, made once a commit. The earlier format's payload, still
     * read, is the term {@code [version, [[tableId, key, records], ...]]}, whose first byte is a list's type byte.
     */
    private static final byte FORMAT = (byte) 0xC2;
    private static final byte COMPACT = 0;
    private static final byte TERM = 1;

    /**
     * Appends the record of commit {@code version}, the new records of {@code changes} (see {@link #appendAll}).
     * Returns where the record ends.
     */
    Position append(long version, List<Database.Change> changes) throws IOException {
        return appendAll(List.of(encode(version, changes)))[0];
    }

    /**
     * Appends records made by {@link #encode} (their headers are filled in here), in order and in one write; when it
     * returns they are with the operating system (and on the device, with {@code sync}: one fsync for all). A failed
     * write is cut off again, so that no torn record is left before the next one, and none of them is in the log.
     * Returns where each record ends.
     */
    Position[] appendAll(List<byte[]> records) throws IOException {
        if (broken) {
            throw new IOException("an earlier write to " + path(dir, generation) + " failed and could not be cut off");
        }
        for (byte[] r : records) {
            int payloadLength = r.length - 8;
            CRC32C crc = new CRC32C();
            crc.update(r, 8, payloadLength);
            ByteBuffer.wrap(r, 0, 8).putInt(payloadLength).putInt((int) crc.getValue());
        }
        List<byte[]> writes = records.size() == 1 ? records : joined(records);
        try {
            for (byte[] bytes : writes) {
                int limit = failAfterBytes;
                if (limit >= 0) {
                    file.write(bytes, 0, Math.min(limit, bytes.length));
                    throw new IOException("No space left on device (a test's full disk)");
                }
                file.write(bytes, 0, bytes.length);
            }
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
        Position[] ends = new Position[records.size()];
        for (int i = 0; i < ends.length; i++) {
            offset += records.get(i).length;
            ends[i] = new Position(generation, offset);
        }
        if (offset >= ROTATE_BYTES) {
            rotate();
        }
        return ends;
    }

    /**
     * The writes of {@code records}: runs of records joined into writes of up to {@link #JOIN_BYTES}, a record
     * larger than that written alone rather than copied. A megabyte of small records queued under a write delay was
     * thousands of system calls written one by one.
     */
    private static List<byte[]> joined(List<byte[]> records) {
        List<byte[]> writes = new java.util.ArrayList<>();
        int from = 0;
        while (from < records.size()) {
            long size = records.get(from).length;
            int to = from + 1;
            while (to < records.size() && size + records.get(to).length <= JOIN_BYTES) {
                size += records.get(to).length;
                to++;
            }
            if (to - from == 1) {
                writes.add(records.get(from));
            } else {
                byte[] joined = new byte[(int) size];
                int at = 0;
                for (int i = from; i < to; i++) {
                    System.arraycopy(records.get(i), 0, joined, at, records.get(i).length);
                    at += records.get(i).length;
                }
                writes.add(joined);
            }
            from = to;
        }
        return writes;
    }

    /**
     * The record of {@code changes} in {@link #FORMAT}, after 8 bytes left for its header, which
     * {@link #appendAll} fills in. Reads the tables' definitions: made under the commit lock.
     */
    static byte[] encode(long version, List<Database.Change> changes) {
        List<Table> tables = new ArrayList<>(2);
        List<byte[]> names = new ArrayList<>(2);
        int n = changes.size();
        int[] tableOf = new int[n];
        byte[][] records = new byte[n][];
        boolean[] compact = new boolean[n];
        long size = 8 + 1 + 8 + 4 + 4;
        for (int i = 0; i < n; i++) {
            Database.Change c = changes.get(i);
            int t = tables.indexOf(c.table());
            if (t < 0) {
                t = tables.size();
                tables.add(c.table());
                byte[] name = TermCodec.encode(c.table().def.recordName());
                names.add(name);
                size += 8 + 4 + name.length;
            }
            tableOf[i] = t;
            byte[] record = c.compactRecord(c.table().def.recordName());
            compact[i] = record != null;
            records[i] = record != null ? record : TermCodec.encode(c.neu());
            size += 4 + 4 + c.keyBytes().length + 1 + 4 + records[i].length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a commit of " + size + " bytes is too large for one log record");
        }
        byte[] bytes = new byte[(int) size];
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(8);
        b.put(FORMAT).putLong(version).putInt(tables.size());
        for (int t = 0; t < tables.size(); t++) {
            b.putLong(tables.get(t).id).putInt(names.get(t).length).put(names.get(t));
        }
        b.putInt(n);
        for (int i = 0; i < n; i++) {
            byte[] key = changes.get(i).keyBytes();
            b.putInt(tableOf[i]).putInt(key.length).put(key);
            b.put(compact[i] ? COMPACT : TERM).putInt(records[i].length).put(records[i]);
        }
        return bytes;
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
        List<Long> generations = generations(dir);
        for (long g : generations) {
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
                    boolean tornTail = damage.startsWith(TORN) && g == generations.get(generations.size() - 1);
                    return new Read(out, path(dir, g).getFileName() + " at byte " + at + ": " + damage + "; the "
                            + (bytes.length - at) + " bytes from there on (and any later log file) were not applied",
                            tornTail);
                }
                Logged logged = (Logged) record;
                out.add(logged);
                at = (int) logged.end().offset();
            }
        }
        return new Read(out, null, false);
    }

    /** How a record cut short by the end of its file is described. */
    private static final String TORN = "a torn record (";

    /** The record at {@code at} of generation {@code g}'s bytes, or (as a String) what is wrong with it. */
    private static Object record(byte[] bytes, int at, long g) {
        if (bytes.length - at < 8) {
            return TORN + (bytes.length - at) + " bytes of a record header)";
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, at, 8);
        int length = b.getInt();
        int expected = b.getInt();
        if (length < 0 || length > bytes.length - at - 8) {
            return TORN + (bytes.length - at - 8) + " bytes of a payload of " + length + ")";
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, at + 8, length);
        if ((int) crc.getValue() != expected) {
            return "a corrupted record (checksum mismatch)";
        }
        Position end = new Position(g, at + 8L + length);
        try {
            if (length > 0 && bytes[at + 8] == FORMAT) {
                return decode(ByteBuffer.wrap(bytes, at + 9, length - 1).slice(), end);
            }
            Object term = TermCodec.decode(bytes, at + 8, length);
            if (term instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number version
                    && l.get(1) instanceof List<?>) {
                return new Logged(version.longValue(), entries(l.get(1)), end);
            }
        } catch (RuntimeException e) {
            // falls through
        }
        return "a record that does not decode";
    }

    /** A payload of {@link #FORMAT} after its first byte; fails if it does not decode to its last byte. */
    private static Logged decode(ByteBuffer b, Position end) {
        long version = b.getLong();
        int tableCount = b.getInt();
        if (tableCount < 0 || tableCount > b.remaining() / 12) {
            throw new IllegalArgumentException(tableCount + " tables in " + b.remaining() + " bytes");
        }
        long[] ids = new long[tableCount];
        String[] names = new String[tableCount];
        for (int t = 0; t < tableCount; t++) {
            ids[t] = b.getLong();
            byte[] name = bytesOf(b);
            names[t] = (String) TermCodec.decode(name, 0, name.length);
        }
        int n = b.getInt();
        List<Entry> out = new ArrayList<>(Math.min(n, b.remaining()));
        for (int i = 0; i < n; i++) {
            int t = b.getInt();
            byte[] keyBytes = bytesOf(b);
            Object key = TermCodec.decode(keyBytes, 0, keyBytes.length);
            byte kind = b.get();
            byte[] record = bytesOf(b);
            List<Tuple> records;
            if (kind == COMPACT) {
                records = List.of(RecordCodec.decode(record, 0, record.length, key, names[t]));
            } else if (kind == TERM) {
                List<Tuple> rs = new ArrayList<>();
                for (Object r : (List<?>) TermCodec.decode(record, 0, record.length)) {
                    rs.add((Tuple) r);
                }
                records = List.copyOf(rs);
            } else {
                throw new IllegalArgumentException("unknown kind of records " + kind);
            }
            out.add(new Entry(ids[t], key, records));
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " bytes after the last key");
        }
        return new Logged(version, out, end);
    }

    /** An int length, then that many bytes. */
    private static byte[] bytesOf(ByteBuffer b) {
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new IllegalArgumentException("a length of " + length + " with " + b.remaining() + " bytes left");
        }
        byte[] out = new byte[length];
        b.get(out);
        return out;
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
