package dev.mnemo.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;

/**
 * Serves one Mnemo database to {@code jdbc:mnemo:remote://host:port[/name]} clients over Avatica's HTTP protocol
 * (protobuf). Start it in the application that owns the database, so that tools see the live data:
 *
 * <pre>{@code
 * try (MnemoServer server = MnemoServer.builder("jdbc:mnemo:./data").port(8765).users(Path.of("users.properties"))
 *         .start()) {
 *     ... the application goes on using jdbc:mnemo:./data itself ...
 * }
 * }</pre>
 *
 * <p>Connections of this JVM to the same URL share the database with the server's clients. What it guarantees:
 * <ul>
 *   <li>every client authenticates (HTTP BASIC, or DIGEST) against a users file in Jetty's format,
 *       {@code name: password[, role…]} per line (a password may be given as {@code MD5:…} or {@code CRYPT:…});
 *       passwords are never logged;</li>
 *   <li>it listens on the loopback interface unless {@link Builder#bindAddress} says otherwise, and speaks HTTPS when
 *       a keystore is given;</li>
 *   <li>a client connection idle longer than {@link Builder#idleTimeout} is closed and its open transaction rolled
 *       back, never committed; a socket that sends nothing is dropped after {@link Builder#socketTimeout};</li>
 *   <li>a request body over {@link Builder#maxRequestBytes} is refused (HTTP 413) before it is read, and one that
 *       arrives slower than 1 KiB per second is cut off (408);</li>
 *   <li>errors reach the client with their SQLState;</li>
 *   <li>{@link #close()} stops accepting, lets requests in flight finish (up to {@link Builder#drainTimeout}),
 *       rolls back the clients' open transactions and closes the database unless this JVM still uses it.</li>
 * </ul>
 * Nothing from the wire is deserialised as a Java object: requests are protobuf messages.
 */
public final class MnemoServer implements AutoCloseable {
    private final HttpServer http;
    private final ServedMeta meta;
    private final Connection anchor;
    private final ScheduledExecutorService sweeper;
    private final String host; // as a URL names it
    private final String name;
    private final boolean tls;
    private final boolean digest;
    private final int port;

    private MnemoServer(HttpServer http, ServedMeta meta, Connection anchor, ScheduledExecutorService sweeper,
                        String host, String name, boolean tls, boolean digest) {
        this.http = http;
        this.meta = meta;
        this.anchor = anchor;
        this.sweeper = sweeper;
        this.host = host;
        this.name = name;
        this.tls = tls;
        this.digest = digest;
        this.port = http.getPort();
    }

