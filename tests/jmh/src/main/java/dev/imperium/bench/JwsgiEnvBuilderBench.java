package dev.imperium.bench;

import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.RequestHead;

import java.io.InputStream;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link JwsgiEnvBuilder}, per-request work of every JWSGI request: {@code build} makes the {@code env} map handed
 * to the app; {@code measure} sizes the uwsgi vars block for the default request log line. One operation handles one
 * already parsed request. Unit: requests per second (ops/s); with {@code -prof gc}, {@code gc.alloc.rate.norm} is
 * the bytes allocated per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JwsgiEnvBuilderBench {
    private final JwsgiEnvBuilder builder = new JwsgiEnvBuilder("bench-host");
    private final InputStream body = InputStream.nullInputStream();
    private RequestHead minimal;
    private RequestHead browser;

    /** Parses the sample requests once. */
    @Setup
    public void setUp() {
        minimal = SampleRequests.requestHead(SampleRequests.MINIMAL);
        browser = SampleRequests.requestHead(SampleRequests.BROWSER);
    }

    /** The env of wrk's request (1 header). */
    @Benchmark
    public HashMap<String, Object> buildMinimal() {
        return builder.build(minimal, body);
    }

    /** The env of the browser's request (13 headers). */
    @Benchmark
    public HashMap<String, Object> buildBrowser() {
        return builder.build(browser, body);
    }

    /** The vars block size of the browser's request, for the request log. */
    @Benchmark
    public JwsgiEnvBuilder.VarsBlock measureBrowser() {
        return builder.measure(browser);
    }
}
