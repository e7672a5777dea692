package dev.imperium.scgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.uwsgi.UwsgiVars;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SCGI request head: a netstring of NUL-terminated headers (SCGI specification, section 3). */
class ScgiRequestParserTest {
    private static final int MAX_VARS = 64;
    private static final int BUFFER_SIZE = 4096;

    /** A netstring around {@code headers}, given as alternating names and values. */
    static String netstring(String... headers) {
        StringBuilder b = new StringBuilder();
        for (String h : headers) {
            b.append(h).append('\0');
        }
        return b.length() + ":" + b + ",";
    }

    /** The head nginx sends with its stock scgi_params for {@code POST /form} with a 5-byte body. */
    static String nginxHead() {
        return netstring("CONTENT_LENGTH", "5",
                "REQUEST_METHOD", "POST",
                "REQUEST_URI", "/form?x=1",
                "QUERY_STRING", "x=1",
                "CONTENT_TYPE", "application/x-www-form-urlencoded",
                "DOCUMENT_URI", "/form",
                "DOCUMENT_ROOT", "/usr/share/nginx/html",
                "SCGI", "1",
                "SERVER_PROTOCOL", "HTTP/1.1",
                "REQUEST_SCHEME", "http",
                "REMOTE_ADDR", "127.0.0.1",
                "REMOTE_PORT", "51234",
                "SERVER_PORT", "8080",
                "SERVER_NAME", "localhost",
                "HTTP_HOST", "127.0.0.1:8080",
                "HTTP_USER_AGENT", "curl/7.88.1",
                "HTTP_ACCEPT", "*/*",
                "HTTP_CONTENT_LENGTH", "5",
                "HTTP_CONTENT_TYPE", "application/x-www-form-urlencoded");
    }

    private static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ScgiRequest parse(String s) throws ScgiProtocolException {
        return ScgiRequestParser.parse(buffer(s), MAX_VARS, BUFFER_SIZE);
    }

    private static void refused(String input, String message) {
        ByteBuffer in = buffer(input);
        assertThatThrownBy(() -> ScgiRequestParser.parse(in, MAX_VARS, BUFFER_SIZE))
                .as("%s", input.replace('\0', '0'))
                .isInstanceOf(ScgiProtocolException.class)
                .hasMessage(message);
        assertThat(in.position()).isZero();
    }

    @Test
    void theSpecsExampleIsReadAndThePositionLeftAtTheBody() throws Exception {
        String head = "70:CONTENT_LENGTH\u000027\u0000SCGI\u00001\u0000REQUEST_METHOD\u0000POST\u0000"
                + "REQUEST_URI\u0000/deepthought\u0000,";
        ByteBuffer in = buffer(head + "What is the answer to life?");
        ScgiRequest request = ScgiRequestParser.parse(in, MAX_VARS, BUFFER_SIZE);
        assertThat(request.contentLength()).isEqualTo(27);
        assertThat(in.position()).isEqualTo(head.length());
        assertThat(in.remaining()).isEqualTo(27);
        UwsgiVars vars = request.vars();
        assertThat(vars.size()).isEqualTo(4);
        assertThat(vars.name(0)).isEqualTo("CONTENT_LENGTH");
        assertThat(vars.get("CONTENT_LENGTH")).isEqualTo("27");
        assertThat(vars.get("SCGI")).isEqualTo("1");
        assertThat(vars.get("REQUEST_URI")).isEqualTo("/deepthought");
    }

    @Test
    void nginxHeadersAreReadInOrder() throws Exception {
        ScgiRequest request = parse(nginxHead() + "a=b&c");
        assertThat(request.contentLength()).isEqualTo(5);
        assertThat(request.vars().size()).isEqualTo(19);
        assertThat(request.vars().get("REQUEST_METHOD")).isEqualTo("POST");
        assertThat(request.vars().name(18)).isEqualTo("HTTP_CONTENT_TYPE");
    }

