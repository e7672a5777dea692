package dev.imperium.bench;

import dev.imperium.fastcgi.FcgiParamsAccumulator;
import dev.imperium.fastcgi.FcgiParamsEncoder;
import dev.imperium.fastcgi.FcgiParamsParser;
import dev.imperium.fastcgi.FcgiProtocolException;
import dev.imperium.fastcgi.FcgiRecordHeader;
import dev.imperium.fastcgi.FcgiRecordType;
import dev.imperium.uwsgi.UwsgiVars;
import dev.imperium.uwsgi.UwsgiVarsParser;

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
 * {@link FcgiParamsParser}: the params nginx's {@code fastcgi_pass} sends with its stock {@code fastcgi_params} (plus
 * {@code SCRIPT_FILENAME}) for a browser-like {@code GET}: 25 pairs, one PARAMS record then the empty one.
 * {@code parse} parses the stream as it stands; {@code accumulateAndParse} first decodes the two record headers and
 * collects the content with a reused {@link FcgiParamsAccumulator}, as a connection would. Unit: requests per second;
 * with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per request (the names and values as
 * Strings).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FcgiParamsParserBench {
    private ByteBuffer stream;
    private ByteBuffer records;
    private final FcgiParamsAccumulator accumulator = new FcgiParamsAccumulator(4096);

    /** Builds the stream and its two PARAMS records once. */
    @Setup
    public void setUp() {
        byte[] bytes = new FcgiParamsEncoder()
                .add("SCRIPT_FILENAME", "/usr/share/nginx/html/products/list")
                .add("QUERY_STRING", "page=2&sort=name")
                .add("REQUEST_METHOD", "GET")
                .add("CONTENT_TYPE", "")
                .add("CONTENT_LENGTH", "")
                .add("SCRIPT_NAME", "/products/list")
                .add("REQUEST_URI", "/products/list?page=2&sort=name")
                .add("DOCUMENT_URI", "/products/list")
                .add("DOCUMENT_ROOT", "/usr/share/nginx/html")
                .add("SERVER_PROTOCOL", "HTTP/1.1")
                .add("REQUEST_SCHEME", "http")
                .add("GATEWAY_INTERFACE", "CGI/1.1")
                .add("SERVER_SOFTWARE", "nginx/1.22.1")
                .add("REMOTE_ADDR", "127.0.0.1")
                .add("REMOTE_PORT", "51234")
                .add("SERVER_ADDR", "127.0.0.1")
                .add("SERVER_PORT", "8080")
                .add("SERVER_NAME", "localhost")
                .add("REDIRECT_STATUS", "200")
                .add("HTTP_HOST", "shop.example.com")
                .add("HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .add("HTTP_ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .add("HTTP_ACCEPT_LANGUAGE", "en-US,en;q=0.5")
                .add("HTTP_ACCEPT_ENCODING", "gzip, deflate, br")
                .add("HTTP_COOKIE", "session=0123456789abcdef0123456789abcdef; theme=dark")
                .toByteArray();
        stream = ByteBuffer.wrap(bytes);
        records = ByteBuffer.allocate(2 * FcgiRecordHeader.SIZE + bytes.length);
        new FcgiRecordHeader(1, FcgiRecordType.PARAMS, 1, bytes.length, 0).encode(records);
        records.put(bytes);
        new FcgiRecordHeader(1, FcgiRecordType.PARAMS, 1, 0, 0).encode(records);
        records.flip();
    }

    /** Parses the whole params stream with uWSGI's default max-vars and buffer-size. */
    @Benchmark
    public UwsgiVars parse() throws FcgiProtocolException {
        return FcgiParamsParser.parse(stream.duplicate(), UwsgiVarsParser.DEFAULT_MAX_VARS, 4096);
    }

    /** Decodes both PARAMS record headers, collects their content, parses it. */
    @Benchmark
    public UwsgiVars accumulateAndParse() throws FcgiProtocolException {
        ByteBuffer in = records.duplicate();
        accumulator.reset();
        boolean ended;
        do {
            FcgiRecordHeader header = FcgiRecordHeader.decode(in);
            ByteBuffer content = in.slice(in.position(), header.contentLength());
            in.position(in.position() + header.contentLength() + header.paddingLength());
            ended = accumulator.append(content);
        } while (!ended);
        return accumulator.vars(UwsgiVarsParser.DEFAULT_MAX_VARS);
    }
}
