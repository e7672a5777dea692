package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, slow clients: 500 slowloris connections (part of a request head, then a byte a second) plus slow uploads
 * (a Content-Length body trickled a byte a second) against a vassal's {@code http-socket}, its {@code socket}
 * (uwsgi) and its {@code http} router, while a measuring client does ordinary requests on a fresh connection each:
 * none of its requests fails and its latency stays within a generous multiple of its baseline. Then the limits:
 * {@code socket-timeout} and {@code http-headers-timeout} close slow clients, {@code imperium-max-connections} keeps
 * the excess in the listen queue, and each of these is logged in a few rate-limited lines, not one per client.
 *
 * <p>Figures (connections held, p50/p99 before and during) are printed; they come from a shared, loaded machine.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SlowClientsIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final int SLOWLORIS = 500;
    private static final int SLOW_UPLOADS = 50;
    private static final int BODY_LENGTH = 1_000_000;

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private enum Target { HTTP_SOCKET, UWSGI_SOCKET, HTTP_ROUTER }

    private static String vassal(int http, int uwsgi, int router, String extra) {
        return """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                socket = 127.0.0.1:%d
                http = 127.0.0.1:%d
                http-modifier1 = 8
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                disable-logging = true
                post-buffering = 8192
                %s
                """.formatted(http, uwsgi, router, Dist.helloJar(), extra);
    }

    @Test
    void fiveHundredSlowlorisAndFiftySlowUploadsLeaveOtherClientsTheirUsualLatency() throws Exception {
        int http = FreePorts.next();
        int uwsgi = FreePorts.next();
        int router = FreePorts.next();
        // long timeouts: the slow clients stay connected for the whole measurement
        ManagedProcess v = vassals.start("slow.ini", vassal(http, uwsgi, router, """
                processes = 2
                threads = 4
                socket-timeout = 60
                http-timeout = 60
                listen = 1024
                """));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, router, START);
        assertThat(v.log()).containsPattern("detected max file descriptor number: \\d+");
        Map<Target, Integer> ports = new LinkedHashMap<>();
        ports.put(Target.HTTP_SOCKET, http);
        ports.put(Target.UWSGI_SOCKET, uwsgi);
        ports.put(Target.HTTP_ROUTER, router);
        List<String> figures = new ArrayList<>();
        for (Map.Entry<Target, Integer> e : ports.entrySet()) {
            Target target = e.getKey();
            int port = e.getValue();
            Latencies before = measure(target, port, 40);
            assertThat(before.failures).as("%s baseline failures", target).isEmpty();
            try (SlowClients slow = SlowClients.open(target, port, SLOWLORIS, SLOW_UPLOADS)) {
                Latencies during = measure(target, port, 60);
                int held = slow.stillOpen();
                String line = "%s: %d slowloris + %d slow uploads opened, %d held during the measurement; measuring"
                        + " client p50/p99 before %.1f/%.1f ms, during %.1f/%.1f ms, failed %d of %d";
                figures.add(line.formatted(target, SLOWLORIS, SLOW_UPLOADS, held, before.p(50), before.p(99),
                        during.p(50), during.p(99), during.failures.size(), during.count()));
                assertThat(during.failures).as("%s failures during the attack", target).isEmpty();
                assertThat(held).as("%s slow connections held", target).isEqualTo(SLOWLORIS + SLOW_UPLOADS);
                // generous: the attack costs the machine's 2 shared CPUs something, but no request waits for a slot
                assertThat(during.p(99)).as("%s p99 during vs before", target)
                        .isLessThan(Math.max(10 * before.p(99), 1000));
            }
        }
        figures.forEach(f -> System.out.println("[SlowClientsIT] " + f));
        assertThat(v.isAlive()).isTrue();
        String log = v.log();
        assertThat(log).doesNotContain("Exception", "error while serving");
    }

    @Test
    void timeoutsAndTheConnectionLimitAreEnforcedAndLoggedInAFewLines() throws Exception {
        int http = FreePorts.next();
        int uwsgi = FreePorts.next();
        int router = FreePorts.next();
        ManagedProcess v = vassals.start("limits.ini", vassal(http, uwsgi, router, """
                processes = 1
                threads = 2
                socket-timeout = 2
                http-timeout = 30
                http-headers-timeout = 2
                imperium-max-connections = 50
                """));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, router, START);

        long start = System.nanoTime();
        try (SlowClients onWorker = SlowClients.open(Target.HTTP_SOCKET, http, 120, 0);
                SlowClients onRouter = SlowClients.open(Target.HTTP_ROUTER, router, 60, 0);
                SlowClients uploads = SlowClients.open(Target.HTTP_SOCKET, http, 0, 5).trickleEvery(4)) {
            v.awaitLog(Pattern.compile("imperium-max-connections reached: worker 1 holds 50 connections, new clients"
                    + " wait in the listen queue"), Duration.ofSeconds(20));
            // the worker holds 50; the others wait in the listen queue and get their turn as the first time out
            await().atMost(Duration.ofSeconds(40)).until(() -> onWorker.stillOpen() == 0 && onRouter.stillOpen() == 0
                    && uploads.stillOpen() == 0);
            System.out.printf("[SlowClientsIT] 185 slow clients against socket-timeout 2 s, http-headers-timeout 2 s,"
                    + " imperium-max-connections 50: all closed by the server after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        assertThat(measure(Target.HTTP_SOCKET, http, 5).failures).as("served afterwards").isEmpty();
        assertThat(measure(Target.HTTP_ROUTER, router, 5).failures).as("served afterwards").isEmpty();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(v.log())
                .contains("more socket timeouts in the last 5 s"));
        String log = v.log();
        long timeoutLines = count(log, "socket timeout while reading from 127.0.0.1");
        long routerLines = count(log, "[uwsgi-http] socket timeout while reading from 127.0.0.1");
        long bodyLines = count(log, "[uwsgi-body-read] Timeout reading");
        long limitLines = count(log, "imperium-max-connections reached");
        System.out.printf("[SlowClientsIT] log lines for 120+60 head timeouts: %d worker + %d router (+ summaries),"
                + " 5 body timeouts: %d, connection limit: %d%n", timeoutLines - routerLines, routerLines, bodyLines,
                limitLines);
        assertThat(routerLines).as("router timeouts logged, rate-limited").isBetween(1L, 10L);
        assertThat(timeoutLines - routerLines).as("worker timeouts logged, rate-limited").isBetween(1L, 10L);
        assertThat(bodyLines).as("slow uploads logged in uWSGI's words, rate-limited").isBetween(1L, 5L);
        assertThat(log).containsPattern("\\[uwsgi-body-read\\] Timeout reading \\d+ bytes\\. Content-Length: 1000000"
                + " consumed: \\d+ left: \\d+");
        assertThat(limitLines).isBetween(1L, 10L);
        assertThat(log).doesNotContain("Exception", "error while serving");
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    /** The measuring client's latencies, in ms, and its failures. */
    private record Latencies(List<Double> millis, List<String> failures) {
        double p(int percent) {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = millis.stream().sorted().toList();
            int i = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.clamp(i, 0, sorted.size() - 1));
        }

        int count() {
            return millis.size() + failures.size();
        }
    }

    /** {@code count} requests for {@code /}, each on a fresh connection, 25 ms apart (a paced loop, 40/s). */
    private static Latencies measure(Target target, int port, int count) throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(target == Target.UWSGI_SOCKET ? uwsgiPacket("GET", "/", 0)
                        : "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                if (answer.startsWith("HTTP/1.1 200") && answer.endsWith("Hello from JWSGI\n")) {
                    millis.add((System.nanoTime() - t0) / 1e6);
                } else {
                    failures.add("bad answer: " + answer.lines().findFirst().orElse("(none)"));
                }
            } catch (IOException e) {
                failures.add(e.toString());
            }
            Thread.sleep(25);
        }
        return new Latencies(millis, failures);
    }

    /** A uwsgi packet as nginx's uwsgi_pass sends it (modifier1 0), for a request with {@code contentLength}. */
    private static byte[] uwsgiPacket(String method, String uri, int contentLength) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("REQUEST_METHOD", method);
        vars.put("REQUEST_URI", uri);
        vars.put("PATH_INFO", uri);
        vars.put("QUERY_STRING", "");
        vars.put("SERVER_PROTOCOL", "HTTP/1.1");
        vars.put("SERVER_NAME", "localhost");
        vars.put("SERVER_PORT", "80");
        vars.put("REMOTE_ADDR", "127.0.0.1");
        vars.put("HTTP_HOST", "localhost");
        if (contentLength > 0) {
            vars.put("CONTENT_LENGTH", Integer.toString(contentLength));
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        vars.forEach((k, val) -> {
            for (String s : new String[] {k, val}) {
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                block.write(b.length & 0xff);
                block.write(b.length >> 8);
                block.writeBytes(b);
            }
        });
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0);
        packet.write(block.size() & 0xff);
        packet.write(block.size() >> 8);
        packet.write(0);
        packet.writeBytes(block.toByteArray());
        return packet.toByteArray();
    }

    /**
     * Slow clients: slowloris ones (part of a request head, then one more byte every second) and slow uploads (a
     * complete head announcing a large body, then one body byte every second), paced by one thread.
     */
    private static final class SlowClients implements AutoCloseable {
        private final List<SocketChannel> channels = new ArrayList<>();
        private final List<byte[]> trickle = new ArrayList<>();
        private final Thread pacer;
        private volatile long periodMillis = 1000;
        private volatile boolean running = true;

        private SlowClients(Target target, int port, int heads, int uploads) throws IOException {
            for (int i = 0; i < heads + uploads; i++) {
                boolean upload = i >= heads;
                SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                channels.add(c);
                byte[] first;
                byte[] more;
                if (target == Target.UWSGI_SOCKET) {
                    byte[] packet = uwsgiPacket(upload ? "POST" : "GET", upload ? "/echo" : "/", upload
                            ? BODY_LENGTH : 0);
                    first = upload ? packet : java.util.Arrays.copyOf(packet, 10);
                    more = upload ? new byte[] {'x'} : new byte[] {packet[10]}; // the head never completes
                } else {
                    first = (upload ? "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY_LENGTH
                            + "\r\n\r\n" : "GET / HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII);
                    more = new byte[] {upload ? (byte) 'x' : (byte) 'X'}; // "XXXX..." never ends the header line
                }
                c.write(ByteBuffer.wrap(first));
                trickle.add(more);
            }
            pacer = Thread.ofPlatform().daemon(true).name("slow-clients").start(this::pace);
        }

        static SlowClients open(Target target, int port, int heads, int uploads) throws IOException {
            return new SlowClients(target, port, heads, uploads);
        }

        /** Sends the next byte every {@code seconds} instead of every second. */
        SlowClients trickleEvery(int seconds) {
            periodMillis = seconds * 1000L;
            return this;
        }

        private void pace() {
            while (running) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < channels.size() && running; i++) {
                    SocketChannel c = channels.get(i);
                    if (!c.isOpen()) {
                        continue;
                    }
                    synchronized (c) {
                        try {
                            c.write(ByteBuffer.wrap(trickle.get(i)));
                        } catch (IOException e) {
                            close(c); // closed by the server
                        }
                    }
                }
            }
        }

        /** Returns how many connections the server has not closed: a read without waiting sees no end of stream. */
        int stillOpen() {
            int open = 0;
            ByteBuffer sink = ByteBuffer.allocate(4096);
            for (SocketChannel c : channels) {
                synchronized (c) {
                    if (!c.isOpen()) {
                        continue;
                    }
                    try {
                        c.configureBlocking(false);
                        sink.clear();
                        int n = c.read(sink);
                        c.configureBlocking(true);
                        if (n < 0) {
                            close(c);
                        } else {
                            open++;
                        }
                    } catch (IOException e) {
                        close(c);
                    }
                }
            }
            return open;
        }

        private static void close(SocketChannel c) {
            try {
                c.close();
            } catch (IOException ignored) {
                // gone
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            pacer.interrupt();
            pacer.join(5000);
            channels.forEach(SlowClients::close);
        }
    }
}
