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
 * archive file: written beside the target as {@code <file>.part}, forced to the device, then renamed over it, so a
 * failed backup leaves no archive behind and never a half one.
 *
 * <p>The archive: the 8 bytes {@code MNEMOBK1}, then frames, each a 4-byte big-endian length, the 4-byte CRC-32 of
 * the payload, and the payload, one Mnemo value in {@link TermCodec}'s encoding (so every value keeps its exact
 * type): a header map ({@code format}, {@code created}, {@code database}, {@code tables}); per table a map with its
 * {@code table} name and {@code definition}, maps of a {@code chunk} of its records (up to {@value #CHUNK}), and a map
 * closing it ({@code table_end}, {@code records}); last a map {@code backup_end} with the totals. A restore reads the
 * whole archive once to check it (checksums, structure, totals, every record against its table's definition) before
 * it changes anything.
 */
final class Backups {
    static final int CHUNK = 1_000;
    private static final byte[] MAGIC = "MNEMOBK1".getBytes(StandardCharsets.US_ASCII);
    private static final long FORMAT = 1;
    /** A frame's payload is at most this long (a chunk of 1,000 records of at most 16 MiB each is far less). */
    private static final int MAX_FRAME = 1 << 30;

    private Backups() {
    }

    // ---------------------------------------------------------------- backup

    static BackupSummary backup(Database db, Path file, Collection<String> tables, Consumer<SchemaProgress> progress) {
        Path target = file.toAbsolutePath();
        Path part = target.resolveSibling(target.getFileName() + ".part");
        List<String> names = tables == null ? db.tableNames(true) : List.copyOf(tables);
        Map<String, Long> counts = new LinkedHashMap<>();
        long bytes;
        try (Checkpoint c = db.activate("backup", names, "the backup to " + target, false)) {
            try {
                Files.createDirectories(target.getParent());
                try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                     Writer w = new Writer(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16))) {
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
                    w.out.flush();
                    ch.force(true);
                    bytes = ch.size();
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteQuietly(part, e);
                throw new UncheckedIOException("backup to " + target + " failed; no archive was written: " + e, e);
            } catch (RuntimeException | Error e) {
                deleteQuietly(part, e);
                throw e;
            }
        }
        return new BackupSummary(target, counts, bytes);
    }

    private static long writeTable(Database db, Checkpoint c, String name, Writer w,
                                   Consumer<SchemaProgress> progress) throws IOException {
        TableDef def = db.table(name).def;
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("table", name);
        start.put("definition", SchemaCodec.toValue(def, 0, 1, 0));
        w.frame(start);
        Object[] pattern = new Object[def.attributes().size() + 1];
        Arrays.fill(pattern, Match.ANY);
        pattern[0] = def.recordName();
        MatchSpec all = MatchSpec.ofPattern(Match.pattern(pattern));
        SchemaProgressReport report = new SchemaProgressReport(progress, name, "backup", db.table(name).store.size());
        long n = 0;
        SelectChunk chunk = c.read(tx -> tx.select(name, all, CHUNK));
        while (true) {
            if (!chunk.results().isEmpty()) {
                w.frame(Map.of("chunk", chunk.results()));
                n += chunk.results().size();
                report.add(chunk.results().size());
            }
            if (!chunk.hasMore()) {
                break;
            }
            SelectChunk from = chunk;
            chunk = c.read(tx -> tx.select(from.continuation()));
        }
        w.frame(Map.of("table_end", name, "records", n));
        report.done();
        return n;
    }

    private static void deleteQuietly(Path part, Throwable failure) {
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

    /** One table of an archive: its definition and where its records are. */
    record ArchivedTable(String name, TableDef def, long records) {
    }

    /** Reads an archive's frames in order, checking each checksum. */
    private static final class Reader implements AutoCloseable {
        private final Path file;
        private final DataInputStream in;
        private final CRC32 crc = new CRC32();
        private long frame;

        Reader(Path file) throws IOException {
            this.file = file;
            InputStream raw = Files.newInputStream(file);
            this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            byte[] magic = new byte[MAGIC.length];
            try {
                in.readFully(magic);
            } catch (EOFException e) {
                throw bad("it is shorter than an archive's first 8 bytes");
            }
            if (!Arrays.equals(magic, MAGIC)) {
                throw bad("it does not begin with MNEMOBK1: it is not a Mnemo backup");
            }
        }

        /** The next frame's value as a map. */
        @SuppressWarnings("unchecked")
        Map<String, Object> next() throws IOException {
            frame++;
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw bad("it ends before its last frame (frame " + frame + " is missing): it was cut short");
            }
            int sum = in.readInt();
            if (length < 0 || length > MAX_FRAME) {
                throw bad("frame " + frame + " claims a length of " + length + " bytes");
            }
            byte[] payload = new byte[length];
            try {
                in.readFully(payload);
            } catch (EOFException e) {
                throw bad("frame " + frame + " is cut short: it was cut short");
            }
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

        MnemoException bad(String why) {
            return new MnemoException("cannot restore from " + file + ": " + why);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Checks a whole archive and returns its tables: every frame's checksum, the structure, the totals, and every
     * record against its table's definition in the archive.
     */
    @SuppressWarnings("unchecked")
    static List<ArchivedTable> check(Path file) throws IOException {
        try (Reader r = new Reader(file)) {
            Map<String, Object> header = r.next();
            if (!Long.valueOf(FORMAT).equals(header.get("format"))) {
                throw r.bad("it is of format " + header.get("format") + "; this Mnemo reads format " + FORMAT);
            }
            List<String> names = (List<String>) header.get("tables");
            List<ArchivedTable> out = new ArrayList<>();
            long total = 0;
            for (String name : names) {
                Map<String, Object> start = r.next();
                if (!name.equals(start.get("table"))) {
                    throw r.bad("table " + name + " was expected next, not " + start);
                }
                TableDef def = SchemaCodec.fromValue(start.get("definition")).def();
                Table shape = new Table(0, def, 1, 0);
                long n = 0;
                while (true) {
                    Map<String, Object> f = r.next();
                    if (f.containsKey("chunk")) {
                        for (Object o : (List<Object>) f.get("chunk")) {
                            n++;
                            try {
                                shape.validate((Tuple) o);
                            } catch (RuntimeException e) {
                                throw r.bad("record " + n + " of table " + name + " does not fit its definition: "
                                        + e.getMessage());
                            }
                        }
                    } else if (name.equals(f.get("table_end"))) {
                        if (!Long.valueOf(n).equals(f.get("records"))) {
                            throw r.bad("table " + name + " has " + n + " records where its end says "
                                    + f.get("records"));
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
    }

    /**
     * Restores tables from an archive checked first: {@code only} (null: every table in it) in {@code mode}. Each
     * table's contents are replaced at once (clear and recreate) or written on top in transactions of
     * {@value #CHUNK} records (keep).
     */
    @SuppressWarnings("unchecked")
    static BackupSummary restore(Database db, SchemaOps schema, Path file, RestoreMode mode, Collection<String> only,
                                 Consumer<SchemaProgress> progress) {
        Path source = file.toAbsolutePath();
        List<ArchivedTable> archived;
        try {
            archived = check(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore from " + source + ": " + e, e);
        }
        List<String> names = archived.stream().map(ArchivedTable::name).toList();
        if (only != null) {
            for (String n : only) {
                if (!names.contains(n)) {
                    throw new NoSuchTableException("cannot restore table " + n + " from " + source + ": the backup "
                            + "has tables " + names);
                }
            }
        }
        for (ArchivedTable a : archived) {
            if ((only == null || only.contains(a.name())) && mode != RestoreMode.RECREATE_TABLES) {
                Table t = db.tables.get(a.name());
                if (t != null && !sameShape(t.def, a.def())) {
                    throw new SchemaException("cannot restore table " + a.name() + " from " + source + " with "
                            + mode.name().toLowerCase(java.util.Locale.ROOT) + ": it is " + shapeOf(t.def)
                            + " here and " + shapeOf(a.def()) + " in the backup; restore it with recreate_tables to "
                            + "take the backup's definition");
                }
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Reader r = new Reader(source)) {
            r.next(); // header
            for (ArchivedTable a : archived) {
                r.next(); // the table's start
                boolean wanted = only == null || only.contains(a.name());
                RecordSource records = new RecordSource(r, a.name());
                if (wanted) {
                    SchemaProgressReport report = new SchemaProgressReport(progress, a.name(), "restore", a.records());
                    schema.restore(a.def(), mode, records, report);
                    counts.put(a.name(), a.records());
                }
                records.skipRest();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("restore from " + source + " failed: " + e, e);
        }
        try {
            return new BackupSummary(source, counts, Files.size(source));
        } catch (IOException e) {
            return new BackupSummary(source, counts, -1);
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
    static final class RecordSource {
        private final Reader reader;
        private final String table;
        private boolean ended;

        RecordSource(Reader reader, String table) {
            this.reader = reader;
            this.table = table;
        }

        /** The next chunk of records, or null after the last. */
        @SuppressWarnings("unchecked")
        List<Tuple> next() {
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

        void skipRest() {
            while (next() != null) {
                // not restored
            }
        }
    }
}
