package dev.imperium.bench;

import dev.imperium.http.Http1RequestHead;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.http.RequestHeadParser;

import java.nio.ByteBuffer;
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
 * {@link RequestHeadParser}: one operation parses one whole request head into an {@link Http1RequestHead}, reusing
 * one parser with {@code reset()} as a keep-alive connection does. Unit: heads per second (ops/s); with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per head.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestHeadParserBench {
    /** The piece size for {@link #browserIn64BytePieces}: a head that trickles in over many reads. */
    private static final int PIECE = 64;

    private final RequestHeadParser parser = new RequestHeadParser(SampleRequests.MAX_HEAD, SampleRequests.MAX_HEAD);
    private ByteBuffer minimal;
    private ByteBuffer browser;
    private ByteBuffer[] browserPieces;

    /** Wraps the sample requests once, and checks that each parses. */
    @Setup
    public void setUp() throws HttpProtocolException {
        minimal = ByteBuffer.wrap(SampleRequests.bytes(SampleRequests.MINIMAL));
        browser = ByteBuffer.wrap(SampleRequests.bytes(SampleRequests.BROWSER));
        byte[] b = SampleRequests.bytes(SampleRequests.BROWSER);
        browserPieces = new ByteBuffer[(b.length + PIECE - 1) / PIECE];
        for (int i = 0; i < browserPieces.length; i++) {
            int from = i * PIECE;
            browserPieces[i] = ByteBuffer.wrap(b, from, Math.min(PIECE, b.length - from)).slice();
        }
        if (minimal().fields().size() != 1 || browser().fields().size() != 13
                || browserIn64BytePieces().fields().size() != 13) {
            throw new IllegalStateException("sample requests did not parse as expected");
        }
    }

    /** wrk's {@code GET / HTTP/1.1} with {@code Host}, in one buffer. */
    @Benchmark
    public Http1RequestHead minimal() throws HttpProtocolException {
        return parseWhole(minimal);
    }

    /** A browser's request with 13 fields, in one buffer. */
    @Benchmark
    public Http1RequestHead browser() throws HttpProtocolException {
        return parseWhole(browser);
    }

    /** The browser's request fed in 64-byte pieces: 10 pieces, so the parser resumes 9 times, mostly mid-line. */
    @Benchmark
    public Http1RequestHead browserIn64BytePieces() throws HttpProtocolException {
        parser.reset();
        for (ByteBuffer piece : browserPieces) {
            piece.clear();
            if (parser.parse(piece)) {
                return parser.head();
            }
        }
        throw new IllegalStateException("incomplete request head");
    }

    private Http1RequestHead parseWhole(ByteBuffer src) throws HttpProtocolException {
        parser.reset();
        src.clear();
        if (!parser.parse(src)) {
            throw new IllegalStateException("incomplete request head");
        }
        return parser.head();
    }
}
