package dev.mnemo.engine.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.AttrType;
import dev.mnemo.engine.BadRecordException;
import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableDef;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordMappingTest {
    enum Status { DRAFT, PUBLISHED }

    record Point(int x, double y) {
    }

    @Table(storage = StorageType.DISC_COPIES, type = TableType.ORDERED_SET)
    record Everything(long id, int small, Integer boxed, double ratio, boolean flag, String text, BigDecimal price,
                      LocalDate day, LocalTime time, LocalDateTime stamp, Instant instant, byte[] bytes,
                      List<String> tags, Map<String, Long> counts, Point point, List<Point> path, Status status) {
    }

    record BlogPost(long id, Object anything) {
    }

    record BlogEntry(long id, String title) {
    }

    record WithThread(long id, Thread thread) {
    }

    record RawList(long id, @SuppressWarnings("rawtypes") List items) {
    }

    @Table(autoincrement = true)
    record StringKeyed(String id, String name) {
    }

    @Table(name = "people", recordName = "person", index = "email", type = TableType.BAG)
    record Person(String name, String email) {
    }

    @TempDir
    Path dir;

    private static Everything sample(long id) {
        return new Everything(id, 7, null, 2.5, true, "héllo", new BigDecimal("12.50"), LocalDate.of(2024, 2, 29),
                LocalTime.of(13, 14, 15), LocalDateTime.of(2024, 1, 2, 3, 4, 5), Instant.ofEpochSecond(1_700_000_000),
                new byte[] {1, 2, (byte) 255}, List.of("a", "b"), Map.of("x", 1L, "y", 2L), new Point(3, 4.5),
                List.of(new Point(1, 1.0), new Point(2, 2.0)), Status.PUBLISHED);
    }

    private static void assertSameContent(Everything actual, Everything expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("bytes", "price").isEqualTo(expected);
        assertThat(actual.bytes()).containsExactly(expected.bytes());
        assertThat(actual.price()).isEqualByComparingTo(expected.price());
    }

    @Test
    void everySupportedType_roundTripsThroughADiscTable_andSurvivesRestart() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.createTable(Everything.class);
            m.transactionOrThrow(q -> q.write(sample(1)));
            Optional<Everything> back = m.transactionOrThrow(q -> q.read(Everything.class, 1));
            assertSameContent(back.orElseThrow(), sample(1));
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.waitForTables(Duration.ofSeconds(10), Everything.class);
            Everything back = m.transactionOrThrow(q -> q.read(Everything.class, 1L)).orElseThrow();
            assertSameContent(back, sample(1));
            assertThat(back.small()).isEqualTo(7);
            assertThat(back.boxed()).isNull();
            assertThat(back.path().get(1)).isEqualTo(new Point(2, 2.0));
        }
    }

    @Test
    void storedRecord_isTheRecordNameFollowedByEngineValues() {
        try (Mnemo db = Mnemo.inMemory()) {
            Memento m = new Memento(db);
            m.createTable(Person.class);
            m.transactionOrThrow(q -> q.write(new Person("ann", "ann@example.com")));
            assertThat(db.dirtyRead("people", "ann")).containsExactly(Tuple.of("person", "ann", "ann@example.com"));
            assertThat(m.tableInfo(Person.class).type()).isEqualTo(TableType.BAG);
        }
    }

    @Test
    void definition_declaresEngineTypesFromComponentTypes() {
        TableDef def = Memento.definitionOf(Everything.class);
        assertThat(def.name()).isEqualTo("everything");
        assertThat(def.storage()).isEqualTo(StorageType.DISC_COPIES);
        assertThat(def.types()).containsExactly(AttrType.INTEGER, AttrType.INTEGER, AttrType.INTEGER,
                AttrType.DOUBLE, AttrType.BOOLEAN, AttrType.STRING, AttrType.DECIMAL, AttrType.DATE, AttrType.TIME,
                AttrType.DATETIME, AttrType.INSTANT, AttrType.BINARY, AttrType.LIST, AttrType.MAP, AttrType.TUPLE,
                AttrType.LIST, AttrType.STRING);
        assertThat(Memento.definitionOf(Person.class).indexes()).containsExactly("email");
        assertThat(Memento.tableName(BlogEntry.class)).isEqualTo("blog_entry");
    }

    @Test
    void engineChecksRawWrites_againstTheDeclaredTypes() {
        try (Mnemo db = Mnemo.inMemory()) {
            new Memento(db).createTable(Person.class);
            assertThatThrownBy(() -> db.dirtyWrite("people", Tuple.of("person", "bob", 42)))
                    .isInstanceOf(BadRecordException.class).hasMessageContaining("email");
        }
    }

    @Test
    void unsupportedComponentType_isAClearErrorAtDefinition() {
        assertThatThrownBy(() -> Memento.definitionOf(BlogPost.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BlogPost").hasMessageContaining("anything")
                .hasMessageContaining("java.lang.Object");
        try (Mnemo db = Mnemo.inMemory()) {
            assertThatThrownBy(() -> new Memento(db).createTable(WithThread.class))
                    .hasMessageContaining("component thread").hasMessageContaining("java.lang.Thread");
            assertThat(db.tables()).doesNotContain("with_thread");
        }
        assertThatThrownBy(() -> Memento.definitionOf(RawList.class)).hasMessageContaining("raw List");
        assertThatThrownBy(() -> Memento.definitionOf(StringKeyed.class))
                .hasMessageContaining("autoincrement needs a long, int, Long or Integer key");
    }
}
