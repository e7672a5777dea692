package dev.imperium.uwsgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The uwsgi packet: header and vars block, as nginx's uwsgi_pass sends them (uwsgi-docs "The uwsgi protocol"). */
class UwsgiVarsParserTest {
    /** The vars nginx sends with Debian's /etc/nginx/uwsgi_params for {@code GET /hello?x=1}. */
    private static byte[] nginxLikePacket() {
        return new UwsgiVarsEncoder()
                .add("QUERY_STRING", "x=1")
                .add("REQUEST_METHOD", "GET")
                .add("CONTENT_TYPE", "")
                .add("CONTENT_LENGTH", "")
                .add("REQUEST_URI", "/hello?x=1")
                .add("PATH_INFO", "/hello")
                .add("DOCUMENT_ROOT", "/usr/share/nginx/html")
                .add("SERVER_PROTOCOL", "HTTP/1.1")
                .add("REQUEST_SCHEME", "http")
                .add("REMOTE_ADDR", "127.0.0.1")
                .add("REMOTE_PORT", "51234")
                .add("SERVER_PORT", "8080")
                .add("SERVER_NAME", "localhost")
                .add("HTTP_HOST", "127.0.0.1:8080")
                .add("HTTP_USER_AGENT", "curl/7.88.1")
                .add("HTTP_ACCEPT", "*/*")
                .packet(UwsgiHeader.MODIFIER1_JVM, 0);
    }

    private static ByteBuffer block(byte[] packet) {
        return ByteBuffer.wrap(packet, UwsgiHeader.SIZE, packet.length - UwsgiHeader.SIZE).slice();
    }

