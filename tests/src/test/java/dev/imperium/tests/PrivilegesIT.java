package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code uid}/{@code gid}: started as root, the master keeps root and its workers and routers drop to the vassal's
 * user before any app code runs; workers that would run as root are refused unless that is asked for explicitly.
 * Runs only as root (as CI does).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrivilegesIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern PID = Pattern.compile("\\(pid: (\\d+)");

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    @BeforeEach
    void onlyAsRoot() throws IOException {
        assumeTrue("0".equals(uidOf(ProcessHandle.current().pid())), "needs root");
        // the app's jar must be readable by nobody: copy it where everyone can read it
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Starts the vassal without {@link ManagedProcess.Builder#ALLOW_ROOT}, as a user runs it. */
    private ManagedProcess vassal(String file, String content) {
        return vassals.start(file, content, builder -> builder.withoutEnv(ManagedProcess.Builder.ALLOW_ROOT));
    }

    private String hello(String extra) throws IOException {
        Path jar = dir.resolve("hello.jar");
        if (!Files.exists(jar)) {
            Files.copy(Dist.helloJar(), jar);
        }
        return """
                [uwsgi]
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                %s
                """.formatted(jar, extra);
    }

    private static String uidOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2]; // effective uid
            }
        }
        throw new IOException("no Uid line for " + pid);
    }

    private static List<Long> pids(String log, String prefix) {
        List<Long> pids = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.contains(prefix)) {
                Matcher m = PID.matcher(line);
                if (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return pids;
    }

    @Test
    void workersAndTheRouterRunAsTheVassalsUserAndTheMasterStaysRoot() throws Exception {
        int http = FreePorts.next();
        int router = FreePorts.next();
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("daemon.sh"), "echo \"daemon uid $(id -u)\" > out/daemon-uid.txt\nexec sleep 60\n");
        ManagedProcess v = vassal("drop.ini", hello("""
                uid = nobody
                gid = nogroup
                processes = 2
                http-socket = 127.0.0.1:%d
                http = 127.0.0.1:%d
                attach-daemon = sh daemon.sh
                """.formatted(http, router)));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, router, START);
        assertThat(v.log()).contains("setgid() to 65534").contains("setuid() to 65534");
        String get = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        assertThat(RawHttp.send(http, get, false, Duration.ofSeconds(10)).bodyText()).isEqualTo("Hello from JWSGI\n");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                RawHttp.send(router, get, false, Duration.ofSeconds(10)).bodyText())
                .as("the router, as nobody, reaches the internal socket").isEqualTo("Hello from JWSGI\n"));

        assertThat(uidOf(v.pid())).as("the master").isEqualTo("0");
        List<Long> workers = pids(v.log(), "spawned uWSGI worker");
        assertThat(workers).hasSize(2);
        for (long pid : workers) {
            assertThat(uidOf(pid)).as("worker " + pid).isEqualTo("65534");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(out.resolve("daemon-uid.txt"))
                .as("attached daemons run as the vassal's user, as under uWSGI").hasContent("daemon uid 65534\n"));
        List<Long> routers = pids(v.log(), "spawned uWSGI http");
        assertThat(routers).hasSize(1);
        assertThat(uidOf(routers.getFirst())).as("the router").isEqualTo("65534");
    }

    @Test
    void rootWorkersAreRefusedUnlessAskedFor() throws Exception {
        int port = FreePorts.next();
        ManagedProcess refused = vassal("root.ini", hello("http-socket = 127.0.0.1:" + port));
        await().atMost(START).until(() -> !refused.isAlive());
        assertThat(refused.exitValue()).isNotZero();
        assertThat(refused.log()).contains("refusing to run workers as root: set uid and gid");

        ManagedProcess allowed = vassal("allowed.ini", hello("http-socket = 127.0.0.1:" + port
                + "\nimperium-allow-root = true"));
        allowed.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(uidOf(pids(allowed.log(), "spawned uWSGI worker").getFirst())).isEqualTo("0");
    }

    @Test
    void anUnknownUserIsAClearError() throws Exception {
        ManagedProcess v = vassal("nouser.ini", hello("uid = no-such-user-imperium\nhttp-socket = 127.0.0.1:"
                + FreePorts.next()));
        await().atMost(START).until(() -> !v.isAlive());
        assertThat(v.log()).contains("user no-such-user-imperium not found.");
    }
}
