package dev.imperium.statics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static dev.imperium.statics.AcceptEncoding.BR;
import static dev.imperium.statics.AcceptEncoding.GZIP;
import static dev.imperium.statics.AcceptEncoding.GZIP_FIRST;
import static dev.imperium.statics.AcceptEncoding.NONE;
import static org.assertj.core.api.Assertions.assertThat;

/** Which variant a client gets ({@link AcceptEncoding}) and which files have variants ({@link GzipRules}). */
class GzipSelectionTest {
    @TempDir
    Path dir;

    @Test
    void codingsListedWithAWeightAboveZeroAreTaken() {
        assertThat(AcceptEncoding.parse("gzip")).isEqualTo(GZIP);
        assertThat(AcceptEncoding.parse("gzip, deflate, br")).isEqualTo(GZIP | BR);
        assertThat(AcceptEncoding.parse("GZIP;Q=0.5")).isEqualTo(GZIP);
        assertThat(AcceptEncoding.parse("x-gzip")).isEqualTo(GZIP);
        assertThat(AcceptEncoding.parse("deflate, identity")).isEqualTo(NONE);
        assertThat(AcceptEncoding.parse("")).isEqualTo(NONE);
    }

    @Test
    void aZeroWeightRefusesACoding() {
        assertThat(AcceptEncoding.parse("gzip;q=0")).isEqualTo(NONE);
        assertThat(AcceptEncoding.parse("gzip;q=0.000, br")).isEqualTo(BR);
        assertThat(AcceptEncoding.parse("*;q=0, gzip")).isEqualTo(GZIP);
    }

    @Test
    void theWildcardCoversUnlistedCodings() {
        assertThat(AcceptEncoding.parse("*")).isEqualTo(GZIP | BR);
        assertThat(AcceptEncoding.parse("br;q=0, *")).isEqualTo(GZIP);
    }

    @Test
    void malformedWeightsDropTheMember() {
        assertThat(AcceptEncoding.parse("gzip;q=2")).isEqualTo(NONE);
        assertThat(AcceptEncoding.parse("gzip;q=0.5.1, br")).isEqualTo(BR);
        assertThat(AcceptEncoding.parse("gzip;q=")).isEqualTo(NONE);
        assertThat(AcceptEncoding.parse("gzip;level=9")).as("other parameters are ignored").isEqualTo(GZIP);
    }

    @Test
    void brIsTriedFirstUnlessGzipWeighsMore() {
        assertThat(AcceptEncoding.suffixes(AcceptEncoding.parse("gzip, br"))).containsExactly(".br", ".gz");
        assertThat(AcceptEncoding.suffixes(AcceptEncoding.parse("gzip;q=1, br;q=0.8")))
                .containsExactly(".gz", ".br");
        assertThat(AcceptEncoding.parse("gzip;q=1, br;q=0.8")).isEqualTo(GZIP | BR | GZIP_FIRST);
        assertThat(AcceptEncoding.suffixes(GZIP)).containsExactly(".gz");
        assertThat(AcceptEncoding.suffixes(NONE)).isEmpty();
        assertThat(AcceptEncoding.coding(".gz")).isEqualTo("gzip");
        assertThat(AcceptEncoding.coding(".br")).isEqualTo("br");
    }

    @Test
    void rulesLookAtTheRealPath() throws Exception {
        assertThat(GzipRules.NONE.isEmpty()).isTrue();
        assertThat(new GzipRules(true, List.of(), List.of(), List.of()).applies("/any")).isTrue();
        GzipRules ext = new GzipRules(false, List.of(), List.of("css", ".js"), List.of());
        assertThat(ext.applies("/w/a.css")).isTrue();
        assertThat(ext.applies("/w/a.js")).isTrue();
        assertThat(ext.applies("/w/a.json")).isFalse();
        GzipRules regexp = new GzipRules(false, List.of(), List.of(), List.of(Pattern.compile("\\.(html|svg)$")));
        assertThat(regexp.applies("/w/i.svg")).isTrue();
        assertThat(regexp.applies("/w/i.png")).isFalse();

        Path assets = Files.createDirectories(dir.resolve("assets"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), assets);
        GzipRules prefix = new GzipRules(false, List.of("assets", link.toString() + "/"), List.of(), List.of())
                .resolvedAgainst(dir);
        String real = assets.toRealPath().toString();
        assertThat(prefix.prefixes()).containsExactly(real, real + "/");
        assertThat(prefix.applies(real + "/a.css")).isTrue();
        assertThat(prefix.applies(dir.toRealPath() + "/other/a.css")).isFalse();
    }
}
