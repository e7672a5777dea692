package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.HostCommands;
import dev.imperium.tests.support.HostCommands.Result;
import dev.imperium.tests.support.MachineLock;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.imperium.tests.support.HostCommands.onPath;
import static dev.imperium.tests.support.HostCommands.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The Debian package and the systemd unit (packaging/README.md): the unit passes {@code systemd-analyze verify}, the
 * .deb passes lintian, and, as root on Debian, the .deb installs with {@code dpkg -i}, its {@code /usr/bin/emperor}
 * runs a vassal whose workers drop to the package's {@code imperium} user under the unit's NoNewPrivileges and
 * capability bounding set while notifying a stand-in for systemd, {@code dpkg -r} stops it and keeps the
 * configuration, and {@code dpkg -P} removes the configuration. The machine is left as it was: the package is purged
 * even when the test fails, and the imperium user is deleted if the test created it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PackagingIT {
    private static final Path UNIT = Path.of(System.getProperty("imperium.unit",
            "../packaging/systemd/imperium-emperor.service")).toAbsolutePath().normalize();
    private static final Path DEB_DIR = Path.of(System.getProperty("imperium.deb.dir",
            "../packaging/deb/target")).toAbsolutePath().normalize();
    private static final String UNIT_NAME = "imperium-emperor.service";
    /** The tags lintian may still report, each explained in packaging/README.md. */
    private static final List<String> ACCEPTED_LINTIAN_TAGS = List.of(
            "package-supports-alternative-init-but-no-init.d-script");
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theUnitPassesSystemdAnalyzeVerify() throws Exception {
        assumeThat(onPath("systemd-analyze")).as("systemd-analyze is installed (apt-get install systemd)").isTrue();
        // An offline root holding the host's units, the unit, and the programs it runs: verify checks that
        // ExecStart and ExecReload exist and are executable.
        Path root = dir.resolve("root");
        Path units = Files.createDirectories(root.resolve("lib/systemd/system"));
        Path hostUnits = Path.of("/lib/systemd/system");
        try (Stream<Path> files = Files.list(hostUnits)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(f, units.resolve(f.getFileName()));
                }
            }
        }
        Files.copy(UNIT, units.resolve(UNIT_NAME));
        Path emperor = Files.createDirectories(root.resolve("usr/bin")).resolve("emperor");
        Files.writeString(emperor, "#!/bin/sh\n");
        Files.setPosixFilePermissions(emperor, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of("/bin/kill"), Files.createDirectories(root.resolve("bin")).resolve("kill"));

        Result verify = run(List.of("systemd-analyze", "verify", "--man=no", "--root=" + root, UNIT_NAME));
        assertThat(verify.code()).as(verify.output()).isZero();
        assertThat(verify.output()).as("no warning either").isBlank();

        String unit = Files.readString(UNIT);
        assertThat(unit).contains("\nType=notify\n", "\nNotifyAccess=main\n", "\nKillMode=mixed\n",
                "\nKillSignal=SIGTERM\n", "\nExecReload=/bin/kill -HUP $MAINPID\n", "\nRestart=on-failure\n",
                "\nNoNewPrivileges=yes\n", "\nRuntimeDirectory=imperium\n",
                "\nExecStart=/usr/bin/emperor --vassals /etc/imperium/vassals $EMPEROR_OPTS\n");
        // the emperor's graceful stop takes up to reload-mercy (30 s) + 5 s before it gives up on a vassal
        assertThat(seconds(value(unit, "TimeoutStopSec"))).isGreaterThan(35);
        assertThat(boundingSet()).contains("CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_KILL",
                "CAP_NET_BIND_SERVICE");
    }

    @Test
    void thePackageIsLintianClean() throws Exception {
        assumeThat(onPath("lintian")).as("lintian is installed (apt-get install lintian)").isTrue();
        Result lintian = run(List.of("lintian", "--pedantic", "--display-info", deb().toString()));
        List<String> tags = lintian.output().lines()
                .filter(l -> l.matches("^[EWIPX]: .*"))
                .map(l -> l.replaceFirst("^[EWIPX]: imperium[^:]*: (\\S+).*$", "$1"))
                .toList();
        assertThat(tags).as(lintian.output()).isSubsetOf(ACCEPTED_LINTIAN_TAGS);
        assertThat(lintian.code()).as(lintian.output()).isZero();
    }

    @Test
    void installRunRemoveAndPurgeWithDpkg() throws Exception {
        assumeThat(System.getProperty("user.name")).as("runs as root").isEqualTo("root");
        assumeThat(Files.exists(Path.of("/etc/debian_version")) && onPath("dpkg")).as("Debian with dpkg").isTrue();
        // one test at a time installs the package on this machine (AnsibleIT too, or a second test run)
        try (MachineLock lock = MachineLock.acquire("imperium-package", Duration.ofSeconds(150))) {
            installRunRemoveAndPurge();
        }
    }

    private void installRunRemoveAndPurge() throws Exception {
        assumeThat(run(List.of("dpkg-query", "-W", "-f=${Status}", "imperium")).output())
                .as("the imperium package is not installed here already (the test would remove it)")
                .doesNotContainPattern("ok (installed|config-files|unpacked|half-installed|half-configured|triggers-)");
        boolean userExisted = run(List.of("getent", "passwd", "imperium")).code() == 0;
        String marker = UUID.randomUUID().toString();
        try {
            install();
            runRemoveAndPurge(marker);
        } finally {
            Orphans.killAll(marker);
            run(List.of("dpkg", "--purge", "imperium"));
            if (!userExisted && run(List.of("getent", "passwd", "imperium")).code() == 0) {
                run(List.of("userdel", "imperium")); // postrm keeps the user (documented); the test created it
            }
        }
        assertThat(run(List.of("getent", "passwd", "imperium")).code() == 0).isEqualTo(userExisted);
    }

    private void install() throws Exception {
        Result install = run(List.of("dpkg", "-i", deb().toString()));
        assertThat(install.code()).as(install.output()).isZero();

        for (String command : List.of("emperor", "vassal", "imperium")) {
            assertThat(Path.of("/usr/bin", command)).isExecutable();
            assertThat(Path.of("/usr/share/imperium/bin", command)).isExecutable();
        }
        try (Stream<Path> jars = Files.list(Path.of("/usr/share/imperium/lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("imperium-emperor-") && n.endsWith(".jar"))
                    .anyMatch(n -> n.startsWith("imperium-vassal-runtime-") && n.endsWith(".jar"));
        }
        assertThat(Path.of("/lib/systemd/system", UNIT_NAME)).hasSameTextualContentAs(UNIT);
        assertThat(Path.of("/etc/imperium/vassals")).isDirectory();
        assertThat(Path.of("/etc/logrotate.d/imperium")).isRegularFile();
        assertThat(run(List.of("dpkg-query", "-W", "-f=${Conffiles}", "imperium")).output())
                .contains("/etc/default/imperium", "/etc/logrotate.d/imperium");
        // the system user vassals can run as: no login, home /var/lib/imperium (its own)
        String[] user = run(List.of("getent", "passwd", "imperium")).output().strip().split(":");
        assertThat(Integer.parseInt(user[2])).as("a system uid").isLessThan(1000);
        assertThat(user[5]).isEqualTo("/var/lib/imperium");
        assertThat(user[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(Files.getOwner(Path.of("/var/lib/imperium")).getName()).isEqualTo("imperium");
        // AOT caches recorded on this host, for its JDK, where the launchers look for them
        assertThat(Path.of("/usr/share/imperium/lib/aot/emperor.aot")).isRegularFile();
        assertThat(Path.of("/usr/share/imperium/lib/aot/vassal.aot")).isRegularFile();
        assertThat(Path.of("/usr/share/imperium/lib/aot").toRealPath()).isEqualTo(Path.of("/var/cache/imperium/aot"));

        if (onPath("systemd-analyze")) {
            List<String> verify = new ArrayList<>(List.of("systemd-analyze", "verify"));
            if (!onPath("man")) {
                verify.add("--man=no");
            }
            verify.add(UNIT_NAME);
            Result installed = run(verify);
            assertThat(installed.code()).as(installed.output()).isZero();
        }
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            // systemd runs here (a VM, not a container): postinst has started the real service, hardening and all
            try {
                await("imperium-emperor.service active and governing").atMost(START).pollInterval(Duration.ofMillis(500))
                        .until(() -> run(List.of("systemctl", "show", "-p", "ActiveState,StatusText", UNIT_NAME))
                                .output().contains("StatusText=The Emperor is governing 0 vassals"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "\n" + run(List.of("systemctl", "status", "--no-pager",
                        "-l", UNIT_NAME)).output() + run(List.of("journalctl", "--no-pager", "-n", "60", "-u",
                        UNIT_NAME)).output(), e);
            }
            assertThat(run(List.of("systemctl", "is-active", UNIT_NAME)).output().strip()).isEqualTo("active");
        }
        if (onPath("logrotate")) {
            Result logrotate = run(List.of("logrotate", "--debug", "/etc/logrotate.d/imperium"));
            assertThat(logrotate.code()).as(logrotate.output()).isZero();
            assertThat(logrotate.output()).doesNotContainIgnoringCase("error");
        }
    }

    private void runRemoveAndPurge(String marker) throws Exception {
        // An administrator's file (not a vassal: the service may be running): it must survive dpkg -r and go with
        // dpkg -P.
        Path adminFile = Path.of("/etc/imperium/local.conf");
        Files.writeString(adminFile, "# an administrator's file\n");

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path vassals = Files.createDirectories(dir.resolve("vassals"));
        Path jar = Files.copy(Dist.helloJar(), dir.resolve("hello-jwsgi.jar"), StandardCopyOption.REPLACE_EXISTING);
        int port = FreePorts.next();
        Files.writeString(vassals.resolve("hello.ini"), """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 1
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                uid = imperium
                gid = imperium
                """.formatted(port, jar));

        try (AFUNIXDatagramSocket systemd = AFUNIXDatagramSocket.newInstance()) {
            Path notify = dir.resolve("notify");
            systemd.bind(AFUNIXSocketAddress.of(notify));
            // The packaged command under the unit's NoNewPrivileges and capability bounding set, as systemd runs it.
            List<String> command = new ArrayList<>(List.of("setpriv", "--no-new-privs", "--bounding-set",
                    "-all," + String.join(",", boundingSet().stream()
                            .map(c -> "+" + c.substring("CAP_".length()).toLowerCase(Locale.ROOT)).toList()),
                    "/usr/bin/emperor", "--vassals", vassals.toString(),
                    "--control-socket", dir.resolve("emperor.sock").toString()));
            ManagedProcess emperor = ManagedProcess.builder("packaged emperor", command)
                    .directory(dir).log(dir.resolve("emperor.log"))
                    .withoutEnv(ManagedProcess.Builder.ALLOW_ROOT) // the workers must really drop to imperium
                    .env(Orphans.MARKER, marker)
                    .env("JAVA_HOME", "") // the package finds its Java itself
                    .env("NOTIFY_SOCKET", notify.toString())
                    .env("WATCHDOG_USEC", "2000000")
                    .grace(Duration.ofSeconds(40))
                    .start();
            try {
                List<String> received = new ArrayList<>();
                String ready = awaitNotification(systemd, received, m -> m.startsWith("READY=1"), START, emperor);
                assertThat(ready).isEqualTo("READY=1\nSTATUS=The Emperor is governing 1 vassals");
                HttpResponse<String> response = awaitResponse(port, emperor);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("Hello from JWSGI");
                assertThat(Orphans.withMarker(marker).stream().map(p -> p.info().user().orElse("?")))
                        .as("the worker runs as the package's user").contains("imperium");
                awaitNotification(systemd, received, "WATCHDOG=1"::equals, Duration.ofSeconds(10), emperor);
                // /usr/bin/emperor execs through to the JVM (the main pid systemd sees), which uses the AOT cache
                assertThat(ProcessHandle.of(emperor.pid()).flatMap(h -> h.info().arguments()).map(List::of)
                        .orElseThrow()).contains("-XX:AOTCache=/usr/share/imperium/lib/aot/emperor.aot",
                        "dev.imperium.emperor.EmperorMain");

                // dpkg -r stops the running emperor (prerm), which stops its vassal, and keeps the configuration
                Result remove = run(List.of("dpkg", "-r", "imperium"));
                assertThat(remove.code()).as(remove.output()).isZero();
                Orphans.assertNoneLeft(marker, Duration.ofSeconds(10), "dpkg -r");
                assertThat(emperor.log()).contains("The Emperor is buried.");
                awaitNotification(systemd, received, m -> m.startsWith("STOPPING=1"), Duration.ofSeconds(5), emperor);
            } finally {
                emperor.close();
            }
        }
        assertThat(Path.of("/usr/bin/emperor")).doesNotExist();
        assertThat(Path.of("/usr/share/imperium")).doesNotExist();
        assertThat(run(List.of("dpkg-query", "-W", "-f=${Status}", "imperium")).output())
                .isEqualTo("deinstall ok config-files");
        assertThat(Path.of("/etc/default/imperium")).isRegularFile();
        assertThat(adminFile).isRegularFile();

        Result purge = run(List.of("dpkg", "-P", "imperium"));
        assertThat(purge.code()).as(purge.output()).isZero();
        for (String gone : List.of("/etc/imperium", "/etc/default/imperium", "/etc/logrotate.d/imperium",
                "/var/lib/imperium", "/var/log/imperium", "/var/cache/imperium",
                "/etc/systemd/system/multi-user.target.wants/" + UNIT_NAME, "/etc/systemd/system/" + UNIT_NAME)) {
            assertThat(Path.of(gone)).as(gone).doesNotExist();
        }
        assertThat(run(List.of("getent", "passwd", "imperium")).code()).as("the user stays (documented)").isZero();
    }

    /** Reads notifications until one matches; fails after {@code timeout} or if the emperor exits. */
    private static String awaitNotification(AFUNIXDatagramSocket socket, List<String> received,
                                            java.util.function.Predicate<String> wanted, Duration timeout,
                                            ManagedProcess emperor) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout(200);
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                if (!emperor.isAlive() && received.stream().noneMatch(wanted)) {
                    break;
                }
                continue;
            }
            String message = new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8);
            received.add(message);
            if (wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no matching notification within " + timeout + "; received " + received
                + "\n--- emperor log ---\n" + emperor.logTail(40));
    }

    private static HttpResponse<String> awaitResponse(int port, ManagedProcess emperor) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build();
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] response = new HttpResponse[1];
        try {
            await("the vassal answers").atMost(START).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        response[0] = client.send(request, HttpResponse.BodyHandlers.ofString());
                        return true;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n--- emperor log ---\n" + emperor.logTail(40), e);
        }
        return response[0];
    }

    /** The unit's CapabilityBoundingSet, e.g. [CAP_CHOWN, CAP_KILL, ...]. */
    private static List<String> boundingSet() throws IOException {
        return Arrays.asList(value(Files.readString(UNIT), "CapabilityBoundingSet").trim().split("\\s+"));
    }

    private static String value(String unit, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(unit);
        if (!m.find()) {
            throw new AssertionError(key + " is not set in the unit");
        }
        return m.group(1);
    }

    private static long seconds(String systemdTime) {
        Matcher m = Pattern.compile("(\\d+)(s|min)?").matcher(systemdTime.trim());
        assertThat(m.matches()).as(systemdTime).isTrue();
        return Long.parseLong(m.group(1)) * ("min".equals(m.group(2)) ? 60 : 1);
    }

    private static Path deb() throws IOException {
        return HostCommands.deb(DEB_DIR);
    }
}
