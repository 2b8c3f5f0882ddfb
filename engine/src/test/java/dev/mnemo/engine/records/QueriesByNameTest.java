package dev.mnemo.engine.records;

import static dev.mnemo.engine.records.Where.add;
import static dev.mnemo.engine.records.Where.and;
import static dev.mnemo.engine.records.Where.attr;
import static dev.mnemo.engine.records.Where.eq;
import static dev.mnemo.engine.records.Where.ge;
import static dev.mnemo.engine.records.Where.gt;
import static dev.mnemo.engine.records.Where.lt;
import static dev.mnemo.engine.records.Where.mul;
import static dev.mnemo.engine.records.Where.ne;
import static dev.mnemo.engine.records.Where.not;
import static dev.mnemo.engine.records.Where.or;
import static dev.mnemo.engine.records.Where.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.Mnemo;
import dev.mnemo.engine.StorageType;
import dev.mnemo.engine.TableType;
import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueriesByNameTest {
    @Table(storage = StorageType.DISC_COPIES, type = TableType.ORDERED_SET, index = "director")
    record Movie(int id, String title, String director, int year, double rating) {
    }

    @TempDir
    Path dir;

    private static final List<Movie> MOVIES = List.of(
            new Movie(1, "Reservoir Dogs", "Quentin Tarantino", 1992, 8.3),
            new Movie(2, "Rush", "Ron Howard", 2013, 8.1),
            new Movie(3, "Jackie Brown", "Quentin Tarantino", 1997, 7.5),
            new Movie(4, "Kill Bill", "Quentin Tarantino", 2003, 8.2),
            new Movie(5, "Rush", "Lili Fini Zanuck", 1991, 6.0));

    private static Memento seeded(Mnemo db) {
        Memento m = new Memento(db);
        m.createTable(Movie.class);
        m.transactionOrThrow(q -> {
            MOVIES.forEach(q::write);
            return null;
        });
        return m;
    }

    private static List<Integer> ids(List<Movie> movies) {
        return movies.stream().map(Movie::id).toList();
    }

    @Test
    void crudByKeyAndRecord_onADiscTable_survivesRestart() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = seeded(db);
            m.transactionOrThrow(q -> {
                q.delete(Movie.class, 2);
                q.deleteRecord(MOVIES.get(4));
                q.deleteRecord(new Movie(1, "not the stored one", "x", 0, 0)); // not equal: kept
                q.write(new Movie(3, "Jackie Brown", "Quentin Tarantino", 1997, 7.6));
                return null;
            });
        }
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = new Memento(db);
            m.waitForTables(Duration.ofSeconds(10), Movie.class);
            List<Movie> kept = m.transactionOrThrow(q -> q.all(Movie.class));
            assertThat(ids(kept)).containsExactly(1, 3, 4);
            Optional<Movie> three = m.transactionOrThrow(q -> q.read(Movie.class, 3));
            assertThat(three.map(Movie::rating)).contains(7.6);
            Optional<Movie> two = m.transactionOrThrow(q -> q.read(Movie.class, 2));
            assertThat(two).isEmpty();
            assertThat(m.tableInfo(Movie.class).size()).isEqualTo(3);
            m.clearTable(Movie.class);
            List<Movie> none = m.transactionOrThrow(q -> q.all(Movie.class));
            assertThat(none).isEmpty();
            m.deleteTable(Movie.class);
            assertThat(db.tables()).doesNotContain("movie");
        }
    }

    @Test
    void select_withGuardsOnAttributeNames() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = seeded(db);
            assertThat(ids(m.transactionOrThrow(q -> q.select(Movie.class, eq("title", "Rush"))))).containsExactly(2, 5);
            assertThat(ids(m.transactionOrThrow(q -> q.select(Movie.class,
                    and(eq("director", "Quentin Tarantino"), lt("year", 2000)))))).containsExactly(1, 3);
            assertThat(ids(m.transactionOrThrow(q -> q.select(Movie.class,
                    or(gt("rating", 8.2), not(ne("year", 1991))))))).containsExactly(1, 5);
            assertThat(ids(m.transactionOrThrow(q -> q.select(Movie.class,
                    ge(add("year", 10), 2013))))).containsExactly(2, 4);
            assertThat(ids(m.transactionOrThrow(q -> q.select(Movie.class,
                    gt(mul("rating", 10), sub(attr("year"), 1920)))))).containsExactly(1);
            assertThat(ids(m.transactionOrThrow(q -> q.select(Movie.class, eq("id", 4L))))).containsExactly(4);
        }
    }

    @Test
    void matchByExample_andIndexRead_andRawSpecs() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = seeded(db);
            assertThat(ids(m.transactionOrThrow(q -> q.match(Movie.class,
                    Map.of("director", "Quentin Tarantino", "year", Match.ANY))))).containsExactly(1, 3, 4);
            assertThat(ids(m.transactionOrThrow(q -> q.match(Movie.class, Map.of("title", "Rush", "year", 1991)))))
                    .containsExactly(5);
            assertThat(ids(m.transactionOrThrow(q -> q.indexRead(Movie.class, "director", "Ron Howard"))))
                    .containsExactly(2);
            MatchSpec titles = MatchSpec.of(MatchSpec.clause(Match.pattern("movie", Match.ANY, Match.var(1),
                    Match.ANY, Match.var(2), Match.ANY), List.of(Match.call(">", Match.var(2), 2000)),
                    List.of(Match.var(1))));
            List<Object> raw = m.transactionOrThrow(q -> q.select(Movie.class, titles));
            assertThat(raw).containsExactly("Rush", "Kill Bill");
            assertThat(Memento.matchSpec(Movie.class, eq("title", "Rush")).toString())
                    .isEqualTo("[{{movie,'$1','$2','$3','$4','$5'},[{'==','$2',\"Rush\"}],['$_']}]");
        }
    }

    @Test
    void unknownAttribute_namesTheRecordAndListsItsAttributes() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = seeded(db);
            assertThatThrownBy(() -> m.transactionOrThrow(q -> q.select(Movie.class, eq("directr", "x"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Movie").hasMessageContaining("directr")
                    .hasMessageContaining("[id, title, director, year, rating]");
            assertThatThrownBy(() -> m.transactionOrThrow(q -> q.match(Movie.class, Map.of("nope", 1))))
                    .hasMessageContaining("no attribute 'nope'");
            assertThatThrownBy(() -> Where.and(Where.add("year", 1)))
                    .hasMessageContaining("is not a condition");
        }
    }

    @Test
    void selectWithLimit_resumesInALaterTransaction_seeingWritesMadeMeanwhile() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = seeded(db);
            Page<Movie> first = m.transactionOrThrow(q -> q.select(Movie.class, Where.all(), 2));
            assertThat(ids(first.items())).containsExactly(1, 2);
            assertThat(first.hasMore()).isTrue();
            m.transactionOrThrow(q -> {
                q.delete(Movie.class, 3);
                q.write(new Movie(6, "Django Unchained", "Quentin Tarantino", 2012, 8.4));
                q.write(new Movie(0, "before the cursor", "nobody", 2000, 1.0));
                return null;
            });
            Page<Movie> second = m.transactionOrThrow(q -> q.resume(first));
            assertThat(ids(second.items())).containsExactly(4, 5);
            Page<Movie> third = m.transactionOrThrow(q -> q.resume(second));
            assertThat(ids(third.items())).containsExactly(6);
            Page<Movie> end = third.hasMore() ? m.transactionOrThrow(q -> q.resume(third)) : third;
            assertThat(end.hasMore()).isFalse();
            assertThatThrownBy(() -> m.transactionOrThrow(q -> q.resume(end))).isInstanceOf(IllegalStateException.class);

            Page<Movie> dirty = m.dirty().select(Movie.class, eq("director", "Quentin Tarantino"), 1);
            List<Integer> all = new java.util.ArrayList<>(ids(dirty.items()));
            while (dirty.hasMore()) {
                dirty = m.dirty().resume(dirty);
                all.addAll(ids(dirty.items()));
            }
            assertThat(all).containsExactly(1, 4, 6);
        }
    }

    @Test
    void keyNavigation_firstNextPrevLastAllKeys() {
        try (Mnemo db = Mnemo.open(dir)) {
            Memento m = seeded(db);
            m.transactionOrThrow(q -> {
                assertThat(q.first(Movie.class)).contains(1);
                assertThat(q.last(Movie.class)).contains(5);
                assertThat(q.next(Movie.class, 2)).contains(3);
                assertThat(q.next(Movie.class, 5)).isEmpty();
                assertThat(q.prev(Movie.class, 2L)).contains(1);
                assertThat(q.prev(Movie.class, 1)).isEmpty();
                assertThat(q.allKeys(Movie.class)).containsExactly(1, 2, 3, 4, 5);
                return null;
            });
            assertThat(m.dirty().allKeys(Movie.class)).first().isInstanceOf(Integer.class);
            Optional<Object> none = m.transactionOrThrow(q -> {
                q.delete(Movie.class, 1);
                return q.prev(Movie.class, 2);
            });
            assertThat(none).isEmpty();
        }
    }
}
