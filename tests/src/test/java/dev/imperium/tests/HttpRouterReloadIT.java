package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reload that changes the {@code http} router's options or addresses replaces the router processes as it replaces
 * the workers: new routers on the same public sockets, the old ones retired gracefully, and no request fails.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpRouterReloadIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REQUEST = Duration.ofSeconds(15);
    private static final Pattern ROUTER = Pattern.compile("spawned uWSGI http (\\d+) \\(pid: (\\d+)\\)");

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private static String file(String http, int routerProcesses) {
        return """
                [uwsgi]
                %s
                http-processes = %d
                processes = 2
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                """.formatted(http, routerProcesses, Dist.helloJar());
    }

    private static List<Long> routerPids(String log) {
        List<Long> pids = new ArrayList<>();
        Matcher m = ROUTER.matcher(log);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(2)));
        }
        return pids;
    }

    private static String get() {
        return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    @Test
    void changedRouterOptionsApplyAtAReloadWithoutAFailedRequest() throws Exception {
        int port = FreePorts.next();
        int second = FreePorts.next();
        Path ini = dir.resolve("router.ini");
        ManagedProcess v = vassals.start("router.ini", file("http = 127.0.0.1:" + port, 1));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, port, START);
        List<Long> before = routerPids(v.log());
        assertThat(before).hasSize(1);

        try (LoadLoop load = LoadLoop.start(port, "/", 0, 4, Duration.ofSeconds(60))) {
            await().atMost(REQUEST).until(() -> load.ok() > 50);
            Files.writeString(ini, file("http = 127.0.0.1:" + port + "\nhttp = 127.0.0.1:" + second, 2));
            v.signal("HUP");
            v.awaitLog(Pattern.compile("generation 2 accepting"), START);
            v.awaitLog(Pattern.compile(Pattern.quote("the http router changed: starting new router processes")),
                    REQUEST);
            await().atMost(REQUEST).until(() -> routerPids(v.log()).size() == 3);
            long after = load.ok();
            await().atMost(REQUEST).until(() -> load.ok() > after + 50);
            load.stop();
            assertThat(load.failures()).as("failed requests while the routers were replaced").isEmpty();
        }
        assertThat(v.log()).contains("uWSGI http bound on 127.0.0.1:" + second);
        assertThat(v.log().split(Pattern.quote("uWSGI http bound on 127.0.0.1:" + port + " "), -1))
                .as("the unchanged address keeps its socket").hasSize(2);
        await().atMost(REQUEST).until(() -> !ProcessHandle.of(before.getFirst()).map(ProcessHandle::isAlive)
                .orElse(false));
        assertThat(RawHttp.send(second, get(), false, REQUEST).bodyText()).isEqualTo("Hello from JWSGI\n");

        // dropping the second address closes it once the routers that used it are gone
        Files.writeString(ini, file("http = 127.0.0.1:" + port, 1));
        v.signal("HUP");
        v.awaitLog(Pattern.compile("generation 3 accepting"), START);
        await().atMost(REQUEST).until(() -> !Ports.isListening(second));
        assertThat(RawHttp.send(port, get(), false, REQUEST).bodyText()).isEqualTo("Hello from JWSGI\n");
    }
}
