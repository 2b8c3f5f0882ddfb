package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Dump and load ({@link Mnemo#dump}, {@link Mnemo#load}): a text format that keeps every value's type exact. */
@Timeout(120)
class DumpTest {
    @TempDir
    Path dir;

    /** A random Mnemo value of any type, nested up to {@code depth}. */
    private static Object value(Random r, int depth) {
        switch (r.nextInt(depth > 0 ? 15 : 12)) {
            case 0: return r.nextLong();
            case 1: return (long) r.nextInt(100) - 50;
            case 2: return new double[] {r.nextDouble() * 1e6, -0.5, 1e300, 4.9e-324, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2}[r.nextInt(8)];
            case 3: return r.nextInt(10) == 0 ? new BigDecimal("1E" + (r.nextBoolean() ? "+" : "-") + 1_000_000_000)
                    : new BigDecimal(BigInteger(r), r.nextInt(20) - 5);
            case 4: return string(r);
            case 5: return r.nextBoolean();
            case 6: return null;
            case 7: {
                byte[] b = new byte[r.nextInt(20)];
                r.nextBytes(b);
                return Binary.of(b);
            }
            case 8: return LocalDate.ofEpochDay(r.nextInt(200_000) - 100_000);
            case 9: return LocalTime.ofNanoOfDay((long) (r.nextDouble() * 86_399_999_999_999L));
            case 10: return LocalDateTime.of(LocalDate.ofEpochDay(r.nextInt(500_000) - 250_000),
                    LocalTime.ofNanoOfDay((long) (r.nextDouble() * 86_399_999_999_999L)));
            case 11: return Instant.ofEpochSecond(r.nextLong() % 31_000_000_000L, r.nextInt(1_000_000_000));
            case 12: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(value(r, depth - 1));
                }
                return l;
            }
            case 13: {
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put(string(r), value(r, depth - 1));
                }
                return m;
            }
            default: {
                Object[] items = new Object[r.nextInt(4)];
                for (int i = 0; i < items.length; i++) {
                    items[i] = value(r, depth - 1);
                }
                return Tuple.of(items);
            }
        }
    }

    private static java.math.BigInteger BigInteger(Random r) {
        return new java.math.BigInteger(r.nextInt(90) + 1, r);
    }

    private static String string(Random r) {
        String[] bits = {"a", "Ω", "\"", "\\", "\n", "\t", "\r", "\u0001", "\u007f", "😀", "%", ".", "{", "}", ",",
            "=>", " ", "中文", "\ud800", "\udc00", "\u2028", "\u0000", "\u0085", "\\u0041"};
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            b.append(bits[r.nextInt(bits.length)]);
        }
        return b.toString();
    }

    /** Every table of {@code db} with its records in key order. */
    private static Map<String, List<Object>> contents(Mnemo db) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (String t : db.tables(true)) {
            List<Object> records = new ArrayList<>();
            records.add(db.tableDef(t));
            for (Object k : db.dirtyAllKeys(t)) {
                records.addAll(db.dirtyRead(t, k));
            }
            out.put(t, records);
        }
        return out;
    }

    @Test
    void aDumpOfEveryTableTypeAndStorage_loadsIntoANewDatabase_exactly() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            Path dump = dir.resolve("dump-" + seed + ".txt");
            Map<String, List<Object>> before;
            try (Mnemo db = Mnemo.open(dir.resolve("src-" + seed))) {
                for (TableType type : TableType.values()) {
                    for (StorageType storage : StorageType.values()) {
                        String name = type.mnesiaName() + "_" + storage.mnesiaName();
                        TableDef.Builder b = TableDef.builder(name).attributes("k", "a", "b").type(type).storage(storage)
                                .recordName("rec_" + name);
                        if (r.nextBoolean()) {
                            b.index("a");
                        }
                        db.createTable(b.userProperty("seed", seed).build());
                        db.transaction(tx -> {
                            for (int i = 0; i < 40; i++) {
                                Object key = switch (r.nextInt(5)) {
                                    case 0 -> string(r);
                                    case 1 -> Tuple.of((long) r.nextInt(5), string(r));
                                    case 2 -> new BigDecimal(r.nextInt(100)).movePointLeft(2);
                                    case 3 -> LocalDate.ofEpochDay(r.nextInt(100));
                                    default -> (Object) (long) r.nextInt(30);
                                };
                                Tuple record = Tuple.of("rec_" + name, key, value(r, 2), value(r, 2));
                                tx.write(name, record);
                                if (type == TableType.DUPLICATE_BAG && r.nextInt(4) == 0) {
                                    tx.write(name, record); // an identical second copy
                                }
                            }
                            return null;
                        });
                    }
                }
                db.createTable(TableDef.builder("deep").attributes("k", "v").build());
                Object deep = 1L;
                for (int d = 0; d < 255; d++) {
                    deep = List.of(deep);
                }
                db.dirtyWrite(Tuple.of("deep", 1L, deep)); // a record nested 256 deep: the most a dump holds
                before = contents(db);
                List<SchemaProgress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
                BackupSummary s = db.dump(dump, null, progress::add);
                assertThat(progress).filteredOn(SchemaProgress::done).hasSize(13);
                assertThat(s.total()).isPositive();
            }
            String text = Files.readString(dump, StandardCharsets.UTF_8);
            assertThat(text).startsWith("%% Mnemo dump, format 1");
            assertThat(text.lines().filter(l -> l.startsWith("{table, ")).count()).isEqualTo(13);
            try (Mnemo db = Mnemo.open(dir.resolve("dst-" + seed))) {
                List<SchemaProgress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
                db.load(dump, RestoreMode.RECREATE_TABLES, null, progress::add);
                assertThat(contents(db)).as("seed %d", seed).isEqualTo(before);
                assertThat(progress).filteredOn(SchemaProgress::done).extracting(SchemaProgress::operation)
                        .containsOnly("load").hasSize(13);
                // loaded again over itself, clearing each table first: the same again
                db.load(dump, RestoreMode.CLEAR_TABLES);
                assertThat(contents(db)).as("seed %d, cleared and loaded", seed).isEqualTo(before);
            }
        }
    }

    private Mnemo small() {
        Mnemo db = Mnemo.open(dir.resolve("db"));
        db.createTable(TableDef.builder("a").attributes("k", "v").build());
        db.createTable(TableDef.builder("t").attributes("k", "v").attribute("n", AttrType.INTEGER).build());
        db.transaction(tx -> {
            for (long k = 0; k < 2_000; k++) {
                tx.write(Tuple.of("a", k, "ünïcödé " + k)); // over 64 KiB before table t
            }
            tx.write(Tuple.of("t", 1L, "one", 1L));
            tx.write(Tuple.of("t", 2L, "two", 2L));
            return null;
        });
        return db;
    }

    private Path edited(Path dump, String name, java.util.function.UnaryOperator<List<String>> edit) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(dump, StandardCharsets.UTF_8));
        return Files.write(dir.resolve(name), edit.apply(lines), StandardCharsets.UTF_8);
    }

    private static int lineOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError(start);
    }

    @Test
    void aBadLine_isNamedByItsNumber_andNothingIsLoaded() throws Exception {
        try (Mnemo db = small()) {
            Path dump = dir.resolve("t.txt");
            db.dump(dump, List.of("a", "t"), null);
            db.dirtyWrite(Tuple.of("t", 1L, "changed since", 1L));
            db.dirtyWrite(Tuple.of("a", 0L, "changed since"));

            int[] at = new int[1];
            Path syntax = edited(dump, "syntax.txt", l -> {
                at[0] = lineOf(l, "{\"t\", 2");
                l.set(at[0], "{\"t\", 2, \"two\" 2}.");
                return l;
            });
            assertThatThrownBy(() -> db.load(syntax, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("line " + (at[0] + 1)).hasMessageContaining("column 16")
                    .hasMessageContaining("expected '}'");
            Path type = edited(dump, "type.txt", l -> {
                l.set(at[0], "{\"t\", 2, \"two\", \"not an integer\"}.");
                return l;
            });
            assertThatThrownBy(() -> db.load(type, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("line " + (at[0] + 1)).hasMessageContaining("attribute 'n' expects integer");
            Path cut = edited(dump, "cut.txt", l -> l.subList(0, l.size() - 1));
            assertThatThrownBy(() -> db.load(cut, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("cut short");
            Path count = edited(dump, "count.txt", l -> {
                l.remove(at[0]);
                return l;
            });
            assertThatThrownBy(() -> db.load(count, RestoreMode.CLEAR_TABLES)).isInstanceOf(MnemoException.class)
                    .hasMessageContaining("should be record 2 of 2 of table t");
            Path notADump = Files.writeString(dir.resolve("x.txt"), "{\"t\", 1, \"a\", 1}.\n");
            assertThatThrownBy(() -> db.load(notADump, RestoreMode.CLEAR_TABLES)).hasMessageContaining("line 1")
                    .hasMessageContaining("not a Mnemo dump");
            byte[] good = Files.readAllBytes(dump);
            byte[] bad = good.clone();
            int badAt = new String(good, StandardCharsets.ISO_8859_1).indexOf("{\"t\", 2"); // a byte offset
            bad[badAt + 8] = (byte) 0xff; // in table t's second record, past the first 64 KiB
            Path notUtf8 = Files.write(dir.resolve("bin.txt"), bad);
            assertThatThrownBy(() -> db.load(notUtf8, RestoreMode.CLEAR_TABLES))
                    .hasMessageContaining("line " + (at[0] + 1) + " is not UTF-8");
            Path trailing = edited(dump, "trailing.txt", l -> {
                l.add("% a comment may follow");
                l.add("{\"t\", 3, \"three\", 3}.");
                return l;
            });
            assertThatThrownBy(() -> db.load(trailing, RestoreMode.CLEAR_TABLES))
                    .hasMessageContaining("follows the {end, …} line");
            assertThat(db.dirtyRead("t", 1L)).as("nothing was loaded").containsExactly(Tuple.of("t", 1L,
                    "changed since", 1L));
            assertThat(db.dirtyRead("a", 0L)).as("not table a either, though it came before the bad line")
                    .containsExactly(Tuple.of("a", 0L, "changed since"));
            db.load(dump, RestoreMode.CLEAR_TABLES);
            assertThat(db.dirtyRead("t", 1L)).as("the sound dump loads").containsExactly(Tuple.of("t", 1L, "one", 1L));
        }
    }

    @Test
    void theTextFormat_readsBackEveryValueItWrites_andRefusesWhatIsNotAValue() {
        Random r = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            Object v = dev.mnemo.engine.value.Terms.normalize(value(r, 3));
            String line = DumpText.format(Tuple.of("t", v)) + ".";
            assertThat(line).doesNotContain("\n");
            assertThat(((Tuple) DumpText.parseLine(line)).get(1)).as(line).isEqualTo(v);
        }
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", 99999999999999999999}."))
                .hasMessageContaining("64 bits");
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", {date, \"yesterday\"}}.")).hasMessageContaining("a date");
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", foo}.")).hasMessageContaining("bare word");
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", 1}")).hasMessageContaining("expected '.'");
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", \"\\u+123\"}.")).hasMessageContaining("hex");
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", #{{decimal, \"1.0\"} => 1, {decimal, \"1.00\"} => 2}}."))
                .hasMessageContaining("a key not given before");
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", [foo]}.")).hasMessageContaining("bare word")
                .hasMessageContaining("column");
        assertThat(DumpText.format(new BigDecimal("1E+1000000000"))).hasSizeLessThan(40);
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", " + "[".repeat(100_000) + "}."))
                .as("no stack overflow").isInstanceOf(DumpText.BadLine.class).hasMessageContaining("nested");
    }
}
