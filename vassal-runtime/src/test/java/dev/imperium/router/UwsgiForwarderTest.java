package dev.imperium.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.http.HttpFields;
import dev.imperium.server.RequestHead;
import dev.imperium.uwsgi.UwsgiHeader;
import dev.imperium.uwsgi.UwsgiVars;
import dev.imperium.uwsgi.UwsgiVarsParser;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vars the router sends, as uWSGI's HTTP router sends them, and node addresses. */
class UwsgiForwarderTest {
    private final List<String> logged = new ArrayList<>();

    @Test
    void sendsUwsgisRouterVarsOneHeaderLineEach() throws Exception {
        UwsgiForwarder forwarder = new UwsgiForwarder(List.of(Upstream.parse("127.0.0.1:1")), 8, 0, "host", false,
                1 << 20, 1000, logged::add);
        HttpFields fields = new HttpFields().add("Host", "example.test").add("X-Rep", "a").add("X-Rep", "b")
                .add("Content-Type", "text/plain").add("Content-Length", "5");
        RequestHead head = new RequestHead("POST", "/a%20b/%C3%A9?q=1", "/a b/é", "q=1", "HTTP/1.1", fields, 5,
                false, "127.0.0.1", 40000, "127.0.0.1", 9090, "http");
        byte[] packet = forwarder.packet(head, -1);
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        UwsgiHeader header = UwsgiHeader.decode(buffer);
        assertThat(header.modifier1()).isEqualTo(8);
        assertThat(header.dataSize()).isEqualTo(packet.length - 4);
        UwsgiVars vars = UwsgiVarsParser.parse(buffer, 128);
        assertThat(vars.get("REQUEST_METHOD")).isEqualTo("POST");
        assertThat(vars.get("REQUEST_URI")).isEqualTo("/a%20b/%C3%A9?q=1");
        assertThat(vars.get("PATH_INFO")).isEqualTo("/a b/\u00c3\u00a9"); // the UTF-8 bytes, one char each
        assertThat(vars.get("QUERY_STRING")).isEqualTo("q=1");
        assertThat(vars.get("SCRIPT_NAME")).isEmpty();
        assertThat(vars.get("SERVER_NAME")).isEqualTo("host");
        assertThat(vars.get("SERVER_PORT")).isEqualTo("9090");
        assertThat(vars.get("UWSGI_ROUTER")).isEqualTo("http");
        assertThat(vars.get("REMOTE_PORT")).isEqualTo("40000");
        assertThat(vars.get("HTTP_HOST")).isEqualTo("example.test");
        assertThat(vars.get("CONTENT_TYPE")).isEqualTo("text/plain");
        assertThat(vars.get("CONTENT_LENGTH")).isEqualTo("5");
        List<String> reps = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            if (vars.name(i).equals("HTTP_X_REP")) {
                reps.add(vars.value(i));
            }
        }
        assertThat(reps).containsExactly("a", "b");
    }

    @Test
    void aDechunkedBodyTravelsWithItsLengthAndWithoutTransferEncoding() throws Exception {
        UwsgiForwarder forwarder = new UwsgiForwarder(List.of(Upstream.parse("/run/app.sock")), 0, 0, "h", true,
                1 << 20, 1000, logged::add);
        HttpFields fields = new HttpFields().add("Host", "h").add("Transfer-Encoding", "chunked");
        RequestHead head = new RequestHead("POST", "/", "/", "", "HTTP/1.1", fields, -1, true, "::1", 1, "::1", 80,
                "https");
        ByteBuffer buffer = ByteBuffer.wrap(forwarder.packet(head, 11));
        UwsgiHeader.decode(buffer);
        UwsgiVars vars = UwsgiVarsParser.parse(buffer, 128);
        assertThat(vars.get("CONTENT_LENGTH")).isEqualTo("11");
        assertThat(vars.get("HTTP_TRANSFER_ENCODING")).isNull();
        assertThat(vars.get("HTTPS")).isEqualTo("on");
    }

    @Test
    void theLengthSentIsTheFramedOneNeverAFieldsText() throws Exception {
        // a Content_Length field once became CONTENT_LENGTH: the node waited for a body the router never sent
        UwsgiForwarder forwarder = new UwsgiForwarder(List.of(Upstream.parse("/run/app.sock")), 0, 0, "h", true,
                1 << 20, 1000, logged::add);
        HttpFields fields = new HttpFields().add("Host", "h").add("Content_Length", "40")
                .add("Transfer_Encoding", "chunked").add("Content-Length", "5, 5");
        RequestHead head = new RequestHead("POST", "/", "/", "", "HTTP/1.1", fields, 5, false, "::1", 1, "::1", 80,
                "http");
        ByteBuffer buffer = ByteBuffer.wrap(forwarder.packet(head, -1));
        UwsgiHeader.decode(buffer);
        UwsgiVars vars = UwsgiVarsParser.parse(buffer, 128);
        List<String> lengths = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            if (vars.name(i).equals("CONTENT_LENGTH")) {
                lengths.add(vars.value(i));
            }
        }
        assertThat(lengths).containsExactly("5");
        assertThat(vars.get("HTTP_TRANSFER_ENCODING")).isNull();

        RequestHead noBody = new RequestHead("POST", "/", "/", "", "HTTP/1.1",
                new HttpFields().add("Host", "h").add("Content_Length", "40"), -1, false, "::1", 1, "::1", 80, "http");
        buffer = ByteBuffer.wrap(forwarder.packet(noBody, -1));
        UwsgiHeader.decode(buffer);
        assertThat(UwsgiVarsParser.parse(buffer, 128).get("CONTENT_LENGTH")).isNull();
    }

    @Test
    void parsesNodeAddressesAsHttpToTakesThem() {
        assertThat(Upstream.parse("127.0.0.1:3031").address()).isInstanceOf(InetSocketAddress.class);
        assertThat(((InetSocketAddress) Upstream.parse(":3031").address()).getHostString()).isEqualTo("127.0.0.1");
        assertThat(((InetSocketAddress) Upstream.parse("[::1]:3031").address()).getHostString()).isEqualTo("::1");
        assertThat(Upstream.parse("/run/app.sock").address()).isInstanceOf(UnixDomainSocketAddress.class);
        assertThat(Upstream.parse("app.sock").address()).isInstanceOf(UnixDomainSocketAddress.class);
        assertThatThrownBy(() -> Upstream.parse("host:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Upstream.parse("host:x")).isInstanceOf(IllegalArgumentException.class);
    }
}
