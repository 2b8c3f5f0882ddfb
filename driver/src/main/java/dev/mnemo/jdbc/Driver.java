package dev.mnemo.jdbc;

import dev.mnemo.calcite.MnemoSchema;
import dev.mnemo.calcite.MnemoSession;
import dev.mnemo.engine.Mnemo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Handler;
import org.apache.calcite.avatica.HandlerImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.MnemoConnection;
import org.apache.calcite.jdbc.MnemoMeta;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The Mnemo JDBC driver: {@code jdbc:mnemo:<path>} (a database directory, created if absent) or
 * {@code jdbc:mnemo:mem:<name>} (in memory, shared by this JVM's connections and kept until the JVM ends unless
 * {@code close-on-last=true}), with optional properties
 * {@code ;create=true|false;read-only=true|false;sync=true|false;direct=true|false;close-on-last=true|false;
 * lock-timeout=<milliseconds>;write-delay=<milliseconds>}
 * (unknown ones are ignored with a warning on the connection). Connections to one database share one open engine.
 * {@code jdbc:mnemo:remote://host:port[;user=…;password=…]} connects to a Mnemo server instead (see the server
 * module), through Avatica's remote protocol.
 * Every engine table is a table of schema {@code mnemo}; identifiers are matched case-insensitively.
 */
public final class Driver extends org.apache.calcite.jdbc.Driver {
    /** The schema that holds the engine's tables. */
    public static final String SCHEMA = "mnemo";
    /**
     * The connection property a {@code jdbc:mnemo:remote://host:port/name} client sends with the database name it
     * expects; a server serving another database refuses the connection (08004).
     */
    public static final String REMOTE_DATABASE = "mnemo.database";
    /** The connection property holding the URL the connection was opened with. */
    static final String URL_PROPERTY = "mnemo.url";
    private static final ThreadLocal<Opening> OPENING = new ThreadLocal<>();
    /** The driver's and product's names and versions, embedded and remote (set before the static block runs). */
    static final DriverVersion VERSION = new DriverVersion("Mnemo JDBC Driver", "0.1.0", "Mnemo", "0.1.0", true, 0, 1,
            0, 1);

    static {
        // Calcite reads SQL string literals as ISO-8859-1 unless told otherwise: accept any Unicode text
        if (System.getProperty("calcite.default.charset") == null) {
            System.setProperty("calcite.default.charset", "UTF-16LE");
            System.setProperty("calcite.default.nationalcharset", "UTF-16LE");
            System.setProperty("calcite.default.collation.name", "UTF-16LE$en_US");
        }
        new Driver().register();
    }

    /** A connection being opened: its URL and engine, handed from connect() to createMeta(). */
    private record Opening(MnemoUrl url, MnemoSession session) {
    }

    @Override
    protected String getConnectStringPrefix() {
        return MnemoUrl.PREFIX;
    }

    @Override
    protected String getFactoryClassName(JdbcVersion jdbcVersion) {
        return MnemoJdbcFactory.class.getName();
    }

    @Override
    protected DriverVersion createDriverVersion() {
        return VERSION;
    }

    /**
     * The name of the database a {@code jdbc:mnemo:<path>} or {@code jdbc:mnemo:mem:<name>} URL opens: the
     * directory's name, or the in-memory name (what a server of it answers to, see {@link #REMOTE_DATABASE}).
     *
     * @throws SQLException the URL is malformed or a {@code jdbc:mnemo:remote:} one (08001)
     */
    public static String databaseName(String url) throws SQLException {
        if (RemoteUrl.accepts(url)) {
            throw new SQLException(RemoteUrl.redacted(url) + " names a server, not a database", "08001");
        }
        MnemoUrl parsed = MnemoUrl.parse(url, null);
        if (parsed.memName() != null || parsed.nodeName() != null) {
            return parsed.memName() != null ? parsed.memName() : parsed.nodeName();
        }
        Path name = parsed.location().getFileName();
        return name == null ? parsed.location().toString() : name.toString();
    }

    @Override
    public boolean acceptsURL(String url) {
        return MnemoUrl.accepts(url);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        if (RemoteUrl.accepts(url)) {
            return RemoteUrl.parse(url, info).connect(url);
        }
        MnemoUrl parsed = MnemoUrl.parse(url, info);
        Mnemo db = EngineRegistry.acquire(parsed);
        Properties calcite = new Properties();
        calcite.setProperty("caseSensitive", "false");
        calcite.setProperty("unquotedCasing", "UNCHANGED");
        calcite.setProperty("quotedCasing", "UNCHANGED");
        calcite.setProperty("quoting", "DOUBLE_QUOTE");
        calcite.setProperty("conformance", "LENIENT");
        calcite.setProperty("typeSystem", dev.mnemo.calcite.MnemoTypeSystem.class.getName());
        calcite.setProperty(URL_PROPERTY, url);
        MnemoSession session = new MnemoSession(db, parsed.readOnly());
        session.directPlans(parsed.direct());
        OPENING.set(new Opening(parsed, session));
        try {
            Connection c = super.connect(MnemoUrl.PREFIX, calcite);
            for (String ignored : parsed.ignored()) {
                ((MnemoConnection) c).warn("connection property '" + ignored + "' is not a Mnemo property and was "
                        + "ignored; Mnemo's properties are " + String.join(", ", MnemoUrl.KNOWN));
            }
            for (String unapplied : EngineRegistry.unapplied(parsed)) {
                ((MnemoConnection) c).warn(unapplied);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            EngineRegistry.release(parsed);
            throw e;
        } finally {
            OPENING.remove();
        }
    }

    @Override
    public org.apache.calcite.jdbc.CalcitePrepare createPrepare() {
        return new dev.mnemo.calcite.MnemoPrepare();
    }

    @Override
    public Meta createMeta(AvaticaConnection connection) {
        Opening o = OPENING.get();
        if (o == null) {
            throw new IllegalStateException("Mnemo connections are opened through Driver.connect");
        }
        return MnemoMeta.create(connection, o.session());
    }

    @Override
    protected Handler createHandler() {
        return new HandlerImpl() {
            @Override
            public void onConnectionInit(AvaticaConnection connection) throws SQLException {
                CalciteConnection c = (CalciteConnection) connection;
                SchemaPlus schema = c.getRootSchema().add(SCHEMA, new MnemoSchema(MnemoMeta.sessionOf(connection)));
                // Calcite makes a schema's table lookup on first use, caching unless the cache was off when it was
                // made: make it now, so that turning the cache off reaches it and DatabaseMetaData stays current
                schema.tables();
                schema.setCacheEnabled(false);
                c.setSchema(SCHEMA);
                MnemoMeta.init(connection);
            }

            @Override
            public void onConnectionClose(AvaticaConnection connection) {
                MnemoMeta.sessionOf(connection).close();
                String url = ((CalciteConnection) connection).getProperties().getProperty(URL_PROPERTY);
                try {
                    EngineRegistry.release(MnemoUrl.parse(url, null));
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot release " + url, e);
                }
            }
        };
    }
}
