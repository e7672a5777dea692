package dev.imperium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk -t1} against 127.0.0.1 and reads its figures exactly, from a Lua {@code done()} callback (requests,
 * duration, latency percentiles in microseconds, every error counter). While a run with several connections goes,
 * it also counts with {@code ss} how many of wrk's connections were actually served: wrk counts a request that never
 * gets an answer nowhere (its "timeout" counter only counts late answers), so a connection starved in the listen
 * queue is invisible in its own output.
 */
final class Wrk {
    /** The figures of one wrk run. {@code served} is -1 when not sampled (one connection). */
    record Result(int conns, double seconds, long requests, double p50ms, double p99ms, double maxms,
                  long connectErrors, long readErrors, long writeErrors, long timeouts, long statusErrors,
                  int served) {
        double rps() {
            return requests / seconds;
        }

        long socketErrors() {
            return connectErrors + readErrors + writeErrors + timeouts;
        }

        /** Socket errors plus responses with status 400 or more (wrk's "non-2xx or 3xx"). */
        long failures() {
            return socketErrors() + statusErrors;
        }

        String errorText() {
            if (failures() == 0) {
                return "0 errors";
            }
            List<String> parts = new ArrayList<>();
            if (connectErrors > 0) {
                parts.add("connect " + connectErrors);
            }
            if (readErrors > 0) {
                parts.add("read " + readErrors);
            }
            if (writeErrors > 0) {
                parts.add("write " + writeErrors);
            }
            if (timeouts > 0) {
                parts.add("timeout " + timeouts);
            }
            if (statusErrors > 0) {
                parts.add("status>=400 " + statusErrors);
            }
            return String.join(", ", parts);
        }
    }

    private static final String SCRIPT = """
            -- written by the Imperium bench harness: exact figures for the harness to parse
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format(
                "BENCH-RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d"
                .. " p50_us=%d p99_us=%d max_us=%d\\n",
                summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                math.floor(latency:percentile(50)), math.floor(latency:percentile(99)), math.floor(latency.max)))
            end
            """;
    private static final Pattern RESULT = Pattern.compile("BENCH-RESULT (.*)");
    private static final Pattern BYTES_RECEIVED = Pattern.compile("bytes_received:(\\d+)");

    private final Procs procs;
    private final Path dir;
    private final Path script;
    private final AtomicInteger counter = new AtomicInteger();

    Wrk(Procs procs, Path dir) throws IOException {
        this.procs = procs;
        this.dir = Files.createDirectories(dir);
        this.script = dir.resolve("done.lua");
        Files.writeString(script, SCRIPT);
    }

    /**
     * Runs {@code wrk -t1 -cC -dS --latency} on {@code http://127.0.0.1:PORT/PATH}.
     *
     * @param headers extra request headers ({@code Name: value})
     */
    Result run(int port, String path, int conns, int seconds, List<String> headers) throws IOException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c" + conns, "-d" + seconds + "s",
                "--timeout", "2s", "--latency", "-s", script.toString()));
        for (String h : headers) {
            command.add("-H");
            command.add(h);
        }
        command.add("http://127.0.0.1:" + port + path);
        Path log = dir.resolve("wrk-" + counter.incrementAndGet() + ".out");
        Procs.Running wrk = procs.start("wrk", command, dir, log, Map.of(), "INT");
        int served = -1;
        if (conns > 1) {
            served = sampleServed(port, seconds);
        }
        try {
            if (!wrk.process().waitFor(seconds + 15L, TimeUnit.SECONDS)) {
                System.out.println("    wrk did not finish in time; stopping it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        procs.stop(wrk, Duration.ofSeconds(2));
        String out = Files.readString(log);
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IOException("wrk gave no result (see " + log + "):\n" + out);
        }
        Map<String, Long> v = new HashMap<>();
        for (String kv : m.group(1).trim().split(" ")) {
            String[] p = kv.split("=");
            v.put(p[0], Long.parseLong(p[1]));
        }
        return new Result(conns, v.get("duration_us") / 1e6, v.get("requests"), v.get("p50_us") / 1000.0,
                v.get("p99_us") / 1000.0, v.get("max_us") / 1000.0, v.get("connect"), v.get("read"), v.get("write"),
                v.get("timeout"), v.get("status"), served);
    }

    /**
     * Counts wrk's connections that received bytes between 30 % and 80 % of the run (two {@code ss} snapshots of the
     * client-side sockets, keyed by local port).
     */
    private static int sampleServed(int port, int seconds) {
        long start = System.nanoTime();
        sleepUntil(start, seconds * 300L);
        Map<String, Long> first = snapshot(port);
        sleepUntil(start, seconds * 800L);
        Map<String, Long> second = snapshot(port);
        int served = 0;
        for (Map.Entry<String, Long> e : second.entrySet()) {
            Long before = first.get(e.getKey());
            if (before == null || e.getValue() > before) {
                served++;
            }
        }
        return served;
    }

    private static void sleepUntil(long start, long millis) {
        long left = millis - (System.nanoTime() - start) / 1_000_000;
        if (left > 0) {
            Procs.sleep(left);
        }
    }

    /** Local address of each established client socket to the port, with the bytes it has received. */
    private static Map<String, Long> snapshot(int port) {
        String out = Procs.capture(Duration.ofSeconds(5), "ss", "-tniH", "state", "established",
                "(", "dport", "=", ":" + port, ")");
        Map<String, Long> sockets = new HashMap<>();
        String current = null;
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                String[] f = line.trim().split("\\s+");
                current = f.length >= 3 ? f[2] : null;
                if (current != null) {
                    sockets.put(current, 0L);
                }
            } else if (current != null) {
                Matcher m = BYTES_RECEIVED.matcher(line);
                sockets.put(current, m.find() ? Long.parseLong(m.group(1)) : 0L);
            }
        }
        return sockets;
    }
}
