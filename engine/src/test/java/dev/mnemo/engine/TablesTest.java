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

class TablesTest {
    @TempDir
    Path dir;
    Mnemo db;

    @BeforeEach
    void open() {
        db = Mnemo.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static TableDef users(StorageType s) {
        return TableDef.builder("users").attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING)
                .attribute("email", AttrType.ANY).storage(s).index("email").userProperty("owner", "team-a").build();
    }

    @Test
    void createTable_duplicateName_throwsAlreadyExists() {
        db.createTable(users(StorageType.RAM_COPIES));
        assertThatThrownBy(() -> db.createTable(users(StorageType.DISC_COPIES)))
                .isInstanceOf(TableExistsException.class).hasMessageContaining("users");
    }

    @Test
    void operations_unknownTable_throwNoSuchTableNamingIt() {
        assertThatThrownBy(() -> db.dirtyRead("nope", 1)).isInstanceOf(NoSuchTableException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> db.transaction(tx -> tx.read("nope", 1))).isInstanceOf(NoSuchTableException.class);
        assertThatThrownBy(() -> db.deleteTable("nope")).isInstanceOf(NoSuchTableException.class);
    }

    @Test
    void createTable_indexOnKey_rejected() {
        assertThatThrownBy(() -> TableDef.builder("t").attributes("id", "v").index("id").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("key");
    }

    @Test
    void createTable_withoutAttributes_orWithABlankTooLongOrControlCharacterName_rejected() {
        assertThatThrownBy(() -> TableDef.builder("t").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("at least 1 attribute");
        assertThatThrownBy(() -> TableDef.builder(" ").attributes("id").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("empty or blank");
        assertThatThrownBy(() -> TableDef.builder("a\u0000b").attributes("id").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("control characters (one at position 2)");
        assertThatThrownBy(() -> TableDef.builder("x".repeat(129)).attributes("id").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("at most 128 characters");
        assertThatThrownBy(() -> TableDef.builder("t").attributes("id", "tab\there").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("bad attribute name 'tab\there'");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(StorageType.class)
    void aTableOfKeysAlone_withANameSqlWouldQuote_isReadWrittenAndReopened(StorageType s) {
        String name = "my keys.2026 Zähler 表";
        db.createTable(TableDef.builder(name).type(TableType.ORDERED_SET).attribute("the id", AttrType.INTEGER)
                .storage(s).build());
        db.transaction(tx -> {
            for (long i = 5; i > 0; i--) {
                tx.write(Tuple.of(name, i));
            }
            tx.delete(name, 3L);
            return null;
        });
        assertThatThrownBy(() -> db.dirtyWrite(Tuple.of(name, 9L, "extra"))).isInstanceOf(BadRecordException.class)
                .hasMessageContaining("arity");
        if (s != StorageType.RAM_COPIES) { // a ram_copies table keeps its definition only
            db.close();
            db = Mnemo.open(dir);
            db.waitForTables(List.of(name), java.time.Duration.ofSeconds(30));
        }
        assertThat(db.tableDef(name).attributes()).containsExactly("the id");
        assertThat(db.dirtyAllKeys(name)).containsExactly(1L, 2L, 4L, 5L);
        assertThat(db.<List<Tuple>>transaction(tx -> tx.read(name, 4L))).containsExactly(Tuple.of(name, 4L));
        assertThat(db.<List<Object>>snapshot(tx -> tx.select(name,
                dev.mnemo.engine.match.MatchSpec.parse("[{{'_','$1'},[{'>','$1',1}],['$1']}]"))))
                .containsExactly(2L, 4L, 5L);
    }

    @Test
    void write_wrongArity_rejectedAndTableUnchanged() {
        db.createTable(users(StorageType.DISC_COPIES));
        db.dirtyWrite(Tuple.of("users", 1, "Alice", "a@x"));
        assertThatThrownBy(() -> db.transaction(tx -> {
            tx.write(Tuple.of("users", 2, "Bob", "b@x"));
            tx.write(Tuple.of("users", 3, "Carol"));
            return null;
        })).isInstanceOf(BadRecordException.class).hasMessageContaining("arity").hasMessageContaining("users");
        assertThat(db.dirtyAllKeys("users")).containsExactly(1L);
    }

    @Test
    void write_wrongType_rejectedNamingAttributeValueAndType() {
        db.createTable(users(StorageType.RAM_COPIES));
        assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("users", 1, 42, "a@x")))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("users").hasMessageContaining("'name'").hasMessageContaining("string")
                .hasMessageContaining("42");
        assertThat(db.tableInfo("users").size()).isZero();
    }

    @Test
    void keys_nullOrUnsupported_rejectedNamingTable() {
        db.createTable(users(StorageType.RAM_COPIES));
        assertThatThrownBy(() -> db.dirtyRead("users", null)).isInstanceOf(BadRecordException.class)
                .hasMessageContaining("users").hasMessageContaining("null");
        assertThatThrownBy(() -> db.transaction(tx -> tx.read("users", new Object())))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("users", null, "A", "a")))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("'id'");
    }

    @Test
    void write_wrongRecordName_rejected() {
        db.createTable(users(StorageType.RAM_COPIES));
        assertThatThrownBy(() -> db.dirtyWrite("users", Tuple.of("people", 1, "A", "a")))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("record name");
    }

    @Test
    void write_readOnlyTable_rejected() {
        db.createTable(TableDef.builder("consts").attributes("k", "v").accessMode(AccessMode.READ_ONLY).build());
        assertThatThrownBy(() -> db.dirtyWrite(Tuple.of("consts", 1, 2))).isInstanceOf(ReadOnlyTableException.class)
                .hasMessageContaining("consts");
        assertThatThrownBy(() -> db.transaction(tx -> {
            tx.write(Tuple.of("consts", 1, 2));
            return null;
        })).isInstanceOf(ReadOnlyTableException.class);
    }

    @Test
    void inMemoryDatabase_discTable_rejected() {
        try (Mnemo mem = Mnemo.inMemory()) {
            assertThatThrownBy(() -> mem.createTable(users(StorageType.DISC_COPIES)))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("in memory");
        }
    }

    @Test
    void tableInfo_reportsMnesiaKeys() {
        db.createTable(users(StorageType.DISC_ONLY_COPIES));
        db.dirtyWrite(Tuple.of("users", 1, "Alice", "a@x"));
        TableInfo info = db.tableInfo("users");
        Map<String, Object> m = info.asMap();
        assertThat(m).containsEntry("size", 1L).containsEntry("arity", 4).containsEntry("type", "set")
                .containsEntry("storage_type", "disc_only_copies").containsEntry("record_name", "users")
                .containsEntry("access_mode", "read_write").containsEntry("index", List.of("email"))
                .containsEntry("attributes", List.of("id", "name", "email"))
                .containsEntry("version", List.of(1, 0));
        assertThat(info.userProperties()).containsEntry("owner", "team-a");
        assertThatThrownBy(() -> info.get("colour")).hasMessageContaining("colour");
    }

    @Test
    void systemInfo_countsCommitsAndFailures() {
        db.createTable(users(StorageType.RAM_COPIES));
        db.transaction(tx -> {
            tx.write(Tuple.of("users", 1, "A", "a"));
            return null;
        });
        db.tryTransaction(tx -> tx.abort("no"));
        SystemInfo s = db.systemInfo();
        assertThat(s.tables()).containsExactly("users");
        assertThat(s.isRunning()).isTrue();
        assertThat(s.transactionCommits()).isEqualTo(1);
        assertThat(s.transactionFailures()).isEqualTo(1);
        assertThat(s.heldLocks()).isEmpty();
        assertThat(s.directory()).isNotNull();
    }

    @Test
    void deleteTable_thenRecreate_startsEmpty() {
        db.createTable(users(StorageType.DISC_COPIES));
        db.dirtyWrite(Tuple.of("users", 1, "A", "a"));
        db.deleteTable("users");
        assertThat(db.tables()).isEmpty();
        db.createTable(users(StorageType.DISC_COPIES));
        assertThat(db.dirtyAllKeys("users")).isEmpty();
    }

    @Test
    void clearTable_removesRowsAndIndexEntries() {
        for (StorageType s : StorageType.values()) {
            String name = "c_" + s.mnesiaName();
            db.createTable(TableDef.builder(name).attributes("k", "v").index("v").storage(s).build());
            db.dirtyWrite(Tuple.of(name, 1, "x"));
            db.clearTable(name);
            assertThat(db.dirtyAllKeys(name)).as(s.toString()).isEmpty();
            assertThat(db.dirtyIndexRead(name, "x", "v")).as(s.toString()).isEmpty();
            db.dirtyWrite(Tuple.of(name, 2, "x"));
            assertThat(db.dirtyIndexRead(name, "x", "v")).as(s.toString()).hasSize(1);
        }
    }

    @Test
    void changeTableCopyType_keepsRowsAndIndexesThroughEveryStorage() {
        db.createTable(users(StorageType.RAM_COPIES));
        for (int i = 0; i < 50; i++) {
            db.dirtyWrite(Tuple.of("users", i, "n" + i, "e" + (i % 5)));
        }
        for (StorageType s : List.of(StorageType.DISC_COPIES, StorageType.DISC_ONLY_COPIES, StorageType.RAM_COPIES,
                StorageType.DISC_ONLY_COPIES, StorageType.DISC_COPIES)) {
            db.changeTableCopyType("users", s);
            assertThat(db.tableInfo("users").storageType()).isEqualTo(s);
            assertThat(db.dirtyAllKeys("users")).hasSize(50);
            assertThat(db.dirtyIndexRead("users", "e3", "email")).hasSize(10);
        }
        db.close();
        db = Mnemo.open(dir);
        assertThat(db.tableInfo("users").storageType()).isEqualTo(StorageType.DISC_COPIES);
        assertThat(db.dirtyIndexRead("users", "e3", "email")).hasSize(10);
    }

    @Test
    void addAndRemoveIndex_onTableWithData_buildsFromRows() {
        for (StorageType s : StorageType.values()) {
            String name = "i_" + s.mnesiaName();
            db.createTable(TableDef.builder(name).attributes("k", "v", "w").type(TableType.BAG).storage(s).build());
            db.dirtyWrite(Tuple.of(name, 1, "a", 1));
            db.dirtyWrite(Tuple.of(name, 1, "b", 2));
            db.dirtyWrite(Tuple.of(name, 2, "a", 3));
            assertThatThrownBy(() -> db.dirtyIndexRead(name, "a", "v")).isInstanceOf(SchemaException.class);
            db.addTableIndex(name, "v");
            assertThat(db.dirtyIndexRead(name, "a", "v")).as(s.toString())
                    .containsExactly(Tuple.of(name, 1, "a", 1), Tuple.of(name, 2, "a", 3));
            assertThat(db.tableInfo(name).version()).isEqualTo(List.of(1, 1));
            db.delTableIndex(name, "v");
            assertThat(db.tableInfo(name).index()).isEmpty();
            assertThatThrownBy(() -> db.delTableIndex(name, "v")).isInstanceOf(SchemaException.class);
        }
    }

    @Test
    void transformTable_rewritesEveryRecordAndPersists() {
        db.createTable(TableDef.builder("people").attributes("id", "name").storage(StorageType.DISC_ONLY_COPIES)
                .build());
        for (int i = 0; i < 20; i++) {
            db.dirtyWrite(Tuple.of("people", i, "p" + i));
        }
        db.transformTable("people", r -> Tuple.of("people", r.get(1), r.get(2), ((Long) r.get(1)) * 10),
                List.of("id", "name", "score"));
        assertThat(db.dirtyRead("people", 3)).containsExactly(Tuple.of("people", 3, "p3", 30));
        assertThat(db.tableInfo("people").attributes()).containsExactly("id", "name", "score");
        assertThat(db.tableInfo("people").version()).isEqualTo(List.of(2, 0));
        db.close();
        db = Mnemo.open(dir);
        assertThat(db.dirtyRead("people", 19)).containsExactly(Tuple.of("people", 19, "p19", 190));
    }

    @Test
    void transformTable_failingFunction_leavesTableAsItWas() {
        db.createTable(TableDef.builder("people").attributes("id", "name").storage(StorageType.DISC_COPIES).build());
        for (int i = 0; i < 5; i++) {
            db.dirtyWrite(Tuple.of("people", i, "p" + i));
        }
        assertThatThrownBy(() -> db.transformTable("people", r -> {
            if (r.get(1).equals(3L)) {
                throw new IllegalStateException("boom");
            }
            return Tuple.of("people", r.get(1), r.get(2), 0);
        }, List.of("id", "name", "x"))).hasMessageContaining("boom");
        assertThatThrownBy(() -> db.transformTable("people", r -> Tuple.of("people", r.get(1)), List.of("id", "name")))
                .isInstanceOf(BadRecordException.class);
        assertThat(db.tableInfo("people").attributes()).containsExactly("id", "name");
        assertThat(db.dirtyRead("people", 3)).containsExactly(Tuple.of("people", 3, "p3"));
        db.close();
        db = Mnemo.open(dir);
        assertThat(db.dirtyAllKeys("people")).hasSize(5);
    }

    @Test
    void alterTable_decidesUnderTheLock_andChangesShapeIndexesAndPropertiesAtOnce() {
        db.createTable(TableDef.builder("people").attributes("id", "name").storage(StorageType.DISC_COPIES).build());
        for (int i = 0; i < 5; i++) {
            db.dirtyWrite(Tuple.of("people", i, "p" + i));
        }
        assertThat(db.alterTable("people", current -> null)).isFalse();
        assertThat(db.tableInfo("people").version()).isEqualTo(List.of(1, 0));

        boolean changed = db.alterTable("people", current -> new TableTransform(TableDef.builder("people")
                .attribute("id", AttrType.INTEGER).attribute("name", AttrType.STRING).attribute("team", AttrType.ANY)
                .index("team").storage(StorageType.DISC_COPIES).userProperty("v", 1).build(),
                r -> Tuple.of("people", r.get(1), r.get(2), (Long) r.get(1) % 2)));
        assertThat(changed).isTrue();
        assertThat(db.dirtyIndexRead("people", 1L, "team")).extracting(r -> r.get(1)).containsExactly(1L, 3L);
        assertThat(db.tableInfo("people").userProperties()).containsEntry("v", 1L);
        assertThat(db.tableInfo("people").version()).isEqualTo(List.of(2, 0));

        TableInfo before = db.tableInfo("people");
        assertThatThrownBy(() -> db.alterTable("people", current -> new TableTransform(current.toBuilder()
                .storage(StorageType.RAM_COPIES).build(), r -> r)))
                .isInstanceOf(SchemaException.class)
                .hasMessage("table people: alterTable cannot change the storage (DISC_COPIES to RAM_COPIES)");
        assertThatThrownBy(() -> db.alterTable("people", current -> new TableTransform(current,
                r -> r.with(2, 42)))).isInstanceOf(BadRecordException.class);
        assertThat(db.tableInfo("people")).isEqualTo(before);
        db.close();
        db = Mnemo.open(dir);
        assertThat(db.dirtyRead("people", 3)).containsExactly(Tuple.of("people", 3, "p3", 1));
        assertThat(db.tableInfo("people").index()).containsExactly("team");
    }

    @Test
    void secondOpen_sameDirectory_isRefusedClearly() {
        assertThatThrownBy(() -> Mnemo.open(dir)).isInstanceOf(DatabaseLockedException.class)
                .hasMessageContaining("already open");
    }

    @Test
    void stopAndStart_reloadsDiscTablesAndEmptiesRamTables() {
        db.createTable(users(StorageType.DISC_COPIES));
        db.createTable(TableDef.builder("cache").attributes("k", "v").build());
        db.dirtyWrite(Tuple.of("users", 1, "A", "a"));
        db.dirtyWrite(Tuple.of("cache", 1, "x"));
        db.stop();
        assertThat(db.systemInfo().isRunning()).isFalse();
        assertThatThrownBy(() -> db.dirtyRead("users", 1)).hasMessageContaining("not running");
        db.start();
        db.waitForTables(List.of("users", "cache"), java.time.Duration.ofSeconds(10));
        assertThat(db.dirtyRead("users", 1)).hasSize(1);
        assertThat(db.dirtyRead("cache", 1)).isEmpty();
        assertThatThrownBy(() -> db.waitForTables(List.of("ghost"), java.time.Duration.ofSeconds(1)))
                .isInstanceOf(NoSuchTableException.class);
    }

    @Test
    void dirtyUpdateCounter_isAtomicAndMayGoNegative() throws Exception {
        db.createTable(TableDef.builder("counters").attributes("name", "value").storage(StorageType.DISC_COPIES)
                .build());
        Thread[] ts = new Thread[4];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> {
                for (int j = 0; j < 500; j++) {
                    db.dirtyUpdateCounter("counters", "hits", 1);
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(db.dirtyRead("counters", "hits")).containsExactly(Tuple.of("counters", "hits", 2000));
        assertThat(db.dirtyUpdateCounter("counters", "hits", -2001)).isEqualTo(-1);
    }
}
