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

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatchSpecParseTest {
    @Test
    void parse_seedExample_equalsBuiltSpec() {
        MatchSpec parsed = MatchSpec.parse(
                "[{{users,'$1','$2','_'},[{'>','$2',30},{'=:=',{hd,'$3'},65}],['$$']}]");
        MatchSpec built = MatchSpec.of(clause(pattern("users", var(1), var(2), ANY),
                List.of(call(">", var(2), 30), call("=:=", call("hd", var(3)), 65)), List.of(ALL_VARS)));

        assertThat(parsed).isEqualTo(built);
    }

    @Test
    void parse_constructedTupleBody_equalsBuiltSpec() {
        MatchSpec parsed = MatchSpec.parse("[{{sessions,'_','$1','_'},[],[{{'$1','$_'}}]}]");
        MatchSpec built = MatchSpec.of(clause(pattern("sessions", ANY, var(1), ANY), List.of(),
                List.of(tuple(var(1), ALL))));

        assertThat(parsed).isEqualTo(built);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[{{users,'$1','$2','_'},[{'>','$2',30},{'=:=',{hd,'$3'},65}],['$$']}]",
        "[{{sessions,'_','$1','_'},[],[{{'$1','$_'}}]}]",
        "[{'_',[],['$_']},{'$0',[{is_record,'$0',\"users\",3}],[{element,2,'$0'}]}]",
        "[{{t,{p,'$1','_'},[1,'$2'],\"a \\\"q\\\" \\\\ b\\n\"},[{'andalso',{'<','$1',-5},{'/=','$2',2.5}}],"
                + "[[1,\"x\",{const,{a,1}}],#{\"k\"=>'$1'}]}]",
        "[{{t,<<1,2,255>>,null,true,false},[],[{'-','$_'},{'div',-12345678901234567890123,7}]}]",
        "[{{t,\"Users\",'$1'},[{'orelse',{'not','$1'},{'xor',true,'$1'}}],[{{t,\"hello world\",{{}}}}]}]",
    })
    void parse_toStringRoundTrips(String text) {
        MatchSpec spec = MatchSpec.parse(text);

        assertThat(spec.toString()).isEqualTo(text);
        assertThat(MatchSpec.parse(spec.toString())).isEqualTo(spec);
    }

    @Test
    void toString_ofBuiltSpec_parsesBackEqual() {
        MatchSpec built = MatchSpec.of(
                clause(pattern("users", var(1), List.of(ANY, "x"), pattern("nested", var(2), Tuple.of("g", 1))),
                        List.of(call("andalso", call(">=", var(1), 3.25), call("is_map_key", "k", var(2)))),
                        List.of(tuple(var(1), Tuple.of("const", "tuple"), List.of(Tuple.of(1, 2))),
                                Map.of("a", var(1)), new byte[] {0, 127}, -7, "O'Neil \"q\"")),
                clause(var(3), List.of(true), List.of(ALL, ALL_VARS, var(3))));

        assertThat(MatchSpec.parse(built.toString())).isEqualTo(built);
    }

    @Test
    void parse_atomsAndLiterals_mapToMnemoValues() {
        MatchSpec spec = MatchSpec.parse("""
                % a comment
                [{{t, 'quoted atom', undefined, null, true, 16#ff, $A, 1.5e3, -2, <<"hé">>,
                   123456789012345678901234567890},
                  [], ['$_']}].
                """);
        MatchPattern p = (MatchPattern) spec.clauses().get(0).head();

        assertThat(p.elements()).containsExactly("t", "quoted atom", null, null, true, 255L, 65L, 1500.0, -2L,
                Binary.of("hé".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new BigDecimal("123456789012345678901234567890").stripTrailingZeros());
    }

    @Test
    void parse_stringEscapes() {
        MatchSpec spec = MatchSpec.parse("[{{t,\"a\\\"b\\\\c\\nd\\te\\x41\\x{1F600}\"},[],['$_']}]");

        assertThat(((MatchPattern) spec.clauses().get(0).head()).element(1)).isEqualTo("a\"b\\c\nd\teA😀");
    }

    @Test
    void parse_constArgumentIsPlainTerm() {
        MatchSpec spec = MatchSpec.parse("[{'_',[],[{const,{'$1','_',[a]}}]}]");

        assertThat(spec.clauses().get(0).body()).containsExactly(Tuple.of("$1", "_", List.of("a")));
    }

    @Test
    void parse_parsedSpecRuns() {
        CompiledMatchSpec s = MatchSpec.parse("[{{users,'$1','$2'},[{'>',{size,'$2'},3}],[{{'$2',{'*','$1',2}}}]}]")
                .compile();

        assertThat(s.apply(Tuple.of("users", 21, "Alice"))).isEqualTo(Tuple.of("Alice", 42L));
        assertThat(s.matches(Tuple.of("users", 21, "Bob"))).isFalse();
    }

    @Test
    void parse_missingClosingBracket_reportsOffsetAndExpectation() {
        String text = "[{{t,'$1'},[],['$1']}";
        assertThatThrownBy(() -> MatchSpec.parse(text)).isInstanceOfSatisfying(MatchSpecException.class, e -> {
            assertThat(e.offset()).isEqualTo(text.length());
            assertThat(e.getMessage()).contains("offset " + text.length()).contains("expected ',' or ']'")
                    .contains("end of input");
        });
    }

    @Test
    void parse_garbageInsideTuple_reportsOffset() {
        assertThatThrownBy(() -> MatchSpec.parse("[{{t, ;},[],['$_']}]"))
                .isInstanceOfSatisfying(MatchSpecException.class, e -> {
                    assertThat(e.offset()).isEqualTo(6);
                    assertThat(e.getMessage()).contains("expected a term").contains("';},[]");
                });
    }

    @Test
    void parse_clauseNotATriple_reportsItsOffset() {
        assertThatThrownBy(() -> MatchSpec.parse("[{'_',[]}]")).isInstanceOfSatisfying(MatchSpecException.class,
                e -> {
                    assertThat(e.offset()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("{Head, Guards, Body}");
                });
    }

    @Test
    void parse_unknownFunction_reportsOffsetOfName() {
        assertThatThrownBy(() -> MatchSpec.parse("[{'$1',[{frob,'$1'}],['$_']}]"))
                .isInstanceOfSatisfying(MatchSpecException.class, e -> {
                    assertThat(e.offset()).isEqualTo(9);
                    assertThat(e.getMessage()).contains("frob");
                });
    }

    @Test
    void parse_wrongArity_reported() {
        assertThatThrownBy(() -> MatchSpec.parse("[{'$1',[{element,'$1'}],['$_']}]"))
                .isInstanceOf(MatchSpecException.class).hasMessageContaining("element");
    }

    @Test
    void parse_erlangVariable_explainsQuotedVariables() {
        assertThatThrownBy(() -> MatchSpec.parse("[{{t,X},[],['$_']}]"))
                .isInstanceOfSatisfying(MatchSpecException.class, e -> {
                    assertThat(e.offset()).isEqualTo(5);
                    assertThat(e.getMessage()).contains("'$1'");
                });
    }

    @Test
    void parse_unterminatedString_reportsStart() {
        assertThatThrownBy(() -> MatchSpec.parse("[{{t,\"abc},[],['$_']}]"))
                .isInstanceOfSatisfying(MatchSpecException.class, e -> assertThat(e.offset()).isEqualTo(5));
    }

    @Test
    void parse_misplacedMarkers_rejected() {
        assertThatThrownBy(() -> MatchSpec.parse("[{{t,'$_'},[],['$_']}]")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("offset 5");
        assertThatThrownBy(() -> MatchSpec.parse("[{{t,'_'},[],['_']}]")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("offset 14");
        assertThatThrownBy(() -> MatchSpec.parse("[{users,[],['$_']}]")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("clause head");
    }

    @Test
    void parse_notAListOrEmpty_rejected() {
        assertThatThrownBy(() -> MatchSpec.parse("{'_',[],['$_']}")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("list of clauses");
        assertThatThrownBy(() -> MatchSpec.parse("[]")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("at least one clause");
        assertThatThrownBy(() -> MatchSpec.parse("[{'_',[],['$_']}] extra")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("end of input");
    }

    @Test
    void parse_badBinaryAndImproperList_rejected() {
        assertThatThrownBy(() -> MatchSpec.parse("[{{t,<<256>>},[],['$_']}]")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("byte");
        assertThatThrownBy(() -> MatchSpec.parse("[{{t,[a|b]},[],['$_']}]")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("improper");
    }

    @Test
    void parse_bodyCallNeedsAtomFirst() {
        assertThatThrownBy(() -> MatchSpec.parse("[{'_',[],[{1,2}]}]")).isInstanceOf(MatchSpecException.class)
                .hasMessageContaining("{Function, Arg, ...}").hasMessageContaining("offset 10");
    }

    @Test
    void parse_dollarMarkersInBody() {
        MatchSpec spec = MatchSpec.parse("[{'$1',[],['$_','$$','$1']}]");

        assertThat(spec.clauses().get(0).body()).containsExactly(ALL, ALL_VARS, var(1));
    }
}
