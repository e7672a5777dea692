package dev.imperium.config;

import static dev.imperium.config.ConfigFixtures.fails;
import static dev.imperium.config.ConfigFixtures.load;
import static dev.imperium.config.ConfigFixtures.loader;
import static dev.imperium.config.ConfigFixtures.messages;
import static dev.imperium.config.ConfigFixtures.warnings;
import static dev.imperium.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {
    @TempDir
    Path dir;

    private String file() {
        return dir.resolve("app.ini").toString();
    }

    @Test
    void unsupportedOptionNamesFileLineAndOption() {
        write(dir, "app.ini", "[uwsgi]\nhttp-socket = :8080\nwsgi-file = app.py\nspooler = /tmp/spool\n");
        ConfigException e = fails(loader(dir), "app.ini");
        assertThat(e.getMessage()).isEqualTo(
                file() + ":3: unsupported: option 'wsgi-file' is a uWSGI option Imperium does not implement yet\n"
                        + file() + ":4: unsupported: option 'spooler' is a uWSGI option Imperium does not implement"
                        + " yet");
        assertThat(e.diagnostics()).extracting(Diagnostic::severity).containsOnly(Severity.UNSUPPORTED);
        assertThat(e.diagnostics()).extracting(Diagnostic::key).containsExactly("wsgi-file", "spooler");
    }

    @Test
    void unusedPlaceholderIsAWarningWithASuggestion() {
        write(dir, "app.ini", "[uwsgi]\nharakri = 30\nbase = /srv\nchdir = %(base)\nmy_thing = 1\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(warnings(config)).containsExactly(
                file() + ":2: warning: 'harakri' is no option and no %(harakri) uses it (did you mean 'harakiri'?)",
                file() + ":5: warning: 'my-thing' is no option and no %(my-thing) uses it");
        assertThat(config.diagnostics()).extracting(Diagnostic::key).containsExactly("harakri", "my-thing");
    }

    @Test
    void strictModeMakesEveryUnknownKeyAnErrorExceptSetPh() {
        write(dir, "app.ini", "[uwsgi]\nharakri = 30\nbase = /srv\nchdir = %(base)\nset-ph = root=/r\n"
                + "pidfile = %(root)/p\nstrict = true\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                file() + ":2: error: unknown option 'harakri' (strict mode: declare placeholders with set-ph) (did you"
                        + " mean 'harakiri'?)",
                file() + ":3: error: unknown option 'base' (strict mode: declare placeholders with set-ph)");
        write(dir, "app.ini", "[uwsgi]\nstrict = false\nbase = /srv\nchdir = %(base)\n");
        assertThat(warnings(load(loader(dir), "app.ini"))).isEmpty();
    }

    @Test
    void pluginsJvmJwsgiAndCgiAreBuiltInOthersUnsupported() {
        write(dir, "app.ini", "[uwsgi]\nplugins = 0:jvm, jwsgi_openjdk17\nplugin = jvm\nneed-plugin = "
                + "/usr/lib/uwsgi/plugins/jwsgi_plugin.so\nplugins-dir = /usr/lib/uwsgi/plugins\nif-plugin = jvm\n"
                + "env = JVM=yes\nendif\nplugins = cgi\nif-plugin = cgi\nenv = CGI=yes\nendif\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(config.values("plugins")).containsExactly("0:jvm, jwsgi_openjdk17", "jvm", "cgi");
        assertThat(config.values("env")).containsExactly("JVM=yes", "CGI=yes");
        assertThat(warnings(config)).isEmpty();
        write(dir, "app.ini", "[uwsgi]\nplugins = python3,jvm,http\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                file() + ":2: unsupported: plugin 'python3' is not available: Imperium runs JVM apps (jwsgi,"
                        + " imperium-app, mount) and CGI scripts (cgi)",
                file() + ":2: unsupported: plugin 'http' is not available: Imperium runs JVM apps (jwsgi,"
                        + " imperium-app, mount) and CGI scripts (cgi)");
    }

    @Test
    void builtInFlagsTurnedOffHaveNoEffect() {
        write(dir, "app.ini", "[uwsgi]\nmaster = false\nenable-threads = true\nlazy-apps\ndie-on-term = 0\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(warnings(config)).containsExactly(
                file() + ":2: warning: 'master = false' has no effect: every Imperium vassal has a master",
                file() + ":5: warning: 'die-on-term = 0' has no effect: SIGTERM always stops an Imperium vassal"
                        + " gracefully");
        assertThat(config.flag("master")).isFalse();
        assertThat(config.flag("lazy-apps")).isTrue();
    }

    @Test
    void typeErrorsAreAllReportedTogether() {
        write(dir, "app.ini", """
                [uwsgi]
                processes = four
                threads = 4 ; four threads
                vacuum = maybe
                static-map = /static
                chdir
                listen = -1
                buffer-size
                master = yes
                disable-logging = off
                """);
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                file() + ":2: error: option 'processes' needs a whole number, got 'four'",
                file() + ":3: error: option 'threads' needs a whole number, got '4 ; four threads' (uWSGI config files"
                        + " have no comments after a value: put the comment on a line of its own)",
                file() + ":4: error: option 'vacuum' needs a boolean (true/false/1/0/yes/no/on/off), got 'maybe'",
                file() + ":5: error: option 'static-map' needs MOUNTPOINT=PATH, got '/static'",
                file() + ":6: error: option 'chdir' needs a value",
                file() + ":7: error: option 'listen' must not be negative, got '-1'",
                file() + ":8: error: option 'buffer-size' needs a whole number");
    }

    @Test
    void everyProblemOfEveryFileIsReported() {
        write(dir, "app.ini", "[uwsgi]\ninclude = part.yaml\nwsgi-file = a.py\nchdir = $(NOPE)\n");
        write(dir, "part.yaml", "uwsgi:\n  processes: x\n  module: app\n");
        ConfigException e = fails(loader(dir), "app.ini");
        assertThat(messages(e)).containsExactlyInAnyOrder(
                file() + ":4: error: environment variable NOPE is not set (used as $(NOPE) in 'chdir')",
                dir.resolve("part.yaml") + ":2: error: option 'processes' needs a whole number, got 'x'",
                dir.resolve("part.yaml") + ":3: unsupported: option 'module' is a uWSGI option Imperium does not"
                        + " implement yet",
                file() + ":3: unsupported: option 'wsgi-file' is a uWSGI option Imperium does not implement yet");
    }

    @Test
    void underscoresAndCaseInKeys() {
        write(dir, "app.ini", "[uwsgi]\nhttp_socket = :8080\nbuffer_size = 8192\nMaster = true\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(config.entries()).extracting(ConfigEntry::key).containsExactly("http-socket", "buffer-size",
                "Master");
        assertThat(config.values("http_socket")).containsExactly(":8080");
        assertThat(config.intValue("buffer-size", 0)).isEqualTo(8192);
        assertThat(config.flag("master")).isTrue();
        assertThat(warnings(config)).isEmpty();
    }
}
