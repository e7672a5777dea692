package dev.imperium.jwsgi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.http.HttpFields;
import dev.imperium.server.RequestHead;
import org.junit.jupiter.api.Test;

/** uWSGI's "{N vars in M bytes}", checked against lines the real uWSGI 2.0.21 logged on this machine. */
class VarsBlockTest {
    private static RequestHead head(String target, String path, String query, String protocol, HttpFields fields) {
        return new RequestHead("GET", target, path, query, protocol, fields, -1, false, "127.0.0.1", 40000,
                "127.0.0.1", 18556, "http");
    }

    @Test
    void matchesUwsgiForAnHttp11Request() {
        HttpFields fields = new HttpFields().add("Host", "127.0.0.1:18556").add("User-Agent", "curl/7.88.1")
                .add("Accept", "*/*");
        JwsgiEnvBuilder.VarsBlock block = new JwsgiEnvBuilder("vm")
                .measure(head("/x?y=1", "/x", "y=1", "HTTP/1.1", fields));
        // uWSGI: "{24 vars in 255 bytes} ... GET /x?y=1 ... (HTTP/1.1 200)"
        assertThat(block).isEqualTo(new JwsgiEnvBuilder.VarsBlock(24, 255));
    }

    @Test
    void matchesUwsgiForAnHttp10RequestWithAnExtraHeader() {
        HttpFields fields = new HttpFields().add("Host", "127.0.0.1:18556").add("User-Agent", "curl/7.88.1")
                .add("Accept", "*/*").add("X-A", "1");
        JwsgiEnvBuilder.VarsBlock block = new JwsgiEnvBuilder("vm").measure(head("/", "/", "", "HTTP/1.0", fields));
        // uWSGI: "{26 vars in 259 bytes} ... GET / ... (HTTP/1.0 200)"
        assertThat(block).isEqualTo(new JwsgiEnvBuilder.VarsBlock(26, 259));
    }

    @Test
    void repeatedHeadersAreOneVariable() {
        HttpFields fields = new HttpFields().add("Host", "h").add("X-A", "1").add("x_a", "2");
        JwsgiEnvBuilder.VarsBlock block = new JwsgiEnvBuilder("vm").measure(head("/", "/", "", "HTTP/1.1", fields));
        assertThat(block.count()).isEqualTo(2 * (9 + 2));
    }
}
