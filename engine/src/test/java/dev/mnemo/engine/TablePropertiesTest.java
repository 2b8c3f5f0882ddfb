package dev.mnemo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnemo.engine.value.Tuple;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setUserProperties and the typed transformTable that also replaces user properties. */
class TablePropertiesTest {
    @TempDir
    Path dir;
    Mnemo db;

    @BeforeEach
    void open() {
        db = Mnemo.open(dir);
        db.createTable(TableDef.builder("people").attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .storage(StorageType.DISC_COPIES).index("name").userProperty("owner", "a").build());
        for (int i = 0; i < 5; i++) {
            db.dirtyWrite(Tuple.of("people", i, "p" + i));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void setUserProperties_replacesAllPersistsAndBumpsMinorVersion() {
        db.setUserProperties("people", Map.of("sql.columns", List.of("id", "name"), "n", 1));
        TableInfo info = db.tableInfo("people");
        assertThat(info.userProperties()).containsOnlyKeys("sql.columns", "n");
        assertThat(info.version()).isEqualTo(List.of(1, 1));
        assertThat(db.dirtyIndexRead("people", "p3", "name")).containsExactly(Tuple.of("people", 3, "p3"));
        db.close();
        db = Mnemo.open(dir);
        assertThat(db.tableInfo("people").userProperties())
                .isEqualTo(Map.of("sql.columns", List.of("id", "name"), "n", 1L));
        assertThat(db.dirtyRead("people", 4)).containsExactly(Tuple.of("people", 4, "p4"));
    }

    @Test
    void setUserProperties_badValueOrUnknownTable_rejectedAndNothingChanges() {
        assertThatThrownBy(() -> db.setUserProperties("people", Map.of("x", new Object())))
                .isInstanceOf(SchemaException.class).hasMessageContaining("people").hasMessageContaining("'x'");
        assertThatThrownBy(() -> db.setUserProperties("nope", Map.of())).isInstanceOf(NoSuchTableException.class);
        assertThatThrownBy(() -> db.transaction(tx -> {
            db.setUserProperties("people", Map.of());
            return null;
        })).hasMessageContaining("inside a transaction");
        assertThat(db.tableInfo("people").userProperties()).isEqualTo(Map.of("owner", "a"));
        assertThat(db.tableInfo("people").version()).isEqualTo(List.of(1, 0));
    }

    @Test
    void setUserProperties_inMemoryDatabase_works() {
        try (Mnemo mem = Mnemo.inMemory()) {
            mem.createTable(TableDef.builder("t").attributes("k", "v").build());
            mem.setUserProperties("t", Map.of("a", "b"));
            assertThat(mem.tableInfo("t").userProperties()).isEqualTo(Map.of("a", "b"));
        }
    }

    @Test
    void transformTableWithTypes_typesNewAttributeAndReplacesPropertiesAtomically() {
        db.transformTable("people", r -> Tuple.of("people", r.get(1), r.get(2), ((Long) r.get(1)) * 2),
                List.of("id", "name", "score"), List.of(AttrType.INTEGER, AttrType.STRING, AttrType.INTEGER),
                Map.of("sql.columns", List.of("id", "name", "score")));
        TableInfo info = db.tableInfo("people");
        assertThat(info.attributeTypes()).containsExactly(AttrType.INTEGER, AttrType.STRING, AttrType.INTEGER);
        assertThat(info.userProperties()).containsOnlyKeys("sql.columns");
        assertThat(info.index()).containsExactly("name");
        assertThat(info.version()).isEqualTo(List.of(2, 0));
        assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("people", 9, "x", "not a number")))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("'score'");
        db.close();
        db = Mnemo.open(dir);
        assertThat(db.tableInfo("people").attributeTypes()).containsExactly(AttrType.INTEGER, AttrType.STRING,
                AttrType.INTEGER);
        assertThat(db.dirtyRead("people", 3)).containsExactly(Tuple.of("people", 3, "p3", 6));
    }

    @Test
    void transformTableWithTypes_recordNotFittingNewType_leavesTableAsItWas() {
        assertThatThrownBy(() -> db.transformTable("people", r -> Tuple.of("people", r.get(1), r.get(2), "x"),
                List.of("id", "name", "score"), List.of(AttrType.INTEGER, AttrType.STRING, AttrType.INTEGER),
                Map.of())).isInstanceOf(BadRecordException.class).hasMessageContaining("'score'");
        assertThatThrownBy(() -> db.transformTable("people", r -> r, List.of("id", "name"),
                List.of(AttrType.INTEGER), null)).isInstanceOf(SchemaException.class).hasMessageContaining("types");
        TableInfo info = db.tableInfo("people");
        assertThat(info.attributes()).containsExactly("id", "name");
        assertThat(info.userProperties()).isEqualTo(Map.of("owner", "a"));
        assertThat(info.version()).isEqualTo(List.of(1, 0));
    }

    @Test
    void transformTableWithTypes_nullProperties_keepsThem() {
        db.transformTable("people", r -> r, List.of("id", "name"),
                List.of(AttrType.INTEGER, AttrType.ANY), null);
        assertThat(db.tableInfo("people").userProperties()).isEqualTo(Map.of("owner", "a"));
        assertThat(db.tableInfo("people").attributeTypes()).containsExactly(AttrType.INTEGER, AttrType.ANY);
    }
}
