package dev.mnemo.engine;

import dev.mnemo.engine.value.Tuple;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Dump and load (Mnesia's {@code dump_to_textfile} and {@code load_textfile}): a database's tables as UTF-8 text,
 * one term per line ({@link DumpText}), schema first:
 *
 * <pre>
 * %% Mnemo dump, format 1, 2026-12-07T14:30:00Z, /data/shop
 * {tables, 2}.
 * {table, "users", #{"name" => "users", "attributes" => ["id", "name"], …}}.
 * {table, "orders", #{…}}.
 * {records, "users", 2}.
 * {"users", 1, "ann"}.
 * {"users", 2, "bob"}.
 * {records, "orders", 0}.
 * {end, 2}.
 * </pre>
 *
 * A dump is read as a consistent cut, as a backup is, and written to a file of its own beside the target, then
 * renamed over it. A load reads and checks the whole file first (every line's syntax, every record against its
 * table, the counts), naming the line and column of the first problem, so a failed load changes nothing; then it
 * restores the tables as {@link Mnemo#restore} does.
 */
final class Dumps {
    private static final String FIRST = "%% Mnemo dump, format 1";

    private Dumps() {
    }

    // ---------------------------------------------------------------- dump

    static BackupSummary dump(Database db, Path file, Collection<String> tables, Consumer<SchemaProgress> progress) {
        Path target = file.toAbsolutePath();
        Map<String, Long> counts = new LinkedHashMap<>();
        long bytes;
        try (Checkpoint c = db.activate("dump", tables, "the dump to " + target, false)) {
            List<String> names = c.tables();
            bytes = Backups.writeReplacing(target, "dump", "dump", out -> {
                try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
                    w.write(FIRST + ", " + Instant.now() + ", " + db.events.database().replaceAll("[\\r\\n]", " ")
                            + "\n");
                    line(w, new DumpText.Tagged("tables", List.of((long) names.size())));
                    for (String n : names) {
                        line(w, new DumpText.Tagged("table", List.of(n, SchemaCodec.toValue(c.def(n), 0, 1, 0))));
                    }
                    long total = 0;
                    for (String n : names) {
                        long k = records(c, n, w, progress);
                        counts.put(n, k);
                        total += k;
                    }
                    line(w, new DumpText.Tagged("end", List.of(total)));
                }
            });
        }
        return new BackupSummary(target, counts, bytes);
    }

    private static void line(Writer w, Object term) throws IOException {
        StringBuilder b = new StringBuilder();
        if (term instanceof DumpText.Tagged t) {
            b.append('{').append(t.tag());
            for (Object o : t.items()) {
                b.append(", ");
                DumpText.write(b, o);
            }
            b.append('}');
        } else {
            DumpText.write(b, term);
        }
        w.write(b.append(".\n").toString());
    }

    /** Writes {@code {records, name, n}.} and the table's records; returns n. */
    private static long records(Checkpoint c, String name, Writer w, Consumer<SchemaProgress> progress)
            throws IOException {
        // the count comes first: the table is read once to count its records, then again to write them
        long n = c.read(tx -> (long) tx.foldl(name, 0L, (r, acc) -> acc + 1));
        line(w, new DumpText.Tagged("records", List.of(name, n)));
        SchemaProgressReport report = new SchemaProgressReport(progress, name, "dump", n);
        long[] written = {0};
        Backups.scan(c, name, records -> {
            for (Object r : records) {
                try {
                    line(w, r);
                } catch (DumpText.TooDeep e) {
                    throw new MnemoException("cannot dump table " + name + ": the record of key "
                            + DumpText.format(((Tuple) r).get(1)) + " nests values more than " + DumpText.MAX_DEPTH
                            + " deep, which a dump cannot hold; back the table up instead (Mnemo.backup)");
                }
            }
            written[0] += records.size();
            report.add(records.size());
        });
        if (written[0] != n) {
            throw new IllegalStateException("table " + name + ": " + written[0] + " records dumped where the "
                    + "checkpoint counted " + n);
        }
        report.done();
        return n;
    }

    // ---------------------------------------------------------------- load

    /** Reads a dump's lines in order, with their numbers; each line is decoded on its own, so a bad byte is placed. */
    private static final class Lines {
        private final Path file;
        private final java.io.InputStream in;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private int number;

        Lines(Path file, FileChannel channel) throws IOException {
            this.file = file;
            channel.position(0);
            this.in = new java.io.BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        }

        /** The next line without its end ({@code \n} or {@code \r\n}), or null at the end of the file. */
        private String readLine() throws IOException {
            bytes.reset();
            int b = in.read();
            if (b < 0) {
                return null;
            }
            while (b >= 0 && b != '\n') {
                bytes.write(b);
                b = in.read();
            }
            byte[] line = bytes.toByteArray();
            int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(line, 0, length)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw bad("is not UTF-8 text", number + 1);
            }
        }

        /** Whether only blank and comment lines are left. */
        boolean atEnd() throws IOException {
            for (String line; (line = readLine()) != null; ) {
                number++;
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("%")) {
                    return false;
                }
            }
            return true;
        }

        /** The next line's term (comments and blank lines skipped), or a failure if the file ends. */
        Object next() throws IOException {
            while (true) {
                String line = readLine();
                number++;
                if (number == 1 && line != null && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte order mark an editor added
                }
                if (line == null) {
                    throw bad("is missing: the dump ends before its {end, …} line (it was cut short)", number);
                }
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("%")) {
                    if (number == 1 && !t.startsWith(FIRST)) {
                        throw bad("is not '" + FIRST + ", …': this is not a Mnemo dump", 1);
                    }
                    continue;
                }
                if (number == 1) {
                    throw bad("is not '" + FIRST + ", …': this is not a Mnemo dump", 1);
                }
                try {
                    return DumpText.parseLine(line);
                } catch (DumpText.BadLine e) {
                    throw bad(e.getMessage(), number);
                } catch (RuntimeException e) {
                    throw bad("does not hold a Mnemo value: " + e.getMessage(), number);
                }
            }
        }

        MnemoException bad(String why, int line) {
            return new MnemoException("cannot load " + file + ": line " + line + " " + why);
        }

        MnemoException bad(String why) {
            return bad(why, number);
        }

        /** The next line as a {@code {tag, …}} line of {@code size} items, or a failure naming what was expected. */
        List<Object> tagged(String tag, int size) throws IOException {
            Object v = next();
            if (v instanceof DumpText.Tagged t && t.tag().equals(tag) && t.items().size() == size) {
                return t.items();
            }
            throw bad("should be a {" + tag + ", …} line of " + size + " items, not " + DumpText.format(
                    v instanceof DumpText.Tagged t ? Tuple.of(t.tag()) : v));
        }
    }

    /** Checks a whole dump; returns its tables in order. */
    static List<Backups.ArchivedTable> check(Path file, FileChannel channel,
                                             java.util.function.BiFunction<String, TableDef, TableDef> target)
            throws IOException {
        Lines in = new Lines(file, channel);
        long count = count(in.tagged("tables", 1).get(0), in, "the number of tables");
        List<String> names = new ArrayList<>();
        Map<String, TableDef> defs = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            List<Object> t = in.tagged("table", 2);
            if (!(t.get(0) instanceof String name) || defs.containsKey(name)) {
                throw in.bad("should name a table not named before, not " + DumpText.format(t.get(0)));
            }
            TableDef def = Backups.definition(name, t.get(1), in::bad);
            names.add(name);
            defs.put(name, def);
        }
        List<Backups.ArchivedTable> out = new ArrayList<>();
        long total = 0;
        for (String name : names) {
            List<Object> r = in.tagged("records", 2);
            if (!name.equals(r.get(0))) {
                throw in.bad("should begin the records of table " + name + " (tables come in the order listed)");
            }
            long n = count(r.get(1), in, "the number of records");
            Table shape = new Table(0, target.apply(name, defs.get(name)), 1, 0);
            for (long k = 0; k < n; k++) {
                Object v = in.next();
                if (!(v instanceof Tuple record)) {
                    throw in.bad("should be record " + (k + 1) + " of " + n + " of table " + name + ", not "
                            + (v instanceof DumpText.Tagged t ? "a {" + t.tag() + ", …} line" : DumpText.format(v)));
                }
                try {
                    shape.validate(record);
                } catch (RuntimeException e) {
                    throw in.bad("does not fit table " + name + ": " + e.getMessage());
                }
            }
            out.add(new Backups.ArchivedTable(name, defs.get(name), n));
            total += n;
        }
        List<Object> end = in.tagged("end", 1);
        if (!Long.valueOf(total).equals(end.get(0))) {
            throw in.bad("says " + DumpText.format(end.get(0)) + " records where the dump has " + total);
        }
        if (!in.atEnd()) {
            throw in.bad("follows the {end, …} line: the dump should end there");
        }
        return out;
    }

    private static long count(Object v, Lines in, String what) {
        if (v instanceof Long n && n >= 0) {
            return n;
        }
        throw in.bad("should give " + what + " as an integer, not " + DumpText.format(v));
    }

    static BackupSummary load(Database db, SchemaOps schema, Path file, RestoreMode mode, Collection<String> only,
                              Consumer<SchemaProgress> progress) {
        Path source = file.toAbsolutePath();
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
            List<Backups.ArchivedTable> tables = check(source, channel, Backups.target(db, mode, only));
            Lines in = new Lines(source, channel);
            in.tagged("tables", 1);
            for (int i = 0; i < tables.size(); i++) {
                in.tagged("table", 2);
            }
            return Backups.apply(db, schema, source, tables, mode, only, progress, "load", name -> {
                long n = (Long) in.tagged("records", 2).get(1);
                long[] left = {n};
                return () -> {
                    if (left[0] == 0) {
                        return null;
                    }
                    List<Tuple> chunk = new ArrayList<>();
                    try {
                        while (left[0] > 0 && chunk.size() < Backups.CHUNK) {
                            if (!(in.next() instanceof Tuple record)) {
                                throw in.bad("is not the record it was when the dump was checked: the file changed");
                            }
                            chunk.add(record);
                            left[0]--;
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("reading the records of table " + name + ": " + e, e);
                    }
                    return chunk;
                };
            }, channel.size());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MnemoException("cannot load " + source + ": there is no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("load from " + source + " failed: " + e, e);
        }
    }
}
