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

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * The Ansible role and example playbook (packaging/ansible): as root on Debian with {@code ansible-playbook}, the
 * example playbook run with {@code -c local} against this machine installs the .deb, writes one JWSGI vassal and
 * EMPEROR_OPTS with the metrics address; the packaged emperor (started here as the unit would start it, since systemd
 * does not run in a container; where it runs, the role's service does) serves the vassal and its metrics. A second run
 * changes nothing; a changed vassal option rewrites exactly that file and the emperor reloads that vassal (generation
 * 2) without a restart; a vassal dropped from the list loses its file and stops. The machine is left as it was, even
 * when the test fails: package purged, the role's cache and the app directory deleted, no process left.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AnsibleIT {
    private static final Path ANSIBLE_DIR = Path.of(System.getProperty("imperium.ansible.dir",
            "../packaging/ansible")).toAbsolutePath().normalize();
    private static final Path DEB_DIR = Path.of(System.getProperty("imperium.deb.dir",
            "../packaging/deb/target")).toAbsolutePath().normalize();
    /** The role's default imperium_deb_cache_dir: the host keeps the copied .deb there. */
    private static final Path ROLE_CACHE = Path.of("/var/cache/imperium-ansible");
    private static final Path VASSAL_FILE = Path.of("/etc/imperium/vassals/hello.ini");
    private static final String UNIT_NAME = "imperium-emperor.service";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration PLAYBOOK_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern RECAP = Pattern.compile(
            "(?m)^localhost\\s*: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ManagedProcess emperor;
    private boolean systemd;

    @Test
    void ansibleLintFindsNothing() throws Exception {
        assumeThat(onPath("ansible-lint")).as("ansible-lint is installed (apt-get install ansible-lint)").isTrue();
        Result lint = run(List.of("sh", "-c", "cd \"$1\" && exec ansible-lint --offline -p site.yml roles/imperium "
                + "inventory.example/group_vars/imperium.yml",
                "lint", ANSIBLE_DIR.toString()), ansibleEnvironment(), PLAYBOOK_TIMEOUT);
        assertThat(lint.code()).as(lint.output()).isZero();
    }

    @Test
    void thePlaybookInstallsRunsReloadsAndRemovesAVassalIdempotently() throws Exception {
        assumeThat(System.getProperty("user.name")).as("runs as root").isEqualTo("root");
        assumeThat(Files.exists(Path.of("/etc/debian_version")) && onPath("dpkg")).as("Debian with dpkg").isTrue();
        assumeThat(onPath("ansible-playbook")).as("ansible-playbook is installed (apt-get install ansible)").isTrue();
        // one test at a time installs the package on this machine (PackagingIT too, or a second test run)
        try (MachineLock lock = MachineLock.acquire("imperium-package", Duration.ofSeconds(150))) {
            playbookInstallsRunsReloadsAndRemoves();
        }
    }

    private void playbookInstallsRunsReloadsAndRemoves() throws Exception {
        assumeThat(HostCommands.dpkgKnows("imperium"))
                .as("the imperium package is not installed here already (the test would remove it)").isFalse();
        assumeThat(ROLE_CACHE).as("the role's cache is not in use here already (the test deletes it)").doesNotExist();
        systemd = Files.isDirectory(Path.of("/run/systemd/system"));
        boolean userExisted = run(List.of("getent", "passwd", "imperium")).code() == 0;
        String marker = UUID.randomUUID().toString();
        // The app outside /tmp: where systemd runs, the service has a private /tmp.
        Path app = Files.createTempDirectory(Path.of("/var/lib"), "imperium-ansible-it-");
        try {
            Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = Files.copy(Dist.helloJar(), app.resolve("hello-jwsgi.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            deployUpdateAndRemove(jar, marker);
        } finally {
            if (emperor != null) {
                emperor.close();
            }
            Orphans.killAll(marker);
            run(List.of("dpkg", "--purge", "imperium"));
            deleteTree(ROLE_CACHE);
            deleteTree(app);
            if (!userExisted && run(List.of("getent", "passwd", "imperium")).code() == 0) {
                run(List.of("userdel", "imperium")); // postrm keeps the user (documented); the test created it
            }
        }
        assertThat(HostCommands.dpkgKnows("imperium")).as("the package is purged").isFalse();
        for (String gone : List.of("/etc/imperium", "/etc/default/imperium", "/usr/share/imperium",
                "/usr/bin/emperor", "/var/lib/imperium", "/var/cache/imperium", ROLE_CACHE.toString(),
                app.toString())) {
            assertThat(Path.of(gone)).as(gone).doesNotExist();
        }
        assertThat(run(List.of("getent", "passwd", "imperium")).code() == 0).isEqualTo(userExisted);
        assertThat(Orphans.withMarker(marker)).isEmpty();
    }

    private void deployUpdateAndRemove(Path jar, String marker) throws Exception {
        int port = FreePorts.next();
        int metricsPort = FreePorts.next();
        Path inventory = Files.writeString(dir.resolve("hosts.ini"), """
                [imperium]
                localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3
                """);

        // 1. Install, configure, deploy.
        Playbook first = playbook(inventory, vars(metricsPort, helloVassal(port, jar, "1")), "first run");
        assertThat(first.changed()).isPositive();
        assertThat(Files.readString(VASSAL_FILE)).contains("\n[uwsgi]\n", "\nhttp-socket = 127.0.0.1:" + port + "\n",
                "\nadd-header = X-Release: 1\n", "\nuid = imperium\n");
        assertThat(Files.getPosixFilePermissions(VASSAL_FILE)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Files.readString(Path.of("/etc/default/imperium")))
                .contains("\nEMPEROR_OPTS=\"--emperor-metrics 127.0.0.1:" + metricsPort + "\"\n");
        assertThat(run(List.of("dpkg-query", "-W", "-f=${Status}", "imperium")).output())
                .isEqualTo("install ok installed");
        if (systemd) {
            // the role enabled and (re)started the service with the new EMPEROR_OPTS
            assertThat(run(List.of("systemctl", "is-active", UNIT_NAME)).output().strip()).isEqualTo("active");
        } else {
            assertThat(first.output()).as("the role says the emperor needs a (re)start")
                    .contains("restart the emperor yourself");
            emperor = startPackagedEmperor(marker);
        }
        awaitHello(port, "1");
        awaitGeneration(metricsPort, 1);
        long emperorPid = emperorPid();
        BasicFileAttributes written = Files.readAttributes(VASSAL_FILE, BasicFileAttributes.class);

        // 2. Idempotent: nothing changes, the vassal file is not even rewritten.
        Playbook second = playbook(inventory, vars(metricsPort, helloVassal(port, jar, "1")), "second run");
        assertThat(second.changed()).as(second.output()).isZero();
        assertThat(second.changedTasks()).isEmpty();
        BasicFileAttributes again = Files.readAttributes(VASSAL_FILE, BasicFileAttributes.class);
        assertThat(again.fileKey()).isEqualTo(written.fileKey());
        assertThat(again.lastModifiedTime()).isEqualTo(written.lastModifiedTime());
        assertThat(generation(metricsPort)).isEqualTo(1);

        // 3. One option changes: exactly that file is rewritten, and the emperor reloads that vassal by itself.
        Playbook third = playbook(inventory, vars(metricsPort, helloVassal(port, jar, "2")), "changed option");
        assertThat(third.changed()).as(third.output()).isEqualTo(1);
        assertThat(third.changedTasks()).as(third.output()).singleElement().satisfies(task -> assertThat(task)
                .startsWith("Write the vassal files").endsWith("changed: [localhost] => (item=hello.ini)"));
        assertThat(Files.readString(VASSAL_FILE)).contains("\nadd-header = X-Release: 2\n");
        awaitGeneration(metricsPort, 2);
        awaitHello(port, "2");
        assertThat(emperorPid()).as("the emperor was not restarted").isEqualTo(emperorPid);
        if (emperor != null) {
            assertThat(emperor.log()).contains("reload the uwsgi instance hello.ini",
                    "vassal hello.ini generation 2 accepting");
        }

        // 4. The vassal leaves the list: its file goes, the emperor stops it.
        Playbook fourth = playbook(inventory, vars(metricsPort, ""), "vassal dropped");
        assertThat(fourth.changedTasks()).as(fourth.output()).anySatisfy(task -> assertThat(task)
                .startsWith("Remove the files of vassals").endsWith("changed: [localhost] => (item=hello.ini)"));
        assertThat(VASSAL_FILE).doesNotExist();
        assertThat(Path.of("/etc/imperium/ansible-vassals")).content().doesNotContain("hello.ini");
        await("the vassal's port closed").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> refused(port));
        await("the vassal gone from the metrics").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !metrics(metricsPort).contains("vassal=\"hello.ini\""));
        if (emperor != null) {
            long pid = emperor.pid();
            await("only the emperor left").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Orphans.withMarker(marker).stream().allMatch(p -> p.pid() == pid));
            assertThat(emperor.log()).contains("removed uwsgi instance hello.ini");
        }
        assertThat(emperorPid()).isEqualTo(emperorPid);
    }

    /** The packaged emperor as the unit starts it: ExecStart with EMPEROR_OPTS from /etc/default/imperium. */
    private ManagedProcess startPackagedEmperor(String marker) {
        return ManagedProcess.builder("packaged emperor", List.of("/bin/sh", "-c",
                        ". /etc/default/imperium && exec /usr/bin/emperor --vassals /etc/imperium/vassals "
                                + "$EMPEROR_OPTS --control-socket \"$1\"", "emperor",
                        dir.resolve("emperor.sock").toString()))
                .directory(dir).log(dir.resolve("emperor.log"))
                .withoutEnv(ManagedProcess.Builder.ALLOW_ROOT) // the vassal's workers drop to imperium
                .env(Orphans.MARKER, marker)
                .env("JAVA_HOME", "") // the package finds its Java itself
                .grace(Duration.ofSeconds(40))
                .start();
    }

    private long emperorPid() throws IOException, InterruptedException {
        if (emperor != null) {
            assertThat(emperor.isAlive()).as(emperorLog()).isTrue();
            return emperor.pid();
        }
        return Long.parseLong(run(List.of("systemctl", "show", "-p", "MainPID", "--value", UNIT_NAME)).output()
                .strip());
    }

    private String emperorLog() {
        if (emperor != null) {
            return "--- emperor log ---\n" + emperor.logTail(40);
        }
        try {
            return "--- journal ---\n" + run(List.of("journalctl", "--no-pager", "-n", "40", "-u", UNIT_NAME))
                    .output();
        } catch (IOException | InterruptedException e) {
            return "(no journal: " + e + ")";
        }
    }

    private static String helloVassal(int port, Path jar, String release) {
        return """
                {"name": "hello", "options": {"http-socket": "127.0.0.1:%d", "processes": 1,
                  "jvm-classpath": "%s", "jwsgi": "dev.imperium.samples.hello.HelloApp",
                  "uid": "imperium", "gid": "imperium", "add-header": ["X-Release: %s"]}}"""
                .formatted(port, jar, release);
    }

    /** The extra variables (JSON is YAML): the .deb, the metrics address, the vassal list. */
    private Path vars(int metricsPort, String vassals) throws IOException {
        return Files.writeString(dir.resolve("vars.json"), """
                {"imperium_deb": "%s",
                 "imperium_metrics_address": "127.0.0.1", "imperium_metrics_port": %d,
                 "imperium_vassals": [%s]}
                """.formatted(HostCommands.deb(DEB_DIR), metricsPort, vassals));
    }

    /** Ansible's own files (temp, home, caches) in the test's directory, and output a test can read. */
    private Map<String, String> ansibleEnvironment() {
        return Map.of("ANSIBLE_HOME", dir.resolve("ansible-home").toString(),
                "ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-local-tmp").toString(),
                "ANSIBLE_REMOTE_TEMP", dir.resolve("ansible-remote-tmp").toString(),
                "ANSIBLE_SSH_CONTROL_PATH_DIR", dir.resolve("ansible-cp").toString(),
                "XDG_CACHE_HOME", dir.resolve("cache").toString(),
                "ANSIBLE_NOCOLOR", "1",
                "ANSIBLE_STDOUT_CALLBACK", "default",
                "ANSIBLE_RETRY_FILES_ENABLED", "0");
    }

    private Playbook playbook(Path inventory, Path vars, String what) throws IOException, InterruptedException {
        Result result = run(List.of("ansible-playbook", "-i", inventory.toString(), "-c", "local",
                "-e", "@" + vars, ANSIBLE_DIR.resolve("site.yml").toString()), ansibleEnvironment(), PLAYBOOK_TIMEOUT);
        assertThat(result.code()).as(what + ":\n" + result.output()).isZero();
        Playbook playbook = new Playbook(result.output());
        assertThat(playbook.failed()).as(what + ":\n" + result.output()).isZero();
        return playbook;
    }

    /** What ansible-playbook printed: the recap's counts and the tasks that changed something. */
    private record Playbook(String output) {
        private Matcher recap() {
            Matcher m = RECAP.matcher(output);
            assertThat(m.find()).as("a PLAY RECAP line for localhost in:\n" + output).isTrue();
            return m;
        }

        int changed() {
            return Integer.parseInt(recap().group(2));
        }

        int failed() {
            return Integer.parseInt(recap().group(4));
        }

        /** Each "changed: ..." line, after the name of its task: {@code Task name: changed: [localhost] ...}. */
        List<String> changedTasks() {
            List<String> changed = new ArrayList<>();
            String task = "?";
            Pattern header = Pattern.compile("^(?:TASK|RUNNING HANDLER) \\[(?:imperium : )?(.*?)\\] \\**$");
            for (String line : output.lines().toList()) {
                Matcher m = header.matcher(line);
                if (m.matches()) {
                    task = m.group(1);
                } else if (line.startsWith("changed: ")) {
                    changed.add(task + ": " + line.strip());
                }
            }
            return changed;
        }
    }

    private void awaitHello(int port, String release) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            await("the vassal answers with X-Release: " + release).atMost(START).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        return r.statusCode() == 200 && r.body().contains("Hello from JWSGI")
                                && r.headers().firstValue("X-Release").orElse("").equals(release);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + emperorLog(), e);
        }
    }

    private String metrics(int metricsPort) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The vassal's generation from the emperor's Prometheus metrics, -1 when it is not listed. */
    private int generation(int metricsPort) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^imperium_vassal_generation\\{vassal=\"hello\\.ini\",?\\} (\\d+)")
                .matcher(metrics(metricsPort));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private void awaitGeneration(int metricsPort, int generation) {
        try {
            await("generation " + generation).atMost(START).pollInterval(Duration.ofMillis(100))
                    .until(() -> generation(metricsPort) == generation);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + emperorLog(), e);
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
