package dev.imperium.bench;

import dev.imperium.http.HttpVersion;
import dev.imperium.http.ResponseHeadEncoder;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ResponseHeadEncoder}: one operation encodes one response head (status-line, fields, final CRLF) into the
 * encoder's reused array, as a connection does for each response. The {@code Date} value is a constant, so
 * {@code HttpDate}'s once-a-second formatting is not measured. Unit: heads per second (ops/s); with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per head.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ResponseHeadEncoderBench {
    private static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    private final ResponseHeadEncoder encoder = new ResponseHeadEncoder();

    /** A hello-world answer: the app's {@code Content-Type}, the server's {@code Date} and {@code Content-Length}. */
    @Benchmark
    public int minimal() {
        return encoder.statusLine(HttpVersion.HTTP_1_1, 200)
                .field("Content-Type", "text/plain")
                .field("Date", DATE)
                .field("Content-Length", 16L)
                .end()
                .length();
    }

    /** A JSON API answer with 7 fields, among them a cookie. */
    @Benchmark
    public int typical() {
        return encoder.statusLine(HttpVersion.HTTP_1_1, 200)
                .field("Content-Type", "application/json; charset=utf-8")
                .field("Cache-Control", "no-store, max-age=0")
                .field("X-Request-Id", "7f3e2a9c-41d6-4b8e-9a0f-3c5d7e9b1a24")
                .field("Set-Cookie", "session=4f2c9a1e7b3d45e8a6c0f1b2d3e4f5a6; Path=/; HttpOnly; SameSite=Lax")
                .field("Vary", "Accept-Encoding")
                .field("Date", DATE)
                .field("Content-Length", 1834L)
                .end()
                .length();
    }
}
