package dev.imperium.bench;

import java.nio.file.Path;

/**
 * The text of every server configuration the harness writes: Imperium vassal files, uWSGI 2.0 .ini files for the
 * peers (Debian's {@code uwsgi-core} with its python3, jvm and jwsgi plugins) and nginx's {@code nginx.conf}.
 *
 * <p>Choices that keep the comparison fair, each noted in the report: {@code disable-logging} and {@code master}
 * everywhere; uWSGI's throughput peers use {@code http11-socket} (keep-alive, as Imperium's {@code http-socket}) with
 * {@code tcp-nodelay} (Imperium sets TCP_NODELAY; without it uWSGI's separate header and body writes meet delayed
 * ACKs: 23 req/s); the JWSGI app sets no {@code Content-Length}, so uWSGI frames it with its own chunked transformation
 * ({@code route-run = chunked:}), else a keep-alive client never sees the end of a response. The emperor scenarios
 * use uWSGI's {@code http-socket} (one response per connection, as measured in uwsgi-measured.md), announcing the
 * close with {@code add-header = Connection: close} so that wrk reconnects instead of counting a read error.
 * Imperium's vassals run their requests on virtual threads ({@code imperium-virtual-threads = true}; the default is
 * uWSGI's platform threads): in both servers a worker still serves one request at a time ({@code threads} unset).
 */
final class Configs {
    /** The repository root (the harness runs from it). */
    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path DIST = REPO.resolve("cli/target/imperium");
    static final Path HELLO_JAR = REPO.resolve("config-samples/apps/hello-jwsgi/target/hello-jwsgi.jar");
    static final Path API_JAR = REPO.resolve("config-samples/apps/typed-api/target/typed-api.jar");
    static final Path PEERS = REPO.resolve("tests/bench/peers");
    static final Path UWSGI_JAR = Path.of("/usr/share/java/uwsgi.jar");

    private Configs() {
    }

    /** Imperium: the JWSGI hello jar. */
    static String imperiumJwsgi(int port, int processes) {
        return imperiumJwsgi(port, processes, false);
    }

    /**
     * Imperium: the JWSGI hello jar; {@code logged}: every request logged (uWSGI's default line) to
     * {@code requests.log} in the working directory instead of {@code disable-logging}.
     */
    static String imperiumJwsgi(int port, int processes, boolean logged) {
        return "[uwsgi]\n"
                + "http-socket = 127.0.0.1:" + port + "\n"
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "imperium-virtual-threads = true\n"
                + (logged ? "logto = requests.log\n" : "disable-logging = true\n")
                + "jvm-classpath = " + HELLO_JAR + "\n"
                + "jwsgi = dev.imperium.samples.hello.HelloApp\n";
    }

    /** Imperium: the JWSGI hello jar on a uwsgi-protocol {@code socket}, for nginx's {@code uwsgi_pass}. */
    static String imperiumUwsgiSocket(int port, int processes) {
        return "[uwsgi]\n"
                + "socket = 127.0.0.1:" + port + "\n"
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "imperium-virtual-threads = true\n"
                + "disable-logging = true\n"
                + "jvm-classpath = " + HELLO_JAR + "\n"
                + "jwsgi = dev.imperium.samples.hello.HelloApp\n";
    }

    /** uWSGI's JVM plugin with the same jar on a uwsgi-protocol {@code socket}, for nginx's {@code uwsgi_pass}. */
    static String uwsgiJwsgiSocket(int port, int processes) {
        return "[uwsgi]\n"
                + "plugins = jvm,jwsgi\n"
                + "socket = 127.0.0.1:" + port + "\n"
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "disable-logging = true\n"
                + "jvm-classpath = " + UWSGI_JAR + "\n"
                + "jvm-classpath = " + HELLO_JAR + "\n"
                + "jwsgi = dev/imperium/samples/hello/HelloApp\n";
    }

    /** Imperium: the JWSGI hello jar behind the {@code http} router, as uWSGI's quickstart runs an app. */
    static String imperiumRouter(int port, int processes, boolean keepAlive) {
        return "[uwsgi]\n"
                + "http = 127.0.0.1:" + port + "\n"
                + (keepAlive ? "http-keepalive = 1\n" : "")
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "imperium-virtual-threads = true\n"
                + "disable-logging = true\n"
                + "jvm-classpath = " + HELLO_JAR + "\n"
                + "jwsgi = dev.imperium.samples.hello.HelloApp\n";
    }

    /**
     * uWSGI: the same jar behind its own HTTP router; with keep-alive, {@code http-auto-chunked} frames the app's
     * unsized answers so the router can keep the client's connection.
     */
    static String uwsgiRouter(int port, int processes, boolean keepAlive) {
        return "[uwsgi]\n"
                + "plugins = jvm,jwsgi,http\n"
                + "http = 127.0.0.1:" + port + "\n"
                + "http-modifier1 = 8\n"
                + (keepAlive ? "http-keepalive = 1\nhttp-auto-chunked = true\n" : "")
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "disable-logging = true\n"
                + "jvm-classpath = " + UWSGI_JAR + "\n"
                + "jvm-classpath = " + HELLO_JAR + "\n"
                + "jwsgi = dev/imperium/samples/hello/HelloApp\n";
    }

