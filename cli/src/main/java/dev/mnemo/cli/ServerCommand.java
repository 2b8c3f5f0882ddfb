package dev.mnemo.cli;

import dev.mnemo.server.MnemoServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mnemo server --dir DATA --users FILE}: serves a database until stopped (Ctrl-C or SIGTERM). */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serves a database to jdbc:mnemo:remote://host:port clients (Avatica's HTTP protocol).",
            "Clients log in with a user of the users file (one 'name: password' per line; MD5:… or CRYPT:… "
                + "passwords accepted). Stops cleanly on Ctrl-C or SIGTERM, rolling back open transactions."})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the database directory")
    Path dir;

    @Option(names = "--users", required = true, paramLabel = "FILE", description = "the users file")
    Path users;

    @Option(names = "--port", defaultValue = "8765", description = "the port (0: any free one; default "
            + "${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "the address to listen on (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0: all)")
    String bind;

    @Option(names = "--digest", description = "HTTP DIGEST authentication instead of BASIC")
    boolean digest;

    @Option(names = "--keystore", paramLabel = "FILE", description = "serve HTTPS with the key in this keystore")
    Path keystore;

    @Option(names = "--keystore-password", paramLabel = "PASSWORD", interactive = true, arity = "0..1",
            description = "the keystore's password (asked for if given without a value; or MNEMO_KEYSTORE_PASSWORD)")
    String keystorePassword;

    @Option(names = "--idle-timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "close (and roll back) a client connection unused this long (default ${DEFAULT-VALUE})")
    long idleSeconds;

    @Override
    public Integer call() throws Exception {
        if (dir.toString().contains(";")) {
            throw new IllegalArgumentException("--dir " + dir + ": a directory name with ';' cannot be served");
        }
        // an existing database only: a mistyped --dir must not serve a new empty one
        MnemoServer.Builder b = MnemoServer.builder("jdbc:mnemo:" + dir + ";create=false").port(port).bindAddress(bind).users(users)
                .digest(digest).idleTimeout(Duration.ofSeconds(idleSeconds));
        if (keystore != null) {
            String pw = keystorePassword != null ? keystorePassword : System.getenv("MNEMO_KEYSTORE_PASSWORD");
            if (pw == null) {
                throw new IllegalArgumentException("--keystore needs --keystore-password or MNEMO_KEYSTORE_PASSWORD");
            }
            b.tls(keystore, pw);
        }
        MnemoServer server = b.start();
        Thread stopper = new Thread(server::close, "mnemo-server-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        org.slf4j.LoggerFactory.getLogger(ServerCommand.class).info("serving {} at {} (users from {}); Ctrl-C stops",
                dir, server.url(), users);
        server.join();
        return 0;
    }
}
