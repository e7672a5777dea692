package dev.imperium.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A throw-away PostgreSQL server of Debian's packages ({@code postgresql}), for the emperor's {@code pg://} monitor:
 * {@code initdb} in a fresh directory, the server run as the unprivileged {@code postgres} user (through setpriv, as
 * PostgreSQL refuses root) on a free port of 127.0.0.1 with trust authentication, stopped and deleted at
 * {@link #close()}. It never touches a packaged cluster ({@code /var/lib/postgresql}, port 5432).
 */
public final class Postgres implements AutoCloseable {
    private final Path root;
    private final Path data;
    private final int port;
    private final String marker = UUID.randomUUID().toString();
    private ManagedProcess server;

    private Postgres(Path root, int port) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
    }

    /** Returns whether Debian's PostgreSQL server is installed (so a test can be skipped otherwise). */
    public static boolean installed() {
        return binDir() != null && HostCommands.onPath("setpriv");
    }

    /** The newest {@code /usr/lib/postgresql/N/bin} with initdb, or null. */
    private static Path binDir() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(Path.of("/usr/lib/postgresql"))) {
            for (Path v : versions) {
                if (Files.isExecutable(v.resolve("bin/initdb")) && v.getFileName().toString().matches("[0-9]+")) {
                    found.add(v.resolve("bin"));
                }
            }
        } catch (IOException e) {
            return null;
        }
        found.sort((a, b) -> Integer.compare(Integer.parseInt(a.getParent().getFileName().toString()),
                Integer.parseInt(b.getParent().getFileName().toString())));
        return found.isEmpty() ? null : found.getLast();
    }

    /**
     * Creates a cluster and starts its server; waits until it accepts connections.
     *
     * @return the running server
     */
    public static Postgres start() {
        try {
            Path root = Files.createTempDirectory("imperium-pg-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            Postgres pg = new Postgres(root, FreePorts.next());
            pg.init();
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void init() throws IOException {
        Files.createDirectories(data);
        run(List.of("chown", "postgres:postgres", data.toString()));
        run(asPostgres(binDir().resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A",
                "trust", "-E", "UTF8", "--no-sync", "--locale=C"));
    }

    private void startServer() {
        server = ManagedProcess.builder("postgres", asPostgres(binDir().resolve("postgres").toString(), "-D",
                        data.toString(), "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", data.toString(),
                        "-c", "fsync=off", "-c", "logging_collector=off"))
                .directory(root)
                .log(root.resolve("postgres.log"))
                .env(Orphans.MARKER, marker)
                .stopSignal("INT") // fast shutdown: do not wait for clients
                .grace(Duration.ofSeconds(20))
                .start();
        server.awaitLog(Pattern.compile("database system is ready to accept connections"), Duration.ofSeconds(30));
    }

    private static List<String> asPostgres(String... command) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                "--"));
        c.addAll(List.of(command));
        return c;
    }

    /** Returns the port it listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** Returns a libpq connection string for {@code database} as the superuser {@code postgres}. */
    public String conninfo(String database) {
        return "host=127.0.0.1 port=" + port + " dbname=" + database + " user=postgres connect_timeout=5";
    }

    /**
     * Runs SQL with psql in {@code database}; a failing statement fails the call.
     *
     * @return psql's output
     */
    public String sql(String database, String sql) {
        return run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "postgres", "-d", database, "-c", sql));
    }

    /** Stops the server (fast shutdown); {@link #close()} still removes the cluster. */
    public void stop() {
        if (server != null) {
            server.close();
            Orphans.assertNoneLeft(marker, Duration.ofSeconds(10), "postgres");
            server = null;
        }
    }

    /** Returns the server's log so far. */
    public String log() {
        return server == null ? "" : server.log();
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                        + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server and deletes the cluster. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            run(List.of("rm", "-rf", root.toString()));
        }
    }
}
