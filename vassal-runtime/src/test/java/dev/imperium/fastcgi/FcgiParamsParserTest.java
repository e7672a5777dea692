package dev.imperium.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.uwsgi.UwsgiVars;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The params stream: name-value pairs (FastCGI Specification 1.0, sections 3.4 and 5.2). */
class FcgiParamsParserTest {
    static final int MAX_VARS = 64;
    static final int BUFFER_SIZE = 4096;

    /** The params nginx sends with its stock fastcgi_params (plus SCRIPT_FILENAME) for {@code GET /hello?x=1}. */
    static FcgiParamsEncoder nginxParams() {
        return new FcgiParamsEncoder()
                .add("SCRIPT_FILENAME", "/usr/share/nginx/html/hello")
                .add("QUERY_STRING", "x=1")
                .add("REQUEST_METHOD", "GET")
                .add("CONTENT_TYPE", "")
                .add("CONTENT_LENGTH", "")
                .add("SCRIPT_NAME", "/hello")
                .add("REQUEST_URI", "/hello?x=1")
                .add("DOCUMENT_URI", "/hello")
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
                .add("HTTP_HOST", "127.0.0.1:8080")
                .add("HTTP_USER_AGENT", "curl/7.88.1")
                .add("HTTP_ACCEPT", "*/*");
    }

