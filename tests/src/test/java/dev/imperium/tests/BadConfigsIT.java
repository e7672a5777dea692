package dev.imperium.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ImperiumCli;
import dev.imperium.tests.support.LoadLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, bad configs: broken, hostile and huge vassal files dropped into a running emperor's directory (the corpus
 * of {@code vassal-runtime/src/test/resources/badconfigs}, written by {@code BadConfigCorpus}) are each rejected with a
 * clear message, reported once (no respawn loop), while a good vassal serves a paced load without a failure and the
 * emperor still starts new vassals; {@code imperium check} prints the same messages and exits 1.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BadConfigsIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Path CORPUS = Path.of(System.getProperty("imperium.badconfigs",
            "../vassal-runtime/src/test/resources/badconfigs")).toAbsolutePath().normalize();
    private static final Path GENERATOR = Path.of(System.getProperty("imperium.badconfigs.generator",
            "../vassal-runtime/src/test/java/dev/imperium/config/BadConfigCorpus.java")).toAbsolutePath().normalize();
    /** Hostile files the emperor gets: each one starts a vassal JVM that must refuse it (the unit test has them all). */
    private static final List<String> SPAWNED = List.of("at-fifo.ini", "at-dev-zero.ini", "include-fifo.ini",
            "include-dev-zero.ini", "include-self.ini", "placeholder-bomb-immediate.ini", "expansion-bomb.ini",
            "yaml-alias-bomb.yaml", "xml-billion-laughs.xml", "xml-xxe.xml", "deep.json", "binary-junk.ini",
            "long-line.ini", "huge.ini", "many-entries.ini", "invalid-utf8.ini", "empty.ini");
    /** Names that are no regular files: the emperor skips them as uWSGI does, but says so once. */
    private static final Map<String, String> IGNORED = Map.of(
            "fifo.ini", "is a FIFO \\(named pipe\\)",
            "directory.ini", "is a directory",
            "symlink-loop.ini", "is a symbolic link loop",
            "dangling-symlink.ini", "does not exist",
            "dev-zero.ini", "is a character device",
            "dev-urandom.yaml", "is a character device");

    @TempDir
    Path root;

    private EmperorFixture emperor;

    @AfterEach
    void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    @Test
    void badFilesAreRejectedOnceWhileAGoodVassalKeepsServing() throws Exception {
        emperor = EmperorFixture.start(root, "--emperor-freq", "1");
        int port = FreePorts.next();
        emperor.deploy("hello.ini", Dist.helloVassal(port, ""));
        long master = emperor.awaitGeneration("hello.ini", 1, START);
        Map<String, String> expected = writeCorpus(root.resolve("corpus"));
        long rssBefore = rssKiB(emperor.process().pid());

        LoadLoop load = LoadLoop.start(port, "/", 2, 1, Duration.ofSeconds(150));
        long t0 = System.nanoTime();
        Path vassals = emperor.vassals();
        Files.move(root.resolve("corpus/parts"), vassals.resolve("parts")); // a subdirectory: not a vassal
        for (String name : SPAWNED) {
            Files.move(root.resolve("corpus").resolve(name), vassals.resolve(name));
        }
        for (String name : IGNORED.keySet()) {
            Files.move(root.resolve("corpus").resolve(name), vassals.resolve(name));
        }
        for (String name : SPAWNED) {
            emperor.awaitLog("\\[emperor] vassal " + Pattern.quote(name) + " has a bad config: not respawned until"
                    + " its file changes", START);
        }
        for (Map.Entry<String, String> e : IGNORED.entrySet()) {
            emperor.awaitLog("\\[emperor] ignoring vassal file " + Pattern.quote(e.getKey()) + ": .*" + e.getValue(),
                    START);
        }
        long rejectedMillis = (System.nanoTime() - t0) / 1_000_000;

        int port2 = FreePorts.next(); // the emperor still starts vassals (its launcher thread is not stuck)
        emperor.deploy("hello2.ini", Dist.helloVassal(port2, ""));
        emperor.awaitGeneration("hello2.ini", 1, START);
        load.stop();
        long rssAfter = rssKiB(emperor.process().pid());

        String log = emperor.log();
        for (String name : SPAWNED) {
            List<String> own = log.lines().filter(l -> l.contains("[" + name + "] ")).toList();
            assertThat(Pattern.compile(expected.get(name)).matcher(String.join("\n", own)).find())
                    .as("%s's own lines %s should contain /%s/", name, own, expected.get(name)).isTrue();
            assertThat(count(log, "spawning vassal " + Pattern.quote(name) + ":")).as("spawns of %s", name)
                    .isEqualTo(1);
            assertThat(count(log, "vassal " + Pattern.quote(name) + " has a bad config")).isEqualTo(1);
        }
        for (String name : IGNORED.keySet()) {
            assertThat(count(log, "ignoring vassal file " + Pattern.quote(name) + ":")).as("%s logged once", name)
                    .isEqualTo(1);
            assertThat(log).doesNotContain("spawning vassal " + name);
        }
        assertThat(log).doesNotContain("respawning vassal").doesNotContain("OutOfMemoryError")
                .doesNotContain("StackOverflowError");
        assertThat(load.failed()).as("failures of the good vassal: %s", load.failures()).isZero();
        assertThat(load.ok()).isPositive();
        assertThat(emperor.awaitGeneration("hello.ini", 1, START)).as("the good vassal was never restarted")
                .isEqualTo(master);
        System.out.printf("[measure] bad configs: %d spawned + %d ignored files rejected in %d ms; good vassal %d ok,"
                        + " 0 failed, slowest %d ms; emperor RSS %d -> %d KiB%n", SPAWNED.size(), IGNORED.size(),
                rejectedMillis, load.ok(), load.maxLatency().toMillis(), rssBefore, rssAfter);
    }

    @Test
    void imperiumCheckPrintsTheSameMessagesAndFails() throws Exception {
        Map<String, String> expected = writeCorpus(root.resolve("corpus"));
        Path dir = root.resolve("corpus");
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        List<String> names = new ArrayList<>(expected.keySet());
        names.remove("unreadable.ini");
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(names);
        ImperiumCli.Result result = ImperiumCli.run(List.of("env", "--chdir=" + dir), Duration.ofSeconds(120),
                args.toArray(String[]::new));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(result.exit()).as(result.err()).isEqualTo(1);
        for (String name : names) {
            assertThat(Pattern.compile(expected.get(name)).matcher(result.out()).find())
                    .as("imperium check output should contain /%s/ for %s", expected.get(name), name).isTrue();
        }
        assertThat(result.out()).doesNotContain(": ok");
        System.out.printf("[measure] imperium check of %d bad files: %d ms, %d lines%n", names.size(), millis,
                result.out().lines().count());

        if (asRoot) { // unreadable: root reads any file, so check it as nobody
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            ImperiumCli.Result nobody = ImperiumCli.run(List.of("setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", "env", "--chdir=" + dir), Duration.ofSeconds(60), "check", "unreadable.ini");
            assertThat(nobody.exit()).as(nobody.toString()).isEqualTo(1);
            assertThat(nobody.out()).containsPattern(expected.get("unreadable.ini"));
        }
    }

    private static Map<String, String> writeCorpus(Path target) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                GENERATOR.toString(), CORPUS.toString(), target.toString()).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(target.resolve("expected.tsv"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int tab = line.indexOf('\t');
                out.put(line.substring(0, tab), line.substring(tab + 1).strip());
            }
        }
        return out;
    }

    private static long count(String log, String regex) {
        return Pattern.compile(regex).matcher(log).results().count();
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
