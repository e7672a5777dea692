package dev.imperium.http;

import static dev.imperium.http.ParserHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Splits whole requests (head and chunked body) at every offset, and byte by byte, and checks that the parse result
 * never depends on the split.
 */
class ParserResumeTest {

    /** Everything parsed from one request: the head, the decoded body, its trailers, and what was left over. */
    private record Parsed(String method, String target, String path, String query, HttpVersion version,
            List<String> fields, String body, List<String> trailers, int leftover) {
    }

    private static final String[] REQUESTS = {
        "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5\r\nAccept: */*\r\n\r\n",
        "\r\nGET /caf%C3%A9/%20x HTTP/1.0\nConnection: keep-alive\nX-Odd:  spaced  value \t\n\n",
        "POST /upload HTTP/1.1\r\nHost: h:8080\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
            + "5\r\nhello\r\n1a;name=\"a;b\"\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n"
            + "X-Checksum: 31\r\nX-More: yes\r\n\r\n",
        "PUT http://example.org/a/b HTTP/1.1\r\nHost: ignored\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3\r\nabc\r\n000\r\n\r\nGET /next HTTP/1.1\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody",
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void resultDoesNotDependOnTheSplit(int index) throws Exception {
        byte[] request = bytes(REQUESTS[index]);
        Parsed whole = parse(List.of(request));
        assertThat(whole.method()).isNotEmpty();
        for (int split = 0; split <= request.length; split++) {
            byte[] a = java.util.Arrays.copyOfRange(request, 0, split);
            byte[] b = java.util.Arrays.copyOfRange(request, split, request.length);
            assertThat(parse(List.of(a, b))).as("split at %d", split).isEqualTo(whole);
        }
        for (int split = 1; split < request.length; split++) {
            for (int second = split + 1; second < request.length; second += 13) {
                byte[] a = java.util.Arrays.copyOfRange(request, 0, split);
                byte[] b = java.util.Arrays.copyOfRange(request, split, second);
                byte[] c = java.util.Arrays.copyOfRange(request, second, request.length);
                assertThat(parse(List.of(a, b, c))).as("split at %d and %d", split, second).isEqualTo(whole);
            }
        }
        List<byte[]> single = new ArrayList<>();
        for (byte x : request) {
            single.add(new byte[] {x});
        }
        assertThat(parse(single)).as("byte by byte").isEqualTo(whole);
    }

    /** Parses a request delivered as the given pieces, the way a connection would. */
    private static Parsed parse(List<byte[]> pieces) throws HttpProtocolException {
        RequestHeadParser parser = new RequestHeadParser(4096, 4096);
        int next = 0;
        ByteBuffer src = ByteBuffer.allocate(0);
        while (!parser.parse(src)) {
            src = ByteBuffer.wrap(pieces.get(next++));
        }
        Http1RequestHead head = parser.head();
        BodyFraming framing = BodyFraming.forRequest(head, 0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> trailers = new ArrayList<>();
        if (framing.kind() == BodyFraming.Kind.CHUNKED) {
            ChunkedDecoder decoder = new ChunkedDecoder(0, 1024, 4096);
            byte[] dst = new byte[7];
            while (true) {
                int n = decoder.decode(src, dst, 0, dst.length);
                if (n < 0) {
                    break;
                }
                body.write(dst, 0, n);
                if (n == 0) {
                    src = ByteBuffer.wrap(pieces.get(next++));
                }
            }
            decoder.trailers().forEach((k, v) -> trailers.add(k + "=" + v));
        } else if (framing.kind() == BodyFraming.Kind.LENGTH) {
            long remaining = framing.length();
            while (remaining > 0) {
                int n = (int) Math.min(remaining, src.remaining());
                byte[] chunk = new byte[n];
                src.get(chunk);
                body.write(chunk, 0, n);
                remaining -= n;
                if (remaining > 0) {
                    src = ByteBuffer.wrap(pieces.get(next++));
                }
            }
        }
        int leftover = src.remaining();
        while (next < pieces.size()) {
            leftover += pieces.get(next++).length;
        }
        List<String> fields = new ArrayList<>();
        head.fields().forEach((k, v) -> fields.add(k + "=" + v));
        return new Parsed(head.method(), head.target().raw(), head.target().path(), head.target().query(),
                head.version(), fields, body.toString(java.nio.charset.StandardCharsets.ISO_8859_1), trailers,
                leftover);
    }
}
