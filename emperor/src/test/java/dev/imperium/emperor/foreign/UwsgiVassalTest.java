package dev.imperium.emperor.foreign;

import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** How a uWSGI vassal is started, as uWSGI's own emperor starts one (core/emperor.c vassal_new_argv). */
class UwsgiVassalTest {
    @TempDir
    Path tmp;

    @Test
    void theLoaderFlagFollowsTheExtension() {
        assertThat(UwsgiVassal.loaderFlag("app.ini")).isEqualTo("--ini");
        assertThat(UwsgiVassal.loaderFlag("app.YAML")).isEqualTo("--yaml");
        assertThat(UwsgiVassal.loaderFlag("app.yml")).isEqualTo("--yaml");
        assertThat(UwsgiVassal.loaderFlag("app.js")).isEqualTo("--json");
        assertThat(UwsgiVassal.loaderFlag("app.json")).isEqualTo("--json");
        assertThat(UwsgiVassal.loaderFlag("app.xml")).isEqualTo("--xml");
        assertThat(UwsgiVassal.loaderFlag("app.conf")).isEqualTo("--config");
    }

    @Test
    void theVassalLeadsItsOwnSession() {
        java.util.List<String> fileOnly = java.util.Collections.singletonList(null);
        assertThat(UwsgiVassal.command("/usr/bin/uwsgi", "app.ini", "/usr/bin/setsid", fileOnly))
                .containsExactly("/usr/bin/setsid", "/usr/bin/uwsgi", "--ini", "app.ini");
        assertThat(UwsgiVassal.command("uwsgi", "app.xml", null, fileOnly))
                .containsExactly("uwsgi", "--xml", "app.xml");
    }

    @Test
    void optionsTheEmperorAddsAroundTheFileKeepTheirPlace() {
        ForeignLauncher launcher = new ForeignLauncher(null, ForeignSettings.NONE, null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 2);
        dev.imperium.emperor.SpawnRequest request = new dev.imperium.emperor.SpawnRequest("app.ini",
                List.of("/opt/imperium/bin/vassal", "--quiet", "--include", "before.ini", "app.ini", "--set", "a=b"),
                tmp, Map.of());
        List<String> args = launcher.vassalArguments(request);
        assertThat(UwsgiVassal.command("uwsgi", "app.ini", null, args))
                .containsExactly("uwsgi", "--include", "before.ini", "--ini", "app.ini", "--set", "a=b");
        dev.imperium.emperor.SpawnRequest plain = new dev.imperium.emperor.SpawnRequest("app.ini",
                List.of("/opt/imperium/bin/vassal", "--quiet", "app.ini"), tmp, Map.of());
        assertThat(UwsgiVassal.command("uwsgi", "app.ini", null, launcher.vassalArguments(plain)))
                .containsExactly("uwsgi", "--ini", "app.ini");
    }

    @Test
    void theEnvironmentIsUwsgisEmperorsPlusTheProxy() {
        Map<String, String> env = UwsgiVassal.environment(Map.of(
                "PATH", "/usr/bin", "UWSGI_RELOADS", "3", "UWSGI_EMPEROR_FD", "9",
                "UWSGI_VASSAL_PROCESSES", "4", "IMPERIUM_EMPEROR_SOCKET", "/run/x/control.sock",
                "IMPERIUM_VASSAL_TOKEN", "secret", "IMPERIUM_VASSALS_DIR", "/etc/v"), Path.of("/run/x/uwsgi-1.sock"));
        assertThat(env).containsEntry("PATH", "/usr/bin")
                .containsEntry("UWSGI_PROCESSES", "4")
                .containsEntry("UWSGI_EMPEROR_PROXY", "/run/x/uwsgi-1.sock")
                .containsEntry("IMPERIUM_VASSALS_DIR", "/etc/v")
                .doesNotContainKeys("UWSGI_RELOADS", "UWSGI_EMPEROR_FD", "UWSGI_VASSAL_PROCESSES",
                        "IMPERIUM_EMPEROR_SOCKET", "IMPERIUM_VASSAL_TOKEN");
    }

    @Test
    void wrappersAreTriedInUwsgisOrderAndOnlyExecutablesCount() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path uwsgi = Files.createFile(bin.resolve("uwsgi"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(bin.resolve("uwsgi-notexec"));
        String path = "/nonexistent:" + bin;
        assertThat(UwsgiVassal.resolve(List.of("/nope/uwsgi", "uwsgi-notexec", "uwsgi"), path))
                .isEqualTo(uwsgi.toString());
        assertThat(UwsgiVassal.resolve(List.of(uwsgi.toString()), "")).isEqualTo(uwsgi.toString());
        assertThat(UwsgiVassal.resolve(List.of("uwsgi-python9"), path)).isNull();
        assertThat(new ForeignSettings("/opt/uwsgi", List.of("/a"), List.of("/b")).uwsgiCandidates())
                .containsExactly("/a", "/opt/uwsgi", "/b");
        assertThat(ForeignSettings.NONE.uwsgiCandidates()).containsExactly("uwsgi");
    }

    @Test
    void aWrapperMakesUwsgiTheDefaultRuntime() {
        assertThat(ForeignSettings.NONE.defaultRuntime()).isEqualTo(VassalRuntime.IMPERIUM);
        assertThat(new ForeignSettings("uwsgi", List.of(), List.of()).defaultRuntime()).isEqualTo(VassalRuntime.UWSGI);
        assertThat(new ForeignSettings(" ", List.of(), List.of("/b")).defaultRuntime()).isEqualTo(VassalRuntime.UWSGI);
        assertThat(new ForeignSettings(" ", List.of(), List.of()).wrapsVassals()).isFalse();
    }

    @Test
    void theProxyMessageIsUwsgisEmperorIdAndOneDescriptor() {
        byte[] message = UwsgiVassal.proxyMessageBytes();
        assertThat(new String(message, 0, 13, StandardCharsets.US_ASCII)).isEqualTo("uwsgi-emperor");
        assertThat(ByteBuffer.wrap(message, 13, 4).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(1);
        assertThat(message).hasSize(17);
    }

    @Test
    void theProxyHandsADescriptorToTheProcessThatConnects() throws Exception {
        int[] pair = FdPassing.socketPair();
        FdProxy proxy = FdProxy.open(tmp.resolve("p.sock"));
        CountDownLatch done = new CountDownLatch(1);
        proxy.serve("test-proxy", new int[] {pair[1]}, UwsgiVassal.proxyMessageBytes(), Duration.ofSeconds(10),
                Posix::close, why -> { }, done::countDown);
        int client = Native.connectUnix(tmp.resolve("p.sock").toString());
        assertThat(client).isPositive();
        int[] received = FdPassing.receive(client, 2);
        assertThat(received).hasSize(1);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(tmp.resolve("p.sock")).doesNotExist();
        // the received descriptor is the vassal's end: a byte written on it reaches the emperor's end
        assertThat(Native.write(received[0], new byte[] {5})).isEqualTo(1);
        byte[] buffer = new byte[4];
        assertThat(Native.read(pair[0], buffer)).isEqualTo(1);
        assertThat(Arrays.copyOf(buffer, 1)).containsExactly(5);
        Posix.close(received[0]);
        Posix.close(client);
        Posix.close(pair[0]);
        Posix.close(pair[1]);
    }

    @Test
    void aProxyNobodyConnectsToIsRemovedWhenClosed() throws Exception {
        FdProxy proxy = FdProxy.open(tmp.resolve("q.sock"));
        assertThat(tmp.resolve("q.sock")).exists();
        proxy.close();
        assertThat(tmp.resolve("q.sock")).doesNotExist();
    }
}
