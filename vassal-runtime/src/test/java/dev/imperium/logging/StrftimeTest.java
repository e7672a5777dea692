package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StrftimeTest {
    private static final ZonedDateTime T = ZonedDateTime.of(2026, 11, 5, 7, 3, 9, 0, ZoneOffset.ofHours(1));

    @Test
    void formatsTheCommonConversions() {
        assertThat(Strftime.compile("%Y-%m-%d %H:%M:%S").format(T)).isEqualTo("2026-11-05 07:03:09");
        assertThat(Strftime.compile("%d/%b/%Y:%H:%M:%S %z").format(T)).isEqualTo("05/Nov/2026:07:03:09 +0100");
        assertThat(Strftime.compile("%a %A %b %B %e|%k|%l %p %I").format(T))
                .isEqualTo("Thu Thursday Nov November  5| 7| 7 AM 07");
        assertThat(Strftime.compile("%c").format(T)).isEqualTo("Thu Nov  5 07:03:09 2026");
        assertThat(Strftime.compile("%F %T %D %R %r %j %s").format(T))
                .isEqualTo("2026-11-05 07:03:09 11/05/26 07:03 07:03:09 AM 309 " + T.toEpochSecond());
    }

    @Test
    void keepsLiteralsAndUnknownConversions() {
        assertThat(Strftime.compile("[%%] %q 100% %").format(T)).isEqualTo("[%] %q 100% %");
        assertThat(Strftime.compile("a%nb%tc").format(T)).isEqualTo("a\nb\tc");
        assertThat(Strftime.compile("%Ey %OH").format(T)).as("E and O modifiers are ignored").isEqualTo("26 07");
        assertThat(Strftime.compile("no conversion").format(T)).isEqualTo("no conversion");
    }

    @Test
    void matchesGlibcStrftimeOnRandomDates() throws Exception {
        Path date = Path.of("/bin/date");
        assumeTrue(Files.isExecutable(date), "no /bin/date to compare with");
        String format = "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %p %r %R %s %S %T %u %U %V %w %W"
                + " %x %X %y %Y %z %%";
        Strftime compiled = Strftime.compile(format);
        Random random = new Random(42);
        for (int i = 0; i < 25; i++) {
            long epoch = 946_684_800L + (long) (random.nextDouble() * 1_600_000_000L);
            ZonedDateTime t = ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(epoch), ZoneId.of("UTC"));
            assertThat(compiled.format(t)).as("at %d", epoch).isEqualTo(glibc(date, epoch, format));
        }
    }

    private static String glibc(Path date, long epoch, String format) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(date.toString(), "-u", "-d", "@" + epoch, "+" + format);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }
}
