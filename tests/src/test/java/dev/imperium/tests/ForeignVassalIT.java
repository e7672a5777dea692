package dev.imperium.tests;

import dev.imperium.tests.support.BlockingRequests;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ImperiumCli;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A hybrid fleet (emperor/README.md "Foreign vassals"): a Python WSGI app under Debian's real uWSGI, and a program
 * that takes its sockets in systemd's LISTEN_FDS convention, each a vassal of the built {@code bin/emperor},
 * spawned, reloaded under load, killed and respawned, and removed, with no process left behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForeignVassalIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    private static final Path PYTHON_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/python3_plugin.so");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /**
     * A WSGI hello; each response closes its connection (uWSGI 2.0's http-socket has no keep-alive).
     * {@code GET /block?file=F} creates {@code F.entered} and waits for {@code F} ({@link BlockingRequests}).
     */
    private static final String WSGI_APP = """
            import os, time
            def application(environ, start_response):
                if environ.get("PATH_INFO") == "/block":
                    release = environ["QUERY_STRING"].split("=", 1)[1]
                    open(release + ".entered", "w").close()
                    while not os.path.exists(release):
                        time.sleep(0.05)
                body = b"Hello from Python under uWSGI\\n"
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body))),
                                          ("Connection", "close")])
                return [body]
            """;

    /**
     * A server that takes its sockets from systemd's LISTEN_FDS (fd 3 is the HTTP one), checks LISTEN_PID as
     * sd_listen_fds(3) does, and answers with what it got. On SIGTERM it stops accepting and finishes its request.
     * With NOTIFY_SOCKET it says READY=1 (after DELAY seconds); with FAIL set it exits before that.
     */
    private static final String LISTEN_FDS_SERVER = """
            import os, signal, socket, sys, time
            if os.environ.get("LISTEN_PID") != str(os.getpid()):
                sys.exit("LISTEN_PID %s is not my pid %d" % (os.environ.get("LISTEN_PID"), os.getpid()))
            count = int(os.environ["LISTEN_FDS"])
            names = os.environ.get("LISTEN_FDNAMES", "")
            listener = socket.socket(fileno=3)
            listener.settimeout(0.2)
            stop = False
            def term(signum, frame):
                global stop
                stop = True
            signal.signal(signal.SIGTERM, term)
            if os.environ.get("FAIL"):
                sys.exit(3)
            if os.environ.get("NOTIFY_SOCKET"):
                time.sleep(float(os.environ.get("DELAY", "0")))
                notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                notify.sendto(b"READY=1", os.environ["NOTIFY_SOCKET"])
            print("serving LISTEN_FDS=%d LISTEN_FDNAMES=%s pid=%d" % (count, names, os.getpid()), flush=True)
            while not stop:
                try:
                    conn, _ = listener.accept()
                except socket.timeout:
                    continue
                conn.settimeout(10)
                request = b""
                while b"\\r\\n\\r\\n" not in request:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                body = ("LISTEN_FDS=%d LISTEN_FDNAMES=%s pid=%d\\n" % (count, names, os.getpid())).encode()
                conn.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n" % len(body)
                             + body)
                conn.close()
            """;

    @TempDir
    Path root;

    private EmperorFixture emperor;

    @AfterEach
    void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    private static void assumeUwsgiWithPython() {
        assumeTrue(Files.isExecutable(UWSGI) && Files.exists(PYTHON_PLUGIN),
                "Debian's uWSGI with its Python 3 plugin is not installed (apt-get install uwsgi-core "
                        + "uwsgi-plugin-python3)");
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(Files.createDirectories(root.resolve("app")).resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    private String uwsgiIni(int port, boolean withKey, String extra) {
        return "[uwsgi]\n" + (withKey ? "imperium-runtime = uwsgi\n" : "") + """
                plugins = python3
                http-socket = 127.0.0.1:%d
                wsgi-file = %s
                processes = 2
                disable-logging = true
                """.formatted(port, write("app.py", WSGI_APP)) + extra;
    }

    /** Loads the port with a few clients, runs {@code action} once some requests passed, checks none failed. */
    private static void underLoad(int port, Runnable action) throws InterruptedException {
        try (LoadLoop load = LoadLoop.start(port, "/", 2, 2, Duration.ofSeconds(60))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() >= 20);
            action.run();
            long after = load.ok();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.ok() >= after + 50);
            load.stop();
            assertThat(load.failures()).as("failed requests (ok: %d)", load.ok()).isEmpty();
        }
    }

    private static Set<Long> tree(long pid) {
        Set<Long> all = new HashSet<>();
        all.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
        return all;
    }

    @Test
    void aPythonAppUnderRealUwsgiIsSpawnedReloadedRespawnedAndStopped() throws Exception {
        assumeUwsgiWithPython();
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        int stats = FreePorts.next();

        emperor.deploy("py.ini", uwsgiIni(port, true, "stats = 127.0.0.1:" + stats + "\n"));

        long master = emperor.awaitGeneration("py.ini", 1, START);
        assertThat(get(port)).isEqualTo("Hello from Python under uWSGI\n");
        assertThat(emperor.log()).contains("[emperor] vassal py.ini runs under uWSGI: ")
                .contains("[emperor] vassal py.ini has been spawned")
                .contains("[py.ini] *** has_emperor mode detected");
        emperor.awaitLog("\\[emperor] vassal py.ini is now loyal", Duration.ofSeconds(10));
        // imperium status shows it as any vassal, its workers read from its stats server
        await("status with the uWSGI stats").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            ImperiumCli.Result status = ImperiumCli.run("status", "--json", "--control-socket",
                    emperor.controlSocket().toString());
            assertThat(status.out()).contains("\"name\":\"py.ini\"", "\"state\":\"running\"",
                    "\"pid\":" + master, "\"generation\":1", "\"workers_total\":2");
        });

        // touch: uWSGI's reload byte; the workers finish, the master re-executes itself on the same sockets
        underLoad(port, () -> {
            emperor.touch("py.ini");
            assertThat(emperor.awaitGeneration("py.ini", 2, START)).isEqualTo(master);
        });
        assertThat(emperor.log()).contains("received message 1 from emperor");

        // kill -9 the master: respawned, its orphaned workers swept
        Set<Long> before = tree(master);
        ProcessHandle.of(master).orElseThrow().destroyForcibly();
        long respawned = emperor.awaitGeneration("py.ini", 1, START, pid -> pid != master);
        await().atMost(Duration.ofSeconds(20)).until(() -> before.stream().noneMatch(Orphans::running));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> get(port).equals("Hello from Python under uWSGI\n"));

        // rm: uWSGI's graceful stop byte
        Set<Long> last = tree(respawned);
        emperor.remove("py.ini");
        emperor.awaitLog("\\[emperor] removed uwsgi instance py.ini", Duration.ofSeconds(30));
        assertThat(emperor.log()).contains("received message 2 from emperor");
        await().atMost(Duration.ofSeconds(10)).until(() -> last.stream().noneMatch(Orphans::running));
        assertThat(Ports.isListening(port)).isFalse();
    }

    @Test
    void withEmperorWrapperAPlainUwsgiFileRunsUnderUwsgiAndAHungStopIsKilledAfterTheMercy() {
        assumeUwsgiWithPython();
        emperor = EmperorFixture.start(root, "--emperor-wrapper", UWSGI.toString(), "--reload-mercy", "2");
        int port = FreePorts.next();

        emperor.deploy("plain.ini", uwsgiIni(port, false, ""));

        long master = emperor.awaitGeneration("plain.ini", 1, START);
        assertThat(get(port)).isEqualTo("Hello from Python under uWSGI\n");
        assertThat(emperor.log()).contains("[emperor] vassal plain.ini runs under uWSGI: /usr/bin/setsid "
                + UWSGI + " --ini plain.ini");
        // a request that never ends holds uWSGI's graceful stop: SIGKILL of its process group after the mercy
        BlockingRequests.block(port, root.resolve("never"), Duration.ofSeconds(10));
        Set<Long> all = tree(master);
        emperor.remove("plain.ini");
        emperor.awaitLog("\\[emperor] NO MERCY for vassal plain.ini !!!", Duration.ofSeconds(20));
        emperor.awaitLog("\\[emperor] removed uwsgi instance plain.ini", Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().noneMatch(Orphans::running));
    }

    @Test
    void aSigkilledEmperorTakesItsForeignVassalsWithIt() {
        assumeUwsgiWithPython();
        assumeTrue(Files.isExecutable(PYTHON), "python3 is not installed");
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        int commandPort = FreePorts.next();
        emperor.deploy("py.ini", uwsgiIni(port, true, ""));
        emperor.deploy("cmd.ini", """
                [uwsgi]
                imperium-runtime = command
                imperium-command = %s %s
                http-socket = 127.0.0.1:%d
                """.formatted(PYTHON, write("server.py", LISTEN_FDS_SERVER), commandPort));
        // a program that binds no socket of the emperor's gets no LISTEN_ variables
        emperor.deploy("own.ini", "[uwsgi]\nimperium-runtime = command\nimperium-command = " + PYTHON
                + " -c \"import os, time; print('own', 'LISTEN_FDS' in os.environ, flush=True); time.sleep(600)\"\n");
        emperor.awaitGeneration("py.ini", 1, START);
        emperor.awaitGeneration("cmd.ini", 1, START);
        emperor.awaitGeneration("own.ini", 1, START);
        emperor.awaitLog("\\[own.ini] own False", Duration.ofSeconds(10));

        emperor.process().signal("KILL");

        // uWSGI reads end-of-file on its emperor descriptor and stops; the command dies by its parent-death signal
        Orphans.awaitNone(emperor.marker(), Duration.ofSeconds(10));
        assertThat(Ports.isListening(port)).isFalse();
        assertThat(Ports.isListening(commandPort)).isFalse();
    }

    @Test
    void aCommandGetsItsSocketsAsListenFdsAndIsRestartedWithoutRefusingConnections() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "python3 is not installed");
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        int second = FreePorts.next();
        Path server = write("server.py", LISTEN_FDS_SERVER);

        emperor.deploy("cmd.ini", """
                [uwsgi]
                imperium-runtime = command
                imperium-command = %s %s
                http-socket = 127.0.0.1:%d
                socket = 127.0.0.1:%d
                """.formatted(PYTHON, server, port, second));

        long pid = emperor.awaitGeneration("cmd.ini", 1, START);
        assertThat(get(port)).isEqualTo("LISTEN_FDS=2 LISTEN_FDNAMES=http:uwsgi pid=" + pid + "\n");
        assertThat(emperor.log()).contains("[emperor] vassal cmd.ini runs a command: ")
                .contains("LISTEN_FDS=2: 127.0.0.1:" + port + " http, 127.0.0.1:" + second + " uwsgi");

        // touch: the program is replaced; the emperor holds the sockets, so connections wait instead of failing
        long[] replaced = new long[1];
        underLoad(port, () -> {
            emperor.touch("cmd.ini");
            replaced[0] = emperor.awaitGeneration("cmd.ini", 2, START);
        });
        assertThat(replaced[0]).isNotEqualTo(pid);
        assertThat(get(port)).endsWith("pid=" + replaced[0] + "\n");
        assertThat(Orphans.running(pid)).isFalse();

        // kill -9 the program: the vassal is respawned
        ProcessHandle.of(replaced[0]).orElseThrow().destroyForcibly();
        emperor.awaitLog("\\[emperor] vassal cmd.ini \\(pid " + replaced[0] + "\\) was killed by signal 9",
                Duration.ofSeconds(20));
        long respawned = emperor.awaitGeneration("cmd.ini", 1, START, p -> p != pid && p != replaced[0]);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(port).endsWith("pid=" + respawned
                + "\n"));

        emperor.remove("cmd.ini");
        emperor.awaitLog("\\[emperor] removed uwsgi instance cmd.ini", Duration.ofSeconds(30));
        assertThat(Orphans.running(respawned)).isFalse();
        assertThat(Ports.isListening(port)).isFalse();
    }

    @Test
    void aNotifyCommandIsReplacedOnlyOnceTheNewOneIsReadyAndABrokenReloadKeepsTheOldOne() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "python3 is not installed");
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        Path server = write("server.py", LISTEN_FDS_SERVER);
        String file = """
                [uwsgi]
                imperium-runtime = command
                imperium-command = %s %s
                imperium-ready = notify
                http-socket = 127.0.0.1:%d
                env = DELAY=0.5
                """.formatted(PYTHON, server, port);

        emperor.deploy("notify.ini", file);
        long first = emperor.awaitGeneration("notify.ini", 1, START);
        assertThat(get(port)).isEqualTo("LISTEN_FDS=1 LISTEN_FDNAMES=http pid=" + first + "\n");

        long[] second = new long[1];
        underLoad(port, () -> {
            emperor.touch("notify.ini");
            second[0] = emperor.awaitGeneration("notify.ini", 2, START);
        });
        assertThat(second[0]).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Orphans.running(first));

        // a new program that exits before READY=1: the reload is refused, the old one keeps serving
        emperor.deploy("notify.ini", file + "env = FAIL=1\n");
        emperor.awaitLog("\\[emperor] vassal notify.ini refused the reload: the new program exited with code 3"
                + " before it was ready", Duration.ofSeconds(30));
        assertThat(get(port)).endsWith("pid=" + second[0] + "\n");
        Matcher state = Pattern.compile("\"state\":\"(\\w+)\"").matcher(ImperiumCli.run("status", "--json",
                "--control-socket", emperor.controlSocket().toString()).out());
        assertThat(state.find()).isTrue();
        assertThat(state.group(1)).isEqualTo("running");

        emperor.remove("notify.ini");
        emperor.awaitLog("\\[emperor] removed uwsgi instance notify.ini", Duration.ofSeconds(30));
        assertThat(Orphans.running(second[0])).isFalse();
    }
}
