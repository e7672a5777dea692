package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VassalSettingsTest {
    private static VassalConfig config(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("v.ini"), i / 2 + 2)));
        }
        return new VassalConfig(Path.of("v.ini"), entries, List.of());
    }

    @Test
    void defaultsAreUwsgis() {
        VassalSettings s = VassalSettings.from(config("http-socket", ":8080"));
        assertThat(s.processes()).isEqualTo(1);
        assertThat(s.threads()).isEqualTo(1);
        assertThat(s.bufferSize()).isEqualTo(4096);
        assertThat(s.socketTimeoutSeconds()).isEqualTo(4);
        assertThat(s.listenBacklog()).isEqualTo(100);
        assertThat(s.workerMercySeconds()).isEqualTo(60);
        assertThat(s.limitPost()).isZero();
        assertThat(s.harakiriSeconds()).as("harakiri is off unless set").isZero();
    }

    @Test
    void readsEveryOptionAndKeepsEnvOrder() {
        VassalSettings s = VassalSettings.from(config("http-socket", "127.0.0.1:1", "workers", "3", "threads", "8",
                "env", "B=2", "env", "A=1=x", "jvm-classpath", "a.jar", "jvm-classpath", "b.jar", "jvm-opt", "-Xmx64m",
                "reload-mercy", "5", "need-app", "true", "chdir", "/srv"));
        assertThat(s.processes()).isEqualTo(3);
        assertThat(s.threads()).isEqualTo(8);
        assertThat(s.env()).containsExactly(java.util.Map.entry("B", "2"), java.util.Map.entry("A", "1=x"));
        assertThat(s.jvmClasspath()).containsExactly("a.jar", "b.jar");
        assertThat(s.jvmOptions()).containsExactly("-Xmx64m");
        assertThat(s.workerMercySeconds()).as("reload-mercy caps worker-reload-mercy").isEqualTo(5);
        assertThat(s.needApp()).isTrue();
        assertThat(s.workDir(Path.of("/x"))).isEqualTo(Path.of("/srv"));
        assertThat(VassalSettings.from(config("harakiri", "30")).harakiriSeconds()).isEqualTo(30);
    }

    @Test
    void maxRequestsIsStaggeredByWorkerIdWithTheDelta() {
        VassalSettings s = VassalSettings.from(config("max-requests", "100", "max-requests-delta", "10"));
        assertThat(s.recycleAfterRequests(1)).isEqualTo(100);
        assertThat(s.recycleAfterRequests(3)).isEqualTo(120);
        assertThat(s.minWorkerLifetimeSeconds()).as("uWSGI 2.0's default").isEqualTo(10);
        assertThat(VassalSettings.from(config("max-requests-delta", "10")).recycleAfterRequests(3))
                .as("off without max-requests").isZero();
    }

    @Test
    void badValuesNameTheOptionAndWhere() {
        assertThatThrownBy(() -> VassalSettings.from(config("http-socket", "host:nope")))
                .hasMessageContaining("v.ini:2").hasMessageContaining("http-socket");
        assertThatThrownBy(() -> VassalSettings.from(config("env", "NOEQUALS")))
                .hasMessageContaining("v.ini:2").hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> VassalSettings.from(config("processes", "0"))).hasMessageContaining("processes");
        assertThatThrownBy(() -> VassalSettings.from(config("harakiri", "-1"))).hasMessageContaining("harakiri");
        assertThatThrownBy(() -> VassalSettings.from(config("http-socket", ":1", "add-header", "nocolon")))
                .hasMessageContaining("v.ini:3").hasMessageContaining("add-header");
    }

    @Test
    void routingRulesAreReadAndABadOneNamesFileLineAndOption() {
        VassalSettings s = VassalSettings.from(config("http-socket", ":8080", "route", "^/a return:403",
                "ROUTE_HOST", "x last:"));
        assertThat(s.routing().table(dev.imperium.routing.Chain.REQUEST).rules()).hasSize(2);
        assertThat(VassalSettings.from(config("http-socket", ":8080")).routing().isEmpty()).isTrue();
        assertThatThrownBy(() -> VassalSettings.from(config("http-socket", ":8080", "route-run", "send:x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("v.ini:3: route-run: routing action 'send' is a uWSGI action Imperium does not implement");
    }

    @Test
    void readsCgiAndMountsAndNamesTheLineOfABadValue() {
        VassalSettings s = VassalSettings.from(config("cgi", "/cgi-bin=/srv/cgi", "cgi-helper", ".py=python3",
                "cgi-timeout", "5", "mount", "/api=com.example.Api", "manage-script-name", "true"));
        assertThat(s.cgi().enabled()).isTrue();
        assertThat(s.cgi().timeoutSeconds()).isEqualTo(5);
        assertThat(s.cgi().helpers()).hasSize(1);
        assertThat(s.mounts()).containsExactly(new dev.imperium.apps.Mount("/api", "com.example.Api"));
        assertThat(s.manageScriptName()).isTrue();
        assertThat(s.noDefaultApp()).isFalse();
        VassalSettings none = VassalSettings.from(config("http-socket", ":1"));
        assertThat(none.cgi().enabled()).isFalse();
        assertThat(none.cgi().timeoutSeconds()).as("uWSGI's default").isEqualTo(60);
        assertThatThrownBy(() -> VassalSettings.from(config("http-socket", ":1", "cgi-helper", "python3")))
                .hasMessageContaining("v.ini:3").hasMessageContaining("invalid CGI helper syntax");
        assertThatThrownBy(() -> VassalSettings.from(config("mount", "com.example.Api")))
                .hasMessageContaining("v.ini:2").hasMessageContaining("invalid mountpoint: com.example.Api");
    }

    @Test
    void socketsKeepTheFilesOrderWithTheirProtocols() {
        VassalSettings s = VassalSettings.from(config("socket", "127.0.0.1:3031", "http-socket", ":8080",
                "uwsgi_socket", "/run/app.sock"));
        assertThat(s.sockets()).extracting(SocketSpec::protocol)
                .containsExactly(SocketProtocol.UWSGI, SocketProtocol.HTTP, SocketProtocol.UWSGI);
        assertThat(s.sockets()).extracting(SocketSpec::port).containsExactly(3031, 8080, -1);
        assertThat(s.sockets().get(2).path()).isEqualTo("/run/app.sock");
        assertThatThrownBy(() -> VassalSettings.from(config("socket", "[::1")))
                .hasMessageContaining("v.ini:2").hasMessageContaining("socket");
    }

    @Test
    void configEntriesCrossTheWorkerChannelUnchanged() {
        ConfigEntry entry = new ConfigEntry("static-map", "/s=/srv/é static", new Origin(Path.of("/v/a.yaml"), 7));
        assertThat(Master.ConfigWire.decode(Master.ConfigWire.encode(entry))).isEqualTo(entry);
        ConfigEntry cli = new ConfigEntry("set", "x", new Origin(null, 0));
        assertThat(Master.ConfigWire.decode(Master.ConfigWire.encode(cli))).isEqualTo(cli);
    }

    @Test
    void socketsWrittenEqualsNTakeTheSharedSocketsAddress() {
        VassalSettings s = VassalSettings.from(config("shared-socket", "127.0.0.1:8001", "shared-socket",
                "/tmp/s.sock", "socket", "=1", "http-socket", "=0"));
        assertThat(s.sockets()).extracting(SocketSpec::protocol)
                .containsExactly(SocketProtocol.UWSGI, SocketProtocol.HTTP);
        assertThat(s.sockets().get(0).path()).isEqualTo("/tmp/s.sock");
        assertThat(s.sockets().get(1).port()).isEqualTo(8001);
        assertThatThrownBy(() -> VassalSettings.from(config("shared-socket", ":8001", "socket", "=1")))
                .hasMessageContaining("v.ini:3")
                .hasMessageContaining("unable to use shared socket 1");
    }

    @Test
    void unixSocketOptionsAreCheckedAsUwsgiChecksThem() {
        assertThatThrownBy(() -> VassalSettings.from(config("socket", "a.sock", "chmod-socket", "75")))
                .hasMessageContaining("v.ini:3").hasMessageContaining("invalid chmod value: 75");
        assertThatThrownBy(() -> VassalSettings.from(config("socket", "a.sock", "umask", "9")))
                .hasMessageContaining("invalid umask: 9");
        assertThatThrownBy(() -> VassalSettings.from(config("socket", "a.sock", "post-buffering", "-1")))
                .hasMessageContaining("post-buffering");
        UnixSocketOptions o = UnixSocketOptions.from(config("chmod-socket", "660", "umask", "0027", "chown-socket",
                "www-data:adm"));
        assertThat(o.chmodMode()).isEqualTo(0660);
        assertThat(o.umask()).isEqualTo(027);
        assertThat(o.chownOwner()).isEqualTo("www-data:adm");
        assertThat(UnixSocketOptions.from(config("chmod-socket", "1")).chmodMode()).isEqualTo(0666);
        assertThat(UnixSocketOptions.from(config("chmod-socket", "1")).lazyChmod()).isTrue();
    }

    @Test
    void theRouterCannotUseAnAbstractSocketSoItGetsItsOwn() {
        VassalSettings s = VassalSettings.from(config("http", "127.0.0.1:9090", "socket", "@app"));
        assertThat(s.sockets()).hasSize(2);
        assertThat(s.sockets().getFirst().spec()).isEqualTo(VassalSettings.AUTO_ROUTER_SOCKET);
        assertThatThrownBy(() -> RouterSettings.from(config("http", ":9090", "http-to", "@app")))
                .hasMessageContaining("abstract");
    }

    @Test
    void masterOperationsOptionsHaveUwsgisDefaultsAndASignalMustBeOne() {
        VassalSettings d = VassalSettings.from(config("http-socket", ":1"));
        assertThat(d.touchChainReload()).isEmpty();
        assertThat(d.masterFifo()).isEmpty();
        assertThat(d.harakiriVerbose()).isFalse();
        assertThat(d.harakiriGracefulTimeoutSeconds()).isZero();
        assertThat(d.harakiriGracefulSignal()).as("SIGTERM").isEqualTo(15);
        VassalSettings s = VassalSettings.from(config("master-fifo", "/run/a.fifo", "master-fifo", "/run/b.fifo",
                "touch-chain-reload", "chain.txt", "harakiri-verbose", "true", "harakiri-graceful-timeout", "5",
                "harakiri-graceful-signal", "1"));
        assertThat(s.masterFifo()).containsExactly("/run/a.fifo", "/run/b.fifo");
        assertThat(s.touchChainReload()).containsExactly("chain.txt");
        assertThat(s.harakiriVerbose()).isTrue();
        assertThat(s.harakiriGracefulTimeoutSeconds()).isEqualTo(5);
        assertThat(s.harakiriGracefulSignal()).isEqualTo(1);
        assertThatThrownBy(() -> VassalSettings.from(config("harakiri-graceful-signal", "0")))
                .hasMessageContaining("harakiri-graceful-signal");
    }

    // Issue 7: foreign vassals.
    @Test
    void aFileTheEmperorRunsWithAnotherProgramIsRefusedWithWhy() {
        assertThat(VassalSettings.from(config("http-socket", ":8080", "imperium-runtime", "Imperium")).sockets())
                .hasSize(1);
        assertThatThrownBy(() -> VassalSettings.from(config("imperium-runtime", "uwsgi")))
                .hasMessageContaining("v.ini:2").hasMessageContaining("run by the emperor with the uWSGI binary");
        assertThatThrownBy(() -> VassalSettings.from(config("imperium-runtime", "command")))
                .hasMessageContaining("its imperium-command");
        assertThatThrownBy(() -> VassalSettings.from(config("imperium-runtime", "python")))
                .hasMessageContaining("expected imperium, uwsgi or command");
    }
}
