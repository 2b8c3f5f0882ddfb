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
            case 3: return new BigDecimal(BigInteger(r), r.nextInt(20) - 5);
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
            case 10: return LocalDateTime.of(LocalDate.ofEpochDay(r.nextInt(50_000)), LocalTime.ofSecondOfDay(r.nextInt(86_400)));
            case 11: return Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000));
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
            "=>", " ", "中文", "\ud800"};
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
                        TableDef.Builder b = TableDef.builder(name).attributes("k", "a", "b").type(type).storage(storage);
                        if (r.nextBoolean()) {
                            b.index("a");
                        }
                        db.createTable(b.userProperty("seed", seed).build());
                        db.transaction(tx -> {
                            for (int i = 0; i < 40; i++) {
                                Object key = r.nextInt(3) == 0 ? string(r) : (Object) (long) r.nextInt(30);
                                tx.write(Tuple.of(name, key, value(r, 2), value(r, 2)));
                            }
                            return null;
                        });
                    }
                }
                before = contents(db);
                BackupSummary s = db.dump(dump);
                assertThat(s.total()).isPositive();
            }
            String text = Files.readString(dump, StandardCharsets.UTF_8);
            assertThat(text).startsWith("%% Mnemo dump, format 1");
            assertThat(text.lines().filter(l -> l.startsWith("{table, ")).count()).isEqualTo(12);
            try (Mnemo db = Mnemo.open(dir.resolve("dst-" + seed))) {
                db.load(dump, RestoreMode.RECREATE_TABLES);
                assertThat(contents(db)).as("seed %d", seed).isEqualTo(before);
            }
        }
    }

    private Mnemo small() {
        Mnemo db = Mnemo.open(dir.resolve("db"));
        db.createTable(TableDef.builder("t").attributes("k", "v").attribute("n", AttrType.INTEGER).build());
        db.transaction(tx -> {
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
            db.dump(dump, List.of("t"), null);
            db.dirtyWrite(Tuple.of("t", 1L, "changed since", 1L));

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
            Path notUtf8 = Files.write(dir.resolve("bin.txt"), new byte[] {'%', '%', ' ', (byte) 0xff, '\n'});
            assertThatThrownBy(() -> db.load(notUtf8, RestoreMode.CLEAR_TABLES)).hasMessageContaining("line 1");
            assertThat(db.dirtyRead("t", 1L)).as("nothing was loaded").containsExactly(Tuple.of("t", 1L,
                    "changed since", 1L));
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
        assertThatThrownBy(() -> DumpText.parseLine("{\"t\", " + "[".repeat(100_000) + "}."))
                .as("no stack overflow").isInstanceOf(DumpText.BadLine.class).hasMessageContaining("nested");
    }
}
