package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.http.HttpFields;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.CgiVarsMapping;
import dev.imperium.server.RequestHead;
import dev.imperium.uwsgi.UwsgiVars;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestVarsTest {
    private static final JwsgiEnvBuilder BUILDER = new JwsgiEnvBuilder("testhost");

    private static String wire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void anHttpRequestHasUwsgisHttpSocketVariables() {
        RequestHead head = new RequestHead("GET", wire("/caf%C3%A9?q=é"), "/café", wire("q=é"), "HTTP/1.1",
                new HttpFields().add("Host", "h").add("X-A", "1").add("x-a", "2").add("Content-Type", "text/x"),
                -1, false, "::ffff:10.0.0.1", 5, "127.0.0.1", 8080, "http");
        RequestVars vars = new RequestVars(head, BUILDER);
        assertThat(vars.get("PATH_INFO")).isEqualTo("/café");
        assertThat(vars.get("QUERY_STRING")).isEqualTo("q=é");
        assertThat(vars.get("REQUEST_URI")).isEqualTo("/caf%C3%A9?q=é");
        assertThat(vars.get("HTTP_X_A")).isEqualTo("1, 2");
        assertThat(vars.get("HTTP_CONTENT_TYPE")).isNull();
        assertThat(vars.get("CONTENT_TYPE")).isEqualTo("text/x");
        assertThat(vars.get("REMOTE_ADDR")).isEqualTo("10.0.0.1");
        assertThat(vars.get("SERVER_NAME")).isEqualTo("testhost");
        assertThat(vars.get("SERVER_PORT")).isEqualTo("8080");
        assertThat(vars.get("REMOTE_USER")).isNull();
        assertThat(vars.toHead()).as("nothing changed").isSameAs(head);
    }

    @Test
    void changesBecomeTheServedRequest() {
        RequestHead head = new RequestHead("GET", "/a?x=1", "/a", "x=1", "HTTP/1.1", new HttpFields().add("Host", "h"),
                -1, true, "127.0.0.1", 5, "127.0.0.1", 8080, "http");
        RequestVars vars = new RequestVars(head, BUILDER);
        vars.set("PATH_INFO", "/é");
        vars.set("MY_VAR", "v");
        assertThat(vars.get("PATH_INFO")).isEqualTo("/é");
        RequestHead routed = vars.toHead();
        assertThat(routed.path()).isEqualTo("/é");
        assertThat(routed.target()).isEqualTo("/a?x=1");
        assertThat(routed.query()).isEqualTo("x=1");
        assertThat(routed.chunked()).isTrue();
        assertThat(routed.fields()).isSameAs(head.fields());
        assertThat(routed.cgiVars().get("PATH_INFO")).isEqualTo(wire("/é"));
        assertThat(routed.cgiVars().get("MY_VAR")).isEqualTo("v");
        assertThat(routed.cgiVars().get("HTTP_HOST")).isEqualTo("h");
        assertThat(routed.cgiVars().get("REQUEST_METHOD")).isEqualTo("GET");
    }

    @Test
    void aFrontServersVariablesAreUsedAsSent() throws Exception {
        UwsgiVars cgi = UwsgiVars.of(new String[] {"REQUEST_METHOD", "REQUEST_URI", "PATH_INFO", "QUERY_STRING",
            "REMOTE_USER", "HTTP_HOST", "DOCUMENT_ROOT"}, new String[] {"GET", "/x?y", wire("/é"), "y", "nginxuser",
            "h", "/srv"}, 7);
        RequestHead head = CgiVarsMapping.toHead(cgi, "127.0.0.1", "127.0.0.1", 3031);
        RequestVars vars = new RequestVars(head, BUILDER);
        assertThat(vars.get("PATH_INFO")).isEqualTo("/é");
        assertThat(vars.get("REMOTE_USER")).isEqualTo("nginxuser");
        assertThat(vars.get("DOCUMENT_ROOT")).isEqualTo("/srv");
        assertThat(vars.get("SERVER_NAME")).as("only what nginx sent").isNull();
        vars.set("QUERY_STRING", "z");
        RequestHead routed = vars.toHead();
        assertThat(routed.query()).isEqualTo("z");
        assertThat(routed.cgiVars().get("QUERY_STRING")).isEqualTo("z");
        assertThat(routed.cgiVars().get("DOCUMENT_ROOT")).isEqualTo("/srv");
        assertThat(routed.cgiVars().size()).isEqualTo(7);
    }
}
