package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vassal command line for vassals-include/-inherit (and -before) and vassal-set, in uWSGI's order. */
class VassalArgumentsTest {
    @Test
    void withoutExtraConfigTheVassalGetsItsFileAlone() {
        assertThat(VassalArguments.NONE.argv("app.ini")).containsExactly("app.ini");
    }

    @Test
    void extraConfigFollowsUwsgisVassalNewArgvOrder() {
        VassalArguments a = new VassalArguments(List.of("ib.ini"), List.of("cb1.ini", "cb2.ini"),
                List.of("processes=2", "base=/srv"), List.of("i.ini"), List.of("c.ini"));
        assertThat(a.argv("app.ini")).containsExactly("--inherit", "ib.ini", "--include", "cb1.ini", "--include",
                "cb2.ini", "--set", "processes=2", "--set", "base=/srv", "--ini", "app.ini", "--inherit", "i.ini",
                "--include", "c.ini");
    }

    @Test
    void theLoaderFlagFollowsTheExtension() {
        VassalArguments a = new VassalArguments(List.of(), List.of(), List.of("a=b"), List.of(), List.of());
        assertThat(a.argv("app.yaml")).endsWith("--yaml", "app.yaml");
        assertThat(a.argv("app.yml")).endsWith("--yaml", "app.yml");
        assertThat(a.argv("app.json")).endsWith("--json", "app.json");
        assertThat(a.argv("app.js")).endsWith("--json", "app.js");
        assertThat(a.argv("app.xml")).endsWith("--xml", "app.xml");
        assertThat(a.argv("/srv/a/vassal.ini")).endsWith("--ini", "/srv/a/vassal.ini");
    }

    @Test
    void aSetWithoutKeyValueIsRefused() {
        assertThatThrownBy(() -> new VassalArguments(List.of(), List.of(), List.of("processes"), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> new VassalArguments(List.of(), List.of(), List.of("=1"), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExtraExtensionFileIsReadAsIni() {
        assertThat(VassalArguments.NONE.argv("app.conf")).containsExactly("--ini", "app.conf");
        assertThat(VassalArguments.NONE.argv("/srv/a.b/app.ini")).containsExactly("/srv/a.b/app.ini");
    }
}
