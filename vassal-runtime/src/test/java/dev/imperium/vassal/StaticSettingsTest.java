package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import dev.imperium.statics.FileServeMode;
import dev.imperium.statics.StaticSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticSettingsTest {
    private static VassalConfig config(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("v.ini"), i / 2 + 2)));
        }
        return new VassalConfig(Path.of("v.ini"), entries, List.of());
    }

    @Test
    void defaultsServeRangesThemselvesAndNothingElse() {
        StaticSpec spec = VassalSettings.from(config("http-socket", ":8080")).staticFiles();
        assertThat(spec.isEmpty()).isTrue();
        assertThat(spec.honourRange()).isTrue();
        assertThat(spec.fileServeMode()).isEqualTo(FileServeMode.RAW);
        assertThat(spec.gzip().isEmpty()).isTrue();
        assertThat(spec.expires().isEmpty()).isTrue();
    }

    @Test
    void readsEveryStaticOptionWithItsAliases() {
        StaticSpec spec = StaticSettings.from(config("static-map", "/s=www", "static-map2", "/i=img",
                "static-check", "pub", "static-index", "index.html", "static-skip-ext", ".php",
                "static-expires-type", "text/css=60", "static-expires-type-mtime", "image/png=120",
                "static-expires", "\\.js$ 30", "static-expires-uri-mtime", "v= 10", "static-expires-path-info", "^/a 5",
                "static-gzip", "\\.svg$", "static-gzip-prefix", "/srv/gz", "static-gzip-suffix", ".css",
                "honour-range", "false", "fileserve-mode", "x-sendfile"));
        assertThat(spec.staticMaps()).containsExactly("/s=www");
        assertThat(spec.staticMaps2()).containsExactly("/i=img");
        assertThat(spec.checkStatic()).containsExactly("pub");
        assertThat(spec.skipExtensions()).containsExactly(".php");
        assertThat(spec.expires().byType()).hasSize(2);
        assertThat(spec.expires().byType().get(1).fromModification()).isTrue();
        assertThat(spec.expires().byFile()).singleElement().satisfies(r -> assertThat(r.seconds()).isEqualTo(30));
        assertThat(spec.expires().byUri()).singleElement().satisfies(r -> assertThat(r.fromModification()).isTrue());
        assertThat(spec.expires().byPathInfo()).hasSize(1);
        assertThat(spec.gzip().patterns()).hasSize(1);
        assertThat(spec.gzip().prefixes()).containsExactly("/srv/gz");
        assertThat(spec.gzip().suffixes()).containsExactly(".css");
        assertThat(spec.honourRange()).isFalse();
        assertThat(spec.fileServeMode()).isEqualTo(FileServeMode.X_SENDFILE);
        assertThat(StaticSettings.from(config("static-gzip-all", "")).gzip().all()).isTrue();
    }

    @Test
    void badValuesStopTheVassalNamingTheLine() {
        assertThatThrownBy(() -> VassalSettings.from(config("http-socket", ":1", "static-expires", "([ 60")))
                .hasMessageContaining("v.ini:3").hasMessageContaining("static-expires")
                .hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> StaticSettings.from(config("static-expires-type", "text/css")))
                .hasMessageContaining("v.ini:2").hasMessageContaining("MIME/TYPE=SECONDS");
        assertThatThrownBy(() -> StaticSettings.from(config("static-gzip", "*.css")))
                .hasMessageContaining("static-gzip");
        assertThatThrownBy(() -> StaticSettings.from(config("file-serve-mode", "lighttpd")))
                .hasMessageContaining("file-serve-mode");
    }
}
