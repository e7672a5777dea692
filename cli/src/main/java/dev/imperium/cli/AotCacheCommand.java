package dev.imperium.cli;

import dev.imperium.cli.aot.TrainingApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code imperium aot-cache}: records the JDK AOT caches (JEP 483/514/515) that make Imperium's JVMs start faster:
 * {@code lib/aot/emperor.aot} for the emperor and {@code lib/aot/vassal.aot}, recorded by a worker and shared by
 * vassal masters and workers (one mapping for all of them on a host).
 *
 * <p>A cache holds the classes a training run loaded and linked, and is valid only for the JDK build and the class
 * path it was recorded with; a JVM given a cache it cannot use starts as without one. So the build runs this command
 * once the distribution is assembled, and it must run again after the JDK is replaced. The training run is a real
 * deployment on 127.0.0.1: an emperor started with {@code IMPERIUM_AOT_RECORD}, one vassal with one worker serving
 * {@link TrainingApp} and static files, a mix of requests, then a graceful stop, at whose end each JVM writes its
 * cache. Takes about 10 s.
 *
 * <p>Exit codes: 0 caches written; 1 the training run failed (the previous caches are kept).
 */
@Command(name = "aot-cache", mixinStandardHelpOptions = true,
        description = "Record the AOT caches (lib/aot/*.aot) that make the emperor, vassals and workers start faster. "
                + "Runs a short training deployment on 127.0.0.1; run it again after replacing the JDK.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:caches written", "1:the training run failed (previous caches kept)"})
final class AotCacheCommand implements Callable<Integer> {
    private static final List<String> CACHES = List.of("emperor.aot", "vassal.aot");

    @Option(names = "--home", paramLabel = "DIR",
            description = "the Imperium installation (bin/, lib/); default: the one running this command")
    private Path home;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "give up after this long (default: ${DEFAULT-VALUE})")
    private int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path installation = home != null ? home : Path.of(System.getProperty("imperium.home", "."));
        installation = installation.toAbsolutePath().normalize();
        Path emperorCommand = installation.resolve("bin/emperor");
        if (!Files.isExecutable(emperorCommand)) {
            System.err.println("aot-cache: " + emperorCommand + " not found; use --home DIR");
            return 1;
        }
        Path lib = installation.resolve("lib");
        // Recorded next to where the caches go, so that moving them in is atomic even when lib/aot is a link to
        // another file system (the Debian package links it to /var/cache/imperium/aot).
        Path target = Files.createDirectories(lib.resolve("aot"));
        Path staging = Files.createTempDirectory(target, ".training-");
        Path work = Files.createTempDirectory("imperium-aot-training-");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Process emperor = null;
        try {
            Path vassals = Files.createDirectories(work.resolve("vassals"));
            Path statics = Files.createDirectories(work.resolve("static"));
            Files.writeString(statics.resolve("index.html"), "<p>training</p>\n");
            Files.write(statics.resolve("file.bin"), new byte[4096]);
            Path log = work.resolve("training.log");

            ProcessBuilder builder = new ProcessBuilder(emperorCommand.toString(), "--vassals", vassals.toString(),
                    "--control-socket", work.resolve("emperor.sock").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("IMPERIUM_AOT_RECORD", staging.toString());
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.remove("IMPERIUM_JVM_FLAGS");
            env.remove("JAVA_OPTS");
            emperor = builder.start();

            int port = freePort();
            Path file = vassals.resolve("training.ini");
            Path temporary = work.resolve("training.ini.tmp");
            Files.writeString(temporary, String.join("\n",
                    "[uwsgi]",
                    "http-socket = 127.0.0.1:" + port,
                    "master = true",
                    "processes = 1",
                    "jvm-classpath = " + appJar(),
                    "jwsgi = " + TrainingApp.class.getName(),
                    "static-map = /static=" + statics,
                    "static-index = index.html",
                    "imperium-allow-root = true",
                    ""));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);

            if (!awaitServing(port, deadline, emperor)) {
                return fail("the training vassal did not answer", log);
            }
            exercise(port);

            emperor.destroy();
            if (!emperor.waitFor(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS)) {
                return fail("the emperor did not stop in time", log);
            }
            for (String cache : CACHES) {
                if (!Files.isRegularFile(staging.resolve(cache))) {
                    return fail("no " + cache + " was recorded", log);
                }
            }
            try (Stream<Path> old = Files.list(target)) {
                for (Path stale : old.filter(p -> !CACHES.contains(p.getFileName().toString())
                        && !p.equals(staging) && !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .toList()) {
                    Files.deleteIfExists(stale);
                }
            }
            StringBuilder summary = new StringBuilder("AOT caches written to " + target + ":");
            for (String cache : CACHES) {
                Path written = Files.move(staging.resolve(cache), target.resolve(cache),
                        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                summary.append(' ').append(cache).append(" (").append(Files.size(written) >> 20).append(" MiB)");
            }
            System.out.println(summary + " for Java " + Runtime.version());
            return 0;
        } finally {
            if (emperor != null && emperor.isAlive()) {
                emperor.descendants().forEach(ProcessHandle::destroyForcibly);
                emperor.destroyForcibly();
                emperor.waitFor(10, TimeUnit.SECONDS);
            }
            deleteTree(staging);
            deleteTree(work);
        }
    }

    /** The jar (or directory) holding {@link TrainingApp}: the vassal's {@code jvm-classpath}. */
    private static Path appJar() throws URISyntaxException {
        return Path.of(TrainingApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The requests every worker serves: keep-alive and close, query, body (length and chunked), static, 404. */
    private static void exercise(int port) throws IOException {
        for (int round = 0; round < 20; round++) {
            exchange(port, "GET / HTTP/1.1\r\nHost: training\r\nUser-Agent: imperium-aot\r\nAccept: */*\r\n\r\n"
                    + "GET /?round=" + round + " HTTP/1.1\r\nHost: training\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: training\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
                    + "hello"
                    + "POST /echo HTTP/1.1\r\nHost: training\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + "GET /static/ HTTP/1.1\r\nHost: training\r\n\r\n"
                    + "GET /static/file.bin HTTP/1.1\r\nHost: training\r\n\r\n"
                    + "HEAD /static/file.bin HTTP/1.1\r\nHost: training\r\n\r\n"
                    + "GET /missing HTTP/1.1\r\nHost: training\r\nConnection: close\r\n\r\n");
            exchange(port, "GET / HTTP/1.0\r\n\r\n");
        }
    }

    /** Sends {@code requests} on one connection and reads until the server closes it. */
    private static void exchange(int port, String requests) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            while (in.read(buffer) >= 0) {
                // read all responses; their content does not matter here
            }
        }
    }

    private static boolean awaitServing(int port, long deadline, Process emperor) throws InterruptedException {
        while (System.nanoTime() < deadline && emperor.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setSoTimeout(5000);
                socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                byte[] head = socket.getInputStream().readNBytes(12);
                if (new String(head, StandardCharsets.ISO_8859_1).endsWith("200")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static int fail(String reason, Path log) throws IOException {
        System.err.println("aot-cache: " + reason + "; the previous caches are kept. Training log:");
        if (Files.exists(log)) {
            try (Stream<String> lines = Files.lines(log)) {
                lines.filter(l -> !l.contains("[warning][aot]")).forEach(l -> System.err.println("  " + l));
            }
        }
        return 1;
    }

    private static long remainingMillis(long deadline) {
        return Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