    @Test
    void fedOneByteAtATimeItWaitsForTheComma() throws Exception {
        byte[] bytes = (nginxHead() + "a=b&c").getBytes(StandardCharsets.ISO_8859_1);
        int headLength = nginxHead().length();
        ByteBuffer in = ByteBuffer.allocate(bytes.length);
        ScgiRequest request = null;
        for (int i = 0; i < bytes.length && request == null; i++) {
            in.put(bytes[i]).flip();
            request = ScgiRequestParser.parse(in, MAX_VARS, BUFFER_SIZE);
            if (request == null) {
                assertThat(in.position()).isZero();
                assertThat(i).isLessThan(headLength - 1);
                in.position(in.limit()).limit(in.capacity());
            } else {
                assertThat(i).isEqualTo(headLength - 1);
                assertThat(in.position()).isEqualTo(headLength);
            }
        }
        assertThat(request).isNotNull();
        assertThat(request).isEqualTo(parse(nginxHead()));
    }

    @Test
    void everyPrefixOfAGoodHeadAsksForMore() throws Exception {
        String head = nginxHead();
        for (int n = 0; n < head.length(); n++) {
            assertThat(parse(head.substring(0, n))).as("prefix of %d", n).isNull();
        }
    }

    @Test
    void fedOneByteAtATimeABadLengthIsRefusedAsSoonAsItsBadByteArrives() throws Exception {
        for (String bad : List.of("x", "12x", "01", "40900", "4091")) {
            ByteBuffer in = ByteBuffer.allocate(bad.length());
            for (int i = 0; i < bad.length(); i++) {
                in.put((byte) bad.charAt(i)).flip();
                if (i < bad.length() - 1) {
                    assertThat(ScgiRequestParser.parse(in, MAX_VARS, BUFFER_SIZE)).as(bad).isNull();
                    in.position(in.limit()).limit(in.capacity());
                } else {
                    assertThatThrownBy(() -> ScgiRequestParser.parse(in, MAX_VARS, BUFFER_SIZE)).as(bad)
                            .isInstanceOf(ScgiProtocolException.class);
                }
            }
        }
    }

    @Test
    void theLengthMustBeDigitsWithoutALeadingZeroThenAColon() {
        refused("x", "SCGI request does not start with a netstring length");
        refused(":", "SCGI request does not start with a netstring length");
        refused(" 12:", "SCGI request does not start with a netstring length");
        refused("-5:", "SCGI request does not start with a netstring length");
        refused("12x", "SCGI netstring length not followed by ':'");
        refused("12,", "SCGI netstring length not followed by ':'");
        refused("1 2:", "SCGI netstring length not followed by ':'");
        refused("01", "SCGI netstring length with a leading zero");
        refused("0:,", "SCGI request without headers (CONTENT_LENGTH must come first)");
    }

    @Test
    void theNetstringMustEndWithAComma() {
        String head = nginxHead();
        String body = head.substring(0, head.length() - 1);
        for (String end : List.of(";", "\0", "x", "\n")) {
            refused(body + end, "SCGI netstring not ended by ','");
        }
    }

    @Test
    void theWholeNetstringMustFitInBufferSizeAndIsRefusedFromItsDigits() throws Exception {
        String head = nginxHead();
        int size = head.length();
        assertThat(ScgiRequestParser.parse(buffer(head), MAX_VARS, size)).isNotNull();
        ByteBuffer in = buffer(head);
        assertThatThrownBy(() -> ScgiRequestParser.parse(in, MAX_VARS, size - 1))
                .isInstanceOf(ScgiProtocolException.class)
                .hasMessage("invalid SCGI request size: " + size + " (max " + (size - 1) + ")...skip");
        // known from the digits alone, with nothing after them
        // (4 digits, ':', 4090 bytes of headers, ',' make 4096)
        assertThatThrownBy(() -> ScgiRequestParser.parse(buffer("4091"), MAX_VARS, 4096))
                .hasMessage("invalid SCGI request size: 4097 (max 4096)...skip");
        assertThat(ScgiRequestParser.parse(buffer("4090"), MAX_VARS, 4096)).isNull();
        assertThat(ScgiRequestParser.parse(buffer("4090:CONTENT_LENGTH"), MAX_VARS, 4096)).isNull();
        assertThatThrownBy(() -> ScgiRequestParser.parse(buffer("40900"), MAX_VARS, 4096))
                .hasMessageStartingWith("invalid SCGI request size");
        // endless digits are refused after a few, without overflow
        assertThatThrownBy(() -> ScgiRequestParser.parse(buffer("9".repeat(30)), MAX_VARS, Integer.MAX_VALUE))
                .hasMessageStartingWith("invalid SCGI request size");
        assertThatThrownBy(() -> ScgiRequestParser.parse(buffer("1".repeat(5)), MAX_VARS, 4096))
                .hasMessageStartingWith("invalid SCGI request size");
    }

