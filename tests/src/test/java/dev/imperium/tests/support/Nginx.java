package dev.imperium.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real nginx (Debian's package) started by a test in its own directory, in the foreground ({@code daemon off}),
 * with the {@code server} blocks the test gives. Its temp paths, pid file and logs stay in that directory; running as
 * root it keeps its workers as root so they can read the directory. Stopped with SIGQUIT (graceful), then SIGKILL.
 */
public final class Nginx {
    /** Where Debian installs nginx. */
    public static final Path BINARY = Path.of("/usr/sbin/nginx");

    private Nginx() {
    }

    /** Returns true if nginx is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Writes {@code nginx.conf} in {@code dir} and starts nginx, waiting until every port listens.
     *
     * @param dir a directory of the test's own
     * @param servers the {@code server { ... }} blocks, placed inside {@code http { }}
     * @param ports the ports the blocks listen on (waited for)
     * @return the running nginx; close it
     */
    public static ManagedProcess start(Path dir, String servers, List<Integer> ports) {
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = (root ? "user root;\n" : "")
                + "worker_processes 1;\n"
                + "daemon off;\n"
                + "master_process on;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n"
                + "    access_log " + dir.resolve("access.log") + ";\n"
                + "    client_body_temp_path " + dir.resolve("client_body") + ";\n"
                + "    proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "    default_type application/octet-stream;\n"
                + servers
                + "}\n";
        try {
            Path file = Files.writeString(dir.resolve("nginx.conf"), conf);
            ManagedProcess nginx = ManagedProcess.builder("nginx", List.of(BINARY.toString(), "-c", file.toString(),
                            "-p", dir + "/", "-e", dir.resolve("error.log").toString()))
                    .directory(dir).log(dir.resolve("nginx.out")).stopSignal("QUIT").grace(Duration.ofSeconds(5))
                    .start();
            try {
                for (int port : ports) {
                    Ports.awaitListening(nginx, port, Duration.ofSeconds(20));
                }
            } catch (RuntimeException | Error e) {
                nginx.close();
                throw e;
            }
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns nginx's error log, for assertion messages. */
    public static String errorLog(Path dir) {
        try {
            Path log = dir.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
