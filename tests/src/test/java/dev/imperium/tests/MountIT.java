package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Nginx;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.UwsgiComparison;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two apps in one vassal under two prefixes ({@code mount}, {@code manage-script-name}): the JWSGI sample under
 * {@code /hello} and a typed-API test app under {@code /typed}, over an {@code http-socket} and behind nginx's
 * {@code uwsgi_pass}, where a {@code SCRIPT_NAME} nginx sets also picks the app.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class MountIT {
    private static final Duration START = Duration.ofSeconds(60);
    private Path work;
    private final Vassals vassals = new Vassals(() -> work);
    private ManagedProcess vassal;
    private ManagedProcess nginx;
    private int http;
    private int viaNginx;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        work = dir;
        http = FreePorts.next();
        int socket = FreePorts.next();
        viaNginx = FreePorts.next();
        String config = """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                socket = 127.0.0.1:%d
                processes = 1
                jvm-classpath = %s
                jvm-classpath = %s
                mount = /hello=dev.imperium.samples.hello.HelloApp
                mount = /typed=dev.imperium.tests.apps.PathApp
                manage-script-name = true
                """.formatted(http, socket, Dist.helloJar(), Dist.testApps());
        try {
            vassal = vassals.start("mounts.ini", config);
            vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
            if (Nginx.installed()) {
                String servers = "    server {\n        listen 127.0.0.1:" + viaNginx + ";\n"
                        + "        location /t/ {\n            include /etc/nginx/uwsgi_params;\n"
                        + "            uwsgi_param SCRIPT_NAME /typed;\n            uwsgi_pass 127.0.0.1:" + socket
                        + ";\n        }\n        location / {\n            include /etc/nginx/uwsgi_params;\n"
                        + "            uwsgi_pass 127.0.0.1:" + socket + ";\n        }\n    }\n";
                nginx = Nginx.start(Files.createDirectories(work.resolve("nginx")), servers, List.of(viaNginx));
            }
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        vassals.close();
    }

    private static RawHttp.Response get(int port, String target) {
        return UwsgiComparison.send(port, UwsgiComparison.get(target), false);
    }

    @Test
    void eachAppAnswersUnderItsPrefixWithThePrefixInScriptName() {
        assertThat(get(http, "/hello/").bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(UwsgiComparison.envDump(get(http, "/hello/env/x?q=1"), http))
                .containsEntry("SCRIPT_NAME", "/hello").containsEntry("PATH_INFO", "/env/x")
                .containsEntry("REQUEST_URI", "/hello/env/x?q=1").containsEntry("QUERY_STRING", "q=1");
        assertThat(get(http, "/typed/a/b?c=d").bodyText()).isEqualTo("typed path=/a/b target=/typed/a/b?c=d\n");
        assertThat(vassal.log()).contains("mounting dev.imperium.samples.hello.HelloApp on /hello",
                "mounting dev.imperium.tests.apps.PathApp on /typed");
    }

    @Test
    void aPathUnderNoPrefixGoesToTheFirstAppAsInUwsgi() {
        RawHttp.Response response = get(http, "/elsewhere");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).as("the JWSGI sample's own 404").isEqualTo("Not Found\n");
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void behindNginxThePathOrTheScriptNameNginxSetsPicksTheApp() {
        assumeTrue(nginx != null, "nginx is not installed");
        assertThat(UwsgiComparison.envDump(get(viaNginx, "/hello/env"), viaNginx))
                .containsEntry("SCRIPT_NAME", "/hello").containsEntry("PATH_INFO", "/env");
        assertThat(get(viaNginx, "/typed/x").bodyText()).isEqualTo("typed path=/x target=/typed/x\n");
        assertThat(get(viaNginx, "/t/y").bodyText()).as("uwsgi_param SCRIPT_NAME /typed")
                .isEqualTo("typed path=/t/y target=/t/y\n");
    }
}