    /** A server of the database at {@code jdbcUrl} ({@code jdbc:mnemo:<path>} or {@code jdbc:mnemo:mem:<name>}). */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** The port it listens on (the one chosen when 0 was asked for); still that one after {@link #close()}. */
    public int port() {
        return port;
    }

    /** The name clients may put in their URL's path: the directory's name, or the in-memory database's. */
    public String databaseName() {
        return name;
    }

    /**
     * The URL a client uses, without credentials: {@code jdbc:mnemo:remote://host:port/name[;ssl=true][;auth=digest]}.
     */
    public String url() {
        return "jdbc:mnemo:remote://" + host + ":" + port() + "/" + name + (tls ? ";ssl=true" : "")
                + (digest ? ";auth=digest" : "");
    }

    /** Waits until the server is stopped. */
    public void join() throws InterruptedException {
        http.join();
    }

    /**
     * Stops the server: no new requests, requests in flight finish (up to the drain timeout), every client
     * connection is closed with its transaction rolled back, then the server's own hold on the database ends.
     */
    @Override
    public synchronized void close() {
        if (sweeper.isShutdown()) {
            return;
        }
        sweeper.shutdownNow();
        try {
            http.stop();
        } finally {
            meta.closeAll();
            try {
                anchor.close();
            } catch (SQLException e) {
                org.slf4j.LoggerFactory.getLogger(MnemoServer.class).warn("closing the served database failed", e);
            }
        }
    }

    /** The settings of a server; {@link #start()} makes it. Not thread-safe. */
    public static final class Builder {
        /** The slowest a request body may arrive (bytes per second, after its first second). */
        static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
        private final String jdbcUrl;
        private int port = 8765;
        private String bindAddress = "127.0.0.1";
        private Path users;
        private boolean digest;
        private Path keystore;
        private String keystorePassword;
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration socketTimeout = Duration.ofSeconds(30);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private long maxRequestBytes = 16L << 20;
        private int maxConnections = 1000;

        private Builder(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        }

        /** The port; 0 picks a free one (see {@link MnemoServer#port()}). Default 8765. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
            }
            this.port = port;
            return this;
        }

        /** The address to listen on; default 127.0.0.1 (this machine only). {@code 0.0.0.0} listens everywhere. */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The users file (required): {@code name: password[, role…]} per line. */
        public Builder users(Path file) {
            this.users = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Use HTTP DIGEST authentication instead of BASIC (a password never crosses the wire, even without TLS). */
        public Builder digest(boolean digest) {
            this.digest = digest;
            return this;
        }

        /** Serve HTTPS with the key in this keystore (JKS or PKCS12). */
        public Builder tls(Path keystore, String password) {
            this.keystore = Objects.requireNonNull(keystore, "keystore");
            this.keystorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** How long a client connection may stay unused before it is closed and rolled back; default 10 minutes. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idle timeout");
            return this;
        }

        /** How long a socket may stay silent (mid-request or between requests); default 30 seconds. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = positive(timeout, "socket timeout");
            return this;
        }

        /** How long {@link MnemoServer#close()} waits for requests in flight; default 10 seconds. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = positive(timeout, "drain timeout");
            return this;
        }

        /** How many client connections may be open at once (one more is refused with 08004); default 1,000. */
        public Builder maxConnections(int connections) {
            if (connections <= 0) {
                throw new IllegalArgumentException("max connections " + connections + " is not positive");
            }
            this.maxConnections = connections;
            return this;
        }

        /** The largest request body accepted; default 16 MiB. */
        public Builder maxRequestBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("max request bytes " + bytes + " is not positive");
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        private interface Step {
            void run() throws Exception;
        }

        /** Runs a clean-up step of a failed start; its own failure is added to {@code failure}. */
        private static void cleanUp(Throwable failure, Step step) {
            try {
                step.run();
            } catch (Throwable t) {
                failure.addSuppressed(t);
            }
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " " + d + " is not a positive duration");
            }
            return d;
        }

        /**
         * Opens the database (or joins this JVM's connections to it) and starts listening.
         *
         * @throws SQLException the database cannot be opened
         * @throws IllegalStateException no users file, or it or the keystore cannot be read
         * @throws IllegalArgumentException the URL is not a {@code jdbc:mnemo:} database's
         * @throws RuntimeException the port cannot be bound
         */
        public MnemoServer start() throws SQLException {
            if (users == null) {
                throw new IllegalStateException("a Mnemo server needs a users file (name: password per line): "
                        + "it refuses unauthenticated clients");
            }
            readable(users, "users file");
            if (keystore != null) {
                readable(keystore, "keystore");
            }
            String name = ServedMeta.databaseName(jdbcUrl);
            Connection anchor = DriverManager.getConnection(jdbcUrl);
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mnemo-server-sweeper");
                t.setDaemon(true);
                return t;
            });
            ServedMeta meta = null;
            HttpServer http = null;
            try {
                meta = new ServedMeta(jdbcUrl, name, idleTimeout, maxConnections);
                ServedMeta served = meta;
                long every = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 4));
                sweeper.scheduleWithFixedDelay(served::sweep, every, every, TimeUnit.MILLISECONDS);
                HttpServer.Builder<Server> b = new HttpServer.Builder<Server>()
                        .withPort(port)
                        .withHandler(ServedService.wrap(new LocalService(meta), meta), Serialization.PROTOBUF)
                        .withServerCustomizers(List.of(this::customize), Server.class);
                String[] anyUser = {"**"};
                if (digest) {
                    b.withDigestAuthentication(users.toString(), anyUser);
                } else {
                    b.withBasicAuthentication(users.toString(), anyUser);
                }
                if (keystore != null) {
                    b.withTLS(keystore.toFile(), keystorePassword, keystore.toFile(), keystorePassword);
                }
                http = b.build();
                http.start();
                return new MnemoServer(http, meta, anchor, sweeper, urlHost(bindAddress), name, keystore != null, digest);
            } catch (Throwable e) {
                sweeper.shutdownNow();
                HttpServer started = http;
                ServedMeta opened = meta;
                // Jetty's threads run once start was tried, even if it failed
                cleanUp(e, () -> {
                    if (started != null) {
                        started.stop();
                    }
                });
                cleanUp(e, () -> {
                    if (opened != null) {
                        opened.closeAll();
                    }
                });
                cleanUp(e, anchor::close);
                throw e;
            }
        }

        /** The host a client's URL names: a wildcard address becomes this machine's name, IPv6 gets brackets. */
        private static String urlHost(String bind) {
            try {
                java.net.InetAddress a = java.net.InetAddress.getByName(bind);
                if (a.isAnyLocalAddress()) {
                    return java.net.InetAddress.getLocalHost().getHostName();
                }
            } catch (java.net.UnknownHostException e) {
                return bind; // a name, kept as given
            }
            return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        }

        private void customize(Server server) {
            for (Connector c : server.getConnectors()) {
                if (c instanceof ServerConnector sc) {
                    sc.setHost(bindAddress);
                    sc.setIdleTimeout(socketTimeout.toMillis());
                    org.eclipse.jetty.server.HttpConnectionFactory http =
                            sc.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class);
                    // a client trickling its request body holds a thread: below this rate it gets 408
                    http.getHttpConfiguration().setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
                }
            }
            StatisticsHandler stats = new StatisticsHandler(); // lets Jetty's stop wait for requests in flight
            stats.setHandler(new RequestLimits(server.getHandler(), maxRequestBytes));
            server.setHandler(stats);
            server.setStopTimeout(drainTimeout.toMillis());
            server.setStopAtShutdown(false);
        }

        private static void readable(Path file, String what) {
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new IllegalStateException(what + " " + file + " is not a readable file");
            }
        }
    }
}