    static ByteBuffer raw(int... bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes.length);
        for (int v : bytes) {
            b.put((byte) v);
        }
        return b.flip();
    }

    private static UwsgiVars parse(byte[] stream) throws FcgiProtocolException {
        return FcgiParamsParser.parse(ByteBuffer.wrap(stream), MAX_VARS, BUFFER_SIZE);
    }

    @Test
    void nginxParamsAreReadInOrder() throws Exception {
        UwsgiVars vars = parse(nginxParams().toByteArray());
        assertThat(vars.size()).isEqualTo(22);
        assertThat(vars.name(0)).isEqualTo("SCRIPT_FILENAME");
        assertThat(vars.get("REQUEST_METHOD")).isEqualTo("GET");
        assertThat(vars.get("CONTENT_LENGTH")).isEmpty();
        assertThat(vars.get("HTTP_ACCEPT")).isEqualTo("*/*");
        assertThat(vars.name(21)).isEqualTo("HTTP_ACCEPT");
        assertThat(vars.get("HTTP_COOKIE")).isNull();
    }

    @Test
    void shortLengthsTakeOneByteAndLongOnesFour() throws Exception {
        byte[] a = new FcgiParamsEncoder().add("N", "v".repeat(127)).toByteArray();
        assertThat(a).startsWith(1, 127, 'N');
        byte[] b = new FcgiParamsEncoder().add("N".repeat(128), "").toByteArray();
        assertThat(b).startsWith(0x80, 0, 0, 128, 0, 'N');
        byte[] c = new FcgiParamsEncoder().add("N", "v".repeat(65535)).toByteArray();
        assertThat(c).startsWith(1, 0x80, 0, 0xFF, 0xFF, 'N');
        for (byte[] stream : List.of(a, b, c)) {
            UwsgiVars vars = FcgiParamsParser.parse(ByteBuffer.wrap(stream), 1, 70_000);
            assertThat(vars.size()).isEqualTo(1);
        }
        assertThat(FcgiParamsParser.parse(ByteBuffer.wrap(c), 1, 70_000).value(0)).hasSize(65535);
        assertThat(FcgiParamsParser.parse(ByteBuffer.wrap(b), 1, 70_000).name(0)).hasSize(128);
    }

    @Test
    void lengthsAtTheBoundaryRoundTrip() throws Exception {
        FcgiParamsEncoder e = new FcgiParamsEncoder();
        int[] sizes = {1, 126, 127, 128, 129, 255, 256, 1000};
        for (int n : sizes) {
            for (int v : new int[] {0, 127, 128}) {
                e.add("k".repeat(n), "v".repeat(v));
            }
        }
        UwsgiVars vars = FcgiParamsParser.parse(ByteBuffer.wrap(e.toByteArray()), 100, 20_000);
        assertThat(vars.size()).isEqualTo(sizes.length * 3);
        for (int i = 0; i < vars.size(); i++) {
            assertThat(vars.name(i)).hasSize(sizes[i / 3]);
            assertThat(vars.value(i)).hasSize(new int[] {0, 127, 128}[i % 3]);
        }
    }

    @Test
    void aShortLengthSentInTheFourByteFormIsAccepted() throws Exception {
        UwsgiVars vars = FcgiParamsParser.parse(raw(0x80, 0, 0, 1, 0x80, 0, 0, 2, 'A', 'x', 'y'), 8, 100);
        assertThat(vars.toMap()).isEqualTo(Map.of("A", "xy"));
    }

    @Test
    void emptyValuesAreAcceptedAlsoAtTheEnd() throws Exception {
        assertThat(FcgiParamsParser.parse(raw(1, 0, 'A'), 8, 100).get("A")).isEmpty();
        assertThat(FcgiParamsParser.parse(raw(), 8, 100).size()).isZero();
    }

    @Test
    void bytesArePreservedOneCharEachAndNulInAValueIsKept() throws Exception {
        byte[] utf8 = "/caf\u00e9".getBytes(StandardCharsets.UTF_8);
        String path = new String(utf8, StandardCharsets.ISO_8859_1);
        UwsgiVars vars = parse(new FcgiParamsEncoder().add("PATH_INFO", path).add("X", "a\0b").toByteArray());
        assertThat(vars.get("PATH_INFO").getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(utf8);
        assertThat(vars.get("X")).isEqualTo("a\0b");
    }

    @Test
    void aRepeatedNameKeepsItsLastValue() throws Exception {
        UwsgiVars vars = parse(new FcgiParamsEncoder().add("X", "1").add("X", "2").toByteArray());
        assertThat(vars.size()).isEqualTo(2);
        assertThat(vars.get("X")).isEqualTo("2");
    }

    @Test
    void anEmptyNameIsRefusedInEitherForm() {
        for (ByteBuffer bad : List.of(raw(0, 1, 'x'), raw(0, 0), raw(1, 0, 'A', 0x80, 0, 0, 0, 0))) {
            assertThatThrownBy(() -> FcgiParamsParser.parse(bad, 8, 100))
                    .isInstanceOf(FcgiProtocolException.class)
                    .hasMessageStartingWith("FastCGI param with an empty name");
        }
    }

    @Test
    void aNameOrValueOver65535BytesIsRefused() {
        ByteBuffer value = raw(1, 0x80, 1, 0, 0, 'A');
        assertThatThrownBy(() -> FcgiParamsParser.parse(value, 8, 1 << 20))
                .isInstanceOf(FcgiProtocolException.class)
                .hasMessage("FastCGI param over 65535 bytes (at byte 0)");
        ByteBuffer name = raw(0xFF, 0xFF, 0xFF, 0xFF, 0, 'A');
        assertThatThrownBy(() -> FcgiParamsParser.parse(name, 8, 1 << 20))
                .isInstanceOf(FcgiProtocolException.class)
                .hasMessage("FastCGI param over 65535 bytes (at byte 0)");
    }

    @Test
    void truncationAtEveryByteIsRefusedUnlessItFallsBetweenPairs() throws Exception {
        FcgiParamsEncoder e = new FcgiParamsEncoder();
        List<Integer> boundaries = new ArrayList<>(List.of(0));
        String[][] pairs = {{"A", "1"}, {"B".repeat(130), "2"}, {"C", "3".repeat(200)}, {"D".repeat(128), ""},
            {"E", ""}};
        for (String[] p : pairs) {
            e.add(p[0], p[1]);
            boundaries.add(e.size());
        }
        byte[] stream = e.toByteArray();
        for (int n = 0; n <= stream.length; n++) {
            ByteBuffer prefix = ByteBuffer.wrap(stream, 0, n);
            int pairsWhole = boundaries.indexOf(n);
            if (pairsWhole >= 0) {
                UwsgiVars vars = FcgiParamsParser.parse(prefix, 8, BUFFER_SIZE);
                assertThat(vars.size()).isEqualTo(pairsWhole);
            } else {
                assertThatThrownBy(() -> FcgiParamsParser.parse(prefix, 8, BUFFER_SIZE))
                        .as("prefix of %d bytes", n)
                        .isInstanceOf(FcgiProtocolException.class)
                        .hasMessageStartingWith("FastCGI params stream truncated in a");
            }
        }
    }

    @Test
    void truncationMessagesSayWhere() {
        assertThatThrownBy(() -> FcgiParamsParser.parse(raw(1), 8, 100))
                .hasMessage("FastCGI params stream truncated in a length (at byte 0 of 1)");
        assertThatThrownBy(() -> FcgiParamsParser.parse(raw(1, 0, 'A', 0x80, 0, 0), 8, 100))
                .hasMessage("FastCGI params stream truncated in a length (at byte 3 of 6)");
        assertThatThrownBy(() -> FcgiParamsParser.parse(raw(1, 0, 'A', 1, 5, 'B', 'x'), 8, 100))
                .hasMessage("FastCGI params stream truncated in a name or value (at byte 3 of 7)");
    }

    @Test
    void theHugestLengthsDoNotOverflow() {
        ByteBuffer bad = raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 'A');
        assertThatThrownBy(() -> FcgiParamsParser.parse(bad, 8, 100)).isInstanceOf(FcgiProtocolException.class);
        ByteBuffer big = raw(0x80, 0, 0xFF, 0xFF, 0x80, 0, 0xFF, 0xFF, 'A');
        assertThatThrownBy(() -> FcgiParamsParser.parse(big, 8, 1 << 20))
                .isInstanceOf(FcgiProtocolException.class)
                .hasMessageStartingWith("FastCGI params stream truncated in a name or value");
    }

    @Test
    void aStreamOverMaxSizeIsRefusedBeforeParsing() throws Exception {
        byte[] stream = nginxParams().toByteArray();
        assertThat(FcgiParamsParser.parse(ByteBuffer.wrap(stream), MAX_VARS, stream.length).size()).isEqualTo(22);
        assertThatThrownBy(() -> FcgiParamsParser.parse(ByteBuffer.wrap(stream), MAX_VARS, stream.length - 1))
                .isInstanceOf(FcgiProtocolException.class)
                .hasMessage("FastCGI params stream over buffer-size: " + stream.length + " bytes (max "
                        + (stream.length - 1) + ")");
    }

    @Test
    void moreParamsThanMaxParamsAreRefused() throws Exception {
        FcgiParamsEncoder e = new FcgiParamsEncoder();
        for (int i = 0; i < 65; i++) {
            e.add("V" + i, "x");
        }
        ByteBuffer stream = ByteBuffer.wrap(e.toByteArray());
        assertThatThrownBy(() -> FcgiParamsParser.parse(stream, 64, BUFFER_SIZE))
                .isInstanceOf(FcgiProtocolException.class)
                .hasMessage("too many FastCGI params (max-vars 64)");
        assertThat(FcgiParamsParser.parse(stream, 65, BUFFER_SIZE).size()).isEqualTo(65);
        assertThat(FcgiParamsParser.parse(stream, 1000, BUFFER_SIZE).size()).isEqualTo(65);
        assertThatThrownBy(() -> FcgiParamsParser.parse(raw(1, 0, 'A'), 0, 100))
                .hasMessage("too many FastCGI params (max-vars 0)");
    }

    @Test
    void parsingLeavesThePositionReadsFromItAndWorksOnDirectBuffers() throws Exception {
        byte[] stream = nginxParams().toByteArray();
        ByteBuffer direct = ByteBuffer.allocateDirect(stream.length + 3);
        direct.put(new byte[] {9, 9, 9}).put(stream).flip().position(3);
        UwsgiVars vars = FcgiParamsParser.parse(direct, MAX_VARS, BUFFER_SIZE);
        assertThat(direct.position()).isEqualTo(3);
        assertThat(vars).isEqualTo(parse(stream));
        byte[] padded = new byte[stream.length + 5];
        System.arraycopy(stream, 0, padded, 5, stream.length);
        assertThat(FcgiParamsParser.parse(ByteBuffer.wrap(padded, 5, stream.length).slice(), MAX_VARS, BUFFER_SIZE))
                .isEqualTo(vars); // a heap buffer with an array offset
    }

    @Test
    void getValuesContentIsNamesWithEmptyValues() throws Exception {
        byte[] query = new FcgiParamsEncoder().add("FCGI_MAX_CONNS", "").add("FCGI_MAX_REQS", "")
                .add("FCGI_MPXS_CONNS", "").toByteArray();
        UwsgiVars vars = FcgiParamsParser.parse(ByteBuffer.wrap(query), 8, 100);
        assertThat(vars.toMap().keySet()).containsExactly("FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS");
    }

    @Test
    void noInputThrowsAnythingButTheProtocolException() {
        Random random = new Random(42);
        byte[] valid = nginxParams().toByteArray();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
            } else {
                bytes = valid.clone();
                for (int k = 0; k < 3; k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                UwsgiVars vars = FcgiParamsParser.parse(ByteBuffer.wrap(bytes), 8, BUFFER_SIZE);
                assertThat(vars.size()).isLessThanOrEqualTo(8);
            } catch (FcgiProtocolException expected) {
                // refused: fine
            }
        }
    }

    @Test
    void theEncoderRefusesWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> new FcgiParamsEncoder().add("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FcgiParamsEncoder().add("A", "\u20ac"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FcgiParamsEncoder().add("A", "x".repeat(65536)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
