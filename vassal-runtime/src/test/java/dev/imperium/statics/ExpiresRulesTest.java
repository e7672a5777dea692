package dev.imperium.statics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpiresRulesTest {
    private static final long NOW = 1_700_000_000L;
    private static final long MTIME = 1_600_000_000L;

    private static ExpiresRules.Rule pattern(String value, boolean mtime) {
        return ExpiresRules.parsePatternRule("static-expires", value, mtime);
    }

    private static ExpiresRules.Rule type(String value, boolean mtime) {
        return ExpiresRules.parseTypeRule("static-expires-type", value, mtime);
    }

    private static Long expires(ExpiresRules rules, String realPath, String pathInfo, String uri, String mime) {
        return rules.expires(realPath, pathInfo, uri, mime, MTIME, NOW).orElse(null);
    }

    @Test
    void typeRulesCountFromNowOrFromTheModificationTime() {
        ExpiresRules rules = new ExpiresRules(List.of(), List.of(), List.of(),
                List.of(type("text/css=3600", false), type("image/png=60", true)));
        assertThat(expires(rules, "/w/a.css", "/a.css", "/a.css", "text/css")).isEqualTo(NOW + 3600);
        assertThat(expires(rules, "/w/a.png", "/a.png", "/a.png", "image/png")).isEqualTo(MTIME + 60);
        assertThat(expires(rules, "/w/a.js", "/a.js", "/a.js", "text/javascript")).isNull();
        assertThat(expires(rules, "/w/README", "/README", "/README", null)).isNull();
        assertThat(expires(rules, "/w/a.css", "/a.css", "/a.css", "text/css; charset=utf-8"))
                .as("the type compares exactly, as in uWSGI").isNull();
    }

    @Test
    void patternsAreFoundAnywhereInTheirSubject() {
        ExpiresRules byFile = new ExpiresRules(List.of(pattern("/var/www/static/foo.*\\.jpg 3600", false)),
                List.of(), List.of(), List.of());
        assertThat(expires(byFile, "/var/www/static/foo1.jpg", "/foo1.jpg", "/foo1.jpg", "image/jpeg"))
                .isEqualTo(NOW + 3600);
        assertThat(expires(byFile, "/var/www/static/bar.jpg", "/bar.jpg", "/bar.jpg", "image/jpeg")).isNull();

        ExpiresRules byUri = new ExpiresRules(List.of(), List.of(), List.of(pattern("\\?v=\\d+$ 31536000", false)),
                List.of());
        assertThat(expires(byUri, "/w/a.js", "/a.js", "/a.js?v=3", "text/javascript")).isEqualTo(NOW + 31536000);
        assertThat(expires(byUri, "/w/a.js", "/a.js", "/a.js", "text/javascript")).isNull();

        ExpiresRules byPathInfo = new ExpiresRules(List.of(), List.of(pattern("^/img/ 100", true)), List.of(),
                List.of());
        assertThat(expires(byPathInfo, "/w/img/a.png", "/img/a.png", "/img/a.png", "image/png"))
                .isEqualTo(MTIME + 100);
    }

    @Test
    void oneFieldFromTheFirstRuleInUwsgisOrder() {
        ExpiresRules rules = new ExpiresRules(
                List.of(pattern("\\.css$ 1", false), pattern("\\.css$ 2", true)),
                List.of(pattern("css 3", false)),
                List.of(pattern("css 4", false)),
                List.of(type("text/css=5", false)));
        assertThat(expires(rules, "/w/a.css", "/a.css", "/a.css", "text/css")).as("by file first")
                .isEqualTo(NOW + 1);
        assertThat(expires(rules, "/w/a.css.x", "/a.css", "/a.css", "text/css")).as("then by PATH_INFO")
                .isEqualTo(NOW + 3);
        assertThat(expires(rules, "/w/a", "/a", "/a?css", "text/css")).as("then by REQUEST_URI")
                .isEqualTo(NOW + 4);
        assertThat(expires(rules, "/w/a", "/a", "/a", "text/css")).as("then by type").isEqualTo(NOW + 5);
        ExpiresRules mtimeAfter = new ExpiresRules(List.of(pattern("x 1", true), pattern("x 2", false)), List.of(),
                List.of(), List.of());
        assertThat(expires(mtimeAfter, "/x", "/x", "/x", null)).as("list order as given")
                .isEqualTo(MTIME + 1);
    }

    @Test
    void valuesAreCheckedAsUwsgiChecksThem() {
        assertThatThrownBy(() -> pattern("\\.css$", false)).hasMessageContaining("REGEXP SECONDS");
        assertThatThrownBy(() -> pattern("([a 60", false)).hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> pattern("x soon", false)).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> type("text/css", false)).hasMessageContaining("MIME/TYPE=SECONDS");
        assertThatThrownBy(() -> type("text/css=-1", false)).hasMessageContaining("whole number of seconds");
        assertThat(pattern("  \\.css$   60 ", false).seconds()).isEqualTo(60);
    }

    @Test
    void expiryIsFormattedAsAnHttpDate() {
        assertThat(ExpiresRules.format(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
