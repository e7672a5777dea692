package dev.imperium.bench;

import dev.imperium.uwsgi.UwsgiHeader;
import dev.imperium.uwsgi.UwsgiProtocolException;
import dev.imperium.uwsgi.UwsgiVars;
import dev.imperium.uwsgi.UwsgiVarsEncoder;
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
 * {@link UwsgiVarsParser}: one operation reads the 4-byte header and parses the vars block nginx's {@code uwsgi_pass}
 * sends with Debian's {@code uwsgi_params} for a browser-like {@code GET} (18 vars, a 635-byte block). Unit: requests per
 * second; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per request (the names and
 * values as Strings).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UwsgiVarsParserBench {
    private ByteBuffer packet;

    /** Builds the packet once. */
    @Setup
    public void setUp() {
        byte[] bytes = new UwsgiVarsEncoder()
                .add("QUERY_STRING", "page=2&sort=name")
                .add("REQUEST_METHOD", "GET")
                .add("CONTENT_TYPE", "")
                .add("CONTENT_LENGTH", "")
                .add("REQUEST_URI", "/products/list?page=2&sort=name")
                .add("PATH_INFO", "/products/list")
                .add("DOCUMENT_ROOT", "/usr/share/nginx/html")
                .add("SERVER_PROTOCOL", "HTTP/1.1")
                .add("REQUEST_SCHEME", "http")
                .add("REMOTE_ADDR", "127.0.0.1")
                .add("REMOTE_PORT", "51234")
                .add("SERVER_PORT", "8080")
                .add("SERVER_NAME", "localhost")
                .add("HTTP_HOST", "shop.example.com")
                .add("HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .add("HTTP_ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .add("HTTP_ACCEPT_LANGUAGE", "en-US,en;q=0.5")
                .add("HTTP_COOKIE", "session=0123456789abcdef0123456789abcdef; theme=dark")
                .packet(UwsgiHeader.MODIFIER1_JVM, 0);
        packet = ByteBuffer.wrap(bytes);
    }

    /** Decodes the header, checks the size against the default buffer-size and parses the vars. */
    @Benchmark
    public UwsgiVars parse() throws UwsgiProtocolException {
        ByteBuffer in = packet.duplicate();
        UwsgiHeader header = UwsgiHeader.decode(in);
        header.checkBlockSize(4096);
        in.limit(in.position() + header.dataSize());
        return UwsgiVarsParser.parse(in.slice(), UwsgiVarsParser.DEFAULT_MAX_VARS);
    }
}
