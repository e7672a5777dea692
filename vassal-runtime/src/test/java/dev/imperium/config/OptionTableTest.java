package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionTableTest {
    @Test
    void everyOptionHasNameHelpAndDocLink() {
        assertThat(OptionTable.all()).hasSizeGreaterThan(800);
        for (Option option : OptionTable.all()) {
            assertThat(option.name()).as("name").isNotBlank().doesNotContain(" ").doesNotContain("_");
            assertThat(option.help()).as("help of %s", option.name()).isNotBlank();
            assertThat(option.docUrl()).as("doc of %s", option.name()).isNotBlank();
            assertThat(option.type()).isNotNull();
            assertThat(option.status()).isNotNull();
            if (option.name().startsWith("imperium-")) {
                assertThat(option.docUrl()).contains("CONFIG.md#");
            } else {
                assertThat(option.docUrl()).startsWith("https://uwsgi-docs.readthedocs.io/en/latest/");
            }
        }
    }

    @Test
    void namesAndAliasesDoNotCollide() {
        Set<String> seen = new HashSet<>();
        for (Option option : OptionTable.all()) {
            List<String> names = new ArrayList<>(option.aliases());
            names.add(option.name());
            for (String name : names) {
                assertThat(seen.add(name)).as("%s is used twice", name).isTrue();
                assertThat(OptionTable.lookup(name)).isSameAs(option);
            }
        }
    }

    @Test
    void supportedAndBuiltInOptions() {
        List<String> supported = OptionTable.all().stream().filter(o -> o.status() == OptionStatus.SUPPORTED)
                .map(Option::name).toList();
        assertThat(supported).contains("http-socket", "processes", "threads", "chdir", "env", "jvm-classpath",
                "jvm-opt", "jwsgi", "static-map", "check-static", "static-index", "mimefile", "disable-logging",
                "logto", "pidfile", "vacuum", "need-app", "reload-mercy", "worker-reload-mercy", "buffer-size",
                "limit-post", "socket-timeout", "listen", "http-socket-modifier1", "http-socket-modifier2", "strict",
                "include", "inherit", "ini", "yaml", "json", "xml", "set", "set-placeholder", "declare-option",
                "declare-option2", "for", "for-glob", "for-times", "for-readline", "endfor", "endif", "end", "if-env",
                "if-not-env", "if-exists", "if-not-exists", "if-file", "if-not-file", "if-dir", "if-not-dir",
                "if-opt", "if-not-opt", "imperium-app", "cheaper", "cheaper-initial", "cheaper-step", "cheaper-algo",
                "cheaper-overload", "idle", "die-on-idle", "thread-stacksize", "attach-daemon", "attach-daemon2",
                "attach-control-daemon", "smart-attach-daemon", "smart-attach-daemon2", "imperium-virtual-threads");
        List<String> builtIn = OptionTable.all().stream().filter(o -> o.status() == OptionStatus.BUILT_IN)
                .map(Option::name).toList();
        assertThat(builtIn).containsExactlyInAnyOrder("master", "enable-threads", "lazy-apps", "die-on-term",
                "plugins", "need-plugins", "plugins-dir", "cgi-close-stdin-on-eof", "cgi-path-info", "log-master",
                "threaded-logger");
        assertThat(supported).contains("cgi", "cgi-helper", "cgi-allowed-ext", "cgi-index", "cgi-timeout", "mount",
                "manage-script-name", "no-default-app");
        assertThat(OptionTable.lookup("cgi-map-helper").name()).isEqualTo("cgi-helper");
        assertThat(OptionTable.lookup("cgi-loadlib").status()).isEqualTo(OptionStatus.UNSUPPORTED);
        assertThat(OptionTable.lookup("wsgi-file").status()).isEqualTo(OptionStatus.UNSUPPORTED);
        assertThat(OptionTable.lookup("spooler").status()).isEqualTo(OptionStatus.UNSUPPORTED);
        assertThat(supported).contains("socket", "uwsgi-socket", "http", "http-to", "http-processes",
                "http-keepalive", "http-timeout", "http-modifier1");
        assertThat(OptionTable.lookup("http-workers").name()).isEqualTo("http-processes");
    }

    @Test
    void aliasesTypesAndDefaults() {
        assertThat(OptionTable.lookup("workers").name()).isEqualTo("processes");
        assertThat(OptionTable.lookup("p")).isNull();
        assertThat(OptionTable.lookup("static-check").name()).isEqualTo("check-static");
        assertThat(OptionTable.lookup("plugin").name()).isEqualTo("plugins");
        assertThat(OptionTable.lookup("end-if").name()).isEqualTo("endif");
        assertThat(OptionTable.lookup("ifdir").name()).isEqualTo("if-dir");
        assertThat(OptionTable.lookup("YML").name()).isEqualTo("yaml");
        assertThat(OptionTable.lookup("set_ph").name()).isEqualTo("set-placeholder");
        assertThat(OptionTable.lookup("venv").name()).isEqualTo("home");
        assertThat(OptionTable.lookup("pivot_root").name()).isEqualTo("pivot-root");
        assertThat(OptionTable.lookup("start_response-nodelay").name()).isEqualTo("start-response-nodelay");
        assertThat(OptionTable.lookup("http-socket").repeatable()).isTrue();
        assertThat(OptionTable.lookup("buffer-size").defaultValue()).isEqualTo("4096");
        assertThat(OptionTable.lookup("socket-timeout").defaultValue()).isEqualTo("4");
        assertThat(OptionTable.lookup("listen").defaultValue()).isEqualTo("100");
        assertThat(OptionTable.lookup("processes").type()).isEqualTo(OptionType.NUMBER);
        assertThat(OptionTable.lookup("vacuum").type()).isEqualTo(OptionType.FLAG);
        assertThat(OptionTable.lookup("static-map").type()).isEqualTo(OptionType.MAPPING);
        assertThat(OptionTable.lookup("env").type()).isEqualTo(OptionType.KEY_VALUE);
        assertThat(OptionTable.lookup("nope-not-an-option")).isNull();
    }

    @Test
    void helpTextListsWhatImperiumHonoursAligned() {
        String help = OptionTable.helpText();
        assertThat(help).contains("Options:\n", "Config files and configuration logic:\n",
                "Accepted for compatibility (Imperium always behaves this way):\n", "Imperium extensions:\n");
        assertThat(help).contains("--processes, --workers").contains("[default: 4096]").contains("--imperium-app");
        assertThat(help).doesNotContain("--wsgi-file");
        List<Integer> columns = help.lines().filter(l -> l.startsWith("    --")).map(l -> {
            int gap = l.indexOf("  ", 4);
            return gap + (l.length() - gap - l.substring(gap).stripLeading().length());
        }).distinct().toList();
        assertThat(columns).hasSize(1);
    }

    @Test
    void tsvIsTheUwsgiHelpOutput() {
        List<UwsgiOptionList.Row> rows = UwsgiOptionList.rows();
        assertThat(rows).extracting(UwsgiOptionList.Row::name).contains("socket", "http-socket", "jvm-classpath",
                "jwsgi", "wsgi-file", "http");
        assertThat(rows).filteredOn(r -> r.name().equals("processes")).singleElement()
                .extracting(UwsgiOptionList.Row::shortName).isEqualTo("p");
    }
}