    @Test
    void headersAreAnEvenNumberOfNulTerminatedFields() {
        refused("16:CONTENT_LENGTH\u00000,", "SCGI headers do not end with a NUL byte");
        refused("23:CONTENT_LENGTH\u00000\u0000SCGI\u00001,", "SCGI headers do not end with a NUL byte");
        refused("26:CONTENT_LENGTH\u00000\u0000SCGI\u00001\u0000X\u0000,",
                "SCGI header without a value: an odd number of fields");
        refused("1:\u0000,", "SCGI header with an empty name (at byte 0)");
        refused(netstring("CONTENT_LENGTH", "0", "SCGI", "1", "", "x"), "SCGI header with an empty name (at byte 24)");
    }

    @Test
    void emptyValuesAreAccepted() throws Exception {
        ScgiRequest request = parse(netstring("CONTENT_LENGTH", "0", "SCGI", "1", "CONTENT_TYPE", "", "X", ""));
        assertThat(request.vars().get("CONTENT_TYPE")).isEmpty();
        assertThat(request.vars().get("X")).isEmpty();
        assertThat(request.vars().size()).isEqualTo(4);
    }

    @Test
    void theFirstHeaderMustBeContentLengthInDigits() throws Exception {
        refused(netstring("SCGI", "1", "CONTENT_LENGTH", "0"),
                "SCGI request whose first header is not CONTENT_LENGTH");
        refused(netstring("content_length", "0", "SCGI", "1"),
                "SCGI request whose first header is not CONTENT_LENGTH");
        refused(netstring("CONTENT_LENGTH", "", "SCGI", "1"), "SCGI CONTENT_LENGTH is not 1 to 18 digits");
        refused(netstring("CONTENT_LENGTH", "1".repeat(19), "SCGI", "1"),
                "SCGI CONTENT_LENGTH is not 1 to 18 digits");
        for (String bad : List.of("12a", " 1", "1 ", "-1", "+1", "0x10", "1.0")) {
            refused(netstring("CONTENT_LENGTH", bad, "SCGI", "1"), "SCGI CONTENT_LENGTH is not a decimal number");
        }
        assertThat(parse(netstring("CONTENT_LENGTH", "9".repeat(18), "SCGI", "1")).contentLength())
                .isEqualTo(999_999_999_999_999_999L);
        assertThat(parse(netstring("CONTENT_LENGTH", "007", "SCGI", "1")).contentLength()).isEqualTo(7);
        assertThat(parse(netstring("CONTENT_LENGTH", "0", "SCGI", "1")).contentLength()).isZero();
        refused(netstring("CONTENT_LENGTH", "1", "SCGI", "1", "CONTENT_LENGTH", "1"),
                "SCGI request with more than one CONTENT_LENGTH");
    }

    @Test
    void theHeaderScgiMustBeOneAndComeOnce() {
        refused(netstring("CONTENT_LENGTH", "0"), "SCGI request without the header SCGI: 1");
        refused(netstring("CONTENT_LENGTH", "0", "HTTP_SCGI", "1"), "SCGI request without the header SCGI: 1");
        for (String bad : List.of("2", "", "01", "1 ", "true")) {
            refused(netstring("CONTENT_LENGTH", "0", "SCGI", bad), "SCGI header SCGI is not 1");
        }
        refused(netstring("CONTENT_LENGTH", "0", "SCGI", "1", "SCGI", "1"),
                "SCGI request with more than one SCGI header");
    }

