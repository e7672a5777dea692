package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ExternalContentTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(20)
    void slowCommandIsStoppedAfterTheTimeout() {
        Diagnostics d = new Diagnostics();
        ExternalContent content = new ExternalContent(new LoaderOptions(Map.of(), true, dir), d,
                Duration.ofMillis(300));
        long start = System.nanoTime();
        Origin origin = new Origin(dir.resolve("app.ini"), 2);
        assertThat(content.read("exec://sleep 30", origin, "chdir")).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(d.all()).extracting(Diagnostic::format).containsExactly(dir.resolve("app.ini")
                + ":2: error: @(exec://sleep 30) did not finish within 300 ms");
    }

    @Test
    void eachCommandRunsOncePerLoad() {
        Diagnostics d = new Diagnostics();
        ExternalContent content = new ExternalContent(new LoaderOptions(Map.of(), true, dir), d);
        Origin origin = new Origin(dir.resolve("app.ini"), 2);
        String first = content.read("exec://date +%N", origin, "x");
        assertThat(content.read("exec://date +%N", origin, "x")).isEqualTo(first);
        assertThat(d.all()).isEmpty();
    }

    @Test
    void chompsOneLineBreakOnly() {
        assertThat(ExternalContent.chompOnce("a\n")).isEqualTo("a");
        assertThat(ExternalContent.chompOnce("a\r\n")).isEqualTo("a\r");
        assertThat(ExternalContent.chompOnce("a\r")).isEqualTo("a");
        assertThat(ExternalContent.chompOnce("")).isEmpty();
    }
}
