import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the emperor's lifecycle figures on this machine, with the built distribution and sample apps:
 * drop-to-first-200, rm-to-port-closed, touch-to-new-generation (idle and under load, with the requests served and
 * failed during the reload), and the memory of an idle emperor and of an idle vassal with 2 workers.
 *
 * <pre>
 *   ./mvnw -DskipTests package
 *   java tests/bench/LifecycleBench.java [runs]          (default 10 runs; JAVA_HOME must be a Java 25)
 * </pre>
 * Everything runs on 127.0.0.1; every process started is stopped at the end (and on Ctrl-C).
 */
public class LifecycleBench {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DIST = ROOT.resolve("cli/target/imperium");
    static final Path HELLO_JAR = ROOT.resolve("config-samples/apps/hello-jwsgi/target/hello-jwsgi.jar");
    static final Path API_JAR = ROOT.resolve("config-samples/apps/typed-api/target/typed-api.jar");
    static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (!Files.isExecutable(DIST.resolve("bin/emperor")) || !Files.exists(HELLO_JAR)) {
            System.err.println("build first: ./mvnw -DskipTests package (run from the repository root)");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("imperium-bench-");
        Path vassals = Files.createDirectories(work.resolve("vassals"));
        ProcessBuilder pb = new ProcessBuilder(DIST.resolve("bin/emperor").toString(), "--vassals", vassals.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("emperor.log").toFile());
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process emperor = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emperor.descendants().forEach(ProcessHandle::destroyForcibly);
            emperor.destroyForcibly();
        }));
        try {
            Thread.sleep(1500);
            System.out.printf("machine: %d cores, %s; Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), Runtime.version());
            System.out.printf("emperor alone, idle: RSS %.1f MiB, PSS %.1f MiB%n", rss(emperor.pid()) / 1048576.0,
                    pss(emperor.pid()) / 1048576.0);

            List<Long> drop = new ArrayList<>();
            List<Long> remove = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int port = freePort();
                long start = System.nanoTime();
                deploy(vassals, "hello.ini", helloIni(port));
                awaitOk(port, "/", 60_000);
                drop.add((System.nanoTime() - start) / 1_000_000);
                Thread.sleep(300);
                start = System.nanoTime();
                Files.delete(vassals.resolve("hello.ini"));
                while (listening(port)) {
                    Thread.sleep(1);
                }
                remove.add((System.nanoTime() - start) / 1_000_000);
                Thread.sleep(500);
            }
            System.out.printf("drop .ini (rename into dir) -> first 200, JWSGI hello, 2 workers, N=%d: %s%n", runs,
                    summary(drop));
            System.out.printf("rm .ini -> listen socket closed, N=%d: %s%n", runs, summary(remove));

            int port = freePort();
            deploy(vassals, "api.ini", apiIni(port));
            awaitOk(port, "/api/info", 60_000);
            Thread.sleep(2000);
            long master = masterOf(port);
            System.out.printf("idle vassal, master + 2 workers: RSS %.1f MiB, PSS %.1f MiB (master RSS %.1f MiB)%n",
                    treeRss(master) / 1048576.0, treePss(master) / 1048576.0, rss(master) / 1048576.0);

            List<Long> touch = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Set<Long> old = workers(master);
                long start = System.nanoTime();
                Files.setLastModifiedTime(vassals.resolve("api.ini"), FileTime.from(Instant.now()));
                while (true) {
                    Matcher m = PID.matcher(get(port, "/api/info"));
                    if (m.find() && !old.contains(Long.parseLong(m.group(1)))) {
                        break;
                    }
                    Thread.sleep(2);
                }
                touch.add((System.nanoTime() - start) / 1_000_000);
                while (old.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
                    Thread.sleep(10);
                }
            }
            System.out.printf("touch .ini -> first response from a new worker, idle, N=%d: %s%n", runs,
                    summary(touch));

            for (int i = 0; i < 3; i++) {
                Set<Long> old = workers(master);
                Load load = new Load(port, 4);
                Thread.sleep(2000);
                long before = load.ok.get();
                Files.setLastModifiedTime(vassals.resolve("api.ini"), FileTime.from(Instant.now()));
                long start = System.nanoTime();
                while (old.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
                    Thread.sleep(10);
                }
                long reload = (System.nanoTime() - start) / 1_000_000;
                Thread.sleep(1000);
                load.stop();
                System.out.printf("touch under load (4 keep-alive clients): old generation gone after %d ms; "
                        + "%d requests (%d during the reload), %d failed, slowest %d ms%n", reload, load.ok.get(),
                        load.ok.get() - before, load.failed.get(), load.maxNanos.get() / 1_000_000);
            }
        } finally {
            emperor.destroy();
            emperor.waitFor(40, TimeUnit.SECONDS);
            emperor.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    static String helloIni(int port) {
        return "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\nprocesses = 2\njvm-classpath = " + HELLO_JAR
                + "\njwsgi = dev.imperium.samples.hello.HelloApp\ndisable-logging = true\n";
    }

    static String apiIni(int port) {
        return "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\nprocesses = 2\nthreads = 4\njvm-classpath = "
                + API_JAR + "\nimperium-app = dev.imperium.samples.api.ApiApp\ndisable-logging = true\n";
    }

    static void deploy(Path dir, String name, String content) throws IOException {
        Path staged = dir.resolve("." + name + ".tmp");
        Files.writeString(staged, content);
        Files.move(staged, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static String summary(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return "median " + median + " ms (" + sorted.getFirst() + ".." + sorted.getLast() + ")";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void awaitOk(int port, String path, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            try {
                if (get(port, path).length() > 0) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(2);
            }
        }
        throw new IllegalStateException("no 200 on port " + port);
    }

    /** One GET on a new connection; returns the body of a 200, or throws. */
    static String get(int port, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException("not a 200: " + response.lines().findFirst().orElse(""));
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    static long masterOf(int port) throws IOException {
        Matcher m = PID.matcher(get(port, "/api/info"));
        m.find();
        return ProcessHandle.of(Long.parseLong(m.group(1))).flatMap(ProcessHandle::parent).orElseThrow().pid();
    }

    static Set<Long> workers(long master) {
        Set<Long> pids = new HashSet<>();
        ProcessHandle.of(master).ifPresent(p -> p.children().forEach(c -> pids.add(c.pid())));
        return pids;
    }

    static long rss(long pid) {
        return rollup(pid, "Rss:");
    }

    static long pss(long pid) {
        return rollup(pid, "Pss:");
    }

    static long treeRss(long master) {
        return rss(master) + workers(master).stream().mapToLong(LifecycleBench::rss).sum();
    }

    static long treePss(long master) {
        return pss(master) + workers(master).stream().mapToLong(LifecycleBench::pss).sum();
    }

    /** Reads a field of /proc/PID/smaps_rollup, in bytes. */
    static long rollup(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** Keep-alive clients sending GET /api/hello until stopped; counts complete 200s, failures and the slowest. */
    static final class Load {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong maxNanos = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Load(int port, int clients) {
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofPlatform().start(() -> run(port)));
            }
        }

        void run(int port) {
            byte[] request = "GET /api/hello?name=x HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            Socket s = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (running.get() && System.nanoTime() < deadline) {
                long t = System.nanoTime();
                try {
                    if (s == null) {
                        s = new Socket(InetAddress.getLoopbackAddress(), port);
                        s.setTcpNoDelay(true);
                        s.setSoTimeout(10_000);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    boolean close = readResponse(s.getInputStream());
                    ok.incrementAndGet();
                    if (close) {
                        s.close();
                        s = null;
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    try {
                        if (s != null) {
                            s.close();
                        }
                    } catch (IOException ignored) {
                        // reconnect
                    }
                    s = null;
                }
                maxNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
            }
        }

        /** Reads one 200 response with a Content-Length; returns true if the server closes the connection. */
        static boolean readResponse(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last = 0;
            while (last != 0x0D0A0D0A) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed");
                }
                head.write(b);
                last = last << 8 | b;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 200")) {
                throw new IOException("status " + text.lines().findFirst().orElse(""));
            }
            Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
            if (!m.find()) {
                throw new IOException("no length");
            }
            in.readNBytes(Integer.parseInt(m.group(1)));
            return text.toLowerCase().contains("connection: close");
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
