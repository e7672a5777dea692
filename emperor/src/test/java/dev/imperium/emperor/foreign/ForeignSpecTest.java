package dev.imperium.emperor.foreign;

import dev.imperium.config.ConfigLoader;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.VassalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a vassal file asks the emperor to run it with. */
class ForeignSpecTest {
    @TempDir
    Path dir;

    private VassalConfig load(String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content);
        return new ConfigLoader(new LoaderOptions(Map.of(), false, dir)).loadUnchecked(name);
    }

    @Test
    void withoutTheKeyTheEmperorsDefaultApplies() throws Exception {
        VassalConfig config = load("a.ini", "[uwsgi]\nplugins = python3\nwsgi-file = app.py\n");
        assertThat(ForeignSpec.from(config, VassalRuntime.IMPERIUM).runtime()).isEqualTo(VassalRuntime.IMPERIUM);
        assertThat(ForeignSpec.from(config, VassalRuntime.UWSGI).runtime()).isEqualTo(VassalRuntime.UWSGI);
    }

    @Test
    void aUwsgiVassalNamesItsStatsServer() throws Exception {
        VassalConfig config = load("a.ini", "[uwsgi]\nimperium-runtime = uWSGI\nstats = 127.0.0.1:9191\n");
        ForeignSpec spec = ForeignSpec.from(config, VassalRuntime.IMPERIUM);
        assertThat(spec.runtime()).isEqualTo(VassalRuntime.UWSGI);
        assertThat(spec.stats()).isEqualTo("127.0.0.1:9191");
    }

    @Test
    void theFileWinsOverAWrapperAndYamlWorksToo() throws Exception {
        VassalConfig config = load("a.yaml", "uwsgi:\n  imperium_runtime: imperium\n");
        assertThat(ForeignSpec.from(config, VassalRuntime.UWSGI).runtime()).isEqualTo(VassalRuntime.IMPERIUM);
    }

    @Test
    void aCommandVassalHasItsCommandSocketsEnvironmentAndReadiness() throws Exception {
        VassalConfig config = load("api.ini", """
                [uwsgi]
                imperium-runtime = command
                imperium-command = java -Dserver.name=%n -jar '%dapp one.jar'
                http-socket = 127.0.0.1:8080
                socket = /run/api.sock
                listen = 64
                env = SPRING_PROFILES_ACTIVE=prod
                env = A=b=c
                chdir = work
                imperium-ready = notify
                """);
        ForeignSpec spec = ForeignSpec.from(config, VassalRuntime.IMPERIUM);
        assertThat(spec.runtime()).isEqualTo(VassalRuntime.COMMAND);
        assertThat(spec.command()).containsExactly("java", "-Dserver.name=api", "-jar", dir + "/app one.jar");
        assertThat(spec.sockets()).extracting(s -> s.spec()).containsExactly("127.0.0.1:8080", "/run/api.sock");
        assertThat(spec.socketNames()).containsExactly("http", "uwsgi");
        assertThat(spec.listen()).isEqualTo(64);
        assertThat(spec.env()).containsEntry("SPRING_PROFILES_ACTIVE", "prod").containsEntry("A", "b=c");
        assertThat(spec.chdir()).isEqualTo("work");
        assertThat(spec.ready()).isEqualTo(ForeignSpec.Readiness.NOTIFY);
    }

    @Test
    void aCommandThatBindsItsOwnPortNeedsNoSocket() throws Exception {
        VassalConfig config = load("own.ini", "[uwsgi]\nimperium-runtime = command\n"
                + "imperium-command = java -jar app.jar --server.port=8080\n");
        assertThat(ForeignSpec.from(config, VassalRuntime.IMPERIUM).sockets()).isEmpty();
    }

    @Test
    void aCommandVassalIsReadyAtExecByDefault() throws Exception {
        VassalConfig config = load("a.ini", "[uwsgi]\nimperium-runtime = command\nimperium-command = ./srv\n"
                + "http-socket = :8080\n");
        ForeignSpec spec = ForeignSpec.from(config, VassalRuntime.IMPERIUM);
        assertThat(spec.ready()).isEqualTo(ForeignSpec.Readiness.EXEC);
        assertThat(spec.listen()).isEqualTo(100);
    }

    @Test
    void mistakesNameTheFileAndLine() throws Exception {
        assertThatThrownBy(() -> ForeignSpec.from(load("a.ini", "[uwsgi]\nimperium-runtime = python\n"),
                VassalRuntime.IMPERIUM)).hasMessageContaining("a.ini").hasMessageContaining(":2")
                .hasMessageContaining("expected imperium, uwsgi or command");
        assertThatThrownBy(() -> ForeignSpec.from(load("b.ini", "[uwsgi]\nimperium-runtime = command\n"
                + "http-socket = :8080\n"), VassalRuntime.IMPERIUM)).hasMessageContaining("needs imperium-command");
        assertThatThrownBy(() -> ForeignSpec.from(load("d.ini", "[uwsgi]\nimperium-runtime = command\n"
                + "imperium-command = ./srv\nhttp-socket = :8080\nimperium-ready = maybe\n"), VassalRuntime.IMPERIUM))
                .hasMessageContaining("expected exec or notify");
        assertThatThrownBy(() -> ForeignSpec.from(load("e.ini", "[uwsgi]\nimperium-runtime = command\n"
                + "imperium-command = './srv\nhttp-socket = :8080\n"), VassalRuntime.IMPERIUM))
                .hasMessageContaining("imperium-command").hasMessageContaining("quote");
        assertThatThrownBy(() -> ForeignSpec.from(load("f.ini", "[uwsgi]\nimperium-runtime = command\n"
                + "imperium-command = ./srv\nhttp-socket = :8080\nenv = NOVALUE\n"), VassalRuntime.IMPERIUM))
                .hasMessageContaining("NAME=VALUE");
    }

    @Test
    void theLauncherLooksForTheKeyInAnySpelling() {
        assertThat(ForeignLauncher.mentionsRuntime("[uwsgi]\nImperium_Runtime = uwsgi\n")).isTrue();
        assertThat(ForeignLauncher.mentionsRuntime("{\"uwsgi\": {\"imperium-runtime\": \"command\"}}")).isTrue();
        assertThat(ForeignLauncher.mentionsRuntime("[uwsgi]\nhttp-socket = :8080\n")).isFalse();
    }

    @Test
    void statsAddressesAndHttpHeads() {
        assertThat(UwsgiStats.isUnix("127.0.0.1:9191")).isFalse();
        assertThat(UwsgiStats.isUnix(":9191")).isFalse();
        assertThat(UwsgiStats.isUnix("/run/app/stats.sock")).isTrue();
        assertThat(UwsgiStats.isUnix("@stats")).isTrue();
        assertThat(UwsgiStats.body("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":1}"))
                .isEqualTo("{\"a\":1}");
        assertThat(UwsgiStats.body("{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    @Test
    void aCommandVassalsUidAndGidAreReadForItsProgram() throws Exception {
        VassalConfig config = load("api.ini", "[uwsgi]\nimperium-runtime = command\nimperium-command = sleep 1\n"
                + "uid = 65534\ngid = 65534\n");
        ForeignSpec spec = ForeignSpec.from(config, VassalRuntime.IMPERIUM);
        assertThat(spec.user().uid()).isEqualTo(65534);
        assertThat(spec.user().gid()).isEqualTo(65534);
        VassalConfig plain = load("b.ini", "[uwsgi]\nimperium-runtime = command\nimperium-command = sleep 1\n");
        assertThat(ForeignSpec.from(plain, VassalRuntime.IMPERIUM).user()).isNull();
        VassalConfig unknown = load("c.ini", "[uwsgi]\nimperium-runtime = command\nimperium-command = sleep 1\n"
                + "uid = no-such-user-here\n");
        assertThatThrownBy(() -> ForeignSpec.from(unknown, VassalRuntime.IMPERIUM))
                .hasMessageContaining("c.ini:4").hasMessageContaining("no-such-user-here");
    }
}
