package dev.imperium.config;

import static dev.imperium.config.ConfigFixtures.fixtures;
import static dev.imperium.config.ConfigFixtures.load;
import static dev.imperium.config.ConfigFixtures.loader;
import static dev.imperium.config.ConfigFixtures.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    @Test
    void realisticJwsgiVassalLoadsUnchanged() throws Exception {
        Path dir = fixtures().toRealPath();
        VassalConfig config = load(loader(fixtures()), "jwsgi-vassal.ini");
        assertThat(warnings(config)).isEmpty();
        assertThat(config.file()).isEqualTo(fixtures().resolve("jwsgi-vassal.ini"));
        assertThat(config.intValue("processes", 1)).isEqualTo(4);
        assertThat(config.intValue("threads", 1)).isEqualTo(2);
        assertThat(config.values("http-socket")).containsExactly("127.0.0.1:9090", "127.0.0.1:9091");
        assertThat(config.intValue("listen", 0)).isEqualTo(128);
        assertThat(config.intValue("buffer-size", 0)).isEqualTo(32768);
        assertThat(config.string("chdir", null)).isEqualTo(dir + "/");
        assertThat(config.values("jvm-classpath")).containsExactly(dir + "/apps/jwsgi-vassal/hello.jar",
                "/usr/share/java/uwsgi.jar");
        assertThat(config.values("jvm-opt")).containsExactly("-Xmx256m", "-Dapp.name=jwsgi-vassal");
        assertThat(config.string("jwsgi", null)).isEqualTo("com.example.Hello:application");
        assertThat(config.values("static-map")).containsExactly("/static=" + dir + "/apps/jwsgi-vassal/static");
        assertThat(config.values("env")).containsExactly("APP_ENV=production", "APP_NAME=jwsgi-vassal");
        assertThat(config.string("logto", null)).isEqualTo("/var/log/uwsgi/app/jwsgi-vassal.log");
        assertThat(config.flag("vacuum")).isTrue();
        assertThat(config.flag("need-app")).isTrue();
        assertThat(config.flag("disable-logging")).isTrue();
        assertThat(config.intValue("socket-timeout", 0)).isEqualTo(10);
        assertThat(config.intValue("worker-reload-mercy", 0)).isEqualTo(30);
        assertThat(config.entries("processes")).singleElement().extracting(ConfigEntry::origin)
                .isEqualTo(new Origin(fixtures().resolve("jwsgi-vassal.ini"), 6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwsgi-vassal.yaml", "jwsgi-vassal.json", "jwsgi-vassal.xml"})
    void theSameVassalInEveryFormat(String name) throws Exception {
        VassalConfig config = load(loader(fixtures()), name);
        assertThat(warnings(config)).isEmpty();
        assertThat(config.intValue("processes", 1)).isEqualTo(4);
        assertThat(config.flag("master")).isTrue();
        assertThat(config.flag("vacuum")).isTrue();
        assertThat(config.values("http-socket")).containsExactly("127.0.0.1:9090", "127.0.0.1:9091");
        assertThat(config.values("jvm-classpath")).containsExactly("/srv/hello/hello.jar", "/usr/share/java/uwsgi.jar");
        assertThat(config.string("jwsgi", null)).isEqualTo("com.example.Hello:application");
        assertThat(config.string("chdir", null)).isEqualTo(fixtures().toRealPath() + "/");
        assertThat(config.values("env")).containsExactly("APP_NAME=jwsgi-vassal");
    }

    @Test
    void defaultsComeFromTheOptionTable() {
        VassalConfig config = load(loader(fixtures()), "jwsgi-vassal.json");
        assertThat(config.intValue("listen", 0)).isEqualTo(100);
        assertThat(config.intValue("buffer-size", 0)).isEqualTo(4096);
        assertThat(config.isSet("listen")).isFalse();
    }

    @Test
    void loaderOptions() {
        LoaderOptions defaults = LoaderOptions.defaults();
        assertThat(defaults.allowExec()).isTrue();
        assertThat(defaults.cwd()).isAbsolute().isEqualTo(Path.of("").toAbsolutePath());
        assertThat(defaults.env()).isEqualTo(System.getenv());
        LoaderOptions check = defaults.withAllowExec(false).withCwd(Path.of("x")).withEnv(java.util.Map.of("A", "1"));
        assertThat(check.allowExec()).isFalse();
        assertThat(check.cwd()).isEqualTo(Path.of("x").toAbsolutePath());
        assertThat(check.env()).containsOnlyKeys("A");
    }
}
