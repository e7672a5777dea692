package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
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
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * uWSGI command lines ported unchanged: {@code vassal --http-socket ... --jwsgi ...} serves, {@code --ini FILE} with
 * more options after it, and {@code emperor --ini emperor.ini} reading its directory from a uWSGI emperor file.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UwsgiCommandLineIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals processes = new Vassals(() -> dir);

    private ManagedProcess start(String name, String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Dist.bin(program).toString());
        command.addAll(List.of(args));
        return processes.start(ManagedProcess.builder(name, command).directory(dir).log(dir.resolve(name + ".log"))
                .env("JAVA_HOME", System.getProperty("java.home")));
    }

    private static String get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    @Test
    void aUwsgiCommandLineServesUnchanged() {
        int port = FreePorts.next();
        ManagedProcess vassal = start("vassal", "vassal", "--plugins", "jvm,jwsgi", "--http-socket",
                "127.0.0.1:" + port, "--http-socket-modifier1", "8", "--master", "--processes", "2",
                "--jvm-classpath", Dist.helloJar().toString(), "--jwsgi", "dev.imperium.samples.hello.HelloApp",
                "--disable-logging", "--imperium-allow-root");
        vassal.awaitLog(Pattern.compile("generation 1 accepting: 2 worker\\(s\\) ready"), START);
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void anIniFileAndMoreOptionsAfterItLaterOnesWinning() throws Exception {
        int port = FreePorts.next();
        Files.writeString(dir.resolve("app.ini"), """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 3
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                """.formatted(port, Dist.helloJar()));
        ManagedProcess vassal = start("vassal-ini", "vassal", "--ini", "app.ini", "-p", "1");
        vassal.awaitLog(Pattern.compile("generation 1 accepting: 1 worker\\(s\\) ready"), START);
        assertThat(vassal.log()).contains("[uWSGI] getting INI configuration from app.ini");
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void aWrongCommandLineSaysWhatIsWrongInGetoptsWords() throws Exception {
        ManagedProcess vassal = start("vassal-bad", "vassal", "--http-socket");
        vassal.awaitLog(Pattern.compile("option '--http-socket' requires an argument"), Duration.ofSeconds(30));
        while (vassal.isAlive()) {
            Thread.onSpinWait();
        }
        assertThat(vassal.exitValue()).isEqualTo(2);
        ManagedProcess unsupported = start("vassal-unsupported", "vassal", "--http-socket", ":0", "--thunder-lock");
        unsupported.awaitLog(Pattern.compile("command line: unsupported: option 'thunder-lock'"), Duration.ofSeconds(30));
    }

    @Test
    void theEmperorReadsAUwsgiEmperorIni() throws Exception {
        Path vassals = Files.createDirectories(dir.resolve("vassals"));
        Files.writeString(dir.resolve("emperor.ini"), """
                [uwsgi]
                emperor = %s
                emperor-freq = 1
                master = true
                """.formatted(vassals));
        int port = FreePorts.next();
        ManagedProcess emperor = start("emperor", "emperor", "--ini", "emperor.ini", "--control-socket",
                dir.resolve("emperor.sock").toString());
        emperor.awaitLog(Pattern.compile("vassals directory " + Pattern.quote(vassals.toString())
                + " \\(inotify, rescan every 1 s"), START);
        Files.writeString(vassals.resolve(".a.ini"), "[uwsgi]\nhttp-socket = 127.0.0.1:" + port
                + "\njvm-classpath = " + Dist.helloJar() + "\njwsgi = dev.imperium.samples.hello.HelloApp\n");
        Files.move(vassals.resolve(".a.ini"), vassals.resolve("a.ini"));
        emperor.awaitLog(Pattern.compile("vassal a\\.ini is ready to accept requests"), START);
        assertThat(Ports.isListening(port)).isTrue();
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
    }
}