    /** Imperium: the typed-API sample, optionally with {@code static-map = /static=DIR}. */
    static String imperiumApi(int port, int processes, Path staticDir) {
        return "[uwsgi]\n"
                + "http-socket = 127.0.0.1:" + port + "\n"
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "imperium-virtual-threads = true\n"
                + "disable-logging = true\n"
                + "jvm-classpath = " + API_JAR + "\n"
                + "imperium-app = dev.imperium.samples.api.ApiApp\n"
                + (staticDir == null ? "" : "static-map = /static=" + staticDir + "\n");
    }

    /** uWSGI + its JVM/JWSGI plugins on the same hello jar (the jar is built for Java 17, the plugin's JVM). */
    static String uwsgiJwsgi(int port, int processes, boolean http11) {
        return uwsgiJwsgi(port, processes, http11, false);
    }

    /** uWSGI's JVM plugin with the same jar; {@code logged} as for {@link #imperiumJwsgi(int, int, boolean)}. */
    static String uwsgiJwsgi(int port, int processes, boolean http11, boolean logged) {
        return "[uwsgi]\n"
                + (http11 ? "plugins = jvm,jwsgi,transformation_chunked\n" : "plugins = jvm,jwsgi\n")
                + socket(port, http11)
                + "http-socket-modifier1 = 8\n"
                + "master = true\n"
                + "processes = " + processes + "\n"
                + (logged ? "logto = requests.log\n" : "disable-logging = true\n")
                + "jvm-classpath = " + UWSGI_JAR + "\n"
                + "jvm-classpath = " + HELLO_JAR + "\n"
                + "jwsgi = dev/imperium/samples/hello/HelloApp\n"
                + (http11 ? "route-run = chunked:\n" : "");
    }

    /** uWSGI + a Python WSGI file from tests/bench/peers, optionally with {@code static-map}. */
    static String uwsgiPython(int port, int processes, String wsgiFile, boolean http11, Path staticDir) {
        return "[uwsgi]\n"
                + "plugins = python3\n"
                + socket(port, http11)
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "disable-logging = true\n"
                + "wsgi-file = " + PEERS.resolve(wsgiFile) + "\n"
                + (staticDir == null ? "" : "static-map = /static=" + staticDir + "\n");
    }

    /** uWSGI answering every request from its router in C: {@code route-run = return:200} (body "OK"), no app. */
    static String uwsgiRouteReturn(int port, int processes) {
        return "[uwsgi]\n"
                + socket(port, true)
                + "master = true\n"
                + "processes = " + processes + "\n"
                + "disable-logging = true\n"
                + "route-run = return:200\n";
    }

    private static String socket(int port, boolean http11) {
        return http11
                ? "http11-socket = 127.0.0.1:" + port + "\ntcp-nodelay = true\n"
                : "http-socket = 127.0.0.1:" + port + "\nadd-header = Connection: close\n";
    }

    /**
     * nginx in front of a uwsgi-protocol backend on {@code backendPort}: every request goes through
     * {@code uwsgi_pass} with Debian's {@code uwsgi_params} and {@code uwsgi_modifier1 8} (the JVM plugin's JWSGI;
     * Imperium serves 0 and 8 alike); keep-alive to the client, one backend connection per request (uwsgi protocol).
     */
    static String nginxUwsgiPass(Path dir, int port, int backendPort, int workers, boolean root) {
        return nginxHead(dir, workers, root)
                + "    server {\n"
                + "        listen 127.0.0.1:" + port + ";\n"
                + "        location / {\n"
                + "            include /etc/nginx/uwsgi_params;\n"
                + "            uwsgi_modifier1 8;\n"
                + "            uwsgi_pass 127.0.0.1:" + backendPort + ";\n"
                + "        }\n"
                + "    }\n"
                + "}\n";
    }

    /**
     * nginx serving {@code /static/} from a directory: {@code worker_processes} as given, master process, no daemon,
     * every path inside {@code dir}, no access log, keep-alive defaults, and Debian's default {@code sendfile on}.
     */
    static String nginx(Path dir, int port, Path staticDir, int workers, boolean root) {
        return nginxHead(dir, workers, root)
                + "    sendfile on;\n"
                + "    tcp_nopush on;\n"
                + "    include /etc/nginx/mime.types;\n"
                + "    default_type application/octet-stream;\n"
                + "    server {\n"
                + "        listen 127.0.0.1:" + port + ";\n"
                + "        location /static/ { alias " + staticDir + "/; }\n"
                + "    }\n"
                + "}\n";
    }

    /**
     * The start of every nginx.conf here, up to inside {@code http {}}: {@code worker_processes}, master process, no
     * daemon, every path inside {@code dir}, no access log.
     */
    private static String nginxHead(Path dir, int workers, boolean root) {
        return (root ? "user root;\n" : "")
                + "worker_processes " + workers + ";\n"
                + "daemon off;\n"
                + "master_process on;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    client_body_temp_path " + dir.resolve("client_body") + ";\n"
                + "    proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + dir.resolve("scgi") + ";\n";
    }
}