    /** A block written by hand: each element is a var's raw key bytes then raw value bytes, sizes little-endian. */
    private static ByteBuffer raw(int... bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes.length);
        for (int v : bytes) {
            b.put((byte) v);
        }
        return b.flip();
    }

    @Test
    void headerIsModifier1LittleEndianSizeModifier2() {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {8, 0x34, 0x12, 0, 'x'});
        UwsgiHeader h = UwsgiHeader.decode(in);
        assertThat(h).isEqualTo(new UwsgiHeader(8, 0x1234, 0));
        assertThat(in.position()).isEqualTo(4);
        ByteBuffer out = ByteBuffer.allocate(4);
        new UwsgiHeader(255, 65535, 1).encode(out);
        assertThat(out.array()).containsExactly(0xFF, 0xFF, 0xFF, 1);
    }

    @Test
    void nginxVarsAreReadInOrder() throws Exception {
        byte[] packet = nginxLikePacket();
        UwsgiHeader h = UwsgiHeader.decode(ByteBuffer.wrap(packet));
        assertThat(h.modifier1()).isEqualTo(8);
        assertThat(h.dataSize()).isEqualTo(packet.length - 4);

        UwsgiVars vars = UwsgiVarsParser.parse(block(packet), UwsgiVarsParser.DEFAULT_MAX_VARS);

        assertThat(vars.size()).isEqualTo(16);
        assertThat(vars.name(0)).isEqualTo("QUERY_STRING");
        assertThat(vars.get("REQUEST_METHOD")).isEqualTo("GET");
        assertThat(vars.get("PATH_INFO")).isEqualTo("/hello");
        assertThat(vars.get("CONTENT_LENGTH")).isEmpty();
        assertThat(vars.get("HTTP_COOKIE")).isNull();
        assertThat(vars.toMap()).containsEntry("HTTP_HOST", "127.0.0.1:8080").hasSize(16);
    }

    @Test
    void anEmptyValueMayEndTheBlock() throws Exception {
        UwsgiVars vars = UwsgiVarsParser.parse(raw(1, 0, 'A', 0, 0), 64);
        assertThat(vars.size()).isEqualTo(1);
        assertThat(vars.get("A")).isEmpty();
        assertThat(UwsgiVarsParser.parse(raw(), 64).size()).isZero();
    }

    @Test
    void bytesArePreservedOneCharEach() throws Exception {
        byte[] utf8 = "/caf\u00e9".getBytes(StandardCharsets.UTF_8);
        UwsgiVarsEncoder e = new UwsgiVarsEncoder().add("PATH_INFO", new String(utf8, StandardCharsets.ISO_8859_1));
        UwsgiVars vars = UwsgiVarsParser.parse(block(e.packet(0, 0)), 64);
        assertThat(vars.get("PATH_INFO").getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(utf8);
    }

    @Test
    void aRepeatedNameKeepsItsLastValueAsInUwsgisEnviron() throws Exception {
        UwsgiVars vars = UwsgiVarsParser.parse(block(new UwsgiVarsEncoder().add("X", "1").add("X", "2").packet(0, 0)),
                64);
        assertThat(vars.size()).isEqualTo(2);
        assertThat(vars.get("X")).isEqualTo("2");
        assertThat(vars.toMap()).isEqualTo(Map.of("X", "2"));
    }

    @Test
    void anEmptyKeyRefusesTheRequest() {
        assertThatThrownBy(() -> UwsgiVarsParser.parse(raw(0, 0, 1, 0, 'x'), 64))
                .isInstanceOf(UwsgiProtocolException.class)
                .hasMessage("uwsgi key cannot be null. skip this request.");
    }

    @Test
    void sizesRunningPastTheBlockRefuseTheRequest() {
        for (ByteBuffer bad : List.of(
                raw(5, 0, 'A', 'B'),               // key runs past the end
                raw(1, 0, 'A'),                    // key with no room for the value's size
                raw(1, 0, 'A', 1),                 // half a value size
                raw(1, 0, 'A', 3, 0, 'x', 'y'),    // value runs past the end
                raw(1, 0, 'A', 0, 0, 7))) {        // one stray byte after the last var
            assertThatThrownBy(() -> UwsgiVarsParser.parse(bad, 64))
                    .isInstanceOf(UwsgiProtocolException.class)
                    .hasMessageStartingWith("invalid uwsgi request");
        }
    }

    @Test
    void moreVarsThanMaxVarsRefuseTheRequest() throws Exception {
        UwsgiVarsEncoder e = new UwsgiVarsEncoder();
        for (int i = 0; i < 65; i++) {
            e.add("V" + i, "x");
        }
        ByteBuffer block = block(e.packet(0, 0));
        assertThatThrownBy(() -> UwsgiVarsParser.parse(block, 64))
                .isInstanceOf(UwsgiProtocolException.class)
                .hasMessageContaining("max-vars 64");
        assertThat(UwsgiVarsParser.parse(block, 65).size()).isEqualTo(65);
    }

    @Test
    void aBlockOverBufferSizeIsRefusedInUwsgisWords() throws Exception {
        new UwsgiHeader(0, 4096, 0).checkBlockSize(4096);
        assertThatThrownBy(() -> new UwsgiHeader(0, 21573, 0).checkBlockSize(4096))
                .isInstanceOf(UwsgiProtocolException.class)
                .hasMessage("invalid request block size: 21573 (max 4096)...skip");
    }

    @Test
    void parsingLeavesTheBufferPositionAndWorksOnDirectBuffers() throws Exception {
        byte[] packet = nginxLikePacket();
        ByteBuffer direct = ByteBuffer.allocateDirect(packet.length - 4).put(block(packet)).flip();
        UwsgiVars vars = UwsgiVarsParser.parse(direct, 64);
        assertThat(direct.position()).isZero();
        assertThat(vars).isEqualTo(UwsgiVarsParser.parse(block(packet), 64));
    }

    @Test
    void theEncoderRefusesWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> new UwsgiVarsEncoder().add("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UwsgiVarsEncoder().add("A", "\u20ac")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UwsgiVarsEncoder().add("A", "x".repeat(65536)))
                .isInstanceOf(IllegalArgumentException.class);
        UwsgiVarsEncoder big = new UwsgiVarsEncoder().add("A", "x".repeat(65000)).add("B", "y".repeat(1000));
        assertThatThrownBy(() -> big.packet(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noInputThrowsAnythingButTheProtocolException() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            try {
                UwsgiVars vars = UwsgiVarsParser.parse(ByteBuffer.wrap(bytes), 8);
                assertThat(vars.size()).isLessThanOrEqualTo(8);
            } catch (UwsgiProtocolException expected) {
                // refused: fine
            }
        }
    }
}
