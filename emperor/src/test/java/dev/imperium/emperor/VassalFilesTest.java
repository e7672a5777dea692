package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class VassalFilesTest {
    @ParameterizedTest
    @ValueSource(strings = {"app.ini", "app.xml", "app.yml", "app.yaml", "app.json", "app.js", "my.app.ini",
        "a.ini", "with space.ini"})
    void vassalNames(String name) {
        assertThat(VassalFiles.isVassalName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".ini", ".app.ini", ".#app.ini", "#app.ini#", "app.ini~", "app.ini.swp", ".app.ini.swp",
        "app.swp", "app.ini.tmp", "app.tmp", "4913", "app.skel", "app.INI", "app", "app.ini.bak", "app.ini.dpkg-new",
        "sub/app.ini"})
    void ignoredNames(String name) {
        assertThat(VassalFiles.isVassalName(name)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void namesOf255BytesOrMoreAreIgnoredAsInUwsgi() {
        assertThat(VassalFiles.isVassalName("a".repeat(250) + ".ini")).isTrue(); // 254 bytes
        assertThat(VassalFiles.isVassalName("a".repeat(251) + ".ini")).isFalse(); // 255 bytes
    }

    @Test
    void emperorExtraExtensionsAreVassalNamesToo() {
        java.util.List<String> extra = java.util.List.of(".conf", "skel");
        assertThat(VassalFiles.isVassalName("app.conf", extra)).isTrue();
        assertThat(VassalFiles.isVassalName("app.skel", extra)).as("compared as written, as uWSGI").isTrue();
        assertThat(VassalFiles.isVassalName("app.conf")).isFalse();
        assertThat(VassalFiles.isVassalName(".app.conf", extra)).as("still no hidden file").isFalse();
        assertThat(VassalFiles.isVassalName("app.conf~", extra)).isFalse();
        assertThat(VassalFiles.isVassalName(".conf", extra)).isFalse();
    }
}
