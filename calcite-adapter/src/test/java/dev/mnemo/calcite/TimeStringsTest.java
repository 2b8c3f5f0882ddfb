package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The time strings a cast to TIME takes: Calcite's shapes, with the fields in range. */
class TimeStringsTest {
    @Test
    void timesInCalcitesShapes_withFieldsInRange_passUnchanged() {
        for (String ok : new String[] {"0", "7", "23", "1:2", "01:02:03", "23:59:59", "23:59:59.999", " 12 : 30 ",
            "00:00:00.000000", "12:30:00."}) {
            assertThat(TimeStrings.check(ok)).as(ok).isSameAs(ok);
        }
        assertThat(TimeStrings.check(null)).isNull();
    }

    @Test
    void fieldsOutOfRange_orNotNumbers_areInvalidTimeValues() {
        for (String bad : new String[] {"24:00:00", "25:99:99", "12:60", "12:00:60", "-1:00:00", "12:-1:00", "a:b",
            "1:2:3:4", "12:00:00.x", "", "12::00", "noon"}) {
            assertThatThrownBy(() -> TimeStrings.check(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid TIME value, '" + bad + "'");
        }
    }

}
