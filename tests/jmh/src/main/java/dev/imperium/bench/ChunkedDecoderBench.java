package dev.imperium.bench;

import dev.imperium.http.ChunkedDecoder;
import dev.imperium.http.HttpProtocolException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * {@link ChunkedDecoder}: one operation decodes one chunked request body of 16 KiB sent as 16 chunks of 1 KiB (plus
 * the last-chunk), read by the app into an 8 KiB array, reusing one decoder with {@code reset()}. Unit: bodies per
 * second (ops/s; multiply by 16 KiB for bytes per second); with {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * bytes allocated per body.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChunkedDecoderBench {
    private static final int BODY = 16 * 1024;
    private static final int CHUNK = 1024;
    /** The connection's input buffer: uWSGI's default {@code buffer-size}. */
    private static final int READ = 4096;

    private final ChunkedDecoder decoder = new ChunkedDecoder(0, 256, 4096);
    private final byte[] appBuffer = new byte[8192];
    private ByteBuffer whole;
    private ByteBuffer[] reads;

    /** Encodes the body once, cuts it into 4 KiB reads, and checks that both decode to 16 KiB. */
    @Setup
    public void setUp() throws HttpProtocolException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) 'x');
        for (int sent = 0; sent < BODY; sent += CHUNK) {
            encoded.writeBytes((Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            encoded.writeBytes(chunk);
            encoded.writeBytes(new byte[] {'\r', '\n'});
        }
        encoded.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] b = encoded.toByteArray();
        whole = ByteBuffer.wrap(b);
        reads = new ByteBuffer[(b.length + READ - 1) / READ];
        for (int i = 0; i < reads.length; i++) {
            int from = i * READ;
            reads[i] = ByteBuffer.wrap(b, from, Math.min(READ, b.length - from)).slice();
        }
        if (oneBuffer() != BODY || in4KiBReads() != BODY) {
            throw new IllegalStateException("the chunked body did not decode to " + BODY + " bytes");
        }
    }

    /** The whole encoded body already in one buffer. */
    @Benchmark
    public int oneBuffer() throws HttpProtocolException {
        decoder.reset();
        whole.clear();
        return drain(whole, 0);
    }

    /** The encoded body arriving in 4 KiB reads, so chunk-size lines and data are cut between reads. */
    @Benchmark
    public int in4KiBReads() throws HttpProtocolException {
        decoder.reset();
        int total = 0;
        for (ByteBuffer read : reads) {
            read.clear();
            total = drain(read, total);
            if (decoder.isDone()) {
                break;
            }
        }
        return total;
    }

    /** Decodes until {@code src} is used up or the body ends; returns {@code total} plus the bytes decoded. */
    private int drain(ByteBuffer src, int total) throws HttpProtocolException {
        while (true) {
            int n = decoder.decode(src, appBuffer, 0, appBuffer.length);
            if (n <= 0) {
                return total;
            }
            total += n;
        }
    }
}