    @Test
    void otherRepeatedNamesAreAcceptedTheLastCounting() throws Exception {
        ScgiRequest request = parse(netstring("CONTENT_LENGTH", "0", "SCGI", "1", "HTTP_X", "a", "HTTP_X", "b"));
        assertThat(request.vars().size()).isEqualTo(4);
        assertThat(request.vars().get("HTTP_X")).isEqualTo("b");
    }

    @Test
    void moreHeadersThanMaxVarsAreRefused() throws Exception {
        String[] headers = new String[2 * 64];
        headers[0] = "CONTENT_LENGTH";
        headers[1] = "0";
        headers[2] = "SCGI";
        headers[3] = "1";
        for (int i = 2; i < 64; i++) {
            headers[2 * i] = "V" + i;
            headers[2 * i + 1] = "x";
        }
        String head = netstring(headers);
        assertThat(ScgiRequestParser.parse(buffer(head), 64, BUFFER_SIZE).vars().size()).isEqualTo(64);
        assertThatThrownBy(() -> ScgiRequestParser.parse(buffer(head), 63, BUFFER_SIZE))
                .isInstanceOf(ScgiProtocolException.class)
                .hasMessage("too many SCGI headers (max-vars 63)");
    }

    @Test
    void bytesArePreservedOneCharEach() throws Exception {
        byte[] utf8 = "/caf\u00e9".getBytes(StandardCharsets.UTF_8);
        String path = new String(utf8, StandardCharsets.ISO_8859_1);
        ScgiRequest request = parse(netstring("CONTENT_LENGTH", "0", "SCGI", "1", "PATH_INFO", path));
        assertThat(request.vars().get("PATH_INFO").getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(utf8);
    }

    @Test
    void worksOnDirectBuffersAndFromThePosition() throws Exception {
        byte[] head = nginxHead().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer direct = ByteBuffer.allocateDirect(head.length + 10);
        direct.put(new byte[] {'x', 'x', 'x'}).put(head).put(new byte[] {'b', 'o', 'd', 'y'}).flip().position(3);
        ScgiRequest request = ScgiRequestParser.parse(direct, MAX_VARS, BUFFER_SIZE);
        assertThat(request).isEqualTo(parse(nginxHead()));
        assertThat(direct.position()).isEqualTo(3 + head.length);
        assertThat(direct.get()).isEqualTo((byte) 'b');
    }

    @Test
    void aRequestRecordChecksItsArguments() {
        assertThatThrownBy(() -> new ScgiRequest(null, 0)).isInstanceOf(NullPointerException.class);
        UwsgiVars vars = UwsgiVars.of(new String[0], new String[0], 0);
        assertThatThrownBy(() -> new ScgiRequest(vars, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noInputThrowsAnythingButTheProtocolException() {
        Random random = new Random(42);
        byte[] valid = nginxHead().getBytes(StandardCharsets.ISO_8859_1);
        byte[] alphabet = {'0', '1', '9', ':', ',', 0, 'A', 'S'};
        for (int round = 0; round < 30_000; round++) {
            byte[] bytes;
            switch (round % 3) {
                case 0 -> {
                    bytes = new byte[random.nextInt(40)];
                    random.nextBytes(bytes);
                }
                case 1 -> {
                    bytes = new byte[random.nextInt(40)];
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = alphabet[random.nextInt(alphabet.length)];
                    }
                }
                default -> {
                    bytes = valid.clone();
                    for (int k = 0; k < 2; k++) {
                        bytes[random.nextInt(bytes.length)] = alphabet[random.nextInt(alphabet.length)];
                    }
                }
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            try {
                ScgiRequest request = ScgiRequestParser.parse(in, 8, 256);
                if (request == null) {
                    assertThat(in.position()).isZero();
                } else {
                    assertThat(request.vars().size()).isBetween(2, 8);
                    assertThat(request.vars().name(0)).isEqualTo("CONTENT_LENGTH");
                    assertThat(in.position()).isLessThanOrEqualTo(256);
                }
            } catch (ScgiProtocolException expected) {
                assertThat(in.position()).isZero();
            }
        }
    }
}
