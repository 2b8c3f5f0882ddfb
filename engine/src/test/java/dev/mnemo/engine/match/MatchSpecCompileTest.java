package dev.mnemo.engine.match;

import static dev.mnemo.engine.match.Match.ALL;
import static dev.mnemo.engine.match.Match.ALL_VARS;
import static dev.mnemo.engine.match.Match.ANY;
import static dev.mnemo.engine.match.Match.call;
import static dev.mnemo.engine.match.Match.pattern;
import static dev.mnemo.engine.match.Match.tuple;
import static dev.mnemo.engine.match.Match.var;
import static dev.mnemo.engine.match.MatchSpec.clause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchSpecCompileTest {
    @Test
    void compile_variableUnboundInGuard_rejectedNamingIt() {
        MatchSpec s = MatchSpec.of(clause(pattern("t", var(1)), List.of(call(">", var(2), 1)), List.of(ALL)));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'$2'").hasMessageContaining("not bound").hasMessageContaining("clause 1");
    }

    @Test
    void compile_variableUnboundInBody_rejectedNamingIt() {
        MatchSpec s = MatchSpec.of(clause(pattern("t", var(1)), List.of(), List.of(tuple(var(1), var(3)))));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'$3'");
    }

    @Test
    void compile_variableBoundOnlyInAnotherClause_rejected() {
        MatchSpec s = MatchSpec.of(
                clause(pattern("t", var(1)), List.of(), List.of(var(1))),
                clause(pattern("u", ANY), List.of(), List.of(var(1))));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'$1'").hasMessageContaining("clause 2");
    }

    @Test
    void compile_unknownFunction_rejectedNamingIt() {
        MatchSpec s = MatchSpec.of(clause(pattern("t", var(1)), List.of(call("frobnicate", var(1))), List.of(ALL)));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frobnicate");
    }

    @Test
    void compile_wrongArity_rejected() {
        MatchSpec s = MatchSpec.of(clause(pattern("t", var(1)), List.of(call("element", var(1))), List.of(ALL)));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("element").hasMessageContaining("takes 2");
    }

    @Test
    void compile_wildcardInBody_rejected() {
        MatchSpec s = MatchSpec.of(clause(pattern("t", var(1)), List.of(), List.of(ANY)));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'_'");
    }

    @Test
    void compile_emptyBody_rejected() {
        MatchSpec s = MatchSpec.of(clause(ANY, List.of(), List.of()));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body");
    }

    @Test
    void compile_constOfVariable_rejected() {
        MatchSpec s = MatchSpec.of(clause(pattern("t", var(1)), List.of(), List.of(call("const", var(1)))));

        assertThatThrownBy(s::compile).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("const");
    }

    @Test
    void compile_dollarDollarAndDollarUnderscoreNeedNoBinding() {
        MatchSpec s = MatchSpec.of(clause(ANY, List.of(), List.of(List.of(ALL, ALL_VARS))));

        assertThat(s.compile().apply(Tuple.of("a"))).isEqualTo(List.of(Tuple.of("a"), List.of()));
    }

    @Test
    void of_noClauses_rejected() {
        assertThatThrownBy(MatchSpec::of).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one clause");
    }

    @Test
    void clause_badHead_rejected() {
        assertThatThrownBy(() -> clause("users", List.of(), List.of(ALL)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head");
        assertThatThrownBy(() -> clause(ALL, List.of(), List.of(ALL)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head");
    }

    @Test
    void clause_tupleHead_isAGroundPattern() {
        MatchSpec s = MatchSpec.of(clause(Tuple.of("t", 1), List.of(), List.of(ALL)));

        assertThat(s.clauses().get(0).head()).isEqualTo(pattern("t", 1));
        assertThat(s.compile().matches(Tuple.of("t", 1))).isTrue();
    }

    @Test
    void pattern_markersNotAllowedInPatterns_rejected() {
        assertThatThrownBy(() -> pattern("t", ALL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'$_'");
        assertThatThrownBy(() -> pattern("t", call("+", 1, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pattern("t", new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void var_outOfErlangRange_rejected() {
        assertThatThrownBy(() -> var(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> var(100_000_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(var(100_000_000)).isEqualTo(var(100_000_000));
        assertThat(var(3)).isEqualTo(var(3)).isNotEqualTo(var(4));
    }

    @Test
    void equality_builtAndNormalizedConstantsCompareEqual() {
        MatchSpec a = MatchSpec.of(clause(pattern("t", 1, pattern("p", 2)), List.of(call(">", var(1), 3)),
                List.of(ALL)));
        MatchSpec b = MatchSpec.of(clause(pattern("t", 1L, Tuple.of("p", 2L)), List.of(call(">", var(1), 3L)),
                List.of(ALL)));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void matchPattern_toStringIsErlangLike() {
        assertThat(pattern("users", var(1), ANY, "x")).hasToString("{users,'$1','_',\"x\"}");
        assertThat(pattern("users", "Bob Smith", 1.5, List.of(var(2)), pattern("p", ANY), null, true))
                .hasToString("{users,\"Bob Smith\",1.5,['$2'],{p,'_'},null,true}");
        assertThat(pattern("Users", "true")).hasToString("{\"Users\",\"true\"}");
    }

    @Test
    void matchPattern_accessors() {
        MatchPattern p = pattern("t", var(1), pattern("x", 1));

        assertThat(p.size()).isEqualTo(3);
        assertThat(p.element(2)).isEqualTo(Tuple.of("x", 1));
        assertThat(p.elements()).containsExactly("t", var(1), Tuple.of("x", 1));
        assertThat(p.isGround()).isFalse();
        assertThat(pattern("t", 1).isGround()).isTrue();
    }
}
