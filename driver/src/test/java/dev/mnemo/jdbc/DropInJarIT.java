package dev.mnemo.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in jar ({@code mnemo-jdbc-<version>-all.jar}) used as DBeaver uses a driver jar: loaded by a class loader
 * of its own whose parent sees only the JDK, the driver instantiated by its class name, and the connection used from
 * a thread whose context class loader is that loader. Nothing of the test's class path can leak in: the classes
 * loaded must come from the jar.
 */
class DropInJarIT {
    private static Path jar;

    @BeforeAll
    static void findJar() {
        String property = System.getProperty("mnemo.dropInJar");
        assertThat(property).as("system property mnemo.dropInJar (set by the failsafe plugin)").isNotNull();
        jar = Paths.get(property);
        assertThat(jar).exists();
    }

    /** Runs body on a fresh thread whose context class loader is a new loader of the drop-in jar alone. */
    private static <T> T inJarLoader(JarBody<T> body) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            AtomicReference<T> result = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    Driver driver = (Driver) loader.loadClass("dev.mnemo.jdbc.Driver").getDeclaredConstructor()
                            .newInstance();
                    assertThat(driver.getClass().getClassLoader()).isSameAs(loader);
                    result.set(body.run(driver));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.setContextClassLoader(loader);
            t.start();
            t.join();
            if (failure.get() instanceof Exception) {
                throw (Exception) failure.get();
            } else if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            return result.get();
        }
    }

    private interface JarBody<T> {
        T run(Driver driver) throws Exception;
    }

    private static List<String> rows(ResultSet rs, String... columns) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (String c : columns) {
                    b.append(b.length() == 0 ? "" : "|").append(rs.getString(c));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void theJar_holdsTheDriverAndItsLibraries_relocatedWhereTheyClash_withoutALoggingBinding() throws Exception {
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getEntry("dev/mnemo/jdbc/Driver.class")).isNotNull();
            assertThat(j.getEntry("dev/mnemo/engine/Database.class")).isNotNull();
            assertThat(j.getEntry("org/apache/calcite/rel/RelNode.class")).isNotNull();
            assertThat(j.getEntry("org/apache/calcite/avatica/AvaticaConnection.class")).isNotNull();
            assertThat(j.getEntry("org/slf4j/LoggerFactory.class")).isNotNull();
            assertThat(j.getEntry("org/slf4j/impl/StaticLoggerBinder.class")).as("no SLF4J binding").isNull();
            assertThat(j.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();
            assertThat(j.getEntry("dev/mnemo/shaded/com/fasterxml/jackson/databind/ObjectMapper.class")).isNotNull();
            assertThat(j.getEntry("com/google/protobuf/Message.class")).isNull();
            assertThat(j.getEntry("com/github/benmanes/caffeine/cache/Caffeine.class")).isNull();
            String drivers = new String(j.getInputStream(j.getEntry("META-INF/services/java.sql.Driver"))
                    .readAllBytes());
            assertThat(drivers.strip()).as("Mnemo's driver only").isEqualTo("dev.mnemo.jdbc.Driver");
            assertThat(j.getEntry("com/google/common/collect/ImmutableList.class")).isNull();
            assertThat(j.getEntry("dev/mnemo/shaded/com/google/common/collect/ImmutableList.class")).isNotNull();
        }
    }

    @Test
    void aFreshClassLoader_runsDdlDmlAJoinAndMetadata_inMemory() throws Exception {
        List<String> joined = inJarLoader(driver -> {
            try (Connection c = driver.connect("jdbc:mnemo:mem:dropin", new Properties())) {
                assertThat(c).as("the driver accepts its URL").isNotNull();
                return useLikeATool(c);
            }
        });
        assertThat(joined).containsExactly("oslo|12", "rome|3");
    }

    @Test
    void aFreshClassLoader_opensADiscDatabase_andFindsItsRowsAfterReopening(@TempDir Path dir) throws Exception {
        String url = "jdbc:mnemo:" + dir.resolve("db");
        List<String> joined = inJarLoader(driver -> {
            try (Connection c = driver.connect(url, new Properties())) {
                return useLikeATool(c);
            }
        });
        assertThat(joined).containsExactly("oslo|12", "rome|3");
        assertThat(Files.list(dir.resolve("db")).count()).isPositive();
        List<String> reread = inJarLoader(driver -> {
            try (Connection c = driver.connect(url, new Properties()); Statement s = c.createStatement()) {
                return rows(s.executeQuery("select name, city from users order by id"), "NAME", "CITY");
            }
        });
        assertThat(reread).containsExactly("ann|oslo", "bob|rome");
    }

    @Test
    void aFreshClassLoader_reportsBadSqlWithItsSqlState() throws Exception {
        String state = inJarLoader(driver -> {
            try (Connection c = driver.connect("jdbc:mnemo:mem:dropin-errors", new Properties());
                 Statement s = c.createStatement()) {
                s.executeQuery("select * from no_such_table");
                return "no error";
            } catch (SQLException e) {
                return e.getSQLState();
            }
        });
        assertThat(state).isEqualTo("42S02");
    }

    @Test
    void theDriver_declinesOtherUrls_asDriverManagerExpects() throws Exception {
        Callable<Object> none = () -> inJarLoader(driver -> {
            assertThat(driver.acceptsURL("jdbc:h2:mem:x")).isFalse();
            return driver.connect("jdbc:h2:mem:x", new Properties());
        });
        assertThat(none.call()).isNull();
        assertThatThrownBy(() -> inJarLoader(driver -> driver.connect("jdbc:mnemo:", new Properties())))
                .isInstanceOf(SQLException.class);
    }

    /** What a SQL tool does on connect and in its first minutes: metadata, DDL, DML, a join. */
    private static List<String> useLikeATool(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        assertThat(md.getDatabaseProductName()).isEqualTo("Mnemo");
        assertThat(md.getDriverName()).isNotBlank();
        assertThat(md.getDriverVersion()).isNotBlank();
        assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
        assertThat(md.isReadOnly()).isFalse();
        assertThat(MetadataCalls.failingNoArgumentMethods(md)).as("DatabaseMetaData's no-argument methods tools call").isEmpty();
        assertThat(c.isValid(5)).isTrue();
        assertThat(c.getSchema()).isEqualTo("mnemo");
        assertThat(md.supportsTransactions()).isTrue();
        assertThat(c.getAutoCommit()).isTrue();
        c.setClientInfo("ApplicationName", "DBeaver 25.2");
        try (Statement s = c.createStatement()) {
            s.execute("create table users (id int primary key, name varchar(40), city varchar(40))");
            s.execute("create table orders (id int primary key, user_id int, amount int)");
            s.execute("create index orders_user on orders (user_id)");
            assertThat(s.executeUpdate("insert into users values (1, 'ann', 'oslo'), (2, 'bob', 'rome')"))
                    .isEqualTo(2);
            assertThat(s.executeUpdate("insert into orders values (10, 1, 5), (11, 1, 7), (12, 2, 3)"))
                    .isEqualTo(3);
            c.setAutoCommit(false);
            s.executeUpdate("update orders set amount = amount + 100 where id = 10");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(rows(md.getSchemas(), "TABLE_SCHEM")).contains("mnemo");
            assertThat(rows(md.getTableTypes(), "TABLE_TYPE")).contains("TABLE");
            assertThat(rows(md.getTables(null, "mnemo", "%", new String[] {"TABLE"}), "TABLE_NAME"))
                    .contains("users", "orders");
            assertThat(rows(md.getColumns(null, "mnemo", "users", "%"), "COLUMN_NAME", "TYPE_NAME",
                    "COLUMN_SIZE")).containsExactly("id|INTEGER|10", "name|VARCHAR|40", "city|VARCHAR|40");
            assertThat(rows(md.getPrimaryKeys(null, "mnemo", "users"), "COLUMN_NAME")).containsExactly("id");
            assertThat(rows(md.getIndexInfo(null, "mnemo", "orders", false, false), "INDEX_NAME"))
                    .contains("orders_user");
            assertThat(rows(md.getTypeInfo(), "TYPE_NAME")).contains("INTEGER", "VARCHAR");
            return rows(s.executeQuery("select u.city, sum(o.amount) as total from users u join orders o "
                    + "on o.user_id = u.id group by u.city order by u.city"), "CITY", "TOTAL");
        }
    }
}
