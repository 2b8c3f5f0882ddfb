package dev.mnemo.jdbc;

import static dev.mnemo.jdbc.JdbcBasicsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Names as clients send them: schema-qualified and quoted in DDL, DML and metadata patterns; any identifier SQL
 * allows (spaces, dots, any script) as a table or column name; tables of key columns alone; an unquoted reserved
 * word refused at CREATE with the fix in the message; a bag's PRIMARY KEY reported as the non-unique key it is.
 */
class NamesTest {
    private Connection c;
    private Statement s;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:mnemo:mem:names;close-on-last=true");
        s = c.createStatement();
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void quotedNamesWithSpacesDotsAndOtherScripts_workInDdlDmlAndMetadata() throws SQLException {
        s.execute("create table \"mnemo\".\"order lines.v2\" (\"line id\" int primary key, \"Straße\" varchar(20), "
                + "\"数量\" int)");
        s.execute("create index \"by street\" on \"mnemo\".\"order lines.v2\" (\"Straße\")");
        assertThat(s.executeUpdate("insert into \"mnemo\".\"order lines.v2\" values (1, 'Hauptstraße', 3), "
                + "(2, 'Ring', 4)")).isEqualTo(2);
        try (PreparedStatement p = c.prepareStatement("update mnemo.\"order lines.v2\" set \"数量\" = \"数量\" + ? "
                + "where \"Straße\" = ?")) {
            p.setInt(1, 10);
            p.setString(2, "Ring");
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
        assertThat(rows(s.executeQuery("select \"line id\", \"数量\" from \"order lines.v2\" order by \"line id\"")))
                .containsExactly("1|3", "2|14");
        DatabaseMetaData md = c.getMetaData();
        assertThat(column(md.getTables(null, "mnemo", "order lines%", null), "TABLE_NAME"))
                .containsExactly("order lines.v2");
        assertThat(column(md.getColumns(null, "mnemo", "order_lines.v2", "%a%e"), "COLUMN_NAME"))
                .containsExactly("Straße");
        assertThat(column(md.getIndexInfo(null, "mnemo", "order lines.v2", false, false), "INDEX_NAME"))
                .contains("by street");
        assertThat(s.executeUpdate("delete from \"mnemo\".\"order lines.v2\" where \"line id\" = 1")).isEqualTo(1);
        s.execute("drop table \"mnemo\".\"order lines.v2\"");
        assertThat(column(md.getTables(null, "mnemo", "order lines%", null), "TABLE_NAME")).isEmpty();
    }

    @Test
    void aTableOfKeyColumnsAlone_isASetOfKeys() throws SQLException {
        s.execute("create table tags (tag varchar(20) primary key)");
        s.execute("create table pairs (a int, b int, primary key (a, b))");
        assertThat(s.executeUpdate("insert into tags values ('red'), ('blue')")).isEqualTo(2);
        assertThatThrownBy(() -> s.executeUpdate("insert into tags values ('red')"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        assertThat(s.executeUpdate("insert into pairs values (1, 2), (1, 3), (2, 1)")).isEqualTo(3);
        assertThat(rows(s.executeQuery("select tag from tags order by tag"))).containsExactly("blue", "red");
        assertThat(rows(s.executeQuery("select b from pairs where a = 1 order by b"))).containsExactly("2", "3");
        assertThat(s.executeUpdate("delete from pairs where a = 1 and b = 3")).isEqualTo(1);
        assertThat(rows(s.executeQuery("select count(*) from pairs"))).containsExactly("2");
        assertThat(column(c.getMetaData().getPrimaryKeys(null, "mnemo", "pairs"), "COLUMN_NAME"))
                .containsExactly("a", "b");
    }

    @Test
    void anUnquotedReservedWord_isRefusedAtCreate_andQuotedItWorksEverywhere() throws SQLException {
        assertThatThrownBy(() -> s.execute("create table events (id int primary key, year int)"))
                .isInstanceOf(SQLSyntaxErrorException.class)
                .hasMessageContaining("year is a reserved word in SQL").hasMessageContaining("\"year\"");
        assertThat(column(c.getMetaData().getTables(null, "mnemo", "events", null), "TABLE_NAME")).isEmpty();
        s.execute("create table events (id int primary key, \"year\" int)");
        s.executeUpdate("insert into events values (1, 2026)");
        assertThat(rows(s.executeQuery("select \"year\" from events where \"year\" > 2000"))).containsExactly("2026");
    }

    @Test
    void aBagsPrimaryKey_isReportedAsTheNonUniqueIndexItIs() throws SQLException {
        s.execute("create table notes (post_id bigint primary key, body varchar(20)) with (type = bag)");
        assertThat(s.executeUpdate("insert into notes values (1, 'a'), (1, 'b')")).isEqualTo(2);
        DatabaseMetaData md = c.getMetaData();
        assertThat(column(md.getPrimaryKeys(null, "mnemo", "notes"), "COLUMN_NAME")).isEmpty();
        List<String> index = new ArrayList<>();
        try (ResultSet rs = md.getIndexInfo(null, "mnemo", "notes", false, false)) {
            while (rs.next()) {
                index.add(rs.getString("INDEX_NAME") + "|" + rs.getBoolean("NON_UNIQUE") + "|"
                        + rs.getString("COLUMN_NAME"));
            }
        }
        assertThat(index).containsExactly("notes_key|true|post_id");
    }

    private static List<String> column(ResultSet rs, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString(name));
            }
        }
        return out;
    }
}
