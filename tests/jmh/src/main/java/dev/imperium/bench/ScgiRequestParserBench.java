package dev.imperium.bench;

import dev.imperium.scgi.ScgiProtocolException;
import dev.imperium.scgi.ScgiRequest;
import dev.imperium.scgi.ScgiRequestParser;
import dev.imperium.uwsgi.UwsgiVarsParser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * {@link ScgiRequestParser}: the head nginx's {@code scgi_pass} sends with its stock {@code scgi_params} for a
 * browser-like {@code GET}: a netstring of 21 headers, {@code CONTENT_LENGTH} first, then {@code SCGI: 1}, the CGI
 * vars and the HTTP headers. One operation parses the whole head, as it stands in the buffer. Unit: requests per
 * second; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per request (the names and values
 * as Strings).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScgiRequestParserBench {
    private ByteBuffer head;

    /** Builds the netstring once. */
    @Setup
    public void setUp() {
        String[] headers = {
            "CONTENT_LENGTH", "0",
            "REQUEST_METHOD", "GET",
            "REQUEST_URI", "/products/list?page=2&sort=name",
            "QUERY_STRING", "page=2&sort=name",
            "CONTENT_TYPE", "",
            "DOCUMENT_URI", "/products/list",
            "DOCUMENT_ROOT", "/usr/share/nginx/html",
            "SCGI", "1",
            "SERVER_PROTOCOL", "HTTP/1.1",
            "REQUEST_SCHEME", "http",
            "REMOTE_ADDR", "127.0.0.1",
            "REMOTE_PORT", "51234",
            "SERVER_PORT", "8080",
            "SERVER_NAME", "localhost",
            "HTTP_HOST", "shop.example.com",
            "HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "HTTP_ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "HTTP_ACCEPT_LANGUAGE", "en-US,en;q=0.5",
            "HTTP_ACCEPT_ENCODING", "gzip, deflate, br",
            "HTTP_COOKIE", "session=0123456789abcdef0123456789abcdef; theme=dark",
            "HTTP_CONNECTION", "keep-alive",
        };
        StringBuilder fields = new StringBuilder();
        for (String h : headers) {
            fields.append(h).append('\0');
        }
        String netstring = fields.length() + ":" + fields + ",";
        head = ByteBuffer.wrap(netstring.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Parses the head with uWSGI's default max-vars and buffer-size. */
    @Benchmark
    public ScgiRequest parse() throws ScgiProtocolException {
        return ScgiRequestParser.parse(head.duplicate(), UwsgiVarsParser.DEFAULT_MAX_VARS, 4096);
    }
}
