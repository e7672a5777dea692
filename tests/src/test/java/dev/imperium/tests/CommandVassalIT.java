package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Command vassals (emperor/README.md "Command vassals") as issue 7 left them to finish: their program runs as the
 * file's {@code uid}/{@code gid}, the log names the program it spawns, a crashed program's sockets stay open for the
 * next one, and {@code emperor-use-clone} puts vassals in new namespaces.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CommandVassalIT {
    private static final Duration START = Duration.ofSeconds(30);

    /** Serves fd 3 (LISTEN_FDS): each answer says which uid and pid served it. */
    private static final String SERVER = """
            import os, socket
            listener = socket.socket(fileno=3)
            print("serving as uid %d" % os.getuid(), flush=True)
            while True:
                conn, _ = listener.accept()
                conn.recv(4096)
                body = ("uid=%d pid=%d\\n" % (os.getuid(), os.getpid())).encode()
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

    private static String get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    private static long pid(String body) {
        Matcher m = Pattern.compile("pid=(\\d+)").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void theProgramRunsAsItsUidAndACrashKeepsItsSocketOpen() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "uid/gid need the emperor to be root");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody reads the app
        Path app = Files.writeString(root.resolve("server.py"), SERVER);
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rw-r--r--"));
        int port = FreePorts.next();
        emperor = EmperorFixture.start(root);
        emperor.deploy("api.ini", """
                [uwsgi]
                imperium-runtime = command
                imperium-command = /usr/bin/python3 %s
                http-socket = 127.0.0.1:%d
                uid = 65534
                gid = 65534
                """.formatted(app, port));

        emperor.awaitGeneration("api.ini", 1, START);
        String first = get(port);
        assertThat(first).startsWith("uid=65534 ");
        assertThat(emperor.log()).containsPattern("spawning vassal api\\.ini: \\S*setpriv --reuid=65534 --regid=65534"
                + " --init-groups --pdeathsig KILL -- /usr/bin/python3 \\S+server\\.py")
                .doesNotContain("spawning vassal api.ini: " + Dist.bin("vassal"));

        // The program crashes: the emperor keeps its socket, so a connection made before the next program runs
        // waits in the queue and is served by it instead of being refused.
        long crashed = pid(first);
        new ProcessBuilder("kill", "-KILL", Long.toString(crashed)).start().waitFor();
        await().atMost(Duration.ofSeconds(5)).until(() -> !Orphans.running(crashed));
        String afterCrash = get(port);
        assertThat(afterCrash).startsWith("uid=65534 ");
        assertThat(pid(afterCrash)).isNotEqualTo(crashed);
        assertThat(emperor.log()).contains("LISTEN_FDS=1: 127.0.0.1:" + port + " http, kept open since its crash");

        // Removed: the socket closes with it.
        emperor.remove("api.ini");
        emperor.awaitLog("removed uwsgi instance api\\.ini", START);
        await().atMost(Duration.ofSeconds(5)).until(() -> !accepts(port));
    }

    private static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void emperorUseCloneStartsVassalsInNewNamespaces() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "new namespaces need root here");
        Path script = Files.writeString(root.resolve("ns.sh"), """
                #!/bin/sh
                echo "net=$(readlink /proc/self/ns/net) uts=$(readlink /proc/self/ns/uts)"
                exec sleep 1000
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        emperor = EmperorFixture.start(root, "--emperor-use-clone", "net,uts,ipc");
        emperor.deploy("ns.ini", """
                [uwsgi]
                imperium-runtime = command
                imperium-command = %s
                """.formatted(script));
        emperor.awaitLog("\\[ns\\.ini] net=net:\\[\\d+] uts=uts:\\[\\d+]", START);
        long emperorPid = emperor.process().pid();
        String net = Files.readSymbolicLink(Path.of("/proc", Long.toString(emperorPid), "ns", "net")).toString();
        String uts = Files.readSymbolicLink(Path.of("/proc", Long.toString(emperorPid), "ns", "uts")).toString();
        Matcher m = Pattern.compile("\\[ns\\.ini] net=(\\S+) uts=(\\S+)").matcher(emperor.log());
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isNotEqualTo(net);
        assertThat(m.group(2)).isNotEqualTo(uts);
        assertThat(emperor.log()).contains("vassals start in new namespaces");
    }

    @Test
    void aCloneFlagThatCannotBeHonouredIsACommandLineError() throws Exception {
        Files.createDirectories(root.resolve("vassals"));
        try (ManagedProcess p = ManagedProcess.builder("emperor", List.of(Dist.bin("emperor").toString(), "--vassals",
                        root.resolve("vassals").toString(), "--emperor-use-clone", "net,pid"))
                .directory(root).log(root.resolve("bad.log")).env("JAVA_HOME", System.getProperty("java.home"))
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(p.log()).contains("emperor-use-clone: pid is not supported");
        }
    }
}
