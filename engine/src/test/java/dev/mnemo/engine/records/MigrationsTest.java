package dev.mnemo.engine.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableInfo;
import dev.mnemo.engine.TableType;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    /** The table as first shipped (version 0: no migrations yet). */
    @Table(name = "movie", storage = StorageType.DISC_COPIES)
    record MovieV0(long id, String name, String director, int year) {
    }

    /** Version 2: name renamed to title, rating added, director indexed, year dropped. */
    @Table(name = "movie", storage = StorageType.DISC_COPIES, index = "director")
    record MovieV2(long id, String title, String director, int rating) {
    }

    /** Version 3: adds the release date computed from the title's length (any per-record function will do). */
    @Table(name = "movie", storage = StorageType.DISC_COPIES, index = "director")
    record MovieV3(long id, String title, String director, int rating, LocalDate released) {
    }

    /** The same table with its attributes in another order than the steps produce. */
    @Table(name = "movie", storage = StorageType.DISC_COPIES, index = "director")
    record MovieV2Reordered(long id, int rating, String title, String director) {
    }

    @Table(name = "movie", storage = StorageType.RAM_COPIES)
    record MovieInRam(long id, String name, String director, int year) {
    }

    @Table(name = "movie", storage = StorageType.DISC_COPIES)
    record MovieYearAsText(long id, String name, String director, String year) {
    }

    static final Migrations TO_V2 = Migrations.none()
            .version(1, Step.renameAttribute("name", "title"), Step.addAttribute("rating", 0))
            .version(2, Step.addIndex("director"), Step.dropAttribute("year"));

    static final Migrations TO_V3 = TO_V2.version(3, Step.addComputedAttribute("released",
            row -> LocalDate.of(2000, 1, 1).plusDays(((String) row.get("title")).length())));

    @TempDir
    Path dir;

    private void seedV0(int count) {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            assertThat(m.openTable(MovieV0.class).created()).isTrue();
            m.transactionOrThrow(q -> {
                for (int i = 1; i <= count; i++) {
                    q.write(new MovieV0(i, "Movie " + i, i % 2 == 0 ? "Tarantino" : "Nolan", 1990 + i));
                }
                return null;
            });
        }
    }

    private static long version(Mnemo db) {
        return (Long) db.tableInfo("movie").userProperties().get(Migrations.VERSION_PROPERTY);
    }

    @Test
    void openTable_createsAbsentTableAtLatestVersion_withoutRunningSteps() {
        try (Mnemo db = Mnemo.open(dir)) {
            MigrationReport r = new Memento(db).openTable(MovieV3.class, TO_V3);
            assertThat(r).isEqualTo(new MigrationReport("movie", 0, 3, true, List.of()));
            assertThat(version(db)).isEqualTo(3L);
            assertThat(db.tableInfo("movie").attributes()).containsExactly("id", "title", "director", "rating",
                    "released");
        }
    }

    @Test
    void pendingSteps_runOnceOnOpen_andSurviveRestart() {
        seedV0(6);
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            MigrationReport r = m.openTable(MovieV2.class, TO_V2);
            assertThat(r.fromVersion()).isZero();
            assertThat(r.toVersion()).isEqualTo(2);
            assertThat(r.migrated()).isTrue();
            assertThat(r.applied()).containsExactly("version 1: rename attribute name to title",
                    "version 1: add attribute rating = 0", "version 2: add index director",
                    "version 2: drop attribute year");
            TableInfo info = db.tableInfo("movie");
            assertThat(info.attributes()).containsExactly("id", "title", "director", "rating");
            assertThat(info.index()).containsExactly("director");
            assertThat(m.<java.util.Optional<MovieV2>>transactionOrThrow(q -> q.read(MovieV2.class, 4L)))
                    .contains(new MovieV2(4, "Movie 4", "Tarantino", 0));
            assertThat(m.<List<MovieV2>>transactionOrThrow(q -> q.indexRead(MovieV2.class, "director", "Nolan")))
                    .extracting(MovieV2::id).containsExactlyInAnyOrder(1L, 3L, 5L);
            assertThat(db.explainSelect("movie", Memento.matchSpec(MovieV2.class, Where.eq("director", "Nolan"))))
                    .contains("index_read");

            MigrationReport again = m.openTable(MovieV2.class, TO_V2);
            assertThat(again).isEqualTo(new MigrationReport("movie", 2, 2, false, List.of()));
            assertThat(db.tableInfo("movie").version()).isEqualTo(info.version());
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            assertThat(m.openTable(MovieV2.class, TO_V2).migrated()).isFalse();
            assertThat(version(db)).isEqualTo(2L);
            assertThat(m.<List<MovieV2>>transactionOrThrow(q -> q.all(MovieV2.class))).hasSize(6)
                    .contains(new MovieV2(1, "Movie 1", "Nolan", 0));
        }
    }

    @Test
    void onlyVersionsAfterTheStoredOne_run() {
        seedV0(3);
        try (Mnemo db = Mnemo.open(dir)) {
            new Memento(db).openTable(MovieV2.class, TO_V2);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            MigrationReport r = m.openTable(MovieV3.class, TO_V3);
            assertThat(r.fromVersion()).isEqualTo(2);
            assertThat(r.applied()).containsExactly("version 3: add computed attribute released");
            assertThat(m.<java.util.Optional<MovieV3>>transactionOrThrow(q -> q.read(MovieV3.class, 2L)))
                    .contains(new MovieV3(2, "Movie 2", "Tarantino", 0, LocalDate.of(2000, 1, 8)));
        }
    }

    @Test
    void allPendingVersions_applyAsOneStep_fromVersionZero() {
        seedV0(2);
        try (Mnemo db = Mnemo.open(dir)) {
            int major = db.tableInfo("movie").version().get(0);
            Memento m = new Memento(db);
            assertThat(m.openTable(MovieV3.class, TO_V3).applied()).hasSize(5);
            assertThat(db.tableInfo("movie").version().get(0)).isEqualTo(major + 1);
            assertThat(version(db)).isEqualTo(3L);
        }
    }

    @Test
    void failingStep_leavesTableAsItWas_andNamesVersionStepAndRecord() {
        seedV0(5);
        Migrations failing = TO_V2.version(3, Step.addAttribute("released", null), Step.transform("parse titles",
                row -> {
                    if (row.get("id").equals(4L)) {
                        throw new IllegalStateException("cannot parse title");
                    }
                    return row;
                }));
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            TableInfo before = db.tableInfo("movie");
            List<Object> rowsBefore = db.dirtySelect("movie", Memento.matchSpec(MovieV0.class, Where.all()));
            assertThatThrownBy(() -> m.openTable(MovieV3.class, failing))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("table movie")
                    .hasMessageContaining("version 3, step 'transform parse titles' failed on record "
                            + "{\"movie\", 4, \"Movie 4\"")
                    .hasMessageContaining("cannot parse title");
            assertThat(db.tableInfo("movie")).isEqualTo(before);
            assertThat(db.dirtySelect("movie", Memento.matchSpec(MovieV0.class, Where.all())))
                    .isEqualTo(rowsBefore);
            assertThat(m.<List<MovieV0>>transactionOrThrow(q -> q.all(MovieV0.class))).hasSize(5);
        }
        try (Mnemo db = Mnemo.open(dir)) {
            assertThat(db.tableInfo("movie").attributes()).containsExactly("id", "name", "director", "year");
            assertThat(new Memento(db).openTable(MovieV3.class, TO_V3).fromVersion()).isZero();
        }
    }

    @Test
    void valueNotFittingTheClassType_failsTheWholeMigration() {
        seedV0(3);
        Migrations badDefault = Migrations.none()
                .version(1, Step.renameAttribute("name", "title"), Step.addAttribute("rating", "five"))
                .version(2, Step.addIndex("director"), Step.dropAttribute("year"));
        try (Mnemo db = Mnemo.open(dir)) {
            TableInfo before = db.tableInfo("movie");
            assertThatThrownBy(() -> new Memento(db).openTable(MovieV2.class, badDefault))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("movie").hasMessageContaining("rating").hasMessageContaining("five")
                    .hasMessageContaining("unchanged");
            assertThat(db.tableInfo("movie")).isEqualTo(before);
        }
    }

    @Test
    void stepsThatDoNotFitTheTable_failBeforeTouchingIt() {
        seedV0(2);
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            TableInfo before = db.tableInfo("movie");
            assertThatThrownBy(() -> m.openTable(MovieV2.class, Migrations.none()
                    .version(1, Step.renameAttribute("nmae", "title"))))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("version 1, step 'rename attribute nmae to title': no attribute 'nmae'")
                    .hasMessageContaining("[id, name, director, year]");
            assertThatThrownBy(() -> m.openTable(MovieV2.class, Migrations.none()
                    .version(1, Step.dropAttribute("id"))))
                    .hasMessageContaining("cannot drop the key attribute 'id'");
            assertThatThrownBy(() -> m.openTable(MovieV2.class, Migrations.none()
                    .version(1, Step.addAttribute("director", ""))))
                    .hasMessageContaining("attribute 'director' already exists");
            assertThatThrownBy(() -> m.openTable(MovieV2.class, Migrations.none()
                    .version(1, Step.renameAttribute("name", "title"))))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("would not match MovieV2")
                    .hasMessageContaining("missing [rating]").hasMessageContaining("not in the class [year]")
                    .hasMessageContaining("indexes are [] but the class declares [director]");
            assertThat(db.tableInfo("movie")).isEqualTo(before);
        }
    }

    @Test
    void indexSteps_areIdempotent() {
        seedV0(2);
        Migrations m2 = Migrations.none()
                .version(1, Step.renameAttribute("name", "title"), Step.addAttribute("rating", 0),
                        Step.removeIndex("title"), Step.addIndex("director"), Step.addIndex("director"))
                .version(2, Step.removeIndex("year"), Step.dropAttribute("year"), Step.addIndex("director"));
        try (Mnemo db = Mnemo.open(dir)) {
            new Memento(db).openTable(MovieV2.class, m2);
            assertThat(db.tableInfo("movie").index()).containsExactly("director");
        }
    }

    @Test
    void stepsFollowRenames_andTheClassGivesTheAttributeOrder() {
        seedV0(3);
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.openTable(MovieV2Reordered.class, TO_V2);
            assertThat(db.tableInfo("movie").attributes()).containsExactly("id", "rating", "title", "director");
            assertThat(m.dirty().read(MovieV2Reordered.class, 3L))
                    .contains(new MovieV2Reordered(3, 0, "Movie 3", "Nolan"));
        }
    }

    @Test
    void transformStep_rewritesOrDropsRecords_andMustKeepTheAttributes() {
        seedV0(4);
        Migrations dropOdd = TO_V2.version(3, Step.addAttribute("released", LocalDate.of(1999, 12, 31)),
                Step.transform("drop Nolan's and shout titles", row -> {
                    if (row.get("director").equals("Nolan")) {
                        return null;
                    }
                    row.put("title", ((String) row.get("title")).toUpperCase());
                    row.put("rating", 5);
                    return row;
                }));
        Migrations renames = TO_V2.version(3, Step.addAttribute("released", null),
                Step.transform("bad", row -> Map.of("id", row.get("id"))));
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            assertThatThrownBy(() -> m.openTable(MovieV3.class, renames))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("must return the same attributes")
                    .hasMessageContaining("missing");
            m.openTable(MovieV3.class, dropOdd);
            assertThat(m.<List<MovieV3>>transactionOrThrow(q -> q.all(MovieV3.class))).containsExactly(
                    new MovieV3(2, "MOVIE 2", "Tarantino", 5, LocalDate.of(1999, 12, 31)),
                    new MovieV3(4, "MOVIE 4", "Tarantino", 5, LocalDate.of(1999, 12, 31)));
        }
    }

    @Test
    void tableAtLatestVersion_mustMatchTheClass() {
        seedV0(1);
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            assertThat(m.openTable(MovieV0.class)).isEqualTo(new MigrationReport("movie", 0, 0, false, List.of()));
            assertThatThrownBy(() -> m.openTable(MovieV2.class))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("table movie (migration version 0) does not match MovieV2")
                    .hasMessageContaining("missing [title, rating]")
                    .hasMessageContaining("Declare a new migration version");
            assertThatThrownBy(() -> m.openTable(MovieYearAsText.class))
                    .hasMessageContaining("attribute year is INTEGER in the table but STRING in the class");
            assertThatThrownBy(() -> m.openTable(MovieInRam.class))
                    .hasMessageContaining("the table is disc_copies but the class declares ram_copies");
            assertThatThrownBy(() -> m.openTable(MovieInRam.class, Migrations.none().version(1)))
                    .hasMessageContaining("migrations do not change the table type or storage");
        }
    }

    @Test
    void emptyVersion_adoptsTheClassTypes_whenEveryRecordFits() {
        seedV0(2);
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            assertThatThrownBy(() -> m.openTable(MovieYearAsText.class, Migrations.none().version(1)))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("year");
            Migrations toText = Migrations.none().version(1, Step.transform("year as text", row -> {
                row.put("year", String.valueOf(row.get("year")));
                return row;
            }));
            m.openTable(MovieYearAsText.class, toText);
            assertThat(m.dirty().read(MovieYearAsText.class, 1L))
                    .contains(new MovieYearAsText(1, "Movie 1", "Nolan", "1991"));
        }
    }

    @Test
    void databaseNewerThanTheCode_isRefused() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.openTable(MovieV3.class, TO_V3);
            assertThatThrownBy(() -> m.openTable(MovieV2.class, TO_V2))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("table movie is at migration version 3 but MovieV2's migrations end at "
                            + "version 2");
        }
    }

    @Test
    void versionsMustIncrease() {
        assertThatThrownBy(() -> TO_V2.version(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must increase: 2 after 2");
        assertThat(TO_V2.latest()).isEqualTo(2);
        assertThat(Migrations.none().latest()).isZero();
    }

    @Test
    void concurrentOpens_runTheStepsOnce() throws Exception {
        seedV0(20);
        AtomicInteger calls = new AtomicInteger();
        Migrations counted = TO_V2.version(3, Step.addAttribute("released", null), Step.transform("count", row -> {
            calls.incrementAndGet();
            return row;
        }));
        int threads = 4;
        try (Mnemo db = Mnemo.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<MigrationReport>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return new Memento(db).openTable(MovieV3.class, counted);
                }));
            }
            List<MigrationReport> reports = Collections.synchronizedList(new ArrayList<>());
            for (Future<MigrationReport> f : futures) {
                reports.add(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(reports).filteredOn(MigrationReport::migrated).hasSize(1);
            assertThat(reports).allMatch(r -> r.toVersion() == 3);
            assertThat(calls.get()).isEqualTo(20);
        }
    }

    @Test
    void concurrentOpens_ofAnAbsentTable_createItOnce() throws Exception {
        int threads = 4;
        try (Mnemo db = Mnemo.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<MigrationReport>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return new Memento(db).openTable(MovieV3.class, TO_V3);
                }));
            }
            int created = 0;
            for (Future<MigrationReport> f : futures) {
                MigrationReport r = f.get(60, TimeUnit.SECONDS);
                created += r.created() ? 1 : 0;
                assertThat(r.toVersion()).isEqualTo(3);
            }
            pool.shutdown();
            assertThat(created).isEqualTo(1);
        }
    }

    @Test
    void bagTables_keepEveryRecordThroughAMigration() {
        try (Mnemo db = Mnemo.inMemory()) {
            Memento m = new Memento(db);
            m.openTable(TagV0.class);
            m.transactionOrThrow(q -> {
                q.write(new TagV0(1, "a"));
                q.write(new TagV0(1, "b"));
                q.write(new TagV0(2, "a"));
                return null;
            });
            m.openTable(TagV1.class, Migrations.none().version(1, Step.renameAttribute("tag", "label"),
                    Step.addAttribute("weight", 1)));
            assertThat(m.<List<TagV1>>transactionOrThrow(q -> q.readAll(TagV1.class, 1L, dev.mnemo.engine.LockKind.READ)))
                    .containsExactlyInAnyOrder(new TagV1(1, "a", 1), new TagV1(1, "b", 1));
            assertThat(db.tableInfo("tag").type()).isEqualTo(TableType.BAG);
        }
    }

    @Test
    void rewrittenRecordsThatWouldMerge_failTheMigration() {
        seedV0(3);
        Migrations collide = Migrations.none().version(1, Step.renameAttribute("name", "title"),
                Step.addAttribute("rating", 0), Step.addIndex("director"), Step.dropAttribute("year"),
                Step.transform("fold ids", row -> {
                    row.put("id", (Long) row.get("id") % 2);
                    return row;
                }));
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            assertThatThrownBy(() -> m.openTable(MovieV2.class, collide))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("has the same key as")
                    .hasMessageContaining("one of them would be lost");
            assertThat(db.tableInfo("movie").size()).isEqualTo(3);
        }
        try (Mnemo db = Mnemo.inMemory()) {
            Memento m = new Memento(db);
            m.openTable(TagV0.class);
            m.dirty().write(new TagV0(1, "a"));
            m.dirty().write(new TagV0(1, "b"));
            assertThatThrownBy(() -> m.openTable(TagOnly.class, Migrations.none().version(1,
                    Step.dropAttribute("tag"), Step.addAttribute("n", 1))))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("equals the rewritten record");
            assertThat(db.tableInfo("tag").size()).isEqualTo(2);
        }
    }

    @Table(name = "tag", type = TableType.BAG)
    record TagOnly(long post, long n) {
    }

    @Test
    void recordsTheClassCannotRead_failTheMigration_namingTheRecord() {
        seedV0(2);
        Migrations nullRating = Migrations.none().version(1, Step.renameAttribute("name", "title"),
                Step.addAttribute("rating", null), Step.addIndex("director"), Step.dropAttribute("year"));
        try (Mnemo db = Mnemo.open(dir)) {
            TableInfo before = db.tableInfo("movie");
            assertThatThrownBy(() -> new Memento(db).openTable(MovieV2.class, nullRating))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("record {\"movie\", 1, \"Movie 1\", \"Nolan\", 1991} would become")
                    .hasMessageContaining("MovieV2 cannot read");
            assertThat(db.tableInfo("movie")).isEqualTo(before);
        }
    }

    @Test
    void versionPropertyThatIsNotAVersion_isAnError() {
        seedV0(1);
        try (Mnemo db = Mnemo.open(dir)) {
            db.setUserProperties("movie", Map.of(Migrations.VERSION_PROPERTY, "1"));
            assertThatThrownBy(() -> new Memento(db).openTable(MovieV2.class, TO_V2))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("user property memento.version is 1; expected a migration version");
        }
    }

    @Test
    void tablesDefinedThroughSql_areNotMigrated() {
        seedV0(1);
        try (Mnemo db = Mnemo.open(dir)) {
            db.setUserProperties("movie", Map.of("sql.not_null", List.of("name")));
            assertThatThrownBy(() -> new Memento(db).openTable(MovieV2.class, TO_V2))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("defined through SQL (user property sql.not_null)");
        }
    }

    @Test
    void upToDateReadOnlyTable_opens_butCannotBeMigrated() {
        try (Mnemo db = Mnemo.open(dir)) {
            db.createTable(Memento.definitionOf(MovieV0.class).toBuilder()
                    .accessMode(dev.mnemo.engine.AccessMode.READ_ONLY).build());
            Memento m = new Memento(db);
            assertThat(m.openTable(MovieV0.class).migrated()).isFalse();
            assertThatThrownBy(() -> m.openTable(MovieV2.class, TO_V2)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("the table is unchanged");
        }
    }

    @Test
    void planningErrors_runNoRecordThroughAnyStep() {
        seedV0(3);
        AtomicInteger calls = new AtomicInteger();
        Migrations bad = Migrations.none().version(1, Step.addAttribute("extra", 0), Step.transform("count", row -> {
            calls.incrementAndGet();
            return row;
        }), Step.removeIndex("id"));
        try (Mnemo db = Mnemo.open(dir)) {
            assertThatThrownBy(() -> new Memento(db).openTable(MovieV2.class, bad))
                    .hasMessageContaining("cannot remove the index of the key attribute 'id'");
        }
        assertThat(calls.get()).isZero();
    }

    @Table(name = "counted", autoincrement = true)
    record Counted(long id, String what) {
    }

    @Test
    void autoincrementCounter_startsPastKeysAlreadyInTheTable() {
        try (Mnemo db = Mnemo.inMemory()) {
            db.createTable(Memento.definitionOf(Counted.class));
            db.dirtyWrite(dev.mnemo.engine.value.Tuple.of("counted", 41L, "raw"));
            Memento m = new Memento(db);
            m.openTable(Counted.class);
            assertThat(m.transactionOrThrow(q -> q.write(new Counted(0, "new"))).id()).isEqualTo(42L);
            assertThat(m.dirty().read(Counted.class, 41L)).contains(new Counted(41, "raw"));
        }
    }

    @Table(name = "tag", type = TableType.BAG)
    record TagV0(long post, String tag) {
    }

    @Table(name = "tag", type = TableType.BAG)
    record TagV1(long post, String label, long weight) {
    }
}
