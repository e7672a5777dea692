package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import dev.imperium.logging.LoggerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
    private static VassalConfig config(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("v.ini"), i / 2 + 2)));
        }
        return new VassalConfig(Path.of("v.ini"), entries, List.of());
    }

    @Test
    void defaultsLogEveryRequestToTheMainLog() {
        LogSettings s = LogSettings.from(config());
        assertThat(s.target()).isNull();
        assertThat(s.format()).isNull();
        assertThat(s.policy().enabled()).isTrue();
        assertThat(s.loggers()).isEmpty();
        assertThat(s.maxSize()).isZero();
    }

    @Test
    void readsTheOptionsAndTheirUwsgiAliases() {
        LogSettings s = LogSettings.from(config("logformat", "%(status)", "logdate", "true", "log-maxsize", "5000000000",
                "log-backupname", "old.log", "touch-logrotate", "r", "touch-logreopen", "o", "log-reopen", "1",
                "logger", "file:/tmp/a", "log-syslog", "myapp,local0", "logger-req", "stdio", "log-4xx", "true",
                "log-slow", "250", "disable-logging", "true", "logto", "x.log", "logto2", "y.log"));
        assertThat(s.format().source()).isEqualTo("%(status)");
        assertThat(s.date().enabled()).isTrue();
        assertThat(s.maxSize()).as("past 2 GiB").isEqualTo(5_000_000_000L);
        assertThat(s.touchRotate()).containsExactly("r");
        assertThat(s.touchReopen()).containsExactly("o");
        assertThat(s.reopenOnReload()).isTrue();
        assertThat(s.loggers()).hasSize(2).first().isEqualTo(new LoggerSpec.File("/tmp/a", 0, null));
        assertThat(((LoggerSpec.Datagram) s.loggers().get(1)).framing().tag()).isEqualTo("myapp");
        assertThat(s.requestLoggers()).containsExactly(new LoggerSpec.Stdio());
        assertThat(s.policy().enabled()).isFalse();
        assertThat(s.policy().clientErrors()).isTrue();
        assertThat(s.policy().slowMillis()).isEqualTo(250);
        assertThat(s.target()).as("logto2 wins").isEqualTo("y.log");
        assertThat(LogSettings.from(config("log-prefix", "[app]")).date().prefix(0)).isEqualTo("[app] - ");
    }

    @Test
    void badValuesNameTheirFileAndLine() {
        assertThatThrownBy(() -> LogSettings.from(config("processes", "1", "log-format", "%(metric.core.busy)")))
                .hasMessageStartingWith("v.ini:3: log-format: %(metric.core.busy)");
        assertThatThrownBy(() -> LogSettings.from(config("req-logger", "mongodblog:127.0.0.1")))
                .hasMessageStartingWith("v.ini:2: req-logger: unable to find logger mongodblog");
        assertThatThrownBy(() -> LogSettings.from(config("imperium-syslog-format", "rfc9999")))
                .hasMessageContaining("rfc3164 or rfc5424");
    }
}
