package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dialect functions BI tools send, each with a value computed by hand (and, where H2 has it, H2's). */
class DialectFunctionsTest {
    private Connection c;
    private Statement s;

    @BeforeEach
    void setUp() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:dialect;close-on-last=true");
        s = c.createStatement();
        s.execute("create table f (id bigint primary key, s varchar(20), n bigint, d date, ts timestamp)");
        s.execute("insert into f values (1, 'hello world', null, date '2024-03-17', timestamp '2024-03-17 13:45:10')");
    }

    @AfterEach
    void tearDown() throws SQLException {
        c.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "substr(s, 1, 5)                    | hello",
        "substr(s, 7)                       | world",
        "nvl(n, 7)                          | 7",
        "ifnull(n, 8)                       | 8",
        "nvl2(n, 'set', 'unset')            | unset",
        "decode(id, 1, 'one', 2, 'two')     | one",
        "greatest(3, 9, 4)                  | 9",
        "least(3, 9, 4)                     | 3",
        "left(s, 2)                         | he",
        "right(s, 3)                        | rld",
        "lpad('7', 3, '0')                  | 007",
        "rpad('ab', 4, '.')                 | ab..",
        "repeat('ab', 3)                    | ababab",
        "reverse('abc')                     | cba",
        "instr(s, 'o')                      | 5",
        "strpos(s, 'world')                 | 7",
        "length(s)                          | 11",
        "concat_ws('-', 'a', 'b', 'c')      | a-b-c",
        "concat('a', null, 'b', 'c')        | abc",
        "split_part('a,b,c', ',', 2)        | b",
        "chr(65)                            | A",
        "md5('abc')                         | 900150983cd24fb0d6963f7d28e17f72",
        "to_char(ts, 'YYYY-MM-DD HH24:MI')  | 2024-03-17 13:45",
        "to_date('2024-03-17', 'YYYY-MM-DD') | 2024-03-17",
        "date_trunc(d, month)               | 2024-03-01",
        "extract(year from d)               | 2024",
        "extract(quarter from d)            | 1",
        "extract(dow from d)                | 1",
        "extract(doy from d)                | 77",
        "extract(week from d)               | 11",
        "extract(hour from ts)              | 13",
        "floor(ts to hour)                  | 2024-03-17 13:00:00.0",
        "trim(both 'h' from s)              | ello world",
    })
    void function_givesTheDialectsAnswer(String expression, String expected) throws SQLException {
        assertThat(rows(s.executeQuery("select " + expression + " from f"))).containsExactly(expected);
    }
}
