package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several {@code --emperor} monitors at once (two directories and a glob) and {@code emperor-extra-extension}: every
 * monitor's vassals run; a name two monitors have stays with the first, with a warning, and the second takes over when
 * the first's file goes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MonitorsIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private EmperorFixture emperor;

    @AfterEach
    void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    private static void deploy(Path file, int port) throws Exception {
        String ini = Dist.helloVassal(port, "");
        Files.createDirectories(file.getParent());
        Path staged = Files.writeString(file.resolveSibling("." + file.getFileName() + ".tmp"), ini);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    @Test
    void twoDirectoriesAndAGlobAtOnceTheFirstMonitorKeepsAName() throws Exception {
        Path a = Files.createDirectories(root.resolve("a"));
        Path b = Files.createDirectories(root.resolve("b"));
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        int portConf = FreePorts.next();
        int portGlob = FreePorts.next();
        deploy(a.resolve("app.ini"), portA);
        deploy(b.resolve("app.ini"), portB);
        deploy(b.resolve("api.conf"), portConf);
        deploy(b.resolve("notes.skel"), FreePorts.next());
        Path glob = root.resolve("srv/x/vassal.ini");
        deploy(glob, portGlob);

        emperor = EmperorFixture.startWatching(root, a.toString(), "--emperor", b.toString(), "--emperor",
                root + "/srv/*/vassal.ini", "--emperor-extra-extension", ".conf");
        long first = emperor.awaitGeneration("app.ini", 1, START);
        emperor.awaitGeneration("api.conf", 1, START);
        emperor.awaitGeneration(glob.toString(), 1, START);
        assertThat(get(portA)).isEqualTo("Hello from JWSGI\n");
        assertThat(get(portConf)).as("an emperor-extra-extension file is a vassal").isEqualTo("Hello from JWSGI\n");
        assertThat(get(portGlob)).isEqualTo("Hello from JWSGI\n");
        assertThat(emperor.log()).contains("[emperor] 3 monitors", "[emperor] monitor: directory " + a,
                "[emperor] monitor: directory " + b, "[emperor] monitor: glob " + root + "/srv/*/vassal.ini",
                "[emperor] vassal app.ini of directory " + b + " is ignored: vassal app.ini of directory " + a
                        + " has that name (the first monitor to report a name keeps it)");
        assertThat(emperor.log()).doesNotContain("notes.skel");
        assertThat(emperor.log().split("spawning vassal app\\.ini", -1)).as("app.ini runs once").hasSize(2);

        Files.delete(a.resolve("app.ini"));
        emperor.awaitLog("stop the uwsgi instance app\\.ini", Duration.ofSeconds(30));
        emperor.awaitLog(Pattern.quote("[emperor] vassal app.ini of directory " + a + " is gone: vassal app.ini of "
                + "directory " + b + " takes its place"), Duration.ofSeconds(10));
        emperor.awaitGeneration("app.ini", 1, START, pid -> pid != first);
        assertThat(emperor.log()).contains("[app.ini] current working directory: " + b);
        assertThat(get(portB)).as("the second directory's app.ini serves now").isEqualTo("Hello from JWSGI\n");
        assertThat(get(portConf)).isEqualTo("Hello from JWSGI\n");
    }
}
