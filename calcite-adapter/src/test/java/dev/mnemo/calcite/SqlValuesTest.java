package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Engine values as Calcite's internal values. */
class SqlValuesTest {
    @Test
    void dateAsEpochDay_isLocalDatesOwn_insideAndOutsideTheMonthTable() {
        // every day from 1890 to 2210: the table's years, its edges and beyond them on both sides
        for (LocalDate d = LocalDate.of(1890, 1, 1); d.getYear() < 2210; d = d.plusDays(1)) {
            assertThat(SqlValues.epochDay(d)).as("%s", d).isEqualTo((int) d.toEpochDay());
        }
        for (LocalDate d : new LocalDate[] {LocalDate.of(-4000, 2, 29), LocalDate.of(9999, 12, 31),
                LocalDate.of(1, 1, 1), LocalDate.of(2000, 2, 29)}) {
            assertThat(SqlValues.toSql(dev.mnemo.engine.AttrType.DATE, d)).as("%s", d)
                    .isEqualTo((int) d.toEpochDay());
        }
    }
}
