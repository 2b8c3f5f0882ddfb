package dev.mnemo.engine;

import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.TermCodec;
import dev.mnemo.engine.value.Tuple;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Online backup and restore (Mnesia's {@code backup} and {@code restore}). A backup reads its tables in one
 * checkpoint (a consistent cut: every transaction whole or not at all, writers never held up) and writes them to one
 * archive file: written beside the target as {@code <file>.<random>.part}, forced to the device, then renamed over
 * it, so a failed backup leaves no archive behind and never a half one.
 *
 * <p>The archive: the 8 bytes {@code MNEMOBK1}, then frames, each a 4-byte big-endian length, the 4-byte CRC-32 of
 * the payload, and the payload, one Mnemo value in {@link TermCodec}'s encoding (so every value keeps its exact
 * type): a header map ({@code format}, {@code created}, {@code database}, {@code tables}); per table a map with its
 * {@code table} name and {@code definition}, maps of a {@code chunk} of its records (up to {@value #CHUNK} of them, and
 * {@link #CHUNK_BYTES} encoded, unless one record is larger), and a map
 * closing it ({@code table_end}, {@code records}); last a map {@code backup_end} with the totals. A restore reads the
 * whole archive once to check it (checksums, structure, totals, every record against its table's definition) before
 * it changes anything.
 */
final class Backups {
    static final int CHUNK = 1_000;
    private static final byte[] MAGIC = "MNEMOBK1".getBytes(StandardCharsets.US_ASCII);
    private static final long FORMAT = 1;
    /**
     * A frame's payload is at most this long: a chunk is cut at {@link #CHUNK_BYTES} of records, so only one record
     * makes a frame longer than that, and one of {@link Mnemo#MAX_RECORD_LENGTH} characters encodes to up to three
     * bytes each: the largest array there is.
     */
    private static final int MAX_FRAME = Integer.MAX_VALUE - 16;

    private Backups() {
    }

    // ---------------------------------------------------------------- backup

    /** A chunk frame ends once its records' encodings reach this many bytes (or {@value #CHUNK} records). */
    static final int CHUNK_BYTES = 16 << 20;

    static BackupSummary backup(Database db, Path file, Collection<String> tables, Consumer<SchemaProgress> progress) {
        Path target = file.toAbsolutePath();
        Map<String, Long> counts = new LinkedHashMap<>();
        long bytes;
        try (Checkpoint c = db.activate("backup", tables, "the backup to " + target, false)) {
            List<String> names = c.tables();
            bytes = writeReplacing(target, "backup", "archive", out -> {
                try (Writer w = new Writer(out)) {
                    w.out.write(MAGIC);
                    Map<String, Object> header = new LinkedHashMap<>();
                    header.put("format", FORMAT);
                    header.put("created", Instant.now());
                    header.put("database", db.events.database());
                    header.put("tables", names);
                    w.frame(header);
                    long total = 0;
                    for (String name : names) {
                        long n = writeTable(db, c, name, w, progress);
                        counts.put(name, n);
                        total += n;
                    }
                    w.frame(Map.of("backup_end", true, "tables", (long) names.size(), "records", total));
                }
            });
        }
        return new BackupSummary(target, counts, bytes);
    }

    /** Writes to a buffered stream; its close only flushes (the file is forced, and closed, after). */
    interface StreamWork {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} as an archive or dump is written: into a file of its own beside it (two writers to one
     * target do not write into each other's), forced to the device, renamed over it, the directory forced; a failure
     * leaves no part file and {@code target} as it was. Returns the bytes written.
     */
    static long writeReplacing(Path target, String operation, String what, StreamWork work) {
        Path part = null;
        try {
            Files.createDirectories(target.getParent());
            // created with the process's usual permissions, as the file it replaces was
            part = target.resolveSibling(target.getFileName() + "."
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".part");
            long bytes;
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                work.write(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                ch.force(true);
                bytes = ch.size();
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(target.getParent());
            return bytes;
        } catch (IOException e) {
            deleteQuietly(part, e);
            throw new UncheckedIOException(operation + " to " + target + " failed; no " + what + " was written: " + e,
                    e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(part, e);
            throw e;
        }
    }

    /** Puts a rename in {@code dir} on the device (where the platform lets a directory be forced). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open or force a directory; the archive itself is forced
        }
    }

    /** Each chunk (of up to {@value #CHUNK} records, whole keys) of table {@code name} in checkpoint {@code c}. */
    static void scan(Checkpoint c, String name, ChunkWork each) throws IOException {
        TableDef def = c.def(name);
        Object[] pattern = new Object[def.attributes().size() + 1];
        Arrays.fill(pattern, Match.ANY);
        pattern[0] = def.recordName();
        MatchSpec all = MatchSpec.ofPattern(Match.pattern(pattern));
        SelectChunk chunk = c.read(tx -> tx.select(name, all, CHUNK));
        while (true) {
            each.accept(chunk.results());
            if (!chunk.hasMore()) {
                return;
            }
            SelectChunk from = chunk;
            chunk = c.read(tx -> tx.select(from.continuation()));
        }
    }

    /** Takes a chunk of records. */
    interface ChunkWork {
        void accept(List<Object> records) throws IOException;
    }

    private static long writeTable(Database db, Checkpoint c, String name, Writer w,
                                   Consumer<SchemaProgress> progress) throws IOException {
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("table", name);
        start.put("definition", SchemaCodec.toValue(c.def(name), 0, 1, 0));
        w.frame(start);
        SchemaProgressReport report = new SchemaProgressReport(progress, name, "backup", db.table(name).store.size());
        long[] n = {0};
        scan(c, name, records -> {
            // a frame of about CHUNK_BYTES of records at most (one record over that is a frame of its own), sized by
            // the bound ValueLimits puts on a record's encoding, not by encoding it twice
            List<Object> frame = new ArrayList<>();
            long frameBytes = 0;
            for (Object r : records) {
                long size = ValueLimits.weight(r) * ValueLimits.MAX_BYTES_PER_UNIT;
                if (!frame.isEmpty() && frameBytes + size > CHUNK_BYTES) {
                    w.frame(Map.of("chunk", frame));
                    frame = new ArrayList<>();
                    frameBytes = 0;
                }
                frame.add(r);
                frameBytes += size;
            }
            if (!frame.isEmpty()) {
                w.frame(Map.of("chunk", frame));
            }
            n[0] += records.size();
            report.add(records.size());
        });
        w.frame(Map.of("table_end", name, "records", n[0]));
        report.done();
        return n[0];
    }

    static void deleteQuietly(Path part, Throwable failure) {
        if (part == null) {
            return;
        }
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Writes frames. */
    private static final class Writer implements AutoCloseable {
        final DataOutputStream out;
        private final CRC32 crc = new CRC32();

        Writer(OutputStream out) {
            this.out = new DataOutputStream(out);
        }

        void frame(Object value) throws IOException {
            byte[] payload = TermCodec.encode(value);
            crc.reset();
            crc.update(payload);
            out.writeInt(payload.length);
            out.writeInt((int) crc.getValue());
            out.write(payload);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    // ---------------------------------------------------------------- restore

    /** One table of an archive: its definition and how many records it has. */
    record ArchivedTable(String name, TableDef def, long records) {
    }

    /** Reads an archive's frames in order from its start, checking each checksum and each claimed length. */
    private static final class Reader {
        private final Path file;
        private final FileChannel channel;
        private final DataInputStream in;
        private final CRC32 crc = new CRC32();
        private long frame;
        private long position;

        Reader(Path file, FileChannel channel) throws IOException {
            this.file = file;
            this.channel = channel.position(0);
            // not closed by this reader: the channel is the caller's (a stream over it would close it)
            InputStream raw = new java.io.FilterInputStream(Channels.newInputStream(channel)) {
                @Override
                public void close() {
                }
            };
            this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            byte[] magic = new byte[MAGIC.length];
            try {
                in.readFully(magic);
            } catch (EOFException e) {
                throw bad("it is shorter than an archive's first 8 bytes: it is not a Mnemo backup");
            }
            position = MAGIC.length;
            if (!Arrays.equals(magic, MAGIC)) {
                throw bad("it does not begin with MNEMOBK1: it is not a Mnemo backup");
            }
        }

        /** The next frame's value, a map. */
        @SuppressWarnings("unchecked")
        Map<String, Object> next() throws IOException {
            frame++;
            int length;
            int sum;
            try {
                length = in.readInt();
                sum = in.readInt();
            } catch (EOFException e) {
                throw bad("it ends before frame " + frame + ": it was cut short");
            }
            position += 8;
            long left = channel.size() - position;
            if (length < 0 || length > MAX_FRAME) {
                throw bad("frame " + frame + " claims a length of " + length + " bytes: the archive is damaged");
            }
            if (length > left) {
                throw bad("frame " + frame + " claims " + length + " bytes where " + left + " are left: it was cut "
                        + "short");
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            position += length;
            crc.reset();
            crc.update(payload);
            if ((int) crc.getValue() != sum) {
                throw bad("frame " + frame + " fails its checksum: the archive is damaged");
            }
            Object v;
            try {
                v = TermCodec.decode(payload);
            } catch (RuntimeException e) {
                throw bad("frame " + frame + " does not decode: " + e.getMessage());
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw bad("frame " + frame + " is not a map");
            }
            return (Map<String, Object>) m;
        }

        /** {@code key} of frame {@code f} as a {@code type}, or a failure naming the frame and what was expected. */
        <T> T get(Map<String, Object> f, String key, Class<T> type) {
            Object v = f.get(key);
            if (!type.isInstance(v)) {
                throw bad("frame " + frame + " has " + (v == null ? "no " + key : key + " " + v) + " where "
                        + type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + key + " was expected");
            }
            return type.cast(v);
        }

        MnemoException bad(String why) {
            return new MnemoException("cannot restore from " + file + ": " + why);
        }
    }

    /**
     * Checks a whole archive and returns its tables: every frame's checksum and length, the structure, the totals,
     * and every record against its table's definition in the archive.
     */
    static List<ArchivedTable> check(Path file, FileChannel channel) throws IOException {
        return check(file, channel, (name, def) -> def);
    }

    /**
     * As above, each record checked against the definition {@code target} gives for its table (given its archived
     * one): the one it will be written into, with that table's storage limits.
     */
    static List<ArchivedTable> check(Path file, FileChannel channel,
                                     java.util.function.BiFunction<String, TableDef, TableDef> target)
            throws IOException {
        Reader r = new Reader(file, channel);
        Map<String, Object> header = r.next();
        if (!Long.valueOf(FORMAT).equals(header.get("format"))) {
            throw r.bad("it is of format " + header.get("format") + "; this Mnemo reads format " + FORMAT);
        }
        List<String> names = new ArrayList<>();
        for (Object n : r.get(header, "tables", List.class)) {
            if (!(n instanceof String name) || names.contains(name)) {
                throw r.bad("its list of tables " + header.get("tables") + " is not of distinct names");
            }
            names.add(name);
        }
        List<ArchivedTable> out = new ArrayList<>();
        long total = 0;
        for (String name : names) {
            TableDef def = start(r, name);
            Table shape = new Table(0, target.apply(name, def), 1, 0);
            long n = 0;
            while (true) {
                Map<String, Object> f = r.next();
                if (f.containsKey("chunk")) {
                    List<?> chunk = r.get(f, "chunk", List.class);
                    if (chunk.isEmpty()) {
                        throw r.bad("frame " + r.frame + " is an empty chunk of table " + name);
                    }
                    for (Object o : chunk) {
                        n++;
                        if (!(o instanceof Tuple record)) {
                            throw r.bad("record " + n + " of table " + name + " is not a record: " + o);
                        }
                        try {
                            shape.validate(record);
                        } catch (RuntimeException e) {
                            throw r.bad("record " + n + " of table " + name + " does not fit its definition: "
                                    + e.getMessage());
                        }
                    }
                } else if (name.equals(f.get("table_end"))) {
                    if (!Long.valueOf(n).equals(f.get("records"))) {
                        throw r.bad("table " + name + " has " + n + " records where its end says " + f.get("records"));
                    }
                    break;
                } else {
                    throw r.bad("frame " + r.frame + " is neither records of table " + name + " nor its end");
                }
            }
            out.add(new ArchivedTable(name, def, n));
            total += n;
        }
        Map<String, Object> end = r.next();
        if (!Boolean.TRUE.equals(end.get("backup_end")) || !Long.valueOf(total).equals(end.get("records"))) {
            throw r.bad("its last frame does not close it with " + total + " records: " + end);
        }
        return out;
    }

    /** Reads table {@code name}'s first frame and returns its definition, which must be of that name. */
    private static TableDef start(Reader r, String name) throws IOException {
        Map<String, Object> start = r.next();
        if (!name.equals(start.get("table"))) {
            throw r.bad("table " + name + " was expected at frame " + r.frame + ", not " + start.get("table"));
        }
        return definition(name, r.get(start, "definition", Map.class), why -> r.bad("frame " + r.frame + " " + why));
    }

    /**
     * Table {@code name}'s definition from its schema value in an archive or dump, which must be of that name;
     * {@code bad} makes the failure, told why.
     */
    static TableDef definition(String name, Object value, java.util.function.Function<String, MnemoException> bad) {
        TableDef def;
        try {
            def = SchemaCodec.fromValue(value).def();
        } catch (RuntimeException e) {
            throw bad.apply("does not hold a readable definition of table " + name + ": " + e);
        }
        if (!def.name().equals(name)) {
            throw bad.apply("has a definition that is of table " + def.name() + ", not " + name);
        }
        return def;
    }

    /**
     * Restores tables from an archive checked first: {@code only} (null: every table in it) in {@code mode}. What
     * can be known to stop a table's restore is checked for every table before the first is changed.
     */
    static BackupSummary restore(Database db, SchemaOps schema, Path file, RestoreMode mode, Collection<String> only,
                                 Consumer<SchemaProgress> progress) {
        Path source = file.toAbsolutePath();
        // one open file for both passes: the archive checked is the one restored, even if the path is replaced
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
            List<ArchivedTable> archived = check(source, channel, target(db, mode, only));
            Reader r = new Reader(source, channel);
            r.next(); // header
            return apply(db, schema, source, archived, mode, only, progress, "restore", name -> {
                start(r, name);
                return new RecordSource(r, name);
            }, channel.size());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MnemoException("cannot restore from " + source + ": there is no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("restore from " + source + " failed: " + e, e);
        }
    }

    /**
     * What each record of table {@code name} (archived as {@code def}) is checked against: the table it will go
     * into, the one here with its storage's limits, unless it is recreated or new (one of another shape is refused
     * by {@link #preCheck}, with the reason).
     */
    static java.util.function.BiFunction<String, TableDef, TableDef> target(Database db, RestoreMode mode,
                                                                           Collection<String> only) {
        return (name, def) -> {
            Table here = db.tables.get(name);
            boolean restored = only == null || only.contains(name);
            return restored && here != null && mode != RestoreMode.RECREATE_TABLES && sameShape(here.def, def)
                    ? here.def : def;
        };
    }

    /** A table's records, a chunk at a time (null after the last), and the rest skipped. */
    interface Chunks {
        List<Tuple> next();

        default void skipRest() {
            while (next() != null) {
                // not restored
            }
        }
    }

    /** Opens the records of the next table, {@code name}, in the source's order. */
    interface TableReader {
        Chunks open(String name) throws IOException;
    }

    /**
     * Restores (or loads) checked tables: refuses, before the first change, what would stop one part-way; then each
     * of {@code only} (null: all) in the source's order.
     */
    static BackupSummary apply(Database db, SchemaOps schema, Path source, List<ArchivedTable> archived,
                               RestoreMode mode, Collection<String> only, Consumer<SchemaProgress> progress,
                               String operation, TableReader reader, long bytes) throws IOException {
        List<String> names = archived.stream().map(ArchivedTable::name).toList();
        if (only != null) {
            for (String n : only) {
                if (!names.contains(n)) {
                    throw new NoSuchTableException("cannot " + operation + " table " + n + " from " + source
                            + ": it has tables " + names);
                }
            }
        }
        for (ArchivedTable a : archived) {
            if (only == null || only.contains(a.name())) {
                preCheck(db, source, a, mode);
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ArchivedTable a : archived) {
            Chunks records = reader.open(a.name());
            if (only == null || only.contains(a.name())) {
                SchemaProgressReport report = new SchemaProgressReport(progress, a.name(), operation, a.records());
                schema.restore(a.def(), mode, records::next, report);
                counts.put(a.name(), a.records());
            }
            records.skipRest();
        }
        return new BackupSummary(source, counts, bytes);
    }

    /**
     * Refuses, before anything is changed, a table's restore that would be refused part-way: a table of another
     * shape (unless recreated), a read_only one written into, one a checkpoint reads, a storage this database has
     * not.
     */
    private static void preCheck(Database db, Path source, ArchivedTable a, RestoreMode mode) {
        String what = "cannot restore table " + a.name() + " from " + source + " with "
                + mode.name().toLowerCase(java.util.Locale.ROOT) + ": ";
        try {
            db.checkStorageAllowed(a.def());
        } catch (MnemoException e) {
            throw new SchemaException(what + e.getMessage());
        }
        Table t = db.tables.get(a.name());
        if (t == null) {
            return;
        }
        if (!t.readers.isEmpty()) {
            SchemaOps.checkUnread(t, "restore");
        }
        if (mode == RestoreMode.RECREATE_TABLES) {
            return;
        }
        if (!sameShape(t.def, a.def())) {
            throw new SchemaException(what + "it is " + shapeOf(t.def) + " here and " + shapeOf(a.def())
                    + " in the backup; restore it with recreate_tables to take the backup's definition");
        }
        if (t.def.accessMode() == AccessMode.READ_ONLY) {
            throw new ReadOnlyTableException(what + "it is read_only here; restore it with recreate_tables");
        }
    }

    /** Whether records of one definition fit the other as they are. */
    private static boolean sameShape(TableDef a, TableDef b) {
        return a.attributes().equals(b.attributes()) && a.types().equals(b.types()) && a.type() == b.type()
                && a.recordName().equals(b.recordName());
    }

    private static String shapeOf(TableDef d) {
        return d.type().mnesiaName() + " " + d.recordName() + d.attributes() + " of types " + d.types();
    }

    /** A table's records in an archive, a chunk at a time. */
    static final class RecordSource implements Chunks {
        private final Reader reader;
        private final String table;
        private boolean ended;

        RecordSource(Reader reader, String table) {
            this.reader = reader;
            this.table = table;
        }

        /** The next chunk of records, or null after the last. */
        @Override
        @SuppressWarnings("unchecked")
        public List<Tuple> next() {
            if (ended) {
                return null;
            }
            try {
                Map<String, Object> f = reader.next();
                if (f.containsKey("chunk")) {
                    return (List<Tuple>) (List<?>) f.get("chunk");
                }
                ended = true; // its table_end (checked before)
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("reading the records of table " + table + " from the backup: " + e, e);
            }
        }
    }
}
