package dev.mnemo.engine.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnemo.engine.match.Match;
import dev.mnemo.engine.match.MatchSpec;
import dev.mnemo.engine.value.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestMatchSpecTest {
    record Movie(int id, String title, int year) {
    }

    private static final Movie RUSH = new Movie(2, "Rush", 2013);

    @Test
    void matchingSpec_givesTheBodyResult_withoutAnyTable() {
        MatchSpec spec = MatchSpec.parse("[{{movie,'$1','$2','$3'},[{'>','$3',2000}],[{{'$2','$1'}}]}]");
        Memento.MatchTest r = Memento.testMatchSpec(RUSH, spec);
        assertThat(r.ok()).isTrue();
        assertThat(r.matched()).isTrue();
        assertThat(r.result()).isEqualTo(Tuple.of("Rush", 2L));
        assertThat(Memento.testMatchSpec(Tuple.of("movie", 1, "Old", 1950), spec).matched()).isFalse();
    }

    @Test
    void typedGuards_canBeTriedOnARecord() {
        assertThat(Memento.test(RUSH, Where.and(Where.eq("title", "Rush"), Where.gt("year", 2000)))).isTrue();
        assertThat(Memento.test(RUSH, Where.lt("year", 2000))).isFalse();
        MatchSpec spec = Memento.matchSpec(Movie.class, Where.eq("title", "Rush"));
        assertThat(Memento.testMatchSpec(RUSH, spec).result()).isEqualTo(Tuple.of("movie", 2, "Rush", 2013));
    }

    @Test
    void invalidSpec_orFailingBody_givesTheErrorMessage() {
        MatchSpec unbound = MatchSpec.of(MatchSpec.clause(Match.pattern("movie", Match.var(1), Match.ANY, Match.ANY),
                List.of(), List.of(Match.var(7))));
        Memento.MatchTest r = Memento.testMatchSpec(RUSH, unbound);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("$7");

        MatchSpec badBody = MatchSpec.of(MatchSpec.clause(Match.pattern("movie", Match.ANY, Match.var(1), Match.ANY),
                List.of(), List.of(Match.call("+", Match.var(1), 1))));
        Memento.MatchTest failed = Memento.testMatchSpec(RUSH, badBody);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.error()).contains("body");
    }
}
