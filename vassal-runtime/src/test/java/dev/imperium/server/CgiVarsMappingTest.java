package dev.imperium.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.http.HttpProtocolException;
import dev.imperium.uwsgi.UwsgiVars;
import dev.imperium.uwsgi.UwsgiVarsEncoder;
import dev.imperium.uwsgi.UwsgiVarsParser;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CgiVarsMappingTest {
    private static UwsgiVars vars(String... pairs) throws Exception {
        UwsgiVarsEncoder encoder = new UwsgiVarsEncoder();
        for (int i = 0; i < pairs.length; i += 2) {
            encoder.add(pairs[i], pairs[i + 1]);
        }
        byte[] packet = encoder.packet(0, 0);
        return UwsgiVarsParser.parse(ByteBuffer.wrap(packet, 4, packet.length - 4), 128);
    }

    @Test
    void mapsNginxsUwsgiParams() throws Exception {
        RequestHead head = CgiVarsMapping.toHead(vars("QUERY_STRING", "a=1", "REQUEST_METHOD", "PUT",
                "CONTENT_TYPE", "application/json", "CONTENT_LENGTH", "42", "REQUEST_URI", "/x%2Fy?a=1",
                "PATH_INFO", "/x/y", "SERVER_PROTOCOL", "HTTP/1.1", "REQUEST_SCHEME", "https", "HTTPS", "on",
                "REMOTE_ADDR", "::1", "REMOTE_PORT", "5000", "SERVER_PORT", "443", "HTTP_HOST", "h",
                "HTTP_ACCEPT_ENCODING", "gzip"), "127.0.0.1", "127.0.0.1", 3031);
        assertThat(head.method()).isEqualTo("PUT");
        assertThat(head.target()).isEqualTo("/x%2Fy?a=1");
        assertThat(head.path()).isEqualTo("/x/y");
        assertThat(head.query()).isEqualTo("a=1");
        assertThat(head.protocol()).isEqualTo("HTTP/1.1");
        assertThat(head.contentLength()).isEqualTo(42);
        assertThat(head.hasBody()).isTrue();
        assertThat(head.scheme()).isEqualTo("https");
        assertThat(head.remoteAddress()).isEqualTo("::1");
        assertThat(head.remotePort()).isEqualTo(5000);
        assertThat(head.localPort()).isEqualTo(443);
        assertThat(head.fields().get("Accept-Encoding")).isEqualTo("gzip");
        assertThat(head.fields().get("Content-Type")).isEqualTo("application/json");
        assertThat(head.fields().get("Host")).isEqualTo("h");
    }

    @Test
    void fillsWhatAMinimalClientLeavesOut() throws Exception {
        RequestHead head = CgiVarsMapping.toHead(vars("PATH_INFO", "/p", "QUERY_STRING", "q"), "10.0.0.1",
                "/run/app.sock", 0);
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/p?q");
        assertThat(head.protocol()).isEqualTo("HTTP/1.0");
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(head.hasBody()).isFalse();
        assertThat(head.remoteAddress()).isEqualTo("10.0.0.1");
        assertThat(head.scheme()).isEqualTo("http");
    }

    @Test
    void decodesThePathFromRequestUriWithoutPathInfoAndUtf8PathInfo() throws Exception {
        assertThat(CgiVarsMapping.toHead(vars("REQUEST_URI", "/a%20b/%C3%A9?x"), "", "", 0).path())
                .isEqualTo("/a b/é");
        String utf8AsBytes = new String("/é".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(CgiVarsMapping.toHead(vars("PATH_INFO", utf8AsBytes), "", "", 0).path()).isEqualTo("/é");
    }

    @Test
    void refusesABrokenContentLength() {
        assertThatThrownBy(() -> CgiVarsMapping.toHead(vars("CONTENT_LENGTH", "-1"), "", "", 0))
                .isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(() -> CgiVarsMapping.toHead(vars("CONTENT_LENGTH", "9".repeat(19)), "", "", 0))
                .isInstanceOf(HttpProtocolException.class);
    }

    @Test
    void readsTheSchemeAsUwsgiDoes() throws Exception {
        assertThat(CgiVarsMapping.scheme(vars("UWSGI_SCHEME", "HTTPS"))).isEqualTo("https");
        assertThat(CgiVarsMapping.scheme(vars("HTTPS", "1"))).isEqualTo("https");
        assertThat(CgiVarsMapping.scheme(vars("HTTPS", "off"))).isEqualTo("http");
        assertThat(CgiVarsMapping.fieldName("HTTP_X_FORWARDED_FOR", 5)).isEqualTo("X-Forwarded-For");
    }
}
