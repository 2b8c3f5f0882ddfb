package dev.mnemo.engine.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which specs select whole records by key bounds alone, so that a range walk need not run them per record. */
class KeyBoundsOnlyTest {
    private static boolean boundsOnly(String spec) {
        return MatchSpec.parse(spec).compile().selectsByKeyBoundsOnly("users", 4, 1, c -> c instanceof Long);
    }

    @Test
    void boundsOnly_keyComparisonsWithWholeRecordBody_isRecognised() {
        assertThat(boundsOnly("[{{users,'$1','_','_'},[{'>=','$1',10},{'<',20,'$1'}],['$_']}]")).isTrue();
        assertThat(boundsOnly("[{{'_','$1','_','_'},[{'=<','$1',10}],['$_']}]")).isTrue();
        assertThat(boundsOnly("[{{users,'$1','_','_'},[],['$_']}]")).isTrue();
        // every record: what a SQL full scan asks for
        assertThat(boundsOnly("[{{users,'_','_','_'},[],['$_']}]")).isTrue();
    }

    @Test
    void boundsOnly_anAnyKeyWithAGuard_isNot() {
        assertThat(boundsOnly("[{{users,'_','_','_'},[{'<',1,2}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'_','_','_'},[],[{{'$_'}}]}]")).isFalse();
    }

    @Test
    void boundsOnly_anythingMoreThanKeyBounds_isNot() {
        // a guard on another attribute, a projection, a bound element, another record name, two clauses
        assertThat(boundsOnly("[{{users,'$1','_','$2'},[{'>=','$1',10},{'>','$2',1}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'$1','$2','_'},[{'>=','$1',10}],['$2']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'$1',\"x\",'_'},[{'>=','$1',10}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{orders,'$1','_','_'},[{'>=','$1',10}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'$1','_','_'},[{'>=','$1',10}],['$_']},{{users,'$1','_','_'},[],['$_']}]"))
                .isFalse();
        // equality, a boolean combination, a comparison of the key with itself, a wrong arity
        assertThat(boundsOnly("[{{users,'$1','_','_'},[{'==','$1',10}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'$1','_','_'},[{'orelse',{'<','$1',1},{'>','$1',9}}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'$1','_','_'},[{'<','$1','$1'}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'$1','_'},[{'<','$1',1}],['$_']}]")).isFalse();
    }

    @Test
    void boundsOnly_constantTheCallerRejects_isNot() {
        assertThat(boundsOnly("[{{users,'$1','_','_'},[{'>=','$1',10.0}],['$_']}]")).isFalse();
        assertThat(boundsOnly("[{{users,'$1','_','_'},[{'>=','$1',\"a\"}],['$_']}]")).isFalse();
    }
}
